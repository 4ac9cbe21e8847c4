// What the contract does not cover: Redis's own clock (the default), expiry of idle buckets, key layout, typed
// errors for a Redis that is down, refuses the password or was closed, and the store under the core limiter.
import { createRateLimiter, IntegrationError, type RateLimitBucket } from '@patchbay/core';
import { outcome } from '@patchbay/core/testing';
import { Redis } from 'ioredis';
import { afterEach, expect, it } from 'vitest';
import { describeRedis, TEST_URL, usePrefixes } from '../test-support/redis.ts';
import { createRedisRateLimitStore, type RedisRateLimitStore } from './rate-limit-store.ts';

const bucket: RateLimitBucket = { capacity: 10, refillPerMs: 10 / 1_000 };
const HOUR = 3_600_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeRedis('createRedisRateLimitStore', () => {
  const { prefix, admin } = usePrefixes();
  const opened: RedisRateLimitStore[] = [];
  const open = (options: Partial<Parameters<typeof createRedisRateLimitStore>[0]> = {}) => {
    const store = createRedisRateLimitStore({ url: TEST_URL, prefix: prefix(), ...options });
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it("shares one bucket on Redis's clock, whatever the callers' clocks say", async () => {
    const shared = prefix();
    const ahead = open({ prefix: shared });
    const behind = open({ prefix: shared });
    const waits = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        i % 2 === 0
          ? ahead.take('k', bucket, Date.now() + HOUR)
          : behind.take('k', bucket, Date.now() - HOUR),
      ),
    );
    expect(waits.filter((wait) => wait === 0)).toHaveLength(10);
    // A caller an hour ahead gains nothing: the bucket refills on Redis's time only.
    const wait = await ahead.take('k', bucket, Date.now() + HOUR);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(100);
  });

  it('refills in real time', async () => {
    const store = open();
    for (let i = 0; i < 10; i++) await store.take('k', bucket, 0);
    await sleep(250);
    const { tokens } = await store.peek('k', bucket, 0);
    expect(tokens).toBeGreaterThan(2.4);
    expect(tokens).toBeLessThan(4);
  });

  it("reads feedback's blockedUntil as a duration from the caller's now, and answers in the caller's clock", async () => {
    const store = open();
    const callerNow = Date.now() + HOUR;
    await store.update('k', { blockedUntil: callerNow + 1_000 }, callerNow);
    const wait = await store.take('k', bucket, 0);
    expect(wait).toBeGreaterThan(900);
    expect(wait).toBeLessThanOrEqual(1_000);
    const { blockedUntil } = await store.peek('k', bucket, callerNow);
    expect(blockedUntil).toBeGreaterThan(callerNow + 900);
    expect(blockedUntil).toBeLessThanOrEqual(callerNow + 1_000);
  });

  it('keeps each bucket under <prefix>ratelimit:<key>, expiring once it is full again', async () => {
    const own = prefix();
    const store = open({ prefix: own });
    await store.take('twenty:acme', bucket, 0);
    const ttl = await admin().pttl(`${own}ratelimit:twenty:acme`);
    // One token short: full again in 100 ms, plus the margin of a second.
    expect(ttl).toBeGreaterThan(1_000);
    expect(ttl).toBeLessThanOrEqual(1_100);
    for (let i = 0; i < 9; i++) await store.take('twenty:acme', bucket, 0);
    expect(await admin().pttl(`${own}ratelimit:twenty:acme`)).toBeGreaterThan(1_900);
    await store.update('blocked', { blockedUntil: Date.now() + 5_000 }, Date.now());
    expect(await admin().pttl(`${own}ratelimit:blocked`)).toBeGreaterThan(5_500);
    // Feedback before any take: the capacity is unknown, so the bucket lives a day.
    await store.update('unsized', { remaining: 1 }, Date.now());
    expect(await admin().pttl(`${own}ratelimit:unsized`)).toBeGreaterThan(86_000_000);
    // A block without end keeps its bucket for good, as the memory store does.
    await store.update('forever', { blockedUntil: Number.POSITIVE_INFINITY }, Date.now());
    expect(await admin().pttl(`${own}ratelimit:forever`)).toBe(-1);
    expect(await store.take('forever', bucket, Date.now())).toBe(Number.POSITIVE_INFINITY);
  });

  it('forgets a bucket once it has expired: a new one starts full', async () => {
    const fast: RateLimitBucket = { capacity: 2, refillPerMs: 2 / 100 };
    const own = prefix();
    const store = open({ prefix: own, clock: 'caller' });
    await store.take('k', fast, 0);
    await store.take('k', fast, 0);
    await admin().pexpire(`${own}ratelimit:k`, 1);
    await sleep(20);
    expect(await store.take('k', fast, 0)).toBe(0);
    expect(await store.take('k', fast, 0)).toBe(0);
    expect(await store.take('k', fast, 0)).toBe(50);
  });

  it('keeps keys that are not well-formed text apart', async () => {
    const store = open({ clock: 'caller' });
    for (let i = 0; i < 10; i++) await store.take('\ud800', bucket, 0);
    expect(await store.take('\ud800', bucket, 0)).toBe(100);
    expect(await store.take('\ud801', bucket, 0)).toBe(0);
    expect(await store.take('\ufffd', bucket, 0)).toBe(0);
  });

  it('loads its script again when Redis has lost it', async () => {
    const store = open();
    expect(await store.take('k', bucket, 0)).toBe(0);
    await admin().script('FLUSH');
    expect(await store.take('k', bucket, 0)).toBe(0);
  });

  it('shares one budget between limiters in one process, on the limiter’s real timers', async () => {
    const shared = prefix();
    const limiters = [open({ prefix: shared }), open({ prefix: shared })].map((store) =>
      createRateLimiter({ limit: 20, intervalMs: 1_000, burst: 5, store, key: 'api' }),
    );
    const started = Date.now();
    let granted = 0;
    await Promise.all(
      limiters.flatMap((limiter) =>
        Array.from({ length: 4 }, async () => {
          while (Date.now() - started < 500) {
            await limiter.acquire(undefined, { maxWaitMs: 1_000 }).catch(() => {});
            if (Date.now() - started <= 500) granted += 1;
          }
        }),
      ),
    );
    // 5 at once, then 20 a second for half a second: 15, give or take the last one in flight.
    expect(granted).toBeGreaterThanOrEqual(12);
    expect(granted).toBeLessThanOrEqual(16);
  });

  it('rejects with NETWORK_ERROR when Redis is unreachable, and the limiter hands it to the waiting call', async () => {
    const store = createRedisRateLimitStore({ url: 'redis://:pw-s3cret-1@127.0.0.1:1' });
    const started = Date.now();
    const taken = await outcome(() => store.take('k', bucket, Date.now()));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(taken.resolved).toBe(false);
    if (!taken.resolved) {
      expect(taken.reason).toBeInstanceOf(IntegrationError);
      expect(taken.reason).toMatchObject({ code: 'NETWORK_ERROR', retryable: true });
      expect(JSON.stringify((taken.reason as IntegrationError).toJSON())).not.toContain('pw-s3cret-1');
    }
    const limiter = createRateLimiter({ limit: 10, intervalMs: 1_000, store });
    await expect(limiter.acquire()).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    // Feedback a store cannot record is dropped, as the limiter promises.
    limiter.observe({ status: 429, headers: new Headers({ 'retry-after': '1' }) });
    await store.close();
  });

  it('rejects with AUTH_ERROR for a password Redis refuses, without echoing it', async () => {
    const store = createRedisRateLimitStore({
      url: `${TEST_URL.replace('redis://', 'redis://nobody:pw-s3cret-2@')}`,
    });
    const taken = await outcome(() => store.take('k', bucket, Date.now()));
    expect(taken.resolved).toBe(false);
    if (!taken.resolved) {
      expect(taken.reason).toMatchObject({ code: 'AUTH_ERROR', retryable: false });
      expect(JSON.stringify((taken.reason as IntegrationError).toJSON())).not.toContain('pw-s3cret-2');
    }
    await store.close();
  });

  it('rejects with OPERATION_FAILED once closed, and leaves a client it was given open', async () => {
    const client = new Redis(TEST_URL);
    try {
      const store = createRedisRateLimitStore({ client, prefix: prefix() });
      expect(await store.take('k', bucket, 0)).toBe(0);
      await store.close();
      await expect(store.take('k', bucket, 0)).rejects.toMatchObject({ code: 'OPERATION_FAILED' });
      expect(await client.ping()).toBe('PONG');
    } finally {
      await client.quit();
    }
  });

  it.each([
    ['neither url nor client', {}, 'url'],
    ['both url and client', { url: TEST_URL, client: new Redis({ lazyConnect: true }) }, 'client'],
    ['a URL of another scheme', { url: 'http://pw-s3cret-3@127.0.0.1' }, 'url'],
    ['a client that is not ioredis', { client: { get: () => 1 } }, 'client'],
    ['a prefix that is not a string', { url: TEST_URL, prefix: 42 }, 'prefix'],
    ['a prefix with NUL', { url: TEST_URL, prefix: 'a\u0000' }, 'prefix'],
    ['an unknown clock', { url: TEST_URL, clock: 'local' }, 'clock'],
    ['options that are not an object', null, ''],
  ])('refuses %s with CONFIG_ERROR, never echoing the URL', (_, options, field) => {
    let thrown: unknown;
    try {
      createRedisRateLimitStore(options as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(IntegrationError);
    expect(thrown).toMatchObject({ code: 'CONFIG_ERROR' });
    if (field) expect(JSON.stringify((thrown as IntegrationError).toJSON())).toContain(field);
    expect(JSON.stringify((thrown as IntegrationError).toJSON())).not.toContain('pw-s3cret-3');
  });
});
