import { describe, expect, it } from 'vitest';
import { escapeHtml } from './escape-html.ts';

describe('escapeHtml', () => {
  it('escapes markup and both quotes, keeps text', () => {
    expect(escapeHtml(`<script>alert("x")</script>&'\``)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;&#96;',
    );
    expect(escapeHtml('Zoë — 東京')).toBe('Zoë — 東京');
  });

  it('turns anything into safe text', () => {
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(42)).toBe('42');
    expect(escapeHtml({ toString: () => '<b>' })).toBe('&lt;b&gt;');
    expect(
      escapeHtml({
        toString() {
          throw new Error('x');
        },
      }),
    ).toBe('');
    expect(escapeHtml('a\u0000b\ud800c')).toBe('ab\ufffdc');
  });
});
