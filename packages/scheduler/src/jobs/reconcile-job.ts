// A full reconciliation as a job: the ids the app has (its source) against the ids the remote holds (or the
// mappings a sync engine kept), to find records deleted at the source that incremental syncs never see, and to
// apply a declared policy to them. With both streams sorted it holds one id of each at a time, whatever the size.
import { type ApiResult, ok } from '@patchbay/core';
import type { JobContext } from '../scheduler.ts';
import { permanentFailure, retryableFailure } from './job-failure.ts';
import type { RecordStream } from './push-sync-job.ts';

/** What to do with a record deleted at the source: archive it, delete it, or only report it. */
export type ReconcilePolicy = 'archive' | 'delete' | 'report';

/** Options of {@link reconcileJob}. */
export interface ReconcileJobOptions<Data> {
  /** Every id the app still has (e.g. its users' ids), as a stream. */
  listSource: (job: JobContext<Data>) => RecordStream<string>;
  /** Every id the remote holds, or the sync engine's mappings (their external ids), as a stream. */
  listRemote: (job: JobContext<Data>) => RecordStream<string>;
  /** What to do with ids present remotely and absent from the source. */
  policy: ReconcilePolicy;
  /**
   * Archives or deletes a batch of ids (not called with `'report'`). It must be idempotent: a failed run applies
   * the policy again to what is still missing. It fails by throwing, rejecting or returning a failed `ApiResult`.
   */
  apply?: (ids: readonly string[], policy: 'archive' | 'delete', job: JobContext<Data>) => unknown;
  /**
   * Both streams yield their ids in ascending order (JavaScript string order, e.g. `ORDER BY id COLLATE "C"`):
   * then the job compares them as they come, in constant memory. Otherwise it keeps the source's ids in a Set.
   * A stream out of order is a `VALIDATION_ERROR`. Default false.
   */
  sorted?: boolean;
  /** Ids per `apply` call. Default 100. */
  batchSize?: number;
  /** Missing ids listed in the result (all are counted). Default 100. */
  maxReported?: number;
  /**
   * Whether an empty source may archive or delete everything the remote holds. Default false: an empty source
   * is more often a failed read than an app with no records, so the run fails instead (not retried).
   */
  allowEmptySource?: boolean;
}

/** What a reconciliation run returns, kept in the run log. */
export interface ReconcileResult {
  policy: ReconcilePolicy;
  sourceCount: number;
  remoteCount: number;
  /** Ids present remotely and absent from the source. */
  missing: number;
  /** Of them, archived or deleted (0 with `'report'`). */
  applied: number;
  /** The first `maxReported` missing ids. */
  missingIds: string[];
}

/**
 * A job handler that finds the ids `listRemote` yields and `listSource` does not, and archives or deletes them
 * through `apply` in batches, or only reports them. A failing stream or `apply` is a retryable failure (the next
 * run finds what is still missing); a stream out of order with `sorted`, or an empty source without
 * `allowEmptySource` while the remote holds records, is a failure not retried.
 * @example scheduler.define('crm-reconcile', reconcileJob({ listSource, listRemote, policy: 'archive', apply }));
 */
export function reconcileJob<Data = unknown>(
  options: ReconcileJobOptions<Data>,
): (job: JobContext<Data>) => Promise<ApiResult<ReconcileResult>> {
  const {
    policy,
    apply,
    sorted = false,
    batchSize = 100,
    maxReported = 100,
    allowEmptySource = false,
  } = options;
  return async (job) => {
    if (policy !== 'report' && typeof apply !== 'function') {
      return permanentFailure('CONFIG_ERROR', `The reconcile policy '${policy}' needs an apply function`);
    }
    const result: ReconcileResult = {
      policy,
      sourceCount: 0,
      remoteCount: 0,
      missing: 0,
      applied: 0,
      missingIds: [],
    };
    let batch: string[] = [];
    // Known before the first batch is applied: a sorted merge has counted only part of the source by then.
    let sourceEmpty = true;
    const flush = async (): Promise<ApiResult<void>> => {
      if (batch.length === 0 || policy === 'report' || !apply) return ok(undefined);
      if (sourceEmpty && !allowEmptySource) {
        return permanentFailure(
          'VALIDATION_ERROR',
          `The source listed no records while the remote holds some: refusing to ${policy} them all (allowEmptySource)`,
        );
      }
      const ids = batch;
      batch = [];
      const applied = await settle(() => apply(ids, policy, job));
      if (!applied.success)
        return retryableFailure(`Applying '${policy}' to ${ids.length} record(s) failed`, applied.error);
      result.applied += ids.length;
      return ok(undefined);
    };
    const missing = async (id: string | typeof NOT_EMPTY): Promise<ApiResult<void>> => {
      if (id === NOT_EMPTY) {
        sourceEmpty = false;
        return ok(undefined);
      }
      result.missing += 1;
      if (result.missingIds.length < maxReported) result.missingIds.push(id);
      if (policy === 'report') return ok(undefined);
      batch.push(id);
      return batch.length >= batchSize ? flush() : ok(undefined);
    };
    try {
      const compared = sorted
        ? await compareSorted(options, job, result, missing)
        : await compareSet(options, job, result, missing);
      if (!compared.success) return compared;
      const flushed = await flush();
      if (!flushed.success) return flushed;
    } catch (error) {
      return retryableFailure('Listing the records to reconcile failed', error);
    }
    if (job.signal.aborted) return retryableFailure('The reconciliation was stopped by close()');
    return ok(result);
  };
}

/** Called with each missing id, and once with NOT_EMPTY as soon as the source has yielded an id. */
type OnMissing = (id: string | typeof NOT_EMPTY) => Promise<ApiResult<void>>;
const NOT_EMPTY = Symbol('source not empty');

// Unsorted streams: the source's ids in a Set (memory grows with the source), the remote streamed against it.
async function compareSet<Data>(
  options: ReconcileJobOptions<Data>,
  job: JobContext<Data>,
  result: ReconcileResult,
  missing: OnMissing,
): Promise<ApiResult<void>> {
  const source = new Set<string>();
  for await (const id of options.listSource(job)) source.add(id);
  result.sourceCount = source.size;
  if (source.size > 0) await missing(NOT_EMPTY);
  for await (const id of options.listRemote(job)) {
    if (job.signal.aborted) break;
    result.remoteCount += 1;
    if (!source.has(id)) {
      const handled = await missing(id);
      if (!handled.success) return handled;
    }
  }
  return ok(undefined);
}

// Sorted streams: a merge of the two, one id of each in hand.
async function compareSorted<Data>(
  options: ReconcileJobOptions<Data>,
  job: JobContext<Data>,
  result: ReconcileResult,
  missing: OnMissing,
): Promise<ApiResult<void>> {
  const source = ascending(options.listSource(job), 'source');
  const remote = ascending(options.listRemote(job), 'remote');
  let s = await source.next();
  if (!s.done) await missing(NOT_EMPTY);
  let r = await remote.next();
  while (!r.done && !job.signal.aborted) {
    if (!s.done && s.value < r.value) {
      result.sourceCount += 1;
      s = await source.next();
      continue;
    }
    result.remoteCount += 1;
    if (!s.done && s.value === r.value) {
      result.sourceCount += 1;
      s = await source.next();
    } else {
      const handled = await missing(r.value);
      if (!handled.success) return handled;
    }
    r = await remote.next();
  }
  // The rest of the source is counted (it tells an empty source apart), not kept.
  while (!s.done && !job.signal.aborted) {
    result.sourceCount += 1;
    s = await source.next();
  }
  const disorder = source.disorder() ?? remote.disorder();
  return disorder ? permanentFailure('VALIDATION_ERROR', disorder) : ok(undefined);
}

// An iterator over a stream that stops (and says so) at the first id not greater than the one before it.
function ascending(stream: RecordStream<string>, label: string) {
  const iterator = (
    Symbol.asyncIterator in stream ? stream[Symbol.asyncIterator]() : stream[Symbol.iterator]()
  ) as AsyncIterator<string> | Iterator<string>;
  let previous: string | undefined;
  let disorder: string | undefined;
  return {
    async next(): Promise<IteratorResult<string, undefined>> {
      if (disorder) return { done: true, value: undefined };
      const step = await iterator.next();
      if (step.done) return { done: true, value: undefined };
      if (previous !== undefined && !(step.value > previous)) {
        disorder = `The ${label} ids are not in ascending order (or repeat): '${step.value}' came after '${previous}'`;
        return { done: true, value: undefined };
      }
      previous = step.value;
      return { done: false, value: step.value };
    },
    disorder: () => disorder,
  };
}

// A call that may throw, reject or return a failed ApiResult, as an outcome with the failure's cause.
async function settle(call: () => unknown): Promise<{ success: true } | { success: false; error: unknown }> {
  try {
    const value = await call();
    if (typeof value === 'object' && value !== null && (value as { success?: unknown }).success === false) {
      return { success: false, error: (value as { error?: unknown }).error };
    }
    return { success: true };
  } catch (error) {
    return { success: false, error };
  }
}
