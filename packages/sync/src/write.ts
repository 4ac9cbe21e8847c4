import { type ApiResult, err, IntegrationError, withRetry } from '@patchbay/core';
import type { Mapping } from '@patchbay/core/store';
import { cacheOf, type EngineContext, scopeOf } from './context.ts';
import type { ReportBuilder } from './report.ts';
import type { SyncWriteResult } from './sync-remote.ts';

/** A validated record ready to write: what is sent, its hash, and what the sync knew of it. */
export interface Prepared {
  externalId: string;
  input: unknown;
  hash: string;
  /** The remote id when the record is known to exist (mapping, cache or lookup). */
  remoteId?: string;
}

type Operation = 'upsert' | 'create' | 'update';

const DATA_ERRORS: ReadonlySet<string> = new Set(['VALIDATION_ERROR', 'CONFLICT', 'NOT_FOUND']);

/**
 * Writes records and saves their mappings, returning externalId → remote id of those written. Each record is
 * put in the outbox first, so a crash between the write and the saving of its id is settled by a lookup on
 * the next run instead of a second create. A data error in a batch is isolated by halving the batch until the
 * bad records stand alone; every other record is written. Failures are counted in `builder`.
 */
export async function write(
  context: EngineContext,
  type: string,
  items: readonly Prepared[],
  builder: ReportBuilder,
): Promise<Map<string, string>> {
  const written = new Map<string, string>();
  if (items.length === 0) return written;
  const { remote } = context;
  const groups: [Operation, Prepared[]][] = remote.upsert
    ? [['upsert', [...items]]]
    : [
        ['create', items.filter((item) => item.remoteId === undefined)],
        ['update', items.filter((item) => item.remoteId !== undefined)],
      ];
  const outbox = await context.store.syncState.outboxPut(
    scopeOf(context, type),
    groups.flatMap(([operation, group]) =>
      group.map((item) => ({
        externalId: item.externalId,
        operation,
        contentHash: item.hash,
        createdAt: context.now(),
      })),
    ),
  );
  if (!outbox.success) {
    builder.fail(
      items.map((item) => item.externalId),
      outbox.error,
    );
    return written;
  }
  for (const [operation, group] of groups) {
    if (group.length > 0) await writeHalving(context, type, operation, group, builder, written);
  }
  return written;
}

async function writeHalving(
  context: EngineContext,
  type: string,
  operation: Operation,
  items: Prepared[],
  builder: ReportBuilder,
  written: Map<string, string>,
): Promise<void> {
  const ids = items.map((item) => item.externalId);
  const result = await withRetry(
    async (attempt) => {
      if (attempt > 1) for (const id of ids) cacheOf(context, type).delete(id);
      return send(context, type, operation, items);
    },
    // Seed 001's conflict handling: the record we knew was deleted, or another writer created it first; an
    // upsert matches on the external id, so trying again updates the record that now exists.
    {
      retries: 3,
      initialDelayMs: 100,
      shouldRetry: (error) => error.code === 'CONFLICT' && items.length === 1,
    },
  );
  if (!result.success) {
    // Seed 001: a record deleted in the remote is written again. An update by remote id finds it gone; its
    // mapping is stale, so it is forgotten and the record created anew (the outbox entry covers the create).
    if (
      operation === 'update' &&
      items.length === 1 &&
      result.error.code === 'NOT_FOUND' &&
      context.remote.create
    ) {
      const [item] = items as [Prepared];
      const forgotten = await context.store.mappings.deleteMany(scopeOf(context, type), [item.externalId]);
      if (forgotten.success) {
        cacheOf(context, type).delete(item.externalId);
        const { remoteId: _stale, ...fresh } = item;
        await writeHalving(context, type, 'create', [fresh], builder, written);
        return;
      }
    }
    const dataError = isDataError(context, result.error);
    if (dataError && items.length > 1) {
      const middle = Math.ceil(items.length / 2);
      await writeHalving(context, type, operation, items.slice(0, middle), builder, written);
      await writeHalving(context, type, operation, items.slice(middle), builder, written);
      return;
    }
    // A data error means nothing was written; a transport failure may have been committed: keep the outbox
    // entries then, so the next run looks those records up before writing again.
    if (dataError) await context.store.syncState.outboxDelete(scopeOf(context, type), ids);
    builder.fail(ids, result.error);
    return;
  }
  await commit(context, type, items, result.data, builder, written);
}

async function send(
  context: EngineContext,
  type: string,
  operation: Operation,
  items: readonly Prepared[],
): Promise<ApiResult<SyncWriteResult>> {
  const { remote } = context;
  const payload = items.map((item) => ({ externalId: item.externalId, input: item.input }));
  if (operation === 'upsert' && remote.upsert) return remote.upsert(type, payload);
  if (operation === 'create' && remote.create) return remote.create(type, payload);
  if (operation === 'update' && remote.update) {
    return remote.update(
      type,
      items.map((item) => ({ externalId: item.externalId, input: item.input, remoteId: item.remoteId! })),
    );
  }
  return err(
    new IntegrationError('CONFIG_ERROR', `The remote cannot ${operation} records`, { field: 'remote' }),
  );
}

function isDataError(context: EngineContext, error: IntegrationError): boolean {
  try {
    if (context.remote.isDataError) return context.remote.isDataError(error) === true;
  } catch {
    // A classifier that throws: fall back to the default below.
  }
  return DATA_ERRORS.has(error.code);
}

/** Saves the mappings of what the remote wrote, and counts each record once. */
async function commit(
  context: EngineContext,
  type: string,
  items: readonly Prepared[],
  outcomes: SyncWriteResult,
  builder: ReportBuilder,
  written: Map<string, string>,
): Promise<void> {
  const scope = scopeOf(context, type);
  const mappings: Mapping[] = [];
  const created: boolean[] = [];
  const refused: string[] = [];
  for (const item of items) {
    const outcome = outcomes instanceof Map ? outcomes.get(item.externalId) : undefined;
    if (outcome && 'error' in outcome) {
      builder.fail([item.externalId], outcome.error);
      refused.push(item.externalId);
      continue;
    }
    if (!outcome || typeof outcome.remoteId !== 'string' || outcome.remoteId === '') {
      builder.fail(
        [item.externalId],
        new IntegrationError('INVALID_RESPONSE', 'The remote did not return the record it was sent'),
      );
      continue;
    }
    mappings.push({
      externalId: item.externalId,
      remoteId: outcome.remoteId,
      contentHash: item.hash,
      syncedAt: context.now(),
    });
    // A record the sync knew is an update; for the others the remote's answer tells (an upsert that matched a
    // record a lost database forgot is an update too), and without one it was a create.
    created.push(item.remoteId === undefined && outcome.created !== false);
  }
  // The remote refused these alone: nothing of them was written, so nothing is in flight.
  if (refused.length > 0) await context.store.syncState.outboxDelete(scope, refused);
  if (mappings.length === 0) return;
  const committed = await context.store.commitMappings(scope, mappings);
  if (!committed.success) {
    // The remote has the records; only our bookkeeping failed. The outbox entries stay for recovery.
    builder.fail(
      mappings.map((mapping) => mapping.externalId),
      committed.error,
    );
    return;
  }
  const cache = cacheOf(context, type);
  for (const [index, mapping] of mappings.entries()) {
    cache.set(mapping.externalId, mapping);
    written.set(mapping.externalId, mapping.remoteId);
    if (created[index]) builder.report.created++;
    else builder.report.updated++;
  }
}
