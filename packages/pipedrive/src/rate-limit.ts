import {
  createMemoryRateLimitStore,
  createRateLimiter,
  parseOptions,
  type RateLimiter,
  type RateLimitStore,
} from '@patchbay/core';
import * as z from 'zod/mini';

/** Requests per rolling 2 seconds per token, by plan (OAuth apps get 4 times as many). */
export const PIPEDRIVE_BURST_LIMITS = { lite: 20, growth: 40, premium: 100, ultimate: 120 } as const;

/** A Pipedrive plan. */
export type PipedrivePlan = keyof typeof PIPEDRIVE_BURST_LIMITS;

/** Search's own burst limit on every plan: 10 per 2 seconds. */
export const PIPEDRIVE_SEARCH_RATE_LIMIT = { limit: 10, intervalMs: 2_000 } as const;

const WINDOW_MS = 2_000;

/** Options of {@link createPipedriveRateLimiter}. */
export interface PipedriveRateLimitOptions {
  /** The company's plan. Default `lite` (the lowest limit, safe everywhere). */
  plan?: PipedrivePlan;
  /** Requests per 2 s, instead of the plan's. */
  limit?: number;
  /** The token is an OAuth app's: 4 times the plan's limit. Default false. */
  oauth?: boolean;
  /** Share the budget across processes (e.g. a Redis store); default one in memory. */
  store?: RateLimitStore;
  /** The bucket's key in the store. Default `'pipedrive'`. */
  key?: string;
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
}

const optionsSchema = z.object({
  plan: z.optional(
    z.enum(['lite', 'growth', 'premium', 'ultimate'], { error: 'must be lite, growth, premium or ultimate' }),
  ),
  limit: z.optional(z.int().check(z.minimum(1, 'must be a whole number ≥ 1'), z.maximum(10_000))),
  oauth: z.optional(z.boolean()),
  key: z.optional(z.string().check(z.minLength(1))),
});

/**
 * A bucket that never exceeds a *rolling* window: capacity B and refill (limit − B) per window let at most
 * `limit` calls into any window (B is a tenth of the limit).
 * @example bucketFor(20, 2_000) // { limit: 18, intervalMs: 2_000, burst: 2 }
 */
export function bucketFor(
  limit: number,
  intervalMs: number,
): { limit: number; intervalMs: number; burst: number } {
  const burst = Math.max(1, Math.floor(limit / 10));
  return { limit: Math.max(1, limit - burst), intervalMs, burst };
}

/**
 * Pipedrive's burst window on core's limiter, told Pipedrive's headers: `x-ratelimit-remaining` lowers the local
 * tokens and, at 0, `x-ratelimit-reset` (seconds from now) blocks until the window turns; a 429 naming no wait
 * blocks for the 2-second window.
 * @example createPipedriveRateLimiter({ plan: 'growth' })
 * @throws IntegrationError `CONFIG_ERROR` naming `rateLimit.plan` or `rateLimit.limit`.
 */
export function createPipedriveRateLimiter(options: PipedriveRateLimitOptions = {}): RateLimiter {
  parseOptions(
    optionsSchema,
    { plan: options.plan, limit: options.limit, oauth: options.oauth, key: options.key },
    { label: 'Pipedrive rate limit options', prefix: 'rateLimit.' },
  );
  const planLimit = PIPEDRIVE_BURST_LIMITS[options.plan ?? 'lite'] * (options.oauth ? 4 : 1);
  return createRateLimiter({
    ...bucketFor(options.limit ?? planLimit, WINDOW_MS),
    store: options.store ?? createMemoryRateLimitStore(),
    key: options.key ?? 'pipedrive',
    feedback: {
      windows: [{ remaining: 'x-ratelimit-remaining', reset: 'x-ratelimit-reset', resetUnit: 'delta-s' }],
      throttleBlockMs: WINDOW_MS,
    },
    ...(options.now ? { now: options.now } : {}),
  });
}

/** The search limiter: 10 per 2 s on every plan, fed by the same headers. */
export function createPipedriveSearchRateLimiter(
  options: Pick<PipedriveRateLimitOptions, 'store' | 'now'> = {},
): RateLimiter {
  return createRateLimiter({
    ...bucketFor(PIPEDRIVE_SEARCH_RATE_LIMIT.limit, PIPEDRIVE_SEARCH_RATE_LIMIT.intervalMs),
    store: options.store ?? createMemoryRateLimitStore(),
    key: 'pipedrive-search',
    // Search reports no window of its own: the shared x-ratelimit headers (core's default reading) and a 429's block.
    feedback: { throttleBlockMs: WINDOW_MS },
    ...(options.now ? { now: options.now } : {}),
  });
}
