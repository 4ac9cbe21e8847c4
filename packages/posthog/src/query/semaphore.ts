import { type ApiResult, err, ok } from '@patchbay/core';
import { abortedError } from './aborted.ts';

/** Hands back a slot taken from a {@link Semaphore}; calling it more than once hands back one slot. */
export type Release = () => void;

/** At most `size` holders at once, served in arrival order. */
export interface Semaphore {
  /** A slot, once one is free; `ABORTED` (and out of the queue) when `signal` aborts first. Never rejects. */
  take(signal?: AbortSignal): Promise<ApiResult<Release>>;
  /** Holders now, and callers waiting. */
  state(): { held: number; queued: number };
}

/**
 * A FIFO counting semaphore: PostHog runs at most a few queries of an organisation at once, and a query beyond
 * them waits up to 30 s server-side and then fails with a 429, so the client queues them itself.
 * @example const slot = await semaphore.take(signal); if (!slot.success) return slot; try { … } finally { slot.data(); }
 */
export function createSemaphore(size: number): Semaphore {
  let held = 0;
  const queue: { grant: () => void; signal?: AbortSignal; onAbort: () => void }[] = [];

  const releaser = (): Release => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = queue.shift();
      if (next) {
        next.signal?.removeEventListener('abort', next.onAbort);
        next.grant();
      } else held -= 1;
    };
  };

  return {
    take(signal) {
      if (signal?.aborted) return Promise.resolve(err(abortedError()));
      if (held < size) {
        held += 1;
        return Promise.resolve(ok(releaser()));
      }
      return new Promise((resolve) => {
        const waiter = {
          signal,
          // The slot passes from the releasing holder to this waiter: `held` does not change.
          grant: () => resolve(ok(releaser())),
          onAbort: () => {
            const index = queue.indexOf(waiter);
            if (index !== -1) queue.splice(index, 1);
            resolve(err(abortedError()));
          },
        };
        signal?.addEventListener('abort', waiter.onAbort, { once: true });
        queue.push(waiter);
      });
    },
    state: () => ({ held, queued: queue.length }),
  };
}
