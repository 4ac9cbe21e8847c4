// The Redis the tests use, and a fresh key prefix per test, removed afterwards.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/** `PATCHBAY_TEST_REDIS_URL` (exported by .ci/services), else the local default. */
export const TEST_REDIS_URL = process.env.PATCHBAY_TEST_REDIS_URL || 'redis://127.0.0.1:6379';

/** A prefix no other test uses. */
export const testPrefix = (label: string): string => `pbtest-${label}-${randomUUID().slice(0, 8)}`;

/** Fails with a clear message when no Redis answers (CI starts one; see .ci/services). */
export async function requireRedis(): Promise<void> {
  const client = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new Error(`No Redis at ${TEST_REDIS_URL}: ${String(error)}. Set PATCHBAY_TEST_REDIS_URL.`);
  } finally {
    client.disconnect();
  }
}

/** Deletes every key under `prefix`. */
export async function removePrefix(prefix: string): Promise<void> {
  const client = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1_000);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}
