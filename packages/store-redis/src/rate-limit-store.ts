import { parseOptions, type RateLimitStore } from '@patchbay/core';
import { validateRateLimitPeek, validateRateLimitTake, validateRateLimitUpdate } from '@patchbay/core/store';
import * as z from 'zod/mini';
import { openConnection } from './connection.ts';
import { type RedisStoreOptions, resolveRedisStoreOptions } from './options.ts';
import { fromLuaNumber, RATE_LIMIT_SCRIPT, toLuaNumber } from './rate-limit-script.ts';

/** Options of {@link createRedisRateLimitStore}. */
export interface RedisRateLimitStoreOptions extends RedisStoreOptions {
  /**
   * Whose clock refills the buckets. `'redis'` (default): Redis's own `TIME`, one clock for every process, so a
   * process whose clock runs ahead cannot take the tokens a process behind it is waiting for; the `now` the
   * limiter passes only anchors its feedback (`blockedUntil` is read as a duration from it). `'caller'`: the `now`
   * passed, as the memory store does, for tests and simulations on a manual clock (every process must share
   * one clock, advancing in real milliseconds, since keys expire in Redis's real time).
   */
  clock?: 'redis' | 'caller';
}

/** A RateLimitStore in Redis, and the way to close the connection it opened. */
export interface RedisRateLimitStore extends RateLimitStore {
  /** Closes the connection the store opened from `url` (a `client` you passed stays open); later calls reject. */
  close(): Promise<void>;
}

const clockSchema = z.object({
  clock: z.optional(z.enum(['redis', 'caller'], { error: "must be 'redis' or 'caller'" })),
});

/**
 * Core's `RateLimitStore` in Redis: every process using the same Redis, prefix and limiter `key` shares one token
 * bucket (one budget per API key), server feedback (`Retry-After`, remaining) included. Each call is one Lua
 * script, atomic, with the memory store's arithmetic; keys (`<prefix>ratelimit:<key>`) expire once their bucket
 * is full again. Methods never throw: bad arguments reject with the memory store's IntegrationErrors, and a Redis
 * failure rejects with a typed one (`NETWORK_ERROR`, `TIMEOUT`, `AUTH_ERROR`, `SERVER_ERROR`, `OPERATION_FAILED`),
 * which the rate limiter hands to the waiting call: a call is never sent unlimited because Redis is down.
 * @example
 * const store = createRedisRateLimitStore({ url: process.env.REDIS_URL! });
 * const twenty = createTwentyClient({ baseUrl, apiKey, rateLimit: { ...TWENTY_RATE_LIMIT, store, key: 'twenty:acme' } });
 * @throws IntegrationError `CONFIG_ERROR` for invalid options (the URL's value never echoed).
 */
export function createRedisRateLimitStore(options: RedisRateLimitStoreOptions): RedisRateLimitStore {
  const label = 'Redis rate-limit store options';
  const resolved = resolveRedisStoreOptions(options, label);
  const clock = parseOptions(clockSchema, { clock: resolved.read.clock }, { label }).clock ?? 'redis';
  const connection = openConnection(resolved);

  const run = async (operation: string, key: string, now: number, args: readonly string[]) => {
    const result = await connection.run(`rateLimit.${operation}`, (client) =>
      connection.script(client, RATE_LIMIT_SCRIPT, connection.key('ratelimit', key), [
        operation,
        clock,
        toLuaNumber(now),
        ...args,
      ]),
    );
    if (!result.success) throw result.error;
    return result.data;
  };

  return {
    async take(key, bucket, now, cost = 1) {
      const checked = validateRateLimitTake(key, bucket, now, cost);
      if (!checked.success) throw checked.error;
      const { capacity, refillPerMs } = checked.data.bucket;
      const wait = await run('take', checked.data.key, checked.data.now, [
        toLuaNumber(capacity),
        toLuaNumber(refillPerMs),
        toLuaNumber(checked.data.cost),
      ]);
      return fromLuaNumber(wait);
    },
    async update(key, feedback, now) {
      const checked = validateRateLimitUpdate(key, feedback, now);
      if (!checked.success) throw checked.error;
      const { remaining, blockedUntil } = checked.data.feedback;
      await run('update', checked.data.key, checked.data.now, [
        remaining === undefined ? '' : toLuaNumber(remaining),
        blockedUntil === undefined ? '' : toLuaNumber(blockedUntil),
      ]);
    },
    async peek(key, bucket, now) {
      const checked = validateRateLimitPeek(key, bucket, now);
      if (!checked.success) throw checked.error;
      const { capacity, refillPerMs } = checked.data.bucket;
      const reply = (await run('peek', checked.data.key, checked.data.now, [
        toLuaNumber(capacity),
        toLuaNumber(refillPerMs),
      ])) as unknown[];
      const tokens = fromLuaNumber(reply[0]);
      return reply.length > 1 ? { tokens, blockedUntil: fromLuaNumber(reply[1]) } : { tokens };
    },
    close: () => connection.close(),
  };
}
