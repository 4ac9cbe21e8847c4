import { describe, expect, it } from 'vitest';
import { stableHash, stableStringify } from './stable-hash.ts';

describe('stableStringify / stableHash', () => {
  it('ignores key order at every depth and drops undefined', () => {
    const a = { b: 1, a: { y: [1, { q: 2, p: 1 }], x: null }, u: undefined };
    const b = { a: { x: null, y: [1, { p: 1, q: 2 }] }, b: 1 };
    expect(stableStringify(a)).toBe(stableStringify(b));
    expect(stableStringify(a)).toBe('{"a":{"x":null,"y":[1,{"p":1,"q":2}]},"b":1}');
  });

  it('hashes equal data equally and different data differently', async () => {
    expect(await stableHash({ a: 1, b: 'x' })).toBe(await stableHash({ b: 'x', a: 1 }));
    expect(await stableHash({ a: 1 })).not.toBe(await stableHash({ a: 2 }));
    expect(await stableHash([1, 2])).not.toBe(await stableHash([2, 1]));
    expect(await stableHash('x')).toMatch(/^[0-9a-f]{64}$/);
  });
});
