// A pull sync as a job: a connector's changes since the last checkpoint, page by page, handed to the app. The
// checkpoint moves only after the app's handler accepted a page, so a failure or a killed process delivers that
// page again (at least once), never skips it; the handler makes a second delivery harmless (idempotent).
import { type ApiResult, ok } from '@patchbay/core';
import type { SyncStateStore } from '@patchbay/core/store';
import type { JobContext } from '../scheduler.ts';
import { retryableFailure } from './job-failure.ts';

/** One page of a connector's changes, and the checkpoint that resumes after it. */
export interface PullPage<Change> {
  changes: readonly Change[];
  /** Where the next pull starts once this page was handled: a cursor, a timestamp, a sync token. */
  checkpoint: string;
}

/** Pages of changes: an iterable or an async iterable (a connector's paged `changesSince`). */
export type PullPages<Change> = Iterable<PullPage<Change>> | AsyncIterable<PullPage<Change>>;

/** Options of {@link pullSyncJob}. */
export interface PullSyncJobOptions<Change, Data> {
  /** The checkpoint's name in the store, e.g. `'twenty-people-pull'`: one per pulled stream. */
  name: string;
  /** Where the checkpoint is kept: any Patchbay store (`store.syncState`). */
  store: { readonly syncState: Pick<SyncStateStore, 'getCheckpoint' | 'setCheckpoint'> };
  /** The connector's changes after `checkpoint` (null: from the start), page by page; stop when `signal` aborts. */
  pull: (checkpoint: string | null, signal: AbortSignal) => PullPages<Change>;
  /**
   * The app's handler of one page. It must be idempotent: after a failure or a crash the same page comes again.
   * It fails by throwing, rejecting or returning a failed `ApiResult`; then the checkpoint stays where it was.
   */
  handle: (changes: readonly Change[], job: JobContext<Data>) => unknown;
}

/** What a pull-sync run returns, kept in the run log. */
export interface PullSyncResult {
  pages: number;
  changes: number;
  /** The checkpoint saved last (the one the run started from when no page came). */
  checkpoint: string | null;
}

/**
 * A job handler that reads the checkpoint `name`, pulls the changes after it, hands each page to `handle` and
 * saves the page's checkpoint only once `handle` succeeded. A failing pull, handler or store is a retryable
 * failure: the next run resumes from the last checkpoint saved.
 * @example scheduler.define('crm-pull', pullSyncJob({ name: 'crm-pull', store, pull: connector.changesSince, handle }));
 */
export function pullSyncJob<Change, Data = unknown>(
  options: PullSyncJobOptions<Change, Data>,
): (job: JobContext<Data>) => Promise<ApiResult<PullSyncResult>> {
  const { name, store, pull, handle } = options;
  return async (job) => {
    const read = await settle<string | null>(() => store.syncState.getCheckpoint(name));
    if (!read.success) return retryableFailure(`Reading the checkpoint ${name} failed`, read.error);
    let checkpoint = read.data ?? null;
    let pages = 0;
    let changes = 0;
    try {
      for await (const page of pull(checkpoint, job.signal)) {
        if (job.signal.aborted) break;
        const handled = await settle(() => handle(page.changes, job));
        if (!handled.success) {
          return retryableFailure(`The handler of ${name} failed; the checkpoint stays`, handled.error);
        }
        const saved = await settle(() => store.syncState.setCheckpoint(name, page.checkpoint));
        if (!saved.success) return retryableFailure(`Saving the checkpoint ${name} failed`, saved.error);
        checkpoint = page.checkpoint;
        pages += 1;
        changes += page.changes.length;
      }
    } catch (error) {
      return retryableFailure(`Pulling the changes of ${name} failed`, error);
    }
    if (job.signal.aborted) return retryableFailure(`The pull ${name} was stopped by close()`);
    return ok({ pages, changes, checkpoint });
  };
}

// A store's or handler's call as an outcome: a throw, a rejection or a failed ApiResult is a failure with its cause.
type Outcome<T> = { success: true; data: T } | { success: false; error: unknown };

async function settle<T>(call: () => unknown): Promise<Outcome<T>> {
  try {
    const value = await call();
    if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { success?: unknown }).success === 'boolean'
    ) {
      const result = value as { success: boolean; data?: unknown; error?: unknown };
      return result.success
        ? { success: true, data: result.data as T }
        : { success: false, error: result.error };
    }
    return { success: true, data: value as T };
  } catch (error) {
    return { success: false, error };
  }
}
