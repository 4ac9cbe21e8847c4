import { type ApiResult, err, IntegrationError, ok, settle, unexpectedFailure } from '@patchbay/core';
import type { SyncRun } from '@patchbay/core/store';
import type { EngineContext } from './context.ts';
import { cacheOf, scopeOf } from './context.ts';
import { withLease } from './lease.ts';
import { createLookupCache, type LookupCache } from './lookup-cache.ts';
import { parseEngineOptions, type SyncEngineOptions } from './options.ts';
import { readRecord } from './read-record.ts';
import { openRecordSource } from './record-source.ts';
import { type RecoveryReport, recoverOutbox } from './recover.ts';
import { createReport, type ReportBuilder, type SyncReport } from './report.ts';
import { streamChunks } from './stream.ts';
import type { SyncObject, SyncRecordOf } from './sync-object.ts';

/** The outcome of a single upsert. */
export interface SyncUpsertOutcome {
  /** The remote id; null when the sync is disabled. */
  remoteId: string | null;
  created: boolean;
  updated: boolean;
  unchanged: boolean;
  skipped?: 'disabled';
}

/** Records of one type, as an array, an iterable or an async iterable (streamed, never held whole). */
export type SyncRecords<T> = Iterable<T> | AsyncIterable<T>;

/** The engine of one integration: every call resolves to an ApiResult, never rejects. */
export interface SyncEngine<TObjects extends Record<string, SyncObject>> {
  /** The object types, in declaration order. */
  readonly objectTypes: readonly (keyof TObjects & string)[];
  /** Streams records in chunks: unchanged ones are skipped, the others written; one bad record never stops the rest. */
  upsertMany<T extends keyof TObjects & string>(
    type: T,
    records: SyncRecords<SyncRecordOf<TObjects[T]>>,
  ): Promise<ApiResult<SyncReport>>;
  /** One record: its failure is the call's error. */
  upsertOne<T extends keyof TObjects & string>(
    type: T,
    record: SyncRecordOf<TObjects[T]>,
  ): Promise<ApiResult<SyncUpsertOutcome>>;
  /** Settles writes a crash left in flight (the outbox). Runs by itself before the first sync. */
  recover(): Promise<ApiResult<RecoveryReport>>;
}

/**
 * Creates the sync engine a connector runs on: idempotent batched writes through the connector's remote,
 * mappings and an outbox in any store, a lease so workers take turns, a run log, and crash recovery. Throws
 * `CONFIG_ERROR` naming every invalid option.
 * @example
 * const engine = createSyncEngine({ integration: 'acme-crm', store, remote, objects: { company, person } });
 * const report = await engine.upsertMany('person', usersFromYourDatabase());
 */
export function createSyncEngine<TObjects extends Record<string, SyncObject>>(
  options: SyncEngineOptions<TObjects>,
): SyncEngine<TObjects> {
  const parsed = parseEngineOptions(options);
  const { integration, store, lease, mode, onProgress, maxReportedFailures } = parsed;
  const types = Object.keys(parsed.objects) as (keyof TObjects & string)[];
  const caches = new Map<string, LookupCache>(
    types.map((type) => [type, createLookupCache({ ...parsed.cache, now: parsed.now })]),
  );
  const context: EngineContext = {
    integration,
    store,
    remote: parsed.remote,
    objects: new Map(Object.entries(parsed.objects)),
    batchSize: parsed.batchSize,
    concurrency: parsed.concurrency,
    mode,
    maxReportedFailures,
    caches,
    creating: new Map(),
    now: parsed.now,
  };
  const leaseName = `${integration}:sync`;
  let recovered: Promise<ApiResult<RecoveryReport>> | undefined;

  // Once per engine, until it succeeds. Settled: a recovery that threw (a remote answering garbage) must fail
  // this call only, not stay cached as a rejection that fails every later call of the engine.
  async function recoverOnce(): Promise<ApiResult<RecoveryReport>> {
    recovered ??= settle('recover', () => recoverOutbox(context));
    const result = await recovered;
    if (!result.success) recovered = undefined;
    return result;
  }

  function unknownType(type: unknown): IntegrationError | undefined {
    if (typeof type === 'string' && context.objects.has(type)) return undefined;
    return new IntegrationError('VALIDATION_ERROR', `type must be one of ${types.join(', ')}`, {
      field: 'type',
      retryable: false,
    });
  }

  async function upsertMany(
    type: string,
    records: unknown,
    keep = maxReportedFailures,
  ): Promise<ApiResult<SyncReport>> {
    const invalidType = unknownType(type);
    if (invalidType) return err(invalidType);
    const builder = createReport(type, mode, keep, context.remote.stopsRun);
    if (mode === 'disabled') return ok({ ...builder.report, skipped: 'disabled' });
    const opened = openRecordSource(records, 'records');
    if (!opened.success) return opened;
    const source = opened.data;
    const result = await withLease(store, leaseName, lease, async (leaseLost) => {
      // A recovery that cannot reach the remote now is not fatal: its entries stay for the next run, and the
      // writes find what landed anyway.
      const recovery = await recoverOnce();
      if (!recovery.success && !recovery.error.retryable) return recovery;
      const run = await store.syncState.startRun(`${integration}:${type}`);
      let outcome: ApiResult<SyncReport>;
      try {
        outcome = await streamChunks(context, type, source, builder, { leaseLost, onProgress });
      } catch (error) {
        // Not reachable through the checks above; should it be, the run still ends `failed`, not `running`.
        outcome = err(unexpectedFailure(`upsertMany (${type})`, error));
      }
      if (run.success) await finishRun(run.data, builder, outcome);
      return outcome;
    });
    // Stopped early (lease lost, or never held): the caller's iterator gets its return().
    await source.close();
    return result;
  }

  async function finishRun(
    run: SyncRun,
    builder: ReportBuilder,
    outcome: ApiResult<SyncReport>,
  ): Promise<void> {
    const { report } = builder;
    await store.syncState.finishRun(run.id, {
      status: !outcome.success || report.failed > 0 ? 'failed' : 'succeeded',
      counts: {
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged,
        failed: report.failed,
      },
      lastErrorCode: outcome.success ? builder.lastErrorCode : outcome.error.code,
    });
  }

  async function upsertOne(type: string, record: unknown): Promise<ApiResult<SyncUpsertOutcome>> {
    const invalidType = unknownType(type);
    if (invalidType) return err(invalidType);
    if (mode === 'disabled') {
      return ok({ remoteId: null, created: false, updated: false, unchanged: false, skipped: 'disabled' });
    }
    // Read once: the copy is what is synced and what the remote id is looked up by afterwards. The plain copy
    // goes through upsertMany, not the validated record: a schema may reshape the caller's fields.
    const read = await readRecord(context.objects.get(type)!, type, record, 0);
    if (!read.ok) return err(read.error);
    // One record: its failure, if any, is kept whatever maxReportedFailures says.
    const report = await upsertMany(type, [read.copy], 1);
    if (!report.success) return report;
    const failure = report.data.failures[0];
    if (failure) return err(failure.error);
    const { externalId } = read;
    const known = cacheOf(context, type).get(externalId);
    const stored = known ? undefined : await store.mappings.getMany(scopeOf(context, type), [externalId]);
    if (stored && !stored.success) return stored;
    const remoteId = known?.remoteId ?? stored?.data.get(externalId)?.remoteId;
    if (!remoteId) {
      return err(new IntegrationError('OPERATION_FAILED', `No remote id recorded for ${type} ${externalId}`));
    }
    const { created, updated, unchanged } = report.data;
    return ok({ remoteId, created: created > 0, updated: updated > 0, unchanged: unchanged > 0 });
  }

  return {
    objectTypes: Object.freeze([...types]),
    // Every call resolves: a value no check foresaw, or a bug, is a typed failure instead of a rejection.
    upsertMany: (type, records) => settle('upsertMany', () => upsertMany(type, records)),
    upsertOne: (type, record) => settle('upsertOne', () => upsertOne(type, record)),
    // Asked for, it runs again (under the lease: another worker's in-flight entries are not ours to settle).
    recover: () => settle('recover', () => withLease(store, leaseName, lease, () => recoverOutbox(context))),
  };
}
