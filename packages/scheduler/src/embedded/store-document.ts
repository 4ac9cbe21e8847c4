// A small JSON document kept in one checkpoint of a Patchbay store: the embedded scheduler's schedules, dead
// letters and run log. One process owns them (the embedded backend runs in one), so the copy in memory is the
// truth and each save writes it whole; saves run one at a time, in order, so an older copy never lands last.
import { type ApiResult, err, IntegrationError, ok } from '@patchbay/core';
import type { SyncStateStore } from '@patchbay/core/store';

/** One document: load it once, change the copy, save. */
export interface StoreDocument<T> {
  load(): Promise<ApiResult<T>>;
  /** The copy in memory (after `load`). */
  readonly value: T;
  /** Writes the copy (after any save already under way; saves asked for meanwhile share one write). */
  save(): Promise<ApiResult<void>>;
  /** Writes the copy within `delayMs`, many changes in one write. */
  saveSoon(delayMs: number): void;
  /** Waits for a pending `saveSoon` and any save under way. */
  flush(): Promise<ApiResult<void>>;
}

/** The document in checkpoint `name`; `initial()` when it is absent, `read` checks what was stored. */
export function storeDocument<T>(
  state: SyncStateStore,
  name: string,
  initial: () => T,
  read: (stored: unknown) => T | undefined,
): StoreDocument<T> {
  let value = initial();
  let chain: Promise<ApiResult<void>> = Promise.resolve(ok(undefined));
  let timer: ReturnType<typeof setTimeout> | undefined;

  // A write not yet started, shared by every save() asked for before it starts: it writes the copy as it is
  // when it starts, so it carries all of their changes (many runs starting at once make one write).
  let queued: Promise<ApiResult<void>> | undefined;
  const save = (): Promise<ApiResult<void>> => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (queued) return queued;
    const write = chain.then(async () => {
      queued = undefined;
      try {
        return await state.setCheckpoint(name, JSON.stringify(value));
      } catch (error) {
        return err(new IntegrationError('OPERATION_FAILED', `Could not save ${name}`, { cause: error }));
      }
    });
    queued = write;
    chain = write;
    return write;
  };

  return {
    get value() {
      return value;
    },
    async load() {
      const stored = await state.getCheckpoint(name);
      if (!stored.success) return stored;
      if (stored.data !== null) {
        let parsed: T | undefined;
        try {
          parsed = read(JSON.parse(stored.data));
        } catch {
          parsed = undefined;
        }
        if (parsed === undefined) {
          return err(
            new IntegrationError('OPERATION_FAILED', `The store's ${name} is not a scheduler document`, {
              retryable: false,
            }),
          );
        }
        value = parsed;
      }
      return ok(value);
    },
    save,
    saveSoon(delayMs) {
      timer ??= setTimeout(() => void save(), delayMs);
    },
    flush() {
      return timer === undefined ? chain : save();
    },
  };
}
