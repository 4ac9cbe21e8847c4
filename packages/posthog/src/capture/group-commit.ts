// Group commit: every capture() waits for its event to be durable, but a transaction (an fsync) per event
// would cap a process at a few thousand events a second. Calls made while a commit is being prepared or is in
// flight join the next one, so one transaction carries as many events as arrived meanwhile.
import { type ApiResult, unexpectedFailure } from '@patchbay/core';

/** Adds items to the next group; each add resolves with the outcome of the commit that carried it. */
export interface GroupCommit<T> {
  add(item: T): Promise<ApiResult<void>>;
  /** Items waiting for or inside a commit. */
  readonly pending: number;
  /** Resolves once nothing is waiting or in flight. */
  idle(): Promise<void>;
}

const YIELD_EVERY = 4;

interface Waiting<T> {
  item: T;
  resolve: (result: ApiResult<void>) => void;
}

/** Creates a group committer: `commit` receives at most `maxGroupSize` items at a time, one call at a time. */
export function createGroupCommit<T>(options: {
  commit: (items: T[]) => Promise<ApiResult<unknown>>;
  maxGroupSize: number;
}): GroupCommit<T> {
  let waiting: Waiting<T>[] = [];
  let running: Promise<void> | undefined;
  let inFlight = 0;
  let groupsSinceTurn = 0;

  async function drain(): Promise<void> {
    // Let the callers of this tick join before the first commit.
    await Promise.resolve();
    while (waiting.length > 0) {
      // A synchronous store (node:sqlite) resolves each commit at once, and callers that capture again on
      // resolution keep the microtask queue full: every few groups, a turn of the event loop, so timers and the
      // sender's I/O are not starved by a burst. Counted across drains: each burst of callers starts a new one.
      groupsSinceTurn += 1;
      if (groupsSinceTurn >= YIELD_EVERY) {
        groupsSinceTurn = 0;
        await new Promise<void>((resolve) => setTimeout(resolve, 0));
      }
      const group = waiting.slice(0, options.maxGroupSize);
      waiting = waiting.slice(group.length);
      inFlight = group.length;
      let result: ApiResult<unknown>;
      try {
        result = await options.commit(group.map((entry) => entry.item));
      } catch (thrown) {
        result = { success: false, error: unexpectedFailure('the outbox commit', thrown) };
      }
      inFlight = 0;
      const answer: ApiResult<void> = result.success ? { success: true, data: undefined } : result;
      for (const entry of group) entry.resolve(answer);
    }
    running = undefined;
  }

  return {
    add(item) {
      const added = new Promise<ApiResult<void>>((resolve) => {
        waiting.push({ item, resolve });
      });
      running ??= drain();
      return added;
    },
    get pending() {
      return waiting.length + inFlight;
    },
    async idle() {
      while (running) await running;
    },
  };
}
