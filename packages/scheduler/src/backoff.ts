// The wait before a job's next run after a failure, the same on both backends (BullMQ asks it through its custom
// backoff strategy): fixed, or doubling from `delayMs` up to `maxDelayMs`.
import type { KindOptions } from './job-input.ts';

/** Milliseconds to wait after failed run number `attempt` (1 for the first run). */
export function backoffDelay(backoff: KindOptions['backoff'], attempt: number): number {
  if (backoff.type === 'fixed') return backoff.delayMs;
  const doublings = Math.min(40, Math.max(0, attempt - 1));
  return Math.min(backoff.maxDelayMs, backoff.delayMs * 2 ** doublings);
}
