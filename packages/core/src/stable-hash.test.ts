import { describe, expect, it } from 'vitest';
import { stableHash, stableStringify } from './stable-hash.ts';

describe('stableStringify / stableHash', () => {
  it('ignores key order at every depth and drops undefined', () => {
    const a = { b: 1, a: { y: [1, { q: 2, p: 1 }], x: null }, u: undefined };
    const b = { a: { x: null, y: [1, { p: 1, q: 2 }] }, b: 1 };
    expect(stableStringify(a)).toBe(stableStringify(b));
    expect(stableStringify(a)).toBe('{"a":{"x":null,"y":[1,{"p":1,"q":2}]},"b":1}');
  });

  it('writes what JSON.stringify writes, keys sorted', () => {
    const when = new Date(Date.UTC(2026, 0, 2));
    const value = {
      z: [undefined, () => 1, Symbol('s'), Number.NaN, -0, 'é"\\\n\u2028', true],
      y: { toJSON: () => ({ b: 2, a: 1 }) },
      x: when,
      w: () => 1,
      v: new String('boxed'),
      u: undefined,
      t: Object.assign(Object.create(null), { k: 1 }),
      é: 1,
      B: 2,
      a: [[], {}],
    };
    const reference = (v: unknown): unknown => {
      if (v === null || typeof v !== 'object') return v;
      if (Array.isArray(v)) return v.map(reference);
      const plain = JSON.parse(JSON.stringify(v)) as unknown;
      if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) return plain;
      return Object.fromEntries(
        Object.keys(plain)
          .sort()
          .map((k) => [k, reference((plain as Record<string, unknown>)[k])]),
      );
    };
    expect(stableStringify(value)).toBe(JSON.stringify(reference(JSON.parse(JSON.stringify(value)))));
    expect(stableStringify(undefined)).toBe(JSON.stringify(undefined));
    expect(stableStringify('x')).toBe('"x"');
    expect(stableStringify([undefined])).toBe('[null]');
  });

  it('hashes equal data equally and different data differently', async () => {
    expect(await stableHash({ a: 1, b: 'x' })).toBe(await stableHash({ b: 'x', a: 1 }));
    expect(await stableHash({ a: 1 })).not.toBe(await stableHash({ a: 2 }));
    expect(await stableHash([1, 2])).not.toBe(await stableHash([2, 1]));
    expect(await stableHash('x')).toMatch(/^[0-9a-f]{64}$/);
  });
});
