// Twenty's server-side API rate limit is a token bucket per workspace and API key: `limit` tokens, refilled
// continuously at `limit` per window (twenty-server `core-modules/throttler/throttler.service.ts`
// `tokenBucketThrottleOrThrow`, and its successor `usage-limit/services/usage-limit-speed.service.ts`). A burst of
// `limit` passes at once; after that, one request per `windowMs / limit`.

import {
  clockReading,
  type RateLimitDecision,
  readLimiterOptions,
  type WindowRateLimiter,
} from '../kit/rate-limiter.ts';

/** Options of {@link createTokenBucketLimiter}. */
export interface TokenBucketOptions {
  /** Bucket size and tokens refilled per window, e.g. 100. */
  limit: number;
  /** Window length, e.g. 60_000. */
  windowMs: number;
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
}

/**
 * Creates a token-bucket limiter with the kit limiter's interface, so either can back the emulator.
 * `resetAtSeconds` is when the next token arrives, as Twenty's `X-RateLimit-Reset` (now + Retry-After).
 * @example
 * const limiter = createTokenBucketLimiter({ limit: 100, windowMs: 60_000 });
 * limiter.take(apiKey).allowed; // true for the first 100, then one every 600 ms
 * @throws EmulatorConfigError (a RangeError) when `limit` is not a positive integer, `windowMs` not a positive
 * finite number or `now` not a function; `take` throws one for a key that is not a string or a clock that fails.
 */
export function createTokenBucketLimiter(options: TokenBucketOptions): WindowRateLimiter {
  const { limit, windowMs, now } = readLimiterOptions(options);
  const msPerToken = windowMs / limit;
  let buckets = new Map<string, { tokens: number; at: number }>();

  return {
    take(key): RateLimitDecision {
      const at = clockReading(now, key);
      const bucket = buckets.get(key) ?? { tokens: limit, at };
      const tokens = Math.min(limit, bucket.tokens + (at - bucket.at) / msPerToken);
      const allowed = tokens >= 1;
      const left = allowed ? tokens - 1 : tokens;
      buckets.set(key, { tokens: left, at });
      const waitMs = left >= 1 ? 0 : (1 - left) * msPerToken;
      const retryAfterSeconds = allowed ? 0 : Math.max(1, Math.ceil(waitMs / 1000));
      return {
        allowed,
        limit,
        remaining: Math.floor(left),
        resetAtSeconds: Math.ceil(at / 1000) + Math.max(1, Math.ceil(waitMs / 1000)),
        retryAfterSeconds,
      };
    },
    reset() {
      buckets = new Map();
    },
  };
}
