// What the contract does not cover: the key layout and its expiry, a lost script, and typed errors for a Redis
// that is down or was closed.
import type { IntegrationError } from '@patchbay/core';
import { outcome } from '@patchbay/core/testing';
import { Redis } from 'ioredis';
import { afterEach, expect, it } from 'vitest';
import { describeRedis, TEST_URL, usePrefixes } from '../test-support/redis.ts';
import { createRedisFailureWindowStore, type RedisFailureWindowStore } from './failure-window-store.ts';

const policy = { threshold: 2, windowMs: 60_000 };

describeRedis('createRedisFailureWindowStore', () => {
  const { prefix, admin } = usePrefixes();
  const opened: RedisFailureWindowStore[] = [];
  const open = (own = prefix()) => {
    const store = createRedisFailureWindowStore({ url: TEST_URL, prefix: own });
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it('keeps a window under <prefix>failures:<key>: the failures and the latch, expiring a window after the last record', async () => {
    const own = prefix();
    const store = open(own);
    const now = Date.now();
    await store.record('twenty:acme', policy, now);
    await store.record('twenty:acme', policy, now);
    const key = `${own}failures:twenty:acme`;
    const members = await admin().zrange(key, 0, -1, 'WITHSCORES');
    // Two failures (random members, scored by the caller's clock), then the latch at +inf.
    expect(members).toHaveLength(6);
    expect([members[1], members[3], members[4], members[5]]).toEqual([String(now), String(now), '!', 'inf']);
    const ttl = await admin().pttl(key);
    expect(ttl).toBeGreaterThan(59_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await store.reset('twenty:acme')).toEqual({ success: true, data: { failures: 0 } });
    expect(await admin().exists(key)).toBe(0);
  });

  it('keeps a window of any length, expiring it at the latest in 31 000 years', async () => {
    const own = prefix();
    const store = open(own);
    const forever = { threshold: 1, windowMs: 1e300 };
    expect(await store.record('k', forever, 0)).toEqual({
      success: true,
      data: { failures: 1, crossed: true },
    });
    expect(await store.record('k', forever, 1e20)).toEqual({
      success: true,
      data: { failures: 2, crossed: false },
    });
    expect(await admin().pttl(`${own}failures:k`)).toBeGreaterThan(1e14);
    await store.record('hour', { threshold: 1, windowMs: 3_599_999.5 }, 0);
    expect(await admin().pttl(`${own}failures:hour`)).toBeGreaterThan(3_599_000);
  });

  it('starts afresh once Redis has expired an idle window', async () => {
    const own = prefix();
    const store = open(own);
    const now = Date.now();
    for (let i = 0; i < 2; i++) await store.record('k', policy, now);
    await admin().del(`${own}failures:k`);
    expect(await store.record('k', policy, now)).toEqual({
      success: true,
      data: { failures: 1, crossed: false },
    });
    expect(await store.record('k', policy, now)).toEqual({
      success: true,
      data: { failures: 2, crossed: true },
    });
  });

  it('loads its script again when Redis has lost it', async () => {
    const store = open();
    expect((await store.record('k', policy, 0)).success).toBe(true);
    await admin().script('FLUSH');
    expect(await store.record('k', policy, 1)).toEqual({
      success: true,
      data: { failures: 2, crossed: true },
    });
  });

  it('answers NETWORK_ERROR when Redis is unreachable, without echoing the password', async () => {
    const store = createRedisFailureWindowStore({ url: 'redis://:pw-s3cret-1@127.0.0.1:1' });
    try {
      const settled = await outcome(() => store.record('k', policy, Date.now()));
      expect(settled.resolved).toBe(true);
      if (settled.resolved) {
        expect(settled.value).toMatchObject({ success: false, error: { code: 'NETWORK_ERROR' } });
        const error = (settled.value as { error: IntegrationError }).error;
        expect(JSON.stringify(error.toJSON())).not.toContain('pw-s3cret-1');
      }
    } finally {
      await store.close();
    }
  });

  it('answers OPERATION_FAILED once closed, and leaves a client it was given open', async () => {
    const client = new Redis(TEST_URL);
    try {
      const store = createRedisFailureWindowStore({ client, prefix: prefix() });
      expect((await store.read('k', policy, 0)).success).toBe(true);
      await store.close();
      expect(await store.record('k', policy, 0)).toMatchObject({
        success: false,
        error: { code: 'OPERATION_FAILED' },
      });
      expect(await client.ping()).toBe('PONG');
    } finally {
      await client.quit();
    }
  });

  it('refuses invalid options with CONFIG_ERROR naming the field', () => {
    expect(() => createRedisFailureWindowStore({})).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', field: 'url' }),
    );
  });
});
