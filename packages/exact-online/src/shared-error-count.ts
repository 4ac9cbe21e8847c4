// The error budget's count shared by every process of an app through a FailureWindowStore (Redis's, in production):
// Exact counts errors per API key, user, division and endpoint, not per process, so four workers each keeping nine
// errors an hour would together draw the block. The store keeps each endpoint's error times over a sliding hour,
// atomically across processes. A store that fails is passed over (this process's own count still holds): a Redis
// outage must not stop every call.
import type { FailureWindowPolicy, FailureWindowStore } from '@patchbay/core';

const HOUR_MS = 3_600_000;
// How closely the time an endpoint frees is found (it is searched for only when the endpoint is spent).
const RESOLUTION_MS = 1_000;

/** The shared count of one budget: when an endpoint frees (undefined while it may be called), and an error. */
export interface SharedErrorCount {
  freesAt(endpoint: string, at: number): Promise<number | undefined>;
  record(endpoint: string, at: number): Promise<void>;
}

/** The count of errors per endpoint in `store`, under keys `<prefix>:<endpoint>`. */
export function sharedErrorCount(store: FailureWindowStore, prefix: string, limit: number): SharedErrorCount {
  const policy: FailureWindowPolicy = { threshold: limit, windowMs: HOUR_MS };
  const key = (endpoint: string) => `${prefix}:${endpoint}`;
  // The errors that still count at `at` (a read may look ahead: errors leave the window as time passes).
  const errorsAt = async (endpoint: string, at: number) => {
    const read = await store.read(key(endpoint), policy, at);
    return read.success ? read.data.failures : 0;
  };
  return {
    async freesAt(endpoint, at) {
      try {
        if ((await errorsAt(endpoint, at)) < limit) return undefined;
        // Every error counted now was made by `at`, so an hour on none counts: the first moment under the limit
        // lies between, found by halving.
        let spent = at;
        let free = at + HOUR_MS;
        while (free - spent > RESOLUTION_MS) {
          const middle = Math.floor((spent + free) / 2);
          if ((await errorsAt(endpoint, middle)) < limit) free = middle;
          else spent = middle;
        }
        return free;
      } catch {
        return undefined;
      }
    },
    async record(endpoint, at) {
      try {
        await store.record(key(endpoint), policy, at);
      } catch {
        // Passed over: the process's own count still holds.
      }
    },
  };
}
