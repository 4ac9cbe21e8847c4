// What a public async API must never leave behind: an unhandled rejection, or an uncaught exception thrown from a
// timer or event callback it scheduled. Core has no Node types (it runs wherever fetch does), so `process` is read
// from globalThis; where there is none, nothing is recorded.

type FailureEvent = 'unhandledRejection' | 'uncaughtException';

interface FailureSource {
  on(event: FailureEvent, listener: (reason: unknown) => void): unknown;
  off(event: FailureEvent, listener: (reason: unknown) => void): unknown;
}

/** Options of `watchProcessFailures`. */
export interface ProcessFailureWatchOptions {
  /** How long `stop()` waits for late failures to surface before it stops listening (default 20 ms). */
  settleMs?: number;
}

/** A running watch started by `watchProcessFailures`. */
export interface ProcessFailureWatch {
  /** Waits `settleMs` for late failures to surface, stops listening and returns what was seen. */
  stop(): Promise<unknown[]>;
}

/**
 * Records every `unhandledRejection` and `uncaughtException` from now until `stop()`.
 * @example const watch = watchProcessFailures(); await call(); expect(await watch.stop()).toEqual([]);
 */
export function watchProcessFailures({
  settleMs = 20,
}: ProcessFailureWatchOptions = {}): ProcessFailureWatch {
  const seen: unknown[] = [];
  const record = (reason: unknown) => void seen.push(reason);
  const proc = (globalThis as { process?: FailureSource }).process;
  proc?.on('unhandledRejection', record);
  proc?.on('uncaughtException', record);
  return {
    async stop() {
      // Rejections are reported after the microtask queue drains, and timers fire later still: wait a macrotask.
      await new Promise((resolve) => setTimeout(resolve, settleMs));
      proc?.off('unhandledRejection', record);
      proc?.off('uncaughtException', record);
      return seen;
    },
  };
}
