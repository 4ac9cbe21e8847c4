import { createMemoryRateLimitStore, IntegrationError } from '@patchbay/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createQueryLimits, POSTHOG_QUERY_LIMITS, windowBucket } from './limits.ts';

// The most grants any sliding window of `windowMs` holds, PostHog's way of counting (DRF keeps each request's time).
function busiestWindow(times: number[], windowMs: number): number {
  let most = 0;
  for (let start = 0, end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

describe('windowBucket', () => {
  it.each([
    [2, 60_000, 1 / 4],
    [3, 60_000, 1 / 4],
    [20, 60_000, 1 / 4],
    [120, 3_600_000, 1 / 2],
    [240, 60_000, 1 / 4],
    [2400, 3_600_000, 1 / 2],
  ])('keeps burst + refill per window within %i per window', (limit, windowMs, share) => {
    const bucket = windowBucket(limit, windowMs, share);
    expect(bucket.intervalMs).toBe(windowMs);
    expect(bucket.limit).toBeGreaterThan(0);
    expect(bucket.burst).toBeGreaterThanOrEqual(1);
    expect((bucket.burst ?? 0) + bucket.limit).toBeLessThanOrEqual(limit >= 20 ? limit - 1 : limit);
  });
});

describe('createQueryLimits', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 7) });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("never grants more than PostHog's limits in any sliding minute or hour, 3 000 requests asked at once", async () => {
    const limits = createQueryLimits({ ...POSTHOG_QUERY_LIMITS, key: 'k', maxBlockMs: 60_000 });
    const times: number[] = [];
    const all = Array.from({ length: 3000 }, () =>
      limits.take().then((turn) => {
        expect(turn.success).toBe(true);
        times.push(Date.now());
      }),
    );
    const done = Promise.all(all);
    while (times.length < 3000) await vi.advanceTimersByTimeAsync(1_000);
    await done;
    expect(busiestWindow(times, 60_000)).toBeLessThanOrEqual(239);
    expect(busiestWindow(times, 3_600_000)).toBeLessThanOrEqual(2399);
    // …and does not crawl: the first 60 at once, 240 within the first two minutes.
    expect(times.filter((t) => t === times[0]).length).toBe(60);
    expect(times.filter((t) => t - times[0]! < 120_000).length).toBeGreaterThanOrEqual(239);
  });

  it('keeps a project of 120 queries an hour under its limit', async () => {
    const limits = createQueryLimits({
      perMinute: 240,
      perHour: 120,
      concurrent: 3,
      key: 'k',
      maxBlockMs: 60_000,
    });
    const times: number[] = [];
    const done = Promise.all(
      Array.from({ length: 300 }, () => limits.take().then(() => times.push(Date.now()))),
    );
    while (times.length < 300) await vi.advanceTimersByTimeAsync(10_000);
    await done;
    expect(busiestWindow(times, 3_600_000)).toBeLessThanOrEqual(119);
  });

  it('shares the buckets of one store between clients of the same key', async () => {
    const store = createMemoryRateLimitStore();
    const options = { perMinute: 8, perHour: 1000, concurrent: 3, store, key: 'shared', maxBlockMs: 60_000 };
    const first = createQueryLimits(options);
    const second = createQueryLimits(options);
    await first.take();
    await second.take();
    // A burst of 2 (a quarter of 8), spent by the two clients together.
    expect((await first.state()).minute.tokens).toBe(0);
    expect((await second.state()).minute.tokens).toBe(0);
  });

  it("holds the minute's bucket for a 429's wait of a minute or less, the hour's for a longer one", async () => {
    const limits = createQueryLimits({ ...POSTHOG_QUERY_LIMITS, key: 'k', maxBlockMs: 3_600_000 });
    limits.observeFailure(
      new IntegrationError('RATE_LIMIT', 'throttled', { status: 429, retryAfterMs: 12_000 }),
    );
    let state = await limits.state();
    expect(state.minute.blockedUntil).toBe(Date.now() + 12_000);
    expect(state.hour.blockedUntil).toBeUndefined();
    limits.observeFailure(
      new IntegrationError('RATE_LIMIT', 'throttled', { status: 429, retryAfterMs: 600_000 }),
    );
    state = await limits.state();
    expect(state.hour.blockedUntil).toBe(Date.now() + 600_000);
    let granted = false;
    const turn = limits.take().then(() => {
      granted = true;
    });
    await vi.advanceTimersByTimeAsync(599_000);
    expect(granted).toBe(false);
    await vi.advanceTimersByTimeAsync(2_000);
    await turn;
    expect(granted).toBe(true);
  });

  it('leaves the buckets alone for a 429 without a wait (the concurrency limit) and for other failures', async () => {
    const limits = createQueryLimits({ ...POSTHOG_QUERY_LIMITS, key: 'k', maxBlockMs: 60_000 });
    const before = await limits.state();
    limits.observeFailure(new IntegrationError('RATE_LIMIT', 'too many concurrent queries', { status: 429 }));
    limits.observeFailure(new IntegrationError('SERVER_ERROR', 'boom', { status: 503, retryAfterMs: 5_000 }));
    expect(await limits.state()).toEqual(before);
  });

  it('answers ABORTED for a turn whose signal aborts while it waits', async () => {
    const limits = createQueryLimits({
      perMinute: 2,
      perHour: 100,
      concurrent: 1,
      key: 'k',
      maxBlockMs: 60_000,
    });
    await limits.take();
    const controller = new AbortController();
    const waiting = limits.take(controller.signal);
    controller.abort();
    expect(await waiting).toMatchObject({ success: false, error: { code: 'ABORTED' } });
  });

  it('answers a failing shared store as a typed failure, not a rejection', async () => {
    const store = {
      take: () => {
        throw new Error('redis down');
      },
      update: () => {},
      peek: () => ({ tokens: 0 }),
    };
    const limits = createQueryLimits({ ...POSTHOG_QUERY_LIMITS, store, key: 'k', maxBlockMs: 60_000 });
    expect(await limits.take()).toMatchObject({ success: false, error: { code: 'OPERATION_FAILED' } });
  });

  it('runs at most `concurrent` queries, the others waiting their turn', async () => {
    const limits = createQueryLimits({ ...POSTHOG_QUERY_LIMITS, key: 'k', maxBlockMs: 60_000 });
    const slots = await Promise.all([limits.slot(), limits.slot(), limits.slot()]);
    const fourth = limits.slot();
    expect(await limits.state()).toMatchObject({ running: 3, queued: 1 });
    const [first] = slots;
    if (first?.success) first.data();
    expect((await fourth).success).toBe(true);
    expect(await limits.state()).toMatchObject({ running: 3, queued: 0 });
  });
});
