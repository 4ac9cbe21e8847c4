import { describe, expect, it } from 'vitest';
import type { ScheduleSpec } from '../job-input.ts';
import { firstTick, followingTick } from './ticks.ts';

const every = (ms: number): ScheduleSpec => ({
  id: 's',
  every: ms,
  cron: null,
  tz: null,
  job: { name: 'k', data: null },
});
const cron = (pattern: string, tz: string | null = null): ScheduleSpec => ({
  id: 's',
  every: null,
  cron: pattern,
  tz,
  job: { name: 'k', data: null },
});

describe('schedule ticks', () => {
  it('every: ticks now, then one interval apart', () => {
    expect(firstTick(every(1_000), 5_000)).toBe(5_000);
    expect(followingTick(every(1_000), 5_000, 5_200)).toBe(6_000);
  });

  it('every: ticks missed while nothing ran collapse, the grid kept', () => {
    expect(followingTick(every(1_000), 5_000, 9_500)).toBe(10_000);
    expect(followingTick(every(1_000), 5_000, 10_000)).toBe(11_000);
  });

  it('cron: the next match after now, in the time zone given', () => {
    const at = Date.UTC(2026, 0, 1, 10, 7);
    expect(firstTick(cron('*/15 * * * *'), at)).toBe(Date.UTC(2026, 0, 1, 10, 15));
    // 09:00 in Amsterdam is 08:00 UTC in winter.
    expect(firstTick(cron('0 9 * * *', 'Europe/Amsterdam'), at)).toBe(Date.UTC(2026, 0, 2, 8, 0));
    expect(
      followingTick(cron('*/15 * * * *'), Date.UTC(2026, 0, 1, 10, 15), Date.UTC(2026, 0, 1, 11, 1)),
    ).toBe(Date.UTC(2026, 0, 1, 11, 15));
  });
});
