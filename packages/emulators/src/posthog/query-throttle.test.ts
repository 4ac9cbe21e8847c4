import { describe, expect, it } from 'vitest';
import {
  concurrencyRefusal,
  createConcurrencySlots,
  createQueryThrottle,
  throttledResponse,
} from './query-throttle.ts';

describe('createQueryThrottle', () => {
  it("refuses past the limit within the window, with DRF's wait, and admits again once the oldest leaves", () => {
    let now = 0;
    const throttle = createQueryThrottle([{ limit: 2, windowMs: 60_000 }], () => now);
    expect(throttle.take('k')).toEqual({ allowed: true });
    now = 10_000;
    expect(throttle.take('k')).toEqual({ allowed: true });
    now = 20_000;
    expect(throttle.take('k')).toEqual({ allowed: false, waitSeconds: 40 });
    now = 59_500;
    expect(throttle.take('k')).toEqual({ allowed: false, waitSeconds: 1 });
    now = 60_000;
    expect(throttle.take('k')).toEqual({ allowed: true });
    expect(throttle.take('other')).toEqual({ allowed: true });
  });

  it('counts a request one rate refuses against the others, and waits for the longest', () => {
    let now = 0;
    const throttle = createQueryThrottle(
      [
        { limit: 1, windowMs: 60_000 },
        { limit: 3, windowMs: 3_600_000 },
      ],
      () => now,
    );
    expect(throttle.take('k').allowed).toBe(true);
    now = 1_000;
    expect(throttle.take('k')).toEqual({ allowed: false, waitSeconds: 59 }); // counted per hour
    now = 61_000;
    expect(throttle.take('k').allowed).toBe(true); // the hour now holds 3
    now = 130_000;
    expect(throttle.take('k')).toEqual({ allowed: false, waitSeconds: 3_470 });
    throttle.reset();
    expect(throttle.take('k').allowed).toBe(true);
  });
});

describe('throttledResponse', () => {
  it("answers 429 throttled_error with Retry-After and DRF's detail", async () => {
    const response = throttledResponse(37);
    expect([response.status, response.headers.get('retry-after')]).toEqual([429, '37']);
    expect(await response.json()).toEqual({
      type: 'throttled_error',
      code: 'throttled',
      detail: 'Request was throttled. Expected available in 37 seconds.',
      attr: null,
    });
    expect((await throttledResponse(1).json()).detail).toBe(
      'Request was throttled. Expected available in 1 second.',
    );
    const zero = throttledResponse(0);
    expect(zero.headers.get('retry-after')).toBeNull();
  });
});

describe('createConcurrencySlots', () => {
  it('holds at most limit tasks; a task holding one keeps it', () => {
    const slots = createConcurrencySlots(2);
    expect([
      slots.tryAcquire('a'),
      slots.tryAcquire('a'),
      slots.tryAcquire('b'),
      slots.tryAcquire('c'),
    ]).toEqual([true, true, true, false]);
    expect(slots.inUse()).toBe(2);
    slots.release('a');
    expect(slots.tryAcquire('c')).toBe(true);
    slots.reset();
    expect(slots.inUse()).toBe(0);
  });

  it('waits with backoff for a slot, running beforeRetry before each try', async () => {
    const slept: number[] = [];
    const slots = createConcurrencySlots(1, async (ms) => {
      slept.push(ms);
    });
    slots.tryAcquire('busy');
    let tries = 0;
    const acquired = await slots.acquire('next', {
      waitMs: 60_000,
      beforeRetry: () => {
        tries += 1;
        if (tries === 3) slots.release('busy');
      },
    });
    expect(acquired).toBe(true);
    expect(slept).toEqual([134, 201]);
  });

  it('gives up after waitMs', async () => {
    const slots = createConcurrencySlots(1);
    slots.tryAcquire('busy');
    const started = Date.now();
    expect(await slots.acquire('next', { waitMs: 50 })).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });
});

describe('concurrencyRefusal', () => {
  it("answers 429 with ConcurrencyLimitExceeded's message and no Retry-After", async () => {
    const response = concurrencyRefusal(3, 7, 'abc');
    expect([response.status, response.headers.get('retry-after')]).toEqual([429, null]);
    expect(await response.json()).toEqual({
      type: 'throttled_error',
      code: 'throttled',
      detail: 'Exceeded maximum concurrency limit: 3 for key: api:query:per-team:7 and task: abc',
      attr: null,
    });
  });
});
