import * as z from 'zod/mini';

// The backoff the policy's delays feed lives in backoff.ts, shared with withRetry; re-exported for its callers.
export { backoffCeiling, backoffDelay } from './backoff.ts';

// A timer's longest delay: setTimeout fires at once past it.
const delayMs = z.number().check(z.minimum(0), z.maximum(2_147_483_647));

/** Retry policy of the HTTP client (and of `withRetry`). */
export const retryOptionsSchema = z.object({
  /** Retries after the first attempt (so `retries: 3` makes at most 4 attempts). */
  retries: z._default(z.int().check(z.minimum(0), z.maximum(20)), 3),
  /** Delay before the first retry; doubled for each further one. */
  initialDelayMs: z._default(delayMs, 1_000),
  /** Ceiling of the computed backoff. */
  maxDelayMs: z._default(delayMs, 30_000),
  /**
   * Longest server-requested wait (Retry-After, X-RateLimit-Reset) the client honours by itself, and holds
   * its rate limiter for. A longer one is not waited on: the call ends with `RATE_LIMIT` and `retryAfterMs`.
   */
  maxRetryAfterMs: z._default(delayMs, 60_000),
  /** Statuses worth another attempt. */
  statusCodes: z._default(z.array(z.int()), [408, 429, 500, 502, 503, 504]),
  /**
   * Statuses that say the server refused the request before processing it, so it is safe to resend whatever
   * the method: a POST or PATCH answered with one is retried (when `statusCodes` lists it) without an
   * idempotency key. Only 429 by default: a rate limiter refuses before the handler runs. A 503 is left out
   * even with Retry-After: a gateway may send it after the handler ran (or timed out midway); add it only
   * for a server known to refuse before processing. `[]` retries such methods only when idempotent.
   */
  unprocessedStatuses: z._default(z.array(z.int()), [429]),
  /** Full jitter (a uniform draw in [0, delay]) or none. */
  jitter: z._default(z.enum(['full', 'none']), 'full'),
});

export type RetryOptions = z.input<typeof retryOptionsSchema>;
export type ResolvedRetryOptions = z.output<typeof retryOptionsSchema>;

/**
 * The defaults: 3 retries, 1 s initial backoff doubling up to 30 s, full jitter. Frozen, status list included:
 * every client falls back on this one object, so no caller may change it for the others.
 */
export const DEFAULT_RETRY_OPTIONS: Readonly<ResolvedRetryOptions> = (() => {
  const parsed = retryOptionsSchema.parse({});
  return Object.freeze({
    ...parsed,
    statusCodes: Object.freeze(parsed.statusCodes) as number[],
    unprocessedStatuses: Object.freeze(parsed.unprocessedStatuses) as number[],
  });
})();
