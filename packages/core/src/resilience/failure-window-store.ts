// Alerting on "10 failures within an hour" across many processes needs one count of the failures, not one per
// process (each would see a share and alert late or never), and one process, not all, to send each alert. The
// store keeps the failure times and an "alerted" latch per key and applies each record atomically (a Lua script
// in Redis): the one record that makes the count reach the threshold answers `crossed: true`, every other one
// `false`, until the count has dropped below the threshold again. The memory store here serves one process and
// tests; the contract suite (`@patchbay/core/testing`) holds adapters to the same behaviour.
import { invalidInput, UNREADABLE } from '../input/caller-input.ts';
import { type ApiResult, err, ok } from '../result/result.ts';
import { validateCircuitKey } from './circuit-state-store.ts';

/** The rule a record is counted under, sent with every call so the store applies it atomically. */
export interface FailureWindowPolicy {
  /** Failures within the window that make a crossing. A whole number ≥ 1. */
  threshold: number;
  /** How long a failure counts, in ms: one recorded at `t` counts while `now < t + windowMs`. */
  windowMs: number;
}

/** What a record answers: the failures within the window, this one included, and whether it made the crossing. */
export interface FailureWindowRecord {
  failures: number;
  /** True for exactly one record per crossing, across every process sharing the store. */
  crossed: boolean;
}

/** The failures within the window at a given time. */
export interface FailureWindowCount {
  failures: number;
}

/**
 * Where failures are counted when several processes share the count (`alertOnFailures({ store })` of
 * `@patchbay/scheduler`). Every method is atomic, never throws or rejects, and refuses bad arguments with a
 * `VALIDATION_ERROR` naming `key`, `policy`, `policy.threshold`, `policy.windowMs` or `now`. Times are the
 * caller's epoch ms.
 */
export interface FailureWindowStore {
  /**
   * A failure at `now`, in one atomic step: failures at or before `now - windowMs` are dropped; if fewer than
   * `threshold` remain, the alerted latch is cleared; this failure is added; if the count reaches `threshold`
   * and the latch is not set, it is set and this record answers `crossed: true`.
   */
  record(key: string, policy: FailureWindowPolicy, now: number): Promise<ApiResult<FailureWindowRecord>>;
  /** The failures within the window at `now` (after `now - windowMs`), without changing anything. */
  read(key: string, policy: FailureWindowPolicy, now: number): Promise<ApiResult<FailureWindowCount>>;
  /** Forgets the key's failures and its latch. */
  reset(key: string): Promise<ApiResult<FailureWindowCount>>;
}

/**
 * Checks a record's or a read's arguments, read once into plain copies: the key (a breaker key's rules: 1 to
 * 1 024 characters of well-formed text without NUL), a `threshold` that is a whole number ≥ 1, a `windowMs`
 * that is a finite number > 0, a finite `now`.
 * @example const checked = validateFailureWindowRecord(key, policy, now); if (!checked.success) return checked;
 */
export function validateFailureWindowRecord(
  key: unknown,
  policy: unknown,
  now: unknown,
): ApiResult<{ key: string; policy: FailureWindowPolicy; now: number }> {
  const checkedKey = validateCircuitKey(key);
  if (!checkedKey.success) return checkedKey;
  if (typeof policy !== 'object' || policy === null) return err(invalidInput('policy', 'must be an object'));
  let threshold: unknown;
  let windowMs: unknown;
  try {
    ({ threshold, windowMs } = policy as Record<string, unknown>);
  } catch {
    return err(invalidInput('policy', UNREADABLE));
  }
  if (!Number.isSafeInteger(threshold) || (threshold as number) < 1) {
    return err(invalidInput('policy.threshold', 'must be a whole number ≥ 1'));
  }
  if (typeof windowMs !== 'number' || !Number.isFinite(windowMs) || windowMs <= 0) {
    return err(invalidInput('policy.windowMs', 'must be a finite number > 0'));
  }
  if (typeof now !== 'number' || !Number.isFinite(now)) {
    return err(invalidInput('now', 'must be a finite number (epoch ms)'));
  }
  return ok({ key: checkedKey.data, policy: { threshold: threshold as number, windowMs }, now });
}

/**
 * A failure window store in this process's memory: for tests and for one process (`alertOnFailures` without a
 * store uses one). Share `@patchbay/store-redis`'s between processes.
 * @example const alerts = alertOnFailures({ deliver, store: createMemoryFailureWindowStore() });
 */
export function createMemoryFailureWindowStore(): FailureWindowStore {
  const windows = new Map<string, { times: number[]; alerted: boolean }>();
  return {
    async record(key, policy, now) {
      const checked = validateFailureWindowRecord(key, policy, now);
      if (!checked.success) return checked;
      const { threshold, windowMs } = checked.data.policy;
      const at = checked.data.now;
      const window = windows.get(checked.data.key) ?? { times: [], alerted: false };
      windows.set(checked.data.key, window);
      window.times = window.times.filter((time) => time > at - windowMs);
      // Aged below the threshold: the next time it is reached is a new crossing.
      if (window.times.length < threshold) window.alerted = false;
      window.times.push(at);
      const crossed = window.times.length >= threshold && !window.alerted;
      if (crossed) window.alerted = true;
      return ok({ failures: window.times.length, crossed });
    },
    async read(key, policy, now) {
      const checked = validateFailureWindowRecord(key, policy, now);
      if (!checked.success) return checked;
      const cutoff = checked.data.now - checked.data.policy.windowMs;
      const times = windows.get(checked.data.key)?.times ?? [];
      return ok({ failures: times.filter((time) => time > cutoff).length });
    },
    async reset(key) {
      const checked = validateCircuitKey(key);
      if (!checked.success) return checked;
      windows.delete(checked.data);
      return ok({ failures: 0 });
    },
  };
}
