import { describe, expect, it } from 'vitest';
import { hostileValues } from '../testing/hostile-values.ts';
import { isHeaderName, isHeaderValue } from './header-syntax.ts';

describe('isHeaderName', () => {
  it.each(['Authorization', 'x-api-key', 'X_Custom.Header', "!#$%&'*+-.^_`|~", 'a', '0'])(
    'accepts the token %j',
    (name) => {
      expect(isHeaderName(name)).toBe(true);
    },
  );

  it.each([
    ['an empty string', ''],
    ['a space', 'x api'],
    ['a colon', 'x-api:key'],
    ['CR LF', 'x\r\nSet-Cookie'],
    ['NUL', 'x\u0000'],
    ['a tab', 'x\tkey'],
    ['a separator', 'x(key)'],
    ['a quote', 'x"key'],
    ['non-ASCII', 'x-clé'],
    ['a trailing newline', 'x-key\n'],
  ])('refuses a name with %s', (_, name) => {
    expect(isHeaderName(name)).toBe(false);
  });

  it.each(hostileValues().filter(([, value]) => typeof value !== 'string'))(
    'refuses %s without throwing',
    (_, value) => {
      expect(isHeaderName(value)).toBe(false);
    },
  );
});

describe('isHeaderValue', () => {
  it.each([
    ['an empty string', ''],
    ['a token', 'Bearer abc.def'],
    ['spaces and tabs', ' a\tb '],
    ['punctuation', 'a=b; c="d, e"'],
    ['non-ASCII text', 'café ☕'],
    ['other control characters', 'a\u0001b\u007f'],
  ])('accepts %s', (_, value) => {
    expect(isHeaderValue(value)).toBe(true);
  });

  it.each([
    ['LF', 'secret\nX-Evil: 1'],
    ['CR', 'secret\rX-Evil: 1'],
    ['CR LF', 'a\r\n'],
    ['NUL', 'se\u0000cret'],
    ['a leading LF', '\nsecret'],
  ])('refuses a value with %s', (_, value) => {
    expect(isHeaderValue(value)).toBe(false);
  });

  it('agrees with Headers on what it accepts', () => {
    for (const value of ['Bearer abc', ' a\tb ', 'a=b; c']) {
      expect(() => new Headers({ x: value })).not.toThrow();
      expect(isHeaderValue(value)).toBe(true);
    }
    for (const value of ['a\nb', 'a\rb', 'a\u0000b']) {
      expect(() => new Headers({ x: value })).toThrow();
      expect(isHeaderValue(value)).toBe(false);
    }
  });

  it.each(hostileValues().filter(([, value]) => typeof value !== 'string'))(
    'refuses %s without throwing',
    (_, value) => {
      expect(isHeaderValue(value)).toBe(false);
    },
  );
});
