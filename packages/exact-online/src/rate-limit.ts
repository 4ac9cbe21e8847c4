// Exact Online counts 60 calls a minute and 5 000 a day per division (per app), and says how many are left in
// `X-RateLimit-Minutely-Remaining`/`-Reset` and `X-RateLimit-Remaining`/`-Reset` (resets in epoch ms). Core's
// limiter is told those names: the lowest remaining binds and an exhausted window blocks until its own reset.
import {
  createMemoryRateLimitStore,
  createRateLimiter,
  parseOptions,
  type RateLimiter,
  type RateLimitStore,
} from '@patchbay/core';
import * as z from 'zod/mini';

/** Exact Online's limits per division and app: 60 calls a minute, 5 000 a day. */
export const EXACT_RATE_LIMITS = { perMinute: 60, perDay: 5_000 } as const;

/** Options of {@link createExactRateLimiter}. */
export interface ExactRateLimitOptions {
  /** Calls per minute. Default 60 (Exact's). */
  perMinute?: number;
  /** Share the budget across processes (e.g. a Redis store); default one in memory. */
  store?: RateLimitStore;
  /** The bucket's key in the store; the client uses `exact-online:<division>`. */
  key?: string;
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
}

const optionsSchema = z.object({
  perMinute: z.optional(z.int().check(z.minimum(1, 'must be a whole number ≥ 1'), z.maximum(10_000))),
  key: z.optional(z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(200))),
});

const MINUTE_MS = 60_000;

/**
 * The limiter of one division: a bucket that never exceeds the rolling minute (capacity a tenth of the limit,
 * the rest refilled over the minute), corrected by Exact's minutely and daily headers; a 429 that names no reset
 * blocks for a minute.
 * @example createExactRateLimiter({ key: 'exact-online:123456' })
 * @throws IntegrationError `CONFIG_ERROR` naming `rateLimit.perMinute` or `rateLimit.key`.
 */
export function createExactRateLimiter(options: ExactRateLimitOptions = {}): RateLimiter {
  parseOptions(
    optionsSchema,
    { perMinute: options.perMinute, key: options.key },
    { label: 'Exact Online rate limit options', prefix: 'rateLimit.' },
  );
  const limit = options.perMinute ?? EXACT_RATE_LIMITS.perMinute;
  const burst = Math.max(1, Math.floor(limit / 10));
  return createRateLimiter({
    limit: Math.max(1, limit - burst),
    intervalMs: MINUTE_MS,
    burst,
    store: options.store ?? createMemoryRateLimitStore(),
    key: options.key ?? 'exact-online',
    feedback: {
      windows: [
        {
          remaining: 'x-ratelimit-minutely-remaining',
          reset: 'x-ratelimit-minutely-reset',
          resetUnit: 'epoch-ms',
        },
        { remaining: 'x-ratelimit-remaining', reset: 'x-ratelimit-reset', resetUnit: 'epoch-ms' },
      ],
      throttleBlockMs: MINUTE_MS,
    },
    ...(options.now ? { now: options.now } : {}),
  });
}
