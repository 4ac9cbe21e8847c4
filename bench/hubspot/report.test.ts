import { expect, it } from 'vitest';
import { contendedFloor, floorSeconds } from './report.ts';

it('puts the floor at one window per 100 requests past the first 100', () => {
  expect(floorSeconds(0)).toBe(0);
  expect(floorSeconds(100)).toBe(0);
  expect(floorSeconds(101)).toBe(10);
  expect(floorSeconds(210)).toBe(20);
});

it('spreads requests over what a neighbour leaves of each window', () => {
  expect(contendedFloor(210, 40)).toBe(35);
  expect(contendedFloor(10, 100)).toBe(100);
});
