import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IntegrationError } from '../result/errors.ts';
import { createMemoryRateLimitStore, type RateLimitStore } from './rate-limit-store.ts';
import { createRateLimiter } from './rate-limiter.ts';

const T0 = Date.parse('2025-03-01T12:00:00Z');

// Records when each acquire resolves or rejects, so tests can assert on order and timing.
function track(promise: Promise<void>) {
  const outcome: { settled: boolean; at?: number; error?: unknown } = { settled: false };
  promise.then(
    () => Object.assign(outcome, { settled: true, at: Date.now() }),
    (error: unknown) => Object.assign(outcome, { settled: true, at: Date.now(), error }),
  );
  return outcome;
}

// A token bucket never grants more than burst + rate × span over any span between two grants.
function expectWithinBucket(grants: readonly number[], burst: number, ratePerMs: number) {
  const sorted = [...grants].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i; j < sorted.length; j++) {
      const span = sorted[j]! - sorted[i]!;
      expect(j - i + 1).toBeLessThanOrEqual(burst + span * ratePerMs + 1e-6);
    }
  }
}

const response = (status: number, headers: Record<string, string>) => ({
  status,
  headers: new Headers(headers),
});

describe('createRateLimiter', () => {
  describe('with fake timers', () => {
    beforeEach(() => {
      vi.useFakeTimers();
      vi.setSystemTime(T0);
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it('holds the rate under 40 concurrent callers (10 per 200 ms)', async () => {
      const limiter = createRateLimiter({ limit: 10, intervalMs: 200 });
      const grants: number[] = [];
      const all = Array.from({ length: 40 }, () => limiter.acquire().then(() => grants.push(Date.now())));
      await vi.advanceTimersByTimeAsync(0);
      expect(grants).toHaveLength(10);
      await vi.advanceTimersByTimeAsync(1_000);
      await Promise.all(all);
      expect(grants).toHaveLength(40);
      expectWithinBucket(grants, 10, 10 / 200);
      // 30 tokens beyond the burst at one per 20 ms: the last grant comes at 600 ms, not earlier.
      expect(Math.max(...grants) - T0).toBe(600);
      expect(vi.getTimerCount()).toBe(0);
    });

    it('honours a burst smaller than the limit', async () => {
      const limiter = createRateLimiter({ limit: 10, intervalMs: 1_000, burst: 2 });
      const grants: number[] = [];
      for (let i = 0; i < 6; i++) void limiter.acquire().then(() => grants.push(Date.now() - T0));
      await vi.advanceTimersByTimeAsync(1_000);
      expect(grants).toEqual([0, 0, 100, 200, 300, 400]);
    });

    it('serves callers in FIFO order', async () => {
      const limiter = createRateLimiter({ limit: 1, intervalMs: 50, burst: 1 });
      const order: number[] = [];
      const all = Array.from({ length: 6 }, (_, i) => limiter.acquire().then(() => order.push(i)));
      await vi.advanceTimersByTimeAsync(300);
      await Promise.all(all);
      expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    });

    it('rejects a queued caller with the signal reason when it aborts, and serves the rest', async () => {
      const limiter = createRateLimiter({ limit: 1, intervalMs: 100, burst: 1 });
      const controller = new AbortController();
      const first = track(limiter.acquire());
      const aborted = track(limiter.acquire(controller.signal));
      const third = track(limiter.acquire());
      await vi.advanceTimersByTimeAsync(0);
      expect(first.settled).toBe(true);
      expect((await limiter.state()).queued).toBe(2);

      const reason = new Error('caller gave up');
      controller.abort(reason);
      await vi.advanceTimersByTimeAsync(0);
      expect(aborted.error).toBe(reason);
      expect((await limiter.state()).queued).toBe(1);

      await vi.advanceTimersByTimeAsync(100);
      expect(third).toEqual({ settled: true, at: T0 + 100 });
      expect(vi.getTimerCount()).toBe(0);
    });

    it('leaves no timer running when the last waiter aborts', async () => {
      const limiter = createRateLimiter({ limit: 1, intervalMs: 60_000, burst: 1 });
      await limiter.acquire();
      const controller = new AbortController();
      const waiting = limiter.acquire(controller.signal);
      await vi.advanceTimersByTimeAsync(10);
      expect(vi.getTimerCount()).toBe(1);
      controller.abort();
      await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
      await vi.advanceTimersByTimeAsync(0);
      expect(vi.getTimerCount()).toBe(0);
      expect((await limiter.state()).queued).toBe(0);
    });

    it('rejects at once for a signal already aborted', async () => {
      const limiter = createRateLimiter({ limit: 1, intervalMs: 1_000 });
      const reason = new Error('too late');
      await expect(limiter.acquire(AbortSignal.abort(reason))).rejects.toBe(reason);
      expect(await limiter.state()).toEqual({ tokens: 1, queued: 0 });
    });

    it('blocks until X-RateLimit-Reset when X-RateLimit-Remaining is 0', async () => {
      const limiter = createRateLimiter({ limit: 100, intervalMs: 60_000 });
      limiter.observe(response(200, { 'x-ratelimit-remaining': '0', 'X-RateLimit-Reset': '2' }));
      expect(await limiter.state()).toEqual({ tokens: 0, queued: 0, blockedUntil: T0 + 2_000 });
      const granted = track(limiter.acquire());
      await vi.advanceTimersByTimeAsync(1_999);
      expect(granted.settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(granted).toEqual({ settled: true, at: T0 + 2_000 });
    });

    it('reads an epoch-seconds reset', async () => {
      const limiter = createRateLimiter({ limit: 100, intervalMs: 60_000 });
      limiter.observe(
        response(200, { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(T0 / 1000 + 30) }),
      );
      expect((await limiter.state()).blockedUntil).toBe(T0 + 30_000);
    });

    it('lowers the local tokens to X-RateLimit-Remaining without blocking', async () => {
      const limiter = createRateLimiter({ limit: 100, intervalMs: 60_000 });
      limiter.observe(response(200, { 'X-RateLimit-Remaining': '3', 'X-RateLimit-Reset': '60' }));
      expect(await limiter.state()).toEqual({ tokens: 3, queued: 0 });
      limiter.observe(response(200, { 'X-RateLimit-Remaining': '80' }));
      expect((await limiter.state()).tokens).toBe(3);
    });

    it('blocks for Retry-After seconds on a 429', async () => {
      const limiter = createRateLimiter({ limit: 100, intervalMs: 60_000 });
      limiter.observe(response(429, { 'Retry-After': '5' }));
      expect(await limiter.state()).toEqual({ tokens: 0, queued: 0, blockedUntil: T0 + 5_000 });
      const granted = track(limiter.acquire());
      await vi.advanceTimersByTimeAsync(4_999);
      expect(granted.settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(granted.settled).toBe(true);
    });

    it('blocks until a Retry-After HTTP-date on a 503', async () => {
      const limiter = createRateLimiter({ limit: 100, intervalMs: 60_000 });
      limiter.observe(response(503, { 'retry-after': new Date(T0 + 8_000).toUTCString() }));
      expect((await limiter.state()).blockedUntil).toBe(T0 + 8_000);
      const granted = track(limiter.acquire());
      await vi.advanceTimersByTimeAsync(8_000);
      expect(granted).toEqual({ settled: true, at: T0 + 8_000 });
    });

    it('ignores Retry-After on other statuses and a 503 reset header without Retry-After', async () => {
      const limiter = createRateLimiter({ limit: 100, intervalMs: 60_000 });
      limiter.observe(response(200, { 'Retry-After': '30' }));
      limiter.observe(response(503, { 'X-RateLimit-Reset': '30' }));
      expect(await limiter.state()).toEqual({ tokens: 100, queued: 0 });
    });

    it.each([
      ['Retry-After: 999999 on a 429', 429, { 'Retry-After': '999999' }],
      ['Retry-After in year 9999 on a 503', 503, { 'Retry-After': 'Fri, 31 Dec 9999 23:59:59 GMT' }],
      ['an endless Retry-After', 429, { 'Retry-After': '9'.repeat(400) }],
      [
        'a reset in year 9999 with nothing remaining',
        200,
        { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '253402300799' },
      ],
      [
        'a reset delta of 11 days with nothing remaining',
        200,
        { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '999999' },
      ],
    ])(
      'never blocks for %s longer than maxBlockMs: the hint is not applied',
      async (_label, status, headers) => {
        const limiter = createRateLimiter({ limit: 10, intervalMs: 1_000 });
        limiter.observe(response(status, headers));
        expect((await limiter.state()).blockedUntil).toBeUndefined();
        // A budget it reported spent still counts: the next token comes at the local pace (100 ms at most).
        const granted = track(limiter.acquire());
        await vi.advanceTimersByTimeAsync(100);
        expect(granted.settled).toBe(true);
        expect(granted.at).toBeLessThanOrEqual(T0 + 100);
      },
    );

    it('applies a block up to maxBlockMs (the limiter option, or a shorter one per observe)', async () => {
      const limiter = createRateLimiter({ limit: 10, intervalMs: 1_000, maxBlockMs: 5_000 });
      limiter.observe(response(429, { 'Retry-After': '5' }));
      expect((await limiter.state()).blockedUntil).toBe(T0 + 5_000);
      const other = createRateLimiter({ limit: 10, intervalMs: 1_000 });
      other.observe(response(429, { 'Retry-After': '5' }), { maxBlockMs: 4_000 });
      expect((await other.state()).blockedUntil).toBeUndefined();
      other.observe(response(429, { 'Retry-After': '3' }), { maxBlockMs: 4_000 });
      expect((await other.state()).blockedUntil).toBe(T0 + 3_000);
      // A per-observe bound only narrows: it cannot raise the limiter's own.
      other.observe(response(429, { 'Retry-After': '120' }), { maxBlockMs: 600_000 });
      expect((await other.state()).blockedUntil).toBe(T0 + 3_000);
    });

    it.each([[{ 'Retry-After': '-5' }], [{ 'Retry-After': 'NaN' }], [{ 'Retry-After': 'Infinity' }]])(
      'treats the unreadable %o on a 503 as no block',
      async (headers) => {
        const limiter = createRateLimiter({ limit: 10, intervalMs: 1_000 });
        limiter.observe(response(503, headers));
        expect(await limiter.state()).toEqual({ tokens: 10, queued: 0 });
      },
    );

    it.each([['-1'], ['NaN'], ['0.5'], ['1e3'], ['Infinity'], [''], ['abc']])(
      'ignores an unreadable X-RateLimit-Remaining %j',
      async (value) => {
        const limiter = createRateLimiter({ limit: 10, intervalMs: 1_000 });
        limiter.observe(response(200, { 'X-RateLimit-Remaining': value, 'X-RateLimit-Reset': '30' }));
        expect(await limiter.state()).toEqual({ tokens: 10, queued: 0 });
      },
    );

    it('takes the smallest whole remaining of several policies, skipping the unreadable', async () => {
      const limiter = createRateLimiter({ limit: 10, intervalMs: 1_000 });
      limiter.observe(response(200, { 'X-RateLimit-Remaining': '8, -1, 4, x' }));
      expect((await limiter.state()).tokens).toBe(4);
      limiter.observe(response(200, { 'X-RateLimit-Remaining': '99999999999999999999' }));
      expect((await limiter.state()).tokens).toBe(4);
    });

    it('never throws from observe, whatever it is handed', () => {
      const limiter = createRateLimiter({ limit: 10, intervalMs: 1_000 });
      for (const hostile of [null, undefined, 42, {}, { status: 429 }, { status: 429, headers: {} }]) {
        expect(() => limiter.observe(hostile as never)).not.toThrow();
      }
    });

    it('rejects an acquire at once, with the wait, when it exceeds a per-call maxWaitMs', async () => {
      const limiter = createRateLimiter({ limit: 10, intervalMs: 1_000 });
      limiter.observe(response(429, { 'Retry-After': '30' }));
      const error = await limiter.acquire(undefined, { maxWaitMs: 1_000 }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'RATE_LIMIT', retryable: true, retryAfterMs: 30_000 });
      expect((error as Error).message).toContain('1000 ms');
      const hostileSignal = await limiter.acquire({} as AbortSignal).catch((e: unknown) => e);
      expect(hostileSignal).toMatchObject({ code: 'VALIDATION_ERROR', field: 'signal' });
      expect(vi.getTimerCount()).toBe(0);
    });

    it('treats a 429 without headers as an empty bucket', async () => {
      const limiter = createRateLimiter({ limit: 10, intervalMs: 1_000 });
      limiter.observe(response(429, {}));
      expect(await limiter.state()).toEqual({ tokens: 0, queued: 0 });
      const granted = track(limiter.acquire());
      await vi.advanceTimersByTimeAsync(100);
      expect(granted.settled).toBe(true);
    });

    it('rejects with RATE_LIMIT when the wait would exceed maxWaitMs', async () => {
      const limiter = createRateLimiter({ limit: 1, intervalMs: 1_000, burst: 1, maxWaitMs: 500 });
      await limiter.acquire();
      const error = await limiter.acquire().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IntegrationError);
      expect(error).toMatchObject({ code: 'RATE_LIMIT', retryable: true, retryAfterMs: 1_000 });
      expect(vi.getTimerCount()).toBe(0);
    });

    it('times out a caller queued behind others at maxWaitMs', async () => {
      const limiter = createRateLimiter({ limit: 1, intervalMs: 400, burst: 1, maxWaitMs: 500 });
      await limiter.acquire();
      const second = track(limiter.acquire());
      const third = track(limiter.acquire());
      await vi.advanceTimersByTimeAsync(400);
      expect(second).toEqual({ settled: true, at: T0 + 400 });
      // Now at the head, it would need 400 ms more with only 100 ms of budget left: it fails at once.
      expect(third).toMatchObject({
        settled: true,
        at: T0 + 400,
        error: { code: 'RATE_LIMIT', retryAfterMs: 400 },
      });
      expect(vi.getTimerCount()).toBe(0);
    });

    it('times out callers at maxWaitMs even while the store is slow to answer', async () => {
      const memory = createMemoryRateLimitStore();
      const store: RateLimitStore = {
        ...memory,
        take: (...args) => new Promise((resolve) => setTimeout(() => resolve(memory.take(...args)), 1_000)),
      };
      const limiter = createRateLimiter({ limit: 10, intervalMs: 1_000, store, maxWaitMs: 500 });
      const head = track(limiter.acquire());
      const behind = track(limiter.acquire());
      await vi.advanceTimersByTimeAsync(500);
      expect(head).toMatchObject({ settled: true, at: T0 + 500, error: { code: 'RATE_LIMIT' } });
      expect(behind).toMatchObject({ settled: true, at: T0 + 500, error: { code: 'RATE_LIMIT' } });
      expect((await limiter.state()).queued).toBe(0);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(vi.getTimerCount()).toBe(0);
    });

    it('reports state: tokens, queue length and block', async () => {
      const limiter = createRateLimiter({ limit: 2, intervalMs: 1_000 });
      expect(await limiter.state()).toEqual({ tokens: 2, queued: 0 });
      await limiter.acquire();
      await limiter.acquire();
      const waiting = [limiter.acquire(), limiter.acquire()];
      await vi.advanceTimersByTimeAsync(0);
      expect(await limiter.state()).toEqual({ tokens: 0, queued: 2 });
      await vi.advanceTimersByTimeAsync(1_000);
      await Promise.all(waiting);
      expect(await limiter.state()).toEqual({ tokens: 0, queued: 0 });
      await vi.advanceTimersByTimeAsync(750);
      expect((await limiter.state()).tokens).toBe(1);
    });

    it('shares one budget between limiters on the same store and key', async () => {
      const store = createMemoryRateLimitStore();
      const a = createRateLimiter({ limit: 2, intervalMs: 1_000, store, key: 'acme' });
      const b = createRateLimiter({ limit: 2, intervalMs: 1_000, store, key: 'acme' });
      const other = createRateLimiter({ limit: 2, intervalMs: 1_000, store, key: 'other' });
      await a.acquire();
      await b.acquire();
      expect((await a.state()).tokens).toBe(0);
      expect((await other.state()).tokens).toBe(2);
    });

    it('rejects the head with a store error and keeps serving the queue', async () => {
      const memory = createMemoryRateLimitStore();
      let failNext = true;
      const store: RateLimitStore = {
        ...memory,
        take: async (...args) => {
          if (failNext) {
            failNext = false;
            throw new Error('store down');
          }
          return memory.take(...args);
        },
      };
      const limiter = createRateLimiter({ limit: 5, intervalMs: 1_000, store });
      const first = limiter.acquire();
      const second = limiter.acquire();
      await expect(first).rejects.toThrow('store down');
      await expect(second).resolves.toBeUndefined();
    });

    it('ignores a store that fails to record feedback', () => {
      const store: RateLimitStore = {
        ...createMemoryRateLimitStore(),
        update: () => Promise.reject(new Error('store down')),
      };
      const limiter = createRateLimiter({ limit: 5, intervalMs: 1_000, store });
      expect(() => limiter.observe(response(429, { 'Retry-After': '1' }))).not.toThrow();
    });

    it('rejects invalid options', () => {
      expect(() => createRateLimiter({ limit: 0, intervalMs: 1_000 })).toThrow(IntegrationError);
      expect(() => createRateLimiter({ limit: 1, intervalMs: Number.NaN })).toThrow(/intervalMs/);
      expect(() => createRateLimiter({ limit: 1, intervalMs: 1_000, burst: 0.5 })).toThrow(/burst/);
      expect(() => createRateLimiter({ limit: 1, intervalMs: 1_000, maxWaitMs: -1 })).toThrow(/maxWaitMs/);
      expect(() => createRateLimiter({ limit: 1, intervalMs: 1_000, maxBlockMs: -1 })).toThrow(/maxBlockMs/);
      expect(() =>
        createRateLimiter({ limit: 1, intervalMs: 1_000, maxBlockMs: Number.POSITIVE_INFINITY }),
      ).toThrow(/maxBlockMs/);
    });
  });

  it('holds the rate with real timers (10 per 200 ms, 40 concurrent callers)', async () => {
    const memory = createMemoryRateLimitStore();
    const grants: number[] = [];
    // The store's clock at each grant is the bucket's own view, free of event-loop jitter.
    const store: RateLimitStore = {
      ...memory,
      take: (key, bucket, now, cost) => {
        const wait = memory.take(key, bucket, now, cost);
        if (wait === 0) grants.push(now);
        return wait;
      },
    };
    const limiter = createRateLimiter({ limit: 10, intervalMs: 200, store });
    const started = Date.now();
    await Promise.all(Array.from({ length: 40 }, () => limiter.acquire()));
    expect(grants).toHaveLength(40);
    expectWithinBucket(grants, 10, 10 / 200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(590);
  });
});
