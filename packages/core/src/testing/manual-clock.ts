/** A clock that only moves when told to, for lease and timestamp tests without real waiting. */
export interface ManualClock {
  /** The current time in epoch milliseconds; pass it as a store's `now` option. */
  now: () => number;
  /** Moves the clock forward. */
  advance(ms: number): void;
}

/**
 * A manual clock starting at `start` (default 2026-01-01T00:00:00Z).
 * @example const clock = createManualClock(); const store = createMemoryStore({ now: clock.now }); clock.advance(60_000);
 */
export function createManualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  let current = start;
  return {
    now: () => current,
    advance(ms) {
      if (!(ms >= 0)) throw new RangeError('A manual clock only moves forward');
      current += ms;
    },
  };
}
