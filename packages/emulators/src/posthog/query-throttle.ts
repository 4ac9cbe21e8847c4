// The two limits on PostHog's query endpoint.
// - Rate (PostHog/posthog `posthog/rate_limit.py`: `APIQueriesBurstThrottle` 240/minute and
//   `APIQueriesSustainedThrottle` 2400/hour, both `PersonalApiKeyRateThrottle`s keyed by the hashed personal key;
//   `HogQLQueryThrottle` 120/hour for older projects). They are DRF `SimpleRateThrottle`s: a sliding log of request
//   times per key; a request is refused when the log already holds `num_requests` within `duration`, and a refused
//   request is not logged. DRF's `APIView.check_throttles` asks every throttle (a request one refuses still counts
//   against the others) and raises `Throttled(wait=max(waits))`, whose detail is "Request was throttled. Expected
//   available in N second(s)." with N = ceil(wait), and whose `Retry-After` is N (none when N is 0).
// - Concurrency (`posthog/clickhouse/client/limit.py`, `get_api_team_rate_limiter`): 3 running queries per team
//   (`api:query:per-team:{team_id}`); a query that finds no slot retries with a backoff (0.134 s growing ×1.5 up to
//   1.714 s) for up to 30 s, then raises `ConcurrencyLimitExceeded`, which the query view turns into `Throttled` with
//   no wait: a 429 without `Retry-After` ("Exceeded maximum concurrency limit: 3 for key: … and task: …").
import { drfError } from './query-auth.ts';

/** One rate: at most `limit` requests per `windowMs`, per key. */
export interface QueryRate {
  limit: number;
  windowMs: number;
}

/** The verdict of the rate throttles on one request. */
export type ThrottleDecision = { allowed: true } | { allowed: false; waitSeconds: number };

/** DRF-style sliding-log throttles applied together. */
export interface QueryThrottle {
  /** Counts one request for `key` against every rate that admits it; refused when any is full. */
  take(key: string): ThrottleDecision;
  reset(): void;
}

/**
 * Creates the query endpoint's rate throttles (every rate applies; a request counts against those that admit it).
 * @example const throttle = createQueryThrottle([{ limit: 240, windowMs: 60_000 }, { limit: 2400, windowMs: 3_600_000 }], Date.now);
 */
export function createQueryThrottle(rates: readonly QueryRate[], now: () => number): QueryThrottle {
  // Per rate, per key: request times, newest first (DRF keeps `history` so).
  let logs = rates.map(() => new Map<string, number[]>());

  return {
    take(key) {
      const at = now();
      const waits: number[] = [];
      rates.forEach((rate, index) => {
        const byKey = logs[index] as Map<string, number[]>;
        const history = byKey.get(key) ?? [];
        while (history.length > 0 && (history[history.length - 1] as number) <= at - rate.windowMs)
          history.pop();
        if (history.length >= rate.limit) {
          // SimpleRateThrottle.wait(): the time until the oldest entry leaves, spread over the requests available.
          const oldest = history[history.length - 1] as number;
          waits.push((rate.windowMs - (at - oldest)) / 1000 / (rate.limit - history.length + 1));
        } else {
          history.unshift(at);
        }
        byKey.set(key, history);
      });
      if (waits.length === 0) return { allowed: true };
      return { allowed: false, waitSeconds: Math.ceil(Math.max(...waits)) };
    },
    reset() {
      logs = rates.map(() => new Map());
    },
  };
}

/**
 * The 429 of a rate throttle: `throttled_error` with DRF's detail, and `Retry-After` unless the wait rounds to 0.
 * @example throttledResponse(37); // 429, Retry-After: 37, "Request was throttled. Expected available in 37 seconds."
 */
export function throttledResponse(waitSeconds: number): Response {
  const unit = waitSeconds === 1 ? 'second' : 'seconds';
  return drfError(
    429,
    'throttled_error',
    'throttled',
    `Request was throttled. Expected available in ${waitSeconds} ${unit}.`,
    waitSeconds > 0 ? { headers: { 'Retry-After': String(waitSeconds) } } : {},
  );
}

/** The running-query slots of one team. */
export interface ConcurrencySlots {
  readonly limit: number;
  /** Takes a slot for `taskId` when one is free (a task holding one already keeps it). */
  tryAcquire(taskId: string): boolean;
  /**
   * Takes a slot, retrying with PostHog's backoff until `waitMs` has passed. `beforeRetry` runs before each try (the
   * emulator frees the slots of async queries that have finished by then). Resolves false when none freed up.
   */
  acquire(taskId: string, options: { waitMs: number; beforeRetry?: () => void }): Promise<boolean>;
  release(taskId: string): void;
  /** Slots taken now. */
  inUse(): number;
  reset(): void;
}

/**
 * Creates `limit` concurrency slots. `sleep` is how a waiting query pauses (tests may pass a fake); the wait is
 * measured with `Date.now` (real time, like the server's).
 * @example const slots = createConcurrencySlots(3); if (!(await slots.acquire(id, { waitMs: 30_000 }))) return refused;
 */
export function createConcurrencySlots(
  limit: number,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): ConcurrencySlots {
  let held = new Set<string>();
  const tryAcquire = (taskId: string) => {
    if (held.has(taskId)) return true;
    if (held.size >= limit) return false;
    held.add(taskId);
    return true;
  };
  return {
    limit,
    tryAcquire,
    async acquire(taskId, { waitMs, beforeRetry }) {
      const deadline = Date.now() + waitMs;
      for (let attempt = 1; ; attempt++) {
        beforeRetry?.();
        if (tryAcquire(taskId)) return true;
        const left = deadline - Date.now();
        if (left <= 0) return false;
        // limit.py: ExponentialBackoff(0.134, max_delay=1.714, exp=1.5).
        await sleep(Math.min(134 * 1.5 ** (attempt - 1), 1714, left));
      }
    },
    release(taskId) {
      held.delete(taskId);
    },
    inUse: () => held.size,
    reset() {
      held = new Set();
    },
  };
}

/**
 * The 429 of the concurrency limit: `throttled_error` with `ConcurrencyLimitExceeded`'s message and no `Retry-After`.
 * @example concurrencyRefusal(3, 1, 'q-1'); // "Exceeded maximum concurrency limit: 3 for key: api:query:per-team:1 and task: q-1"
 */
export function concurrencyRefusal(limit: number, teamId: number, taskId: string): Response {
  return drfError(
    429,
    'throttled_error',
    'throttled',
    `Exceeded maximum concurrency limit: ${limit} for key: api:query:per-team:${teamId} and task: ${taskId}`,
  );
}
