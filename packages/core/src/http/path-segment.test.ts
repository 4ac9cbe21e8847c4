import { describe, expect, it } from 'vitest';
import { encodePathSegment } from './path-segment.ts';

const revoked = Proxy.revocable({}, {});
revoked.revoke();

describe('encodePathSegment', () => {
  it.each([
    ['a uuid', '7f3e1c2a-9b4d-4e8f-a1b2-c3d4e5f60718', '7f3e1c2a-9b4d-4e8f-a1b2-c3d4e5f60718'],
    ['a query character', 'a?b', 'a%3Fb'],
    ['a fragment character', 'a#b', 'a%23b'],
    ['a percent sign', '100%', '100%25'],
    ['an encoded slash, taken literally', 'a%2Fb', 'a%252Fb'],
    ['an encoded dot pair, taken literally inside a longer value', 'x%2e%2e', 'x%252e%252e'],
    ['three dots (not a dot segment)', '...', '...'],
    ['an inner space', 'a b', 'a%20b'],
    ['non-ASCII text', 'café', 'caf%C3%A9'],
  ])('encodes %s', (_, value, encoded) => {
    expect(encodePathSegment(value, { field: 'id' })).toEqual({ success: true, data: encoded });
  });

  it.each([
    ['.', '.'],
    ['..', '..'],
    ['%2e', '%2e'],
    ['%2E%2e', '%2E%2e'],
    ['.%2E', '.%2E'],
    ['empty', ''],
    ['blank', '   '],
    ['a tab', '\t'],
    ['leading whitespace', ' a'],
    ['trailing newline', 'a\n'],
    ['a slash', 'a/b'],
    ['a traversal', '../companies'],
    ['a backslash', 'a\\b'],
    ['a NUL', 'a\u0000b'],
    ['DEL', 'a\u007fb'],
    ['a lone surrogate', 'a\ud800b'],
    ['too long', 'x'.repeat(1025)],
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
    ['an object', {}],
    ['an object without a prototype', Object.create(null)],
    ['an array', ['a']],
    ['a symbol', Symbol('id')],
    ['a bigint', 10n],
    ['a function', () => 'id'],
    ['a revoked proxy', revoked.proxy],
  ])('refuses %s with a VALIDATION_ERROR naming the field, never the value', (_, value) => {
    const result = encodePathSegment(value, { field: 'person id' });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'person id', retryable: false });
    expect(result.error.issues).toEqual([{ field: 'person id', message: expect.any(String) }]);
    if (typeof value === 'string' && value.trim().length > 2)
      expect(result.error.message).not.toContain(value);
  });

  it('takes another maximum length', () => {
    expect(encodePathSegment('abcd', { field: 'id', maxLength: 3 }).success).toBe(false);
    expect(encodePathSegment('abc', { field: 'id', maxLength: 3 }).success).toBe(true);
  });

  it('never yields a segment a URL parser would resolve away or split', () => {
    const hostile = ['..', '.', 'a/../b', '%2e%2e', '?x', '#x', 'a;b', "a'b", '(x)', '~', '*'];
    for (const value of hostile) {
      const result = encodePathSegment(value, { field: 'id' });
      if (!result.success) continue;
      const url = new URL(`https://host.test/rest/people/${result.data}`);
      expect(url.pathname).toBe(`/rest/people/${result.data}`);
      expect(url.search + url.hash).toBe('');
      expect(decodeURIComponent(url.pathname.split('/')[3] as string)).toBe(value);
    }
  });
});
