import { describe, expect, it } from 'vitest';
import { chainToElements, elementsToChain } from './elements-chain.ts';

describe('elements chain', () => {
  it('writes elements as PostHog does: sorted classes and attributes, escaped quotes', () => {
    expect(
      elementsToChain([
        {
          tag_name: 'button',
          attr_class: ['btn', 'a-first'],
          text: 'Say "hi"',
          nth_child: 1,
          nth_of_type: 1,
          attributes: { 'attr__data-x': '1' },
        },
        { tag_name: 'div', nth_child: 2, nth_of_type: 1 },
      ]),
    ).toBe(
      'button.a-first.btn:attr__data-x="1"nth-child="1"nth-of-type="1"text="Say \\"hi\\"";div:nth-child="2"nth-of-type="1"',
    );
  });

  it('reads a chain back into serialized elements', () => {
    const chain = elementsToChain([
      {
        tag_name: 'a',
        attr_class: ['link'],
        href: '/docs',
        text: 'Docs',
        attr_id: 'nav',
        nth_child: 3,
        nth_of_type: 2,
      },
      { tag_name: 'nav', nth_child: 1, nth_of_type: 1 },
    ]);
    expect(chainToElements(chain)).toEqual([
      {
        event: null,
        text: 'Docs',
        tag_name: 'a',
        attr_class: ['link'],
        href: '/docs',
        attr_id: 'nav',
        nth_child: 3,
        nth_of_type: 2,
        attributes: {},
        order: 0,
      },
      expect.objectContaining({ tag_name: 'nav', attr_class: null, nth_child: 1, order: 1 }),
    ]);
  });
});
