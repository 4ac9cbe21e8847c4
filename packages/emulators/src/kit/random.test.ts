import { describe, expect, it } from 'vitest';
import { hostileValues, thrownBy } from '../../test-support/hostile-values.ts';
import { createRandom } from './random.ts';

const take = (random: () => number, n: number) => Array.from({ length: n }, () => random());

describe('createRandom', () => {
  it('yields the same sequence for the same seed', () => {
    expect(take(createRandom(42), 20)).toEqual(take(createRandom(42), 20));
  });

  it('yields a known sequence, so a seed stays valid across releases', () => {
    expect(take(createRandom(42), 2)).toEqual([0.6011037519201636, 0.44829055899754167]);
  });

  it('yields different sequences for different seeds', () => {
    expect(take(createRandom(1), 5)).not.toEqual(take(createRandom(2), 5));
  });

  it('stays within [0, 1) and spreads evenly', () => {
    const values = take(createRandom(7), 10_000);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
    const lowHalf = values.filter((v) => v < 0.5).length;
    expect(lowHalf).toBeGreaterThan(4_800);
    expect(lowHalf).toBeLessThan(5_200);
  });

  it('accepts any number as a seed, using its low 32 bits', () => {
    expect(take(createRandom(2 ** 32 + 5), 3)).toEqual(take(createRandom(5), 3));
    expect(take(createRandom(-1), 3)).toEqual(take(createRandom(0xffffffff), 3));
  });
});

describe('createRandom with a hostile seed', () => {
  it.each(hostileValues().filter(([, value]) => typeof value !== 'number' || !Number.isFinite(value)))(
    'refuses %s with an EmulatorConfigError naming seed',
    (_, value) => {
      expect(thrownBy(() => createRandom(value as number))).toMatchObject({
        code: 'CONFIG_ERROR',
        field: 'seed',
      });
    },
  );
});
