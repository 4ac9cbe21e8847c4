// The Redis the tests use, and a fresh key prefix per test, removed afterwards.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { deleteKeysUnder, probeRedis, TEST_REDIS_URL } from '../../../test-support/redis.mjs';

export { TEST_REDIS_URL };

/** A prefix no other test uses. */
export const testPrefix = (label: string): string => `pbtest-${label}-${randomUUID().slice(0, 8)}`;

/** Fails with a clear message when no Redis answers (CI starts one; see .ci/services). */
export async function requireRedis(): Promise<void> {
  const client = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  const unavailable = await probeRedis(client);
  if (unavailable !== undefined) {
    const where = TEST_REDIS_URL.replace(/:[^/@:]*@/, ':***@');
    throw new Error(`No Redis at ${where}: ${unavailable}. Set PATCHBAY_TEST_REDIS_URL.`);
  }
}

/** Deletes every key under `prefix`. */
export async function removePrefix(prefix: string): Promise<void> {
  const client = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  try {
    await deleteKeysUnder(client, `${prefix}:`);
  } finally {
    client.disconnect();
  }
}
