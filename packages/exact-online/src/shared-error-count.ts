// The error budget's count shared by every process of an app through a RateLimitStore (Redis's, in production):
// Exact counts errors per API key, user, division and endpoint, not per process, so four workers each keeping nine
// errors an hour would together draw the block. The store keeps token buckets, not logs, so the budget is a bucket
// whose burst plus an hour's refill equals the limit: no rolling hour ever holds more errors than the limit. A store
// that fails is passed over (this process's own count still holds): a Redis outage must not stop every call.
import type { RateLimitBucket, RateLimitStore } from '@patchbay/core';

const HOUR_MS = 3_600_000;
// Refills are fractions of a token: a hair short of one after exactly the wait still counts as one.
const EPSILON = 1e-9;

/** The shared count of one budget: when an endpoint frees (undefined while it may be called), and an error. */
export interface SharedErrorCount {
  freesAt(endpoint: string, at: number): Promise<number | undefined>;
  record(endpoint: string, at: number): Promise<void>;
}

/** A bucket holding half the limit at once, refilling the rest over the hour (half a token when the limit is 1). */
export function errorBucket(limit: number): RateLimitBucket {
  const capacity = Math.ceil(limit / 2);
  const refillPerHour = Math.max(limit - capacity, 0.5);
  return { capacity, refillPerMs: refillPerHour / HOUR_MS };
}

/** The count of errors per endpoint in `store`, under keys `<prefix>:<endpoint>`. */
export function sharedErrorCount(store: RateLimitStore, prefix: string, limit: number): SharedErrorCount {
  const bucket = errorBucket(limit);
  const key = (endpoint: string) => `${prefix}:${endpoint}`;
  return {
    async freesAt(endpoint, at) {
      try {
        const { tokens, blockedUntil } = await store.peek(key(endpoint), bucket, at);
        if (blockedUntil !== undefined && blockedUntil > at) return blockedUntil;
        if (tokens >= 1 - EPSILON) return undefined;
        return at + Math.ceil((1 - EPSILON - tokens) / bucket.refillPerMs);
      } catch {
        return undefined;
      }
    },
    async record(endpoint, at) {
      try {
        // An error when no whole token is left still happened (Exact counted it): the bucket is then emptied.
        const wait = await store.take(key(endpoint), bucket, at, 1);
        if (wait > 0) await store.update(key(endpoint), { remaining: 0 }, at);
      } catch {
        // Passed over: the process's own count still holds.
      }
    },
  };
}
