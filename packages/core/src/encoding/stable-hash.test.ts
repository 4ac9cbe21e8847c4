import { describe, expect, it } from 'vitest';
import { IntegrationError } from '../result/errors.ts';
import { cyclic, hostileValues, throwingProxy, withThrowingGetter } from '../testing/hostile-values.ts';
import { outcome, thrownBy } from '../testing/outcomes.ts';
import { watchProcessFailures } from '../testing/process-failures.ts';
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

describe('hostile input: a VALIDATION_ERROR naming the field, never another throw', () => {
  it.each(hostileValues())('stableStringify(%s) answers text or throws an IntegrationError', (_, value) => {
    const thrown = thrownBy(() => stableStringify(value));
    if (thrown !== undefined) {
      expect(thrown).toBeInstanceOf(IntegrationError);
      expect(thrown).toMatchObject({ code: 'VALIDATION_ERROR' });
      expect(typeof (thrown as IntegrationError).field).toBe('string');
    }
  });

  it.each(hostileValues())(
    'stableHash(%s) resolves to hex or rejects with an IntegrationError',
    async (_, value) => {
      const watch = watchProcessFailures();
      const settled = await outcome(() => stableHash(value));
      if (settled.resolved) expect(settled.value).toMatch(/^[0-9a-f]{64}$/);
      else expect(settled.reason).toBeInstanceOf(IntegrationError);
      expect(await watch.stop()).toEqual([]);
    },
  );

  it.each([
    ['a BigInt', { a: { b: 10n } }, 'a.b', /bigint/],
    ['a cycle', cyclic(), 'self', /cycle/],
    [
      'a cycle through an array',
      (() => {
        const list: unknown[] = [1];
        list.push({ back: list });
        return { list };
      })(),
      'list.1.back',
      /cycle/,
    ],
    [
      'a throwing getter',
      { people: [withThrowingGetter({ name: 'x' }, 'email')] },
      'people.0.email',
      /could not be read/,
    ],
    ['a throwing Proxy', { inner: throwingProxy() }, 'inner', /could not be read/],
    [
      'a throwing toJSON',
      {
        when: {
          toJSON: () => {
            throw new Error('no');
          },
        },
      },
      'when',
      /could not be read/,
    ],
    ['a throwing Proxy at the top', throwingProxy(), '(root)', /could not be read/],
  ])('names the field of %s', (_, value, field, message) => {
    const thrown = thrownBy(() => stableStringify(value));
    expect(thrown).toBeInstanceOf(IntegrationError);
    expect(thrown).toMatchObject({ code: 'VALIDATION_ERROR', field });
    expect((thrown as IntegrationError).message).toMatch(message);
  });

  it('follows 1 000 levels of nesting and refuses deeper ones instead of overflowing the stack', () => {
    const nest = (depth: number): unknown => {
      let value: unknown = 1;
      for (let i = 0; i < depth; i++) value = [value];
      return value;
    };
    expect(stableStringify(nest(1_000))).toHaveLength(2_001);
    expect(thrownBy(() => stableStringify(nest(100_000)))).toMatchObject({
      code: 'VALIDATION_ERROR',
      message: expect.stringMatching(/nested more than 1000 deep/),
    });
  });

  it('writes the same object twice in one value (a shared reference is no cycle)', () => {
    const shared = { a: 1 };
    expect(stableStringify({ x: shared, y: [shared] })).toBe('{"x":{"a":1},"y":[{"a":1}]}');
  });

  it('rejects stableHash of a cycle with the VALIDATION_ERROR, naming the field', async () => {
    await expect(stableHash({ record: cyclic() })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      field: 'record.self',
    });
  });
});
