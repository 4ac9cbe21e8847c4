// A push sync as a job: the app's records, streamed from its source function into any connector's sync engine
// (anything with `upsertMany(type, records)`, e.g. createTwentySync's). The engine is idempotent and keeps an
// outbox, so a run retried after a failure or a killed process sends each record once.
import { type ApiResult, ok } from '@patchbay/core';
import type { JobContext } from '../scheduler.ts';
import { retryableFailure } from './job-failure.ts';

/** Records a source yields: an array, an iterable or an async iterable (a database cursor, a paged API). */
export type RecordStream<Rec> = Iterable<Rec> | AsyncIterable<Rec>;

/** The counts a sync engine reports for one `upsertMany` call (the fields this job reads). */
export interface PushSyncEngineReport {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  skipped?: string;
}

/** A connector's sync engine front: `createTwentySync(…)` is one. */
export interface PushSyncEngine<Type extends string, Rec> {
  upsertMany(type: Type, records: RecordStream<Rec>): Promise<ApiResult<PushSyncEngineReport>>;
}

/** Options of {@link pushSyncJob}. */
export interface PushSyncJobOptions<Type extends string, Rec, Data> {
  /** The object type the engine upserts, e.g. `'person'`. */
  type: Type;
  /** The app's records for this run; called once per run (a retry reads them again). */
  source: (job: JobContext<Data>) => RecordStream<Rec>;
  /** The connector's sync engine. */
  sync: PushSyncEngine<Type, Rec>;
  /**
   * Whether records the engine reported as failed fail the run (so it is retried, and after its last attempt
   * shows as a dead letter). Default true: a retry re-sends only what changed, the rest is `unchanged`.
   */
  failOnRecordFailures?: boolean;
}

/** What a push-sync run returns, kept in the run log. */
export interface PushSyncResult {
  type: string;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  skipped: string | null;
}

/**
 * A job handler that streams `source(job)` into `sync.upsertMany(type, …)` and returns the run's counts. A failed
 * engine call, records that failed (unless `failOnRecordFailures: false`), a source that throws, or the scheduler
 * closing mid-run resolve a retryable failure, so the scheduler runs it again with backoff.
 * @example scheduler.define('crm-push', pushSyncJob({ type: 'person', source: () => db.users(), sync }), { attempts: 5 });
 */
export function pushSyncJob<Type extends string, Rec, Data = unknown>(
  options: PushSyncJobOptions<Type, Rec, Data>,
): (job: JobContext<Data>) => Promise<ApiResult<PushSyncResult>> {
  const { type, source, sync, failOnRecordFailures = true } = options;
  return async (job) => {
    let records: RecordStream<Rec>;
    try {
      records = source(job);
    } catch (error) {
      return retryableFailure(`The ${type} source failed`, error);
    }
    const stream = stopWhenAborted(records, job.signal);
    let report: ApiResult<PushSyncEngineReport>;
    try {
      report = await sync.upsertMany(type, stream);
    } catch (error) {
      return retryableFailure(`The ${type} push sync failed`, error);
    }
    if (!report.success) return retryableFailure(`The ${type} push sync failed`, report.error);
    if (stream.failure !== undefined) return retryableFailure(`The ${type} source failed`, stream.failure);
    if (job.signal.aborted) return retryableFailure(`The ${type} push sync was stopped by close()`);
    const { created, updated, unchanged, failed, skipped } = report.data;
    const result: PushSyncResult = { type, created, updated, unchanged, failed, skipped: skipped ?? null };
    if (failOnRecordFailures && failed > 0) {
      return retryableFailure(
        `The ${type} push sync failed for ${failed} record(s) (${created} created, ${updated} updated)`,
      );
    }
    return ok(result);
  };
}

// Ends the stream early when the scheduler closes (the engine finishes its chunk and reports), and keeps a
// source's own error: an engine may count a throwing source as an early end rather than fail.
function stopWhenAborted<Rec>(
  records: RecordStream<Rec>,
  signal: AbortSignal,
): AsyncIterable<Rec> & { failure: unknown } {
  const stream = {
    failure: undefined as unknown,
    async *[Symbol.asyncIterator]() {
      try {
        for await (const record of records) {
          if (signal.aborted) return;
          yield record;
        }
      } catch (error) {
        stream.failure = error;
        throw error;
      }
    },
  };
  return stream;
}
