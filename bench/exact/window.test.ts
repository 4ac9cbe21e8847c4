import { expect, it } from 'vitest';
import { busiest } from './window.ts';

it('counts the most requests in any rolling 60 s and in any clock minute', () => {
  // 30 at the end of one minute and 30 at the start of the next: 30 per clock minute, 60 in a rolling one.
  const times = [
    ...Array.from({ length: 30 }, (_, i) => 59_000 + i),
    ...Array.from({ length: 30 }, (_, i) => 60_000 + i),
  ];
  expect(busiest(times)).toEqual({ rolling: 60, fixed: 30, minutes: 2 });
  expect(busiest([0, 59_999, 60_000, 180_000])).toEqual({ rolling: 2, fixed: 2, minutes: 4 });
  expect(busiest([])).toEqual({ rolling: 0, fixed: 0, minutes: 0 });
});
