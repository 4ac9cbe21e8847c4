// The accelerated clock the Exact bench runs on: Exact's 60 calls a minute make the hand-written loop's 834 pages a
// quarter of an hour, so both processes (the bench and the emulator's) read one clock that runs `factor` times real
// time from a shared origin. Everything that judges time reads it: the emulator's minute windows, token lifetimes
// and dates; Patchbay's limiter, token manager and error budget; the loop's token check and its 429 waits. The
// limiter sleeps in real time for the wait its store names, so the store it is given answers that wait in real ms.
import type { RateLimitStore } from '@patchbay/core';

/** A clock running `factor` times real time. */
export interface BenchClock {
  /** How much faster than real time it runs. */
  factor: number;
  /** Its time, epoch ms. */
  now(): number;
  /** Real ms for `ms` of its time. */
  real(ms: number): number;
  /** Resolves once its time reaches `at` (epoch ms), at once if it has. */
  sleepUntil(at: number): Promise<void>;
}

/** Where a bench clock starts: its time `startAt` at real time `realStart`, both epoch ms. */
export interface ClockOrigin {
  startAt: number;
  realStart: number;
  factor: number;
}

/** The clock of `origin`, reading real time from `realNow`. */
export function acceleratedClock(origin: ClockOrigin, realNow: () => number = Date.now): BenchClock {
  const { startAt, realStart, factor } = origin;
  if (!(factor >= 1)) throw new RangeError('factor must be 1 or more');
  const now = () => startAt + (realNow() - realStart) * factor;
  const real = (ms: number) => ms / factor;
  return {
    factor,
    now,
    real,
    sleepUntil: (at) =>
      new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.ceil(real(at - now()))))),
  };
}

/** The origin as command-line arguments, for the emulator's process. */
export const originArgs = (origin: ClockOrigin) => [
  String(origin.startAt),
  String(origin.realStart),
  String(origin.factor),
];

/** The origin read back from {@link originArgs}. */
export function readOriginArgs(args: readonly string[]): ClockOrigin {
  const [startAt, realStart, factor] = args.slice(0, 3).map(Number);
  if (![startAt, realStart, factor].every((value) => Number.isFinite(value))) {
    throw new RangeError(`expected <startAt> <realStart> <factor>, got ${args.join(' ')}`);
  }
  return { startAt: startAt!, realStart: realStart!, factor: factor! };
}

/** `store` with its waits answered in real ms of `clock` (the limiter sleeps them, then takes again). */
export function realTimeWaits(store: RateLimitStore, clock: Pick<BenchClock, 'real'>): RateLimitStore {
  return {
    take: async (key, bucket, now, cost) => {
      const wait = await store.take(key, bucket, now, cost);
      return wait > 0 ? Math.max(1, clock.real(wait)) : wait;
    },
    update: (key, feedback, now) => store.update(key, feedback, now),
    peek: (key, bucket, now) => store.peek(key, bucket, now),
  };
}
