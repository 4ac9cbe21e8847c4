// Autocapture's `elements_chain`: the text PostHog stores for the clicked element and its ancestors, written by
// `elements_to_string` and read back by `chain_to_elements` (PostHog/posthog `posthog/models/element/element.py`):
// `tag.class1.class2:attr="value"…` per element, `;` between elements, attributes sorted by name, `"` escaped.

/** One element as PostHog's ElementSerializer returns it. */
export interface ChainElement {
  event: null;
  text: string | null;
  tag_name: string | null;
  attr_class: string[] | null;
  href: string | null;
  attr_id: string | null;
  nth_child: number | null;
  nth_of_type: number | null;
  attributes: Record<string, string>;
  order: number;
}

/** An element to write into a chain. */
export interface ElementInput {
  tag_name: string;
  attr_class?: string[];
  text?: string;
  href?: string;
  attr_id?: string;
  nth_child?: number;
  nth_of_type?: number;
  attributes?: Record<string, string>;
}

const escapeValue = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
const unescapeValue = (value: string) => value.replace(/\\(["\\])/g, '$1');

/** `elements_to_string`: the chain text of elements, innermost first. */
export function elementsToChain(elements: readonly ElementInput[]): string {
  return elements
    .map((element) => {
      let text = element.tag_name;
      for (const name of [...(element.attr_class ?? [])].sort()) text += `.${name.replace(/"/g, '')}`;
      const attributes: Record<string, string> = {
        ...(element.text ? { text: element.text } : {}),
        'nth-child': String(element.nth_child ?? 0),
        'nth-of-type': String(element.nth_of_type ?? 0),
        ...(element.href ? { href: element.href } : {}),
        ...(element.attr_id ? { attr_id: element.attr_id } : {}),
        ...element.attributes,
      };
      const pairs = Object.entries(attributes)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, value]) => `${escapeValue(key)}="${escapeValue(value)}"`);
      return `${text}:${pairs.join('')}`;
    })
    .join(';');
}

/** `chain_to_elements`: the elements of a chain, with their order. */
export function chainToElements(chain: string): ChainElement[] {
  const parts = chain.match(/(?:[^\s;"]|"(?:\\.|[^"])*")+/g) ?? [];
  return parts.map((part, order) => {
    const split = /^(.*?)($|:([a-zA-Z\-_0-9]*=.*))/.exec(part);
    const head = split?.[1] ?? '';
    const rest = split?.[3] ?? '';
    const element: ChainElement = {
      event: null,
      text: null,
      tag_name: null,
      attr_class: null,
      href: null,
      attr_id: null,
      nth_child: null,
      nth_of_type: null,
      attributes: {},
      order,
    };
    if (head !== '') {
      const [tag, ...classes] = head.split('.');
      element.tag_name = tag ?? null;
      if (classes.length > 0) element.attr_class = classes.filter((name) => name !== '');
    }
    for (const match of rest.matchAll(/((.*?)="(.*?[^\\])")/g)) {
      const key = unescapeValue(match[2] ?? '');
      const value = unescapeValue(match[3] ?? '');
      if (key === 'href') element.href = value;
      else if (key === 'nth-child') element.nth_child = Number.parseInt(value, 10);
      else if (key === 'nth-of-type') element.nth_of_type = Number.parseInt(value, 10);
      else if (key === 'text') element.text = value;
      else if (key === 'attr_id') element.attr_id = value;
      else if (key !== '') element.attributes[key] = value;
    }
    return element;
  });
}
