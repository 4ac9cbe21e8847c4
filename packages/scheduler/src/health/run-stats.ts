// What a status page wants to know of a job kind's runs, computed from the run log alone so it is the same on
// both backends and in every process that reads it: how many ended which way, the last success, the error rate
// over a recent window, and the records a run synced. A run the integration guard skipped (tenant switched off,
// breaker open) succeeded as far as the queue knows; it is told apart by its result and counted as `skipped`.
import type { JsonValue } from '@patchbay/core';
import type { JobRun } from '../scheduler.ts';

/** How many of the runs read ended which way. `skipped`: the guard did not call the handler. */
export interface RunCounts {
  running: number;
  succeeded: number;
  failed: number;
  dead: number;
  interrupted: number;
  skipped: number;
}

/** A summary of runs: counts, the last success and the error rate within the window. */
export interface RunStats {
  counts: RunCounts;
  /** Epoch ms of the newest run that succeeded (skipped runs excluded), or null. */
  lastSuccessAt: number | null;
  /** Epoch ms of the newest run that failed or became a dead letter, or null. */
  lastFailureAt: number | null;
  /** Failed and dead runs over finished runs (skipped and interrupted left out) within the window; null with none. */
  errorRate: number | null;
  /** Failed and dead runs that finished within the window. */
  failuresInWindow: number;
}

/** Why the guard skipped a run, as kept in its result: `{ skipped: 'disabled' | 'circuit-open' }`. */
export type SkipReason = 'disabled' | 'circuit-open';

/** The skip reason of a run's result, or null when the handler ran. */
export function skipReasonOf(result: JsonValue | null): SkipReason | null {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return null;
  const skipped = (result as { skipped?: unknown }).skipped;
  return skipped === 'disabled' || skipped === 'circuit-open' ? skipped : null;
}

/**
 * The records a run synced, read from its result: a number, or the first whole number among `synced`,
 * `records`, `count` and `processed`; null when none.
 */
export function recordsOf(result: JsonValue | null): number | null {
  if (typeof result === 'number') return Number.isFinite(result) && result >= 0 ? result : null;
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return null;
  for (const field of ['synced', 'records', 'count', 'processed']) {
    const value = (result as Record<string, JsonValue>)[field];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  }
  return null;
}

/**
 * Summarises `runs` at `now` over the last `windowMs`.
 * @example const stats = runStats(runs, { now: Date.now(), windowMs: 3_600_000 });
 */
export function runStats(runs: readonly JobRun[], options: { now: number; windowMs: number }): RunStats {
  const counts: RunCounts = { running: 0, succeeded: 0, failed: 0, dead: 0, interrupted: 0, skipped: 0 };
  let lastSuccessAt: number | null = null;
  let lastFailureAt: number | null = null;
  let finishedInWindow = 0;
  let failuresInWindow = 0;
  const since = options.now - options.windowMs;
  for (const run of runs) {
    const at = run.finishedAt ?? run.startedAt;
    const skipped = run.outcome === 'succeeded' && skipReasonOf(run.result) !== null;
    if (skipped) {
      counts.skipped += 1;
      continue;
    }
    counts[run.outcome] += 1;
    const failed = run.outcome === 'failed' || run.outcome === 'dead';
    if (run.outcome === 'succeeded') lastSuccessAt = Math.max(lastSuccessAt ?? at, at);
    if (failed) lastFailureAt = Math.max(lastFailureAt ?? at, at);
    if ((run.outcome === 'succeeded' || failed) && at >= since && at <= options.now) {
      finishedInWindow += 1;
      if (failed) failuresInWindow += 1;
    }
  }
  return {
    counts,
    lastSuccessAt,
    lastFailureAt,
    errorRate: finishedInWindow === 0 ? null : failuresInWindow / finishedInWindow,
    failuresInWindow,
  };
}
