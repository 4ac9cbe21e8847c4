// Where the tests' Redis comes from, and per-test key prefixes on it, deleted afterwards.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, it } from 'vitest';
import { deleteKeysUnder, keysUnder, probeRedis, TEST_REDIS_URL } from '../../../test-support/redis.mjs';

export { keysUnder };

/** The server the tests use: `PATCHBAY_TEST_REDIS_URL` (set by .ci/services), else the local default. */
export const TEST_URL = TEST_REDIS_URL;

/** Why no server answered, or undefined when one did. Probed once per test file. */
export const unavailable = await probeRedis(
  new Redis(TEST_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2_000 }),
);

/**
 * `describe` for tests that need the server. Without one: skipped locally (saying so), but FAILED in CI, where a
 * missing server is a broken setup, not a reason to pass.
 */
export function describeRedis(name: string, body: () => void): void {
  if (!unavailable) {
    describe(name, body);
    return;
  }
  const where = TEST_URL.replace(/:[^/@:]*@/, ':***@');
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('has a Redis server to test against', () => {
        throw new Error(`No Redis at ${where}: ${unavailable}. Set PATCHBAY_TEST_REDIS_URL.`);
      });
    });
    return;
  }
  process.stderr.write(`[store-redis] skipping "${name}": no Redis at ${where} (${unavailable})\n`);
  describe.skip(name, body);
}

/** A fresh, unused key prefix. */
export const randomPrefix = (): string => `pb-test:${randomBytes(6).toString('hex')}:`;

/** A client of the tests' own, for inspecting and interfering with what a store wrote. */
export function adminClient(): Redis {
  const client = new Redis(TEST_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  return client;
}

/**
 * Registers a hook deleting every key under the prefixes handed out; returns `prefix`, which hands out a fresh
 * one, and `admin`, the tests' own client.
 */
export function usePrefixes(): { prefix: () => string; admin: () => Redis } {
  const prefixes: string[] = [];
  let admin: Redis | undefined;
  afterAll(async () => {
    if (unavailable) return;
    admin ??= adminClient();
    for (const prefix of prefixes.splice(0)) await deleteKeysUnder(admin, prefix);
    await admin.quit();
  });
  return {
    prefix() {
      const prefix = randomPrefix();
      prefixes.push(prefix);
      return prefix;
    },
    admin: () => {
      admin ??= adminClient();
      return admin;
    },
  };
}
