import { describe, expect, it } from 'vitest';
import { createManualClock } from './manual-clock.ts';

describe('createManualClock', () => {
  it('starts at 2026-01-01 by default and stands still until advanced', () => {
    const clock = createManualClock();
    expect(clock.now()).toBe(Date.UTC(2026, 0, 1));
    expect(clock.now()).toBe(Date.UTC(2026, 0, 1));
    clock.advance(1_500);
    expect(clock.now()).toBe(Date.UTC(2026, 0, 1) + 1_500);
  });

  it('starts where it is told to', () => {
    expect(createManualClock(42).now()).toBe(42);
  });

  it('works as a detached function (a store calls `now` without its object)', () => {
    const { now, advance } = createManualClock(0);
    advance(10);
    expect(now()).toBe(10);
  });

  it('refuses to move backwards', () => {
    expect(() => createManualClock().advance(-1)).toThrow(RangeError);
    expect(() => createManualClock().advance(Number.NaN)).toThrow(RangeError);
  });
});
