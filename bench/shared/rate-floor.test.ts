import { expect, it } from 'vitest';
import { windowFloorSeconds } from './rate-floor.ts';

it('puts the floor at one window per full limit past the first', () => {
  expect(windowFloorSeconds(0, 100, 10)).toBe(0);
  expect(windowFloorSeconds(100, 100, 10)).toBe(0);
  expect(windowFloorSeconds(101, 100, 10)).toBe(10);
  expect(windowFloorSeconds(11_000, 120, 2)).toBe(182);
});
