import { describe, expect, it } from 'vitest';
import { cyclic, throwingProxy, withThrowingGetter } from '../testing/hostile-values.ts';
import { toJsonValue } from './json-value.ts';

describe('toJsonValue', () => {
  it('copies plain data with JSON rules: toJSON called, undefined properties left out', () => {
    const date = new Date('2026-01-02T03:04:05Z');
    const input = { a: 1, b: 'x', c: [true, null], d: { e: date }, f: undefined };
    const copy = toJsonValue(input);
    expect(copy).toEqual({ success: true, data: { a: 1, b: 'x', c: [true, null], d: { e: date.toJSON() } } });
    expect(copy.success && copy.data).not.toBe(input);
  });

  it('keeps a __proto__ key a plain key', () => {
    const copy = toJsonValue(JSON.parse('{"__proto__": {"polluted": true}}'));
    expect(copy.success && Object.getPrototypeOf(copy.data)).toBe(Object.prototype);
    expect(copy.success && Object.keys(copy.data as object)).toEqual(['__proto__']);
  });

  it('reads each value once', () => {
    let reads = 0;
    const input = {
      get name() {
        reads++;
        return 'Ada';
      },
    };
    expect(toJsonValue(input)).toEqual({ success: true, data: { name: 'Ada' } });
    expect(reads).toBe(1);
  });

  it.each([
    ['a symbol', { name: Symbol('x') }, 'name'],
    ['a bigint', { n: { m: 1n } }, 'n.m'],
    ['a function', { f: () => 1 }, 'f'],
    ['NaN', { n: Number.NaN }, 'n'],
    ['Infinity', [Number.POSITIVE_INFINITY], '0'],
    ['undefined in an array', [1, undefined], '1'],
    ['undefined at the top', undefined, '(root)'],
    ['a cycle', { a: cyclic() }, 'a.self'],
    ['a throwing getter', withThrowingGetter({ a: 1 }, 'name'), 'name'],
    ['a throwing Proxy', { inner: throwingProxy() }, 'inner.toJSON'],
    ['a throwing array Proxy', throwingProxy([]), 'toJSON'],
    [
      'a throwing toJSON',
      {
        t: {
          toJSON: () => {
            throw new Error('x');
          },
        },
      },
      't',
    ],
    ['nesting too deep', JSON.parse(`${'['.repeat(70)}${']'.repeat(70)}`), undefined],
  ])('refuses %s with a VALIDATION_ERROR naming the field', (_, value, field) => {
    const copy = toJsonValue(value);
    expect(copy.success).toBe(false);
    if (copy.success) return;
    expect(copy.error.code).toBe('VALIDATION_ERROR');
    if (field !== undefined) expect(copy.error.field).toBe(field);
  });

  it('names nested fields after the given root', () => {
    const copy = toJsonValue({ name: { first: 1n } }, { field: '[3]' });
    expect(copy.success || copy.error.field).toBe('[3].name.first');
  });

  it('accepts an object without a prototype and a shared (non-cyclic) reference', () => {
    const bare = Object.assign(Object.create(null), { a: 1 });
    const shared = { x: 1 };
    expect(toJsonValue({ bare, one: shared, two: shared })).toEqual({
      success: true,
      data: { bare: { a: 1 }, one: { x: 1 }, two: { x: 1 } },
    });
  });
});
