import { createMemoryRateLimitStore } from '@patchbay/core';
import { expect, it } from 'vitest';
import { acceleratedClock, originArgs, readOriginArgs, realTimeWaits } from './clock.ts';

it('runs factor times real time from its origin, and names real waits', async () => {
  let real = 1_000;
  const clock = acceleratedClock({ startAt: 50_000, realStart: 1_000, factor: 10 }, () => real);
  expect(clock.now()).toBe(50_000);
  real = 1_500;
  expect(clock.now()).toBe(55_000);
  expect(clock.real(60_000)).toBe(6_000);
  await clock.sleepUntil(0); // already past: at once
  expect(() => acceleratedClock({ startAt: 0, realStart: 0, factor: 0.5 })).toThrow(/factor/);
});

it('passes its origin to another process as arguments', () => {
  const origin = { startAt: 1_796_000_000_000, realStart: 1_765_000_000_000, factor: 10 };
  expect(readOriginArgs(originArgs(origin))).toEqual(origin);
  expect(() => readOriginArgs(['x'])).toThrow(/expected/);
});

it("answers the limiter's waits in real ms of the clock", async () => {
  const store = realTimeWaits(createMemoryRateLimitStore(), { real: (ms) => ms / 10 });
  const bucket = { capacity: 1, refillPerMs: 1 / 60_000 };
  expect(await store.take('k', bucket, 0)).toBe(0);
  // The next token comes 60 s later on the clock: 6 s of real sleep.
  expect(await store.take('k', bucket, 0)).toBeCloseTo(6_000, -1);
});
