import {
  type ApiResult,
  createRateLimiter,
  err,
  IntegrationError,
  isIntegrationError,
  ok,
  type RateLimiter,
  type RateLimiterOptions,
  type RateLimitStore,
} from '@patchbay/core';
import { abortedError } from './aborted.ts';
import { createSemaphore, type Release } from './semaphore.ts';

/** PostHog's query limits per personal API key (and concurrency per organisation), the client's defaults. */
export const POSTHOG_QUERY_LIMITS: Readonly<{ perMinute: number; perHour: number; concurrent: number }> =
  Object.freeze({ perMinute: 240, perHour: 2400, concurrent: 3 });

/** Options of `rateLimits`: PostHog's limits as your project has them, and where the buckets live. */
export interface PostHogRateLimitOptions {
  /** Requests per minute on the query endpoint (queries, status polls, cancels). Default 240. */
  perMinute?: number;
  /** Requests per hour on the query endpoint. Default 2 400 (some older projects have 120). */
  perHour?: number;
  /** Queries running at once. Default 3, PostHog's limit per organisation. */
  concurrent?: number;
  /**
   * Where the two token buckets live (core's `RateLimitStore`). Default a fresh in-memory store per client;
   * pass one store (a shared Redis or PostgreSQL one across processes) to every client using the same key.
   */
  store?: RateLimitStore;
  /** The buckets' name in `store`: one per personal API key. Default `'posthog-query'`. */
  key?: string;
}

/** The checked limits a client runs with. */
export interface ResolvedRateLimits {
  perMinute: number;
  perHour: number;
  concurrent: number;
  store?: RateLimitStore;
  key: string;
}

/** What a query waits on: both request windows for every request, a slot for every query. */
export interface QueryLimits {
  /** A request's turn under both windows: waits as long as it takes, `ABORTED` when the signal aborts first. */
  take(signal?: AbortSignal): Promise<ApiResult<void>>;
  /** A slot among the queries running at once, held from the query's POST to its last poll. */
  slot(signal?: AbortSignal): Promise<ApiResult<Release>>;
  /** A failed request's lesson: a 429 with a wait empties the window it names and holds it for that wait. */
  observeFailure(error: IntegrationError): void;
  /** For metrics and tests: tokens left in each window, queries running and waiting. */
  state(): Promise<{
    minute: { tokens: number; blockedUntil?: number };
    hour: { tokens: number; blockedUntil?: number };
    running: number;
    queued: number;
  }>;
}

/**
 * The token bucket that keeps a client under a limit of `limit` requests per sliding `windowMs`, the way
 * PostHog counts (DRF's `SimpleRateThrottle` keeps every request's time for the window): in any window, a bucket
 * grants at most its burst plus its refill over the window, so burst + refill is kept one under the limit (for
 * the requests that reach PostHog a little early). The burst is a quarter of a per-minute limit and half of a
 * per-hour one: a few dozen queries go out at once, a long run keeps about half the hourly rate.
 * @example windowBucket(240, 60_000) // { burst: 60, limit: 179, intervalMs: 60_000 }
 */
export function windowBucket(limit: number, windowMs: number, share: number): RateLimiterOptions {
  const burst = Math.max(1, Math.floor(limit * share));
  const margin = limit >= 20 ? 1 : 0;
  return { limit: limit - burst - margin, intervalMs: windowMs, burst };
}

/**
 * The limits of one client: a per-minute and a per-hour bucket (core's rate limiter, in `store`) that every
 * request passes, and a FIFO semaphore for the queries running at once.
 * @example const limits = createQueryLimits({ ...POSTHOG_QUERY_LIMITS, key: 'posthog-query' });
 */
export function createQueryLimits(
  options: ResolvedRateLimits & { maxBlockMs: number; now?: () => number },
): QueryLimits {
  const { store, key, now, maxBlockMs } = options;
  const limiter = (bucket: RateLimiterOptions, name: string): RateLimiter =>
    createRateLimiter({
      ...bucket,
      key: `${key}:${name}`,
      maxBlockMs,
      ...(store === undefined ? {} : { store }),
      ...(now === undefined ? {} : { now }),
    });
  const minute = limiter(windowBucket(options.perMinute, 60_000, 1 / 4), 'minute');
  const hour = limiter(windowBucket(options.perHour, 3_600_000, 1 / 2), 'hour');
  const running = createSemaphore(options.concurrent);

  return {
    async take(signal) {
      try {
        // The hour first: a token of the minute held while the hour refills would be spent for nothing.
        await hour.acquire(signal);
        await minute.acquire(signal);
        return ok(undefined);
      } catch (error) {
        if (signal?.aborted) return err(abortedError());
        // A shared store that fails (its database down): the request is not sent, and says why.
        return err(
          isIntegrationError(error)
            ? error
            : new IntegrationError('OPERATION_FAILED', 'The rate limiter failed', {
                retryable: true,
                cause: error instanceof Error ? new Error(error.message) : undefined,
              }),
        );
      }
    },
    slot: (signal) => running.take(signal),
    observeFailure(error) {
      // A 429 without a wait is the concurrency limit ("too many concurrent queries"), not a spent window: the
      // retry's backoff is enough. With one, the wait tells which window ran out (someone else spends this key
      // too): up to a minute the minute's, longer the hour's. That bucket is emptied and held for the wait
      // (core's limiter holds it at most maxBlockMs; a longer wait is the caller's, as RATE_LIMIT).
      const waitMs = error.retryAfterMs;
      if (error.status !== 429 || waitMs === undefined) return;
      const headers = new Headers({ 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) });
      (waitMs <= 60_000 ? minute : hour).observe({ status: 429, headers });
    },
    async state() {
      const [m, h] = await Promise.all([minute.state(), hour.state()]);
      const { held, queued } = running.state();
      return {
        minute: {
          tokens: m.tokens,
          ...(m.blockedUntil === undefined ? {} : { blockedUntil: m.blockedUntil }),
        },
        hour: { tokens: h.tokens, ...(h.blockedUntil === undefined ? {} : { blockedUntil: h.blockedUntil }) },
        running: held,
        queued,
      };
    },
  };
}
