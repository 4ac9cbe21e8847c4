import { describe, expect, it } from 'vitest';
import { cyclic, hostileClocks, hostileValues, throwingProxy, withThrowingGetter } from './hostile-values.ts';
import { thrownBy } from './outcomes.ts';

describe('hostile values', () => {
  it('labels every value once and gives a fresh set per call', () => {
    const labels = hostileValues().map(([label]) => label);
    expect(new Set(labels).size).toBe(labels.length);
    const [first, second] = [hostileValues(), hostileValues()];
    const objectIndex = first.findIndex(([, value]) => typeof value === 'object' && value !== null);
    expect(first[objectIndex]?.[1]).not.toBe(second[objectIndex]?.[1]);
  });

  it('throwingProxy throws from every trap', () => {
    const proxy = throwingProxy<Record<string, unknown>>();
    expect(thrownBy(() => proxy.x)).toBeInstanceOf(Error);
    expect(thrownBy(() => Object.keys(proxy))).toBeInstanceOf(Error);
    expect(thrownBy(() => 'x' in proxy)).toBeInstanceOf(Error);
  });

  it('withThrowingGetter throws on that key only and leaves the original alone', () => {
    const original = { a: 1, b: 2 };
    const copy = withThrowingGetter(original, 'b');
    expect(copy.a).toBe(1);
    expect(thrownBy(() => copy.b)).toBeInstanceOf(Error);
    expect(original.b).toBe(2);
  });

  it('cyclic contains itself', () => {
    const value = cyclic();
    expect(value.self).toBe(value);
  });
});

describe('hostileClocks', () => {
  it('gives no clock that answers a finite number', () => {
    const clocks = hostileClocks();
    expect(new Set(clocks.map(([label]) => label)).size).toBe(clocks.length);
    for (const [, now] of clocks) {
      if (typeof now !== 'function') continue;
      expect(thrownBy(() => now()) !== undefined || !Number.isFinite(now())).toBe(true);
    }
  });
});
