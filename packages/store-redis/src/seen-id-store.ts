import type { SeenIdStore } from '@patchbay/core';
import { validateSeenIdRequest } from '@patchbay/core/store';
import { openConnection } from './connection.ts';
import { type RedisStoreOptions, resolveRedisStoreOptions } from './options.ts';

const MAX_TTL_MS = 1e15;

/** A SeenIdStore in Redis, and the way to close the connection it opened. */
export interface RedisSeenIdStore extends SeenIdStore {
  /** Closes the connection the store opened from `url` (a `client` you passed stays open); later calls fail. */
  close(): Promise<void>;
}

/**
 * Core's `SeenIdStore` (webhook replay protection) in Redis: `markSeen` is one `SET <prefix>seen:<key> 1 NX PX
 * <ttlMs>`, atomic across every process, expiring on Redis's clock. Never throws or rejects: bad arguments are a
 * `VALIDATION_ERROR`, a Redis failure a typed error (`NETWORK_ERROR`, `TIMEOUT`, …).
 * @example
 * const seen = createRedisSeenIdStore({ url: process.env.REDIS_URL! });
 * const verified = await verifyStandardWebhook({ secret, headers, body, replay: { store: seen } });
 * @throws IntegrationError `CONFIG_ERROR` for invalid options (the URL's value never echoed).
 */
export function createRedisSeenIdStore(options: RedisStoreOptions): RedisSeenIdStore {
  const connection = openConnection(resolveRedisStoreOptions(options, 'Redis seen-id store options'));
  return {
    async markSeen(key, markOptions) {
      const checked = validateSeenIdRequest(key, markOptions);
      if (!checked.success) return checked;
      const { key: id } = checked.data;
      // Redis refuses an expiry past the year 292 million; 31 000 years is "for good" all the same.
      const ttlMs = Math.min(checked.data.ttlMs, MAX_TTL_MS);
      return connection.run('seenIds.markSeen', async (client) => {
        const reply = await client.set(connection.key('seen', id), '1', 'PX', ttlMs, 'NX');
        return reply === 'OK';
      });
    },
    close: () => connection.close(),
  };
}
