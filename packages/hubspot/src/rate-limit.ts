import {
  createMemoryRateLimitStore,
  createRateLimiter,
  parseOptions,
  type RateLimiter,
  type RateLimitStore,
} from '@patchbay/core';
import * as z from 'zod/mini';

const optionsSchema = z.object({
  limit: z.optional(z.int().check(z.minimum(1, 'must be a whole number ≥ 1'), z.maximum(100_000))),
  intervalMs: z.optional(
    z.int().check(z.minimum(1, 'must be a whole number of ms ≥ 1'), z.maximum(86_400_000)),
  ),
  followServerLimit: z.optional(z.boolean()),
  key: z.optional(z.string().check(z.minLength(1))),
});

/** Options of {@link createHubSpotRateLimiter}: the plan's limit, which the server's headers then correct. */
export interface HubSpotRateLimitOptions {
  /** Requests per `intervalMs` of the plan: 100 (Free/Starter private apps) to 250 (with the add-on). Default 100. */
  limit?: number;
  /** The rolling window. Default 10 000 ms. */
  intervalMs?: number;
  /** Follow `X-HubSpot-RateLimit-Max` / `-Interval-Milliseconds` when the server names another limit. Default true. */
  followServerLimit?: boolean;
  /** Share the budget across processes (e.g. a Redis store); default one in memory. */
  store?: RateLimitStore;
  /** The bucket's key in the store. Default `'hubspot'`. */
  key?: string;
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
}

/** HubSpot's default: 100 requests per rolling 10 seconds (private apps on Free and Starter). */
export const HUBSPOT_RATE_LIMIT = { limit: 100, intervalMs: 10_000 } as const;

/** Search's own limit: 5 requests per second per account, apart from the 10-second budget. */
export const HUBSPOT_SEARCH_RATE_LIMIT = { limit: 5, intervalMs: 1_000 } as const;

/**
 * A token bucket that never exceeds HubSpot's *rolling* window: a bucket of capacity B refilling at r per ms
 * lets B + r·W calls into any window W, so the burst is carved out of the limit (B = a tenth of it, refill
 * (limit − B) per window). Exported for the search limiter and tests.
 * @example bucketFor(100, 10_000) // { limit: 90, intervalMs: 10_000, burst: 10 }
 */
export function bucketFor(
  limit: number,
  intervalMs: number,
): { limit: number; intervalMs: number; burst: number } {
  const burst = Math.max(1, Math.floor(limit / 10));
  return { limit: Math.max(1, limit - burst), intervalMs, burst };
}

const HEADER = {
  max: 'x-hubspot-ratelimit-max',
  remaining: 'x-hubspot-ratelimit-remaining',
  interval: 'x-hubspot-ratelimit-interval-milliseconds',
} as const;

// HubSpot's 10-second window names no reset: its remaining count lowers the tokens, and a 429 without
// Retry-After blocks for the window.
const feedbackFor = (intervalMs: number) => ({
  windows: [{ remaining: HEADER.remaining }],
  throttleBlockMs: intervalMs,
});

/**
 * A rate limiter for HubSpot's 10-second budget, on core's limiter told HubSpot's header names (`feedback`):
 * `X-HubSpot-RateLimit-Remaining` lowers the local tokens, a 429 without `Retry-After` blocks for the window.
 * A different `X-HubSpot-RateLimit-Max` (a plan upgrade, an OAuth app's 110) rebuilds the bucket at that limit,
 * here: the rolling window's carve-out ({@link bucketFor}) is HubSpot's reading of the announced limit.
 * @example createHttpClient({ baseUrl, rateLimiter: createHubSpotRateLimiter({ limit: 190 }) })
 * @throws IntegrationError `CONFIG_ERROR` when `limit` or `intervalMs` is not a positive number.
 */
export function createHubSpotRateLimiter(options: HubSpotRateLimitOptions = {}): RateLimiter {
  // Store and clock are checked by core's limiter; the numbers here, before the bucket is derived from them.
  parseOptions(
    optionsSchema,
    {
      limit: options.limit,
      intervalMs: options.intervalMs,
      followServerLimit: options.followServerLimit,
      key: options.key,
    },
    { label: 'HubSpot rate limit options', prefix: 'rateLimit.' },
  );
  let limit = options.limit ?? HUBSPOT_RATE_LIMIT.limit;
  let intervalMs = options.intervalMs ?? HUBSPOT_RATE_LIMIT.intervalMs;
  const store = options.store ?? createMemoryRateLimitStore();
  const key = options.key ?? 'hubspot';
  const follow = options.followServerLimit ?? true;
  const build = () =>
    createRateLimiter({
      ...bucketFor(limit, intervalMs),
      store,
      key,
      feedback: feedbackFor(intervalMs),
      ...(options.now ? { now: options.now } : {}),
    });
  let inner = build();
  return {
    acquire: (signal, acquireOptions) => inner.acquire(signal, acquireOptions),
    state: () => inner.state(),
    observe(response, observeOptions) {
      try {
        const { status, headers } = response;
        if (!(headers instanceof Headers)) return;
        if (follow) {
          const max = positiveInteger(headers.get(HEADER.max));
          const interval = positiveInteger(headers.get(HEADER.interval));
          if ((max !== undefined && max !== limit) || (interval !== undefined && interval !== intervalMs)) {
            limit = max ?? limit;
            intervalMs = interval ?? intervalMs;
            // Waiters already queued on the old bucket are served by it; both take from the same store.
            inner = build();
          }
        }
        inner.observe({ status, headers }, observeOptions);
      } catch {
        // Feedback is a hint: a malformed response must not fail the call being observed.
      }
    },
  };
}

function positiveInteger(value: string | null): number | undefined {
  const trimmed = value?.trim();
  if (!trimmed || !/^\d{1,9}$/.test(trimmed)) return undefined;
  const number = Number(trimmed);
  return number > 0 ? number : undefined;
}
