import {
  type ApiResult,
  err,
  IntegrationError as Integration,
  type IntegrationError,
  ok,
} from '@patchbay/core';
import type { RemoteMatch, SyncRemote, SyncWriteItem, SyncWriteResult } from '@patchbay/sync';
import type { PipedriveClient } from '../client.ts';
import type { PipedriveResource } from '../resource.ts';
import { PIPEDRIVE_SYNC_RESOURCES, type PipedriveSyncType } from './objects.ts';
import { EXTERNAL_ID_NAME, type PipedriveSyncInput } from './records.ts';
import { createRemoteIndex, type IndexedRecord, type RemoteIndex } from './remote-index.ts';

/** Options of {@link createPipedriveRemote}. */
export interface PipedriveRemoteOptions {
  /** The client, built on first use (a disabled sync never builds one). */
  client: () => PipedriveClient;
  /** Requests one write call keeps in flight (the client's limiter paces them). Default 4. */
  writeConcurrency?: number;
  /** Records per page of the index's reads, 1–500. Default 500. */
  pageSize?: number;
}

/** Records the engine hands one write call: Pipedrive writes one record per request, so this only sets the rhythm. */
export const PIPEDRIVE_SYNC_BATCH_SIZE = 100;

/** A record as the sync reads it: id, update time and `custom` by the client's names. */
type SyncedRecord = IndexedRecord & { custom?: Record<string, unknown> };
type Resource = PipedriveResource<SyncedRecord, PipedriveSyncInput>;

// Refusals: Pipedrive wrote nothing (a 400 for a bad value, a 404 for a record gone, a 409).
const DATA_ERRORS: ReadonlySet<string> = new Set(['VALIDATION_ERROR', 'CONFLICT', 'NOT_FOUND']);
// Failures raised before any request left: nothing can have landed.
const NOT_SENT: ReadonlySet<string> = new Set(['RATE_LIMIT', 'CONFIG_ERROR', 'AUTH_ERROR']);

const externalIdOf = (record: SyncedRecord) => {
  const value = record.custom?.[EXTERNAL_ID_NAME];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

// Runs `task` on each item, at most `limit` at once (each task records its own outcome).
async function eachAtMost<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * The sync engine's remote for Pipedrive, which has neither an upsert nor a lookup by custom field (search reads
 * an index that lags behind writes): `find` answers from an index of each type kept by one full read and then
 * reads of what changed since (`updated_since`); creates and updates go one record per request. A create whose
 * answer was lost is settled by reading the changes again: found, it is a success; not found, it failed.
 */
export function createPipedriveRemote(options: PipedriveRemoteOptions): SyncRemote<PipedriveSyncInput> {
  const writeConcurrency = options.writeConcurrency ?? 4;
  const pageSize = options.pageSize ?? 500;
  const indexes = new Map<string, RemoteIndex<SyncedRecord>>();

  const resourceOf = (type: string): ApiResult<Resource> => {
    if (!Object.hasOwn(PIPEDRIVE_SYNC_RESOURCES, type)) {
      return err(new Integration('VALIDATION_ERROR', `Unknown sync type ${type}`, { field: 'type' }));
    }
    const name = PIPEDRIVE_SYNC_RESOURCES[type as PipedriveSyncType];
    return ok(options.client()[name] as unknown as Resource);
  };

  const indexOf = (type: string, resource: Resource) => {
    let index = indexes.get(type);
    if (!index) {
      index = createRemoteIndex<SyncedRecord>({
        list: (since) =>
          (async function* () {
            for await (const page of resource.list({
              limit: pageSize,
              ...(since === undefined ? {} : { updated_since: since }),
              maxPages: Number.MAX_SAFE_INTEGER,
            })) {
              yield page;
            }
          })(),
        externalIdOf,
      });
      indexes.set(type, index);
    }
    return index;
  };

  // A write that failed without a refusal may have landed: the changes read again tell.
  async function settleLost(
    type: string,
    resource: Resource,
    lost: { item: SyncWriteItem<PipedriveSyncInput>; error: IntegrationError }[],
    outcomes: SyncWriteResult,
  ): Promise<ApiResult<void>> {
    if (lost.length === 0) return ok(undefined);
    const index = indexOf(type, resource);
    const refreshed = await index.refresh();
    if (!refreshed.success) return refreshed;
    for (const { item, error } of lost) {
      const found = index.get(item.externalId);
      outcomes.set(item.externalId, found ? { remoteId: String(found.id), created: true } : { error });
    }
    return ok(undefined);
  }

  return {
    maxBatchSize: PIPEDRIVE_SYNC_BATCH_SIZE,

    async find(type, externalIds): Promise<ApiResult<Map<string, RemoteMatch>>> {
      const resource = resourceOf(type);
      if (!resource.success) return resource;
      const found = new Map<string, RemoteMatch>();
      if (externalIds.length === 0) return ok(found);
      const index = indexOf(type, resource.data);
      const refreshed = await index.refresh();
      if (!refreshed.success) return refreshed;
      for (const externalId of externalIds) {
        const record = index.get(externalId);
        if (record) found.set(externalId, { remoteId: String(record.id), record });
      }
      return ok(found);
    },

    async create(type, items) {
      const resource = resourceOf(type);
      if (!resource.success) return resource;
      const outcomes: SyncWriteResult = new Map();
      const lost: { item: SyncWriteItem<PipedriveSyncInput>; error: IntegrationError }[] = [];
      await eachAtMost(items, writeConcurrency, async (item) => {
        const created = await resource.data.create(item.input);
        if (created.success) {
          indexOf(type, resource.data).remember(created.data);
          outcomes.set(item.externalId, { remoteId: String(created.data.id), created: true });
        } else if (DATA_ERRORS.has(created.error.code) || NOT_SENT.has(created.error.code)) {
          outcomes.set(item.externalId, { error: created.error });
        } else lost.push({ item, error: created.error });
      });
      const settled = await settleLost(type, resource.data, lost, outcomes);
      // Unsettled, every record stays in the outbox and the next run looks them up before writing again.
      return settled.success ? ok(outcomes) : settled;
    },

    async update(type, items) {
      const resource = resourceOf(type);
      if (!resource.success) return resource;
      const outcomes: SyncWriteResult = new Map();
      let gone: IntegrationError | undefined;
      await eachAtMost(items, writeConcurrency, async (item) => {
        const updated = await resource.data.update(Number(item.remoteId), item.input);
        if (updated.success) {
          indexOf(type, resource.data).remember(updated.data);
          outcomes.set(item.externalId, { remoteId: String(updated.data.id), created: false });
        } else {
          if (updated.error.code === 'NOT_FOUND') {
            gone ??= updated.error;
            // Else find keeps answering the deleted record, and it shadows the copy created in its place.
            indexOf(type, resource.data).forget(Number(item.remoteId));
          }
          outcomes.set(item.externalId, { error: updated.error });
        }
      });
      // A record deleted in Pipedrive: the engine halves the batch down to it, forgets its mapping and creates it
      // again. The others are sent again on the way (a PATCH sets the same values twice).
      if (gone) return err(gone);
      return ok(outcomes);
    },

    isDataError: (error) => DATA_ERRORS.has(error.code),
    // The daily budget spent, the external-id field missing, or the credentials refused (a 401 the client could
    // not cure by a refresh): every later call would fail the same way (until the reset, until setup() runs,
    // until someone fixes the token), so the run stops instead of failing each record. A 403 may concern one
    // record (its visibility) and does not stop it.
    stopsRun: (error) =>
      ((error.code === 'RATE_LIMIT' || error.code === 'CONFIG_ERROR') && error.retryable === false) ||
      (error.code === 'AUTH_ERROR' && error.status === 401),
  };
}
