import { expect, it } from 'vitest';
import { isFlat, secondHalfGrowth } from './memory-flat.ts';

const MB = 2 ** 20;

it('reads a plateau after the heap has grown as flat', () => {
  expect(isFlat([189 * MB, 210 * MB, 188 * MB, 188 * MB])).toBe(true);
  expect(isFlat([307 * MB, 394 * MB, 418 * MB, 394 * MB])).toBe(true);
});

it('reads memory that grows with the rows as not flat', () => {
  expect(isFlat([301 * MB, 403 * MB, 496 * MB, 583 * MB])).toBe(false);
  expect(secondHalfGrowth([301, 403, 496, 583])).toBeCloseTo(583 / 403);
});

it('is not flat without four samples', () => {
  expect(isFlat([100, 100, 100])).toBe(false);
});
