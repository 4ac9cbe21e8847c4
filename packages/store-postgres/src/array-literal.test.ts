import { describe, expect, it } from 'vitest';
import { numberArrayLiteral, textArrayLiteral } from './array-literal.ts';

describe('textArrayLiteral', () => {
  it('quotes every element, so NULL, commas, braces and spaces stay text', () => {
    expect(textArrayLiteral(['a', 'NULL', 'a,b', '{x}', ' s ', ''])).toBe(
      '{"a","NULL","a,b","{x}"," s ",""}',
    );
  });

  it('escapes quotes and backslashes, and writes null as NULL', () => {
    expect(textArrayLiteral(['q"x', 'back\\slash', null])).toBe('{"q\\"x","back\\\\slash",NULL}');
  });

  it('writes an empty array as {}', () => {
    expect(textArrayLiteral([])).toBe('{}');
  });
});

describe('numberArrayLiteral', () => {
  it('writes numbers as float8 reads them', () => {
    expect(numberArrayLiteral([0, -1.5, 1_700_000_000_123, 1e21])).toBe('{0,-1.5,1700000000123,1e+21}');
    expect(numberArrayLiteral([])).toBe('{}');
  });
});
