// Exact Online's changes since a checkpoint, for the scheduler's pullSyncJob: a first load, then the entity's sync
// endpoint (`Timestamp gt {n}L`, 1 000 a page) and, with `includeDeleted`, `sync/Deleted` for its EntityType.
//
// The first load reads the bulk endpoint (1 000 a page) and joins the Sync API without a gap. Bulk records carry no
// row version, so before reading, SyncTimestamp maps a minute before now (room for clock skew) to a row version S:
// every record modified since then has a version above S. The load then reads `Modified lt T`, T being now, in key
// order (its `$filter` also meets Exact's mandatory filtering), and the Sync API continues from S. A record not
// changed since S was modified more than a minute before T, so the load reads it; any other has a version above S,
// so the Sync API reads it (those modified in that last minute or during the load come twice; pullSyncJob is at
// least once anyway). Deletions are read from S too: a record deleted before S is absent from the load. A load
// stopped half-way resumes after the last key handed out (`$skiptoken=guid'…'`, as Exact's own next links write it)
// with the same T and S, kept in the checkpoint `"load:<S>:<T epoch ms>:<last key>"`.
//
// `firstLoad: 'sync'` reads the sync endpoint from row version 1 instead (one pass, no date mapping, and with
// `includeDeleted` every deletion Exact still keeps, keys never upserted among them).
//
// After the load the checkpoint is `"<records ts>:<deleted ts>"`, two Int64 row versions. One number does not
// suffice although the row version is division-wide: the records are read to their end first and the deletions
// after, so a record written after its stream ended (ts 105) and a deletion written after that (ts 106) would leave
// one number at 106 and the record would never be read. Each half moves only over its own stream, and only forward.
// Without `includeDeleted` the deletions half stays as it was (so turning deletions on later reads them from there).
// Pages follow Exact's order by Timestamp (its `__next` skiptoken is the last Timestamp of the page).
import { IntegrationError } from '@patchbay/core';
import type { ExactClient } from './client.ts';
import { type ExactDeletedSource, exactDeletions } from './deleted.ts';
import { exactFilter } from './filter.ts';
import { isGuid } from './odata.ts';
import type {
  ExactAccount,
  ExactContact,
  ExactGLAccount,
  ExactItem,
  ExactSalesInvoice,
  ExactTransactionLine,
} from './records.ts';
import { exactSyncTimestamp } from './sync-timestamp.ts';

/** The entity sets whose changes can be pulled (Exact has a sync endpoint and a deletion type for each). */
export type ExactChangesEntity =
  | 'accounts'
  | 'contacts'
  | 'salesInvoices'
  | 'items'
  | 'glAccounts'
  | 'transactionLines';

/** A record of the pulled entity set. */
export type ExactChangeRecord<E extends ExactChangesEntity> = E extends 'accounts'
  ? ExactAccount
  : E extends 'contacts'
    ? ExactContact
    : E extends 'salesInvoices'
      ? ExactSalesInvoice
      : E extends 'items'
        ? ExactItem
        : E extends 'glAccounts'
          ? ExactGLAccount
          : ExactTransactionLine;

/** One change: a record created or changed (as read now), or the key of one deleted. */
export type ExactChange<R> =
  | { kind: 'upsert'; record: R }
  | {
      kind: 'delete';
      /** The deleted record's key (its ID; a sales invoice's InvoiceID), lower-cased. */
      key: string;
      /** Row version of the deletion (Int64 as text). */
      timestamp: string;
    };

/** One page of changes and the checkpoint that resumes after it (the shape of the scheduler's `PullPage`). */
export interface ExactChangesPage<R> {
  changes: ExactChange<R>[];
  /**
   * `"<records row version>:<deletions row version>"` (Int64s as decimal text), or during a bulk first load
   * `"load:<row version>:<epoch ms>:<last key>"`. Store it as text; its form is this package's to change.
   */
  checkpoint: string;
}

/** Options of {@link exactChanges}. */
export interface ExactChangesOptions<E extends ExactChangesEntity> {
  /** An Exact client (its entity set, division, HTTP client and error budget are used). */
  client: Pick<ExactClient, E> & ExactDeletedSource;
  /** Which records to pull. */
  entity: E;
  /** Also report deletions from `sync/Deleted`. Default false. */
  includeDeleted?: boolean;
  /** Changes per page handed out, 1 to 1 000 (Exact's pages are 1 000; smaller splits them). Default 1 000. */
  pageSize?: number;
  /** How a pull from no checkpoint reads what exists: the bulk endpoint joined to the Sync API, or the Sync API from row version 1. Default `'bulk'`. */
  firstLoad?: 'bulk' | 'sync';
  /** Epoch ms now, on a clock close to Exact's (a simulated one in tests). Default `Date.now`. */
  clock?: () => number;
}

/** A connector's `pull` for pullSyncJob: the changes after `checkpoint` (null: from the start), page by page. */
export type ExactPull<R> = (
  checkpoint: string | null,
  signal?: AbortSignal,
) => AsyncIterable<ExactChangesPage<R>>;

const ENTITIES: readonly string[] = [
  'accounts',
  'contacts',
  'salesInvoices',
  'items',
  'glAccounts',
  'transactionLines',
];
const MAX_PAGE_SIZE = 1_000;
// How far before now the bulk load's instant is mapped to a row version: room for a clock ahead of Exact's and for
// SyncTimestamp answering a little late (records modified in that minute are read twice, by the load and the Sync API).
const CLOCK_MARGIN_MS = 60_000;
// The key a record of each entity set is read in order of on the bulk endpoint.
const KEYS: Readonly<Record<string, string>> = { salesInvoices: 'InvoiceID' };
const INT64_MAX = 9_223_372_036_854_775_807n;
// Exact's documented start of a sync: `Timestamp gt 1L`.
const START = 1n;

interface Position {
  kind: 'sync';
  records: bigint;
  deleted: bigint;
}

// A bulk first load under way: the row version the Sync API continues from, the instant the load reads up to (its
// records modified before it) and the last key handed out ('' before the first).
interface Load {
  kind: 'load';
  start: bigint;
  before: number;
  after: string;
}

/**
 * Exact Online's changed records (and, with `includeDeleted`, deleted keys) of one entity set as pages for the
 * scheduler's `pullSyncJob`, oldest change first: the records by row version, then the deletions. Its options are
 * checked at once; the pull's failures follow pullSyncJob's contract: iterating throws the typed
 * `IntegrationError` (a malformed checkpoint is `VALIDATION_ERROR`, field `checkpoint`; Exact's failures keep their
 * codes, e.g. `RATE_LIMIT` when the day is spent), and an aborted `signal` simply ends the pages.
 * @example
 * const pull = exactChanges({ client: exact, entity: 'accounts', includeDeleted: true });
 * scheduler.define('exact-accounts', pullSyncJob({ name: 'exact-accounts', store, pull, handle }));
 * @throws IntegrationError `CONFIG_ERROR` for a bad `client`, `entity`, `includeDeleted` or `pageSize`, when called.
 */
export function exactChanges<E extends ExactChangesEntity>(
  options: ExactChangesOptions<E>,
): ExactPull<ExactChangeRecord<E>> {
  const {
    client,
    entity,
    includeDeleted = false,
    pageSize = MAX_PAGE_SIZE,
    firstLoad = 'bulk',
    clock = Date.now,
  } = options ?? ({} as ExactChangesOptions<E>);
  if (!ENTITIES.includes(entity)) {
    throw new IntegrationError('CONFIG_ERROR', `exactChanges: entity must be one of ${ENTITIES.join(', ')}`, {
      field: 'entity',
    });
  }
  if (typeof includeDeleted !== 'boolean') {
    throw new IntegrationError('CONFIG_ERROR', 'exactChanges: includeDeleted must be a boolean', {
      field: 'includeDeleted',
    });
  }
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new IntegrationError(
      'CONFIG_ERROR',
      `exactChanges: pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}`,
      { field: 'pageSize' },
    );
  }
  if (firstLoad !== 'bulk' && firstLoad !== 'sync') {
    throw new IntegrationError('CONFIG_ERROR', "exactChanges: firstLoad must be 'bulk' or 'sync'", {
      field: 'firstLoad',
    });
  }
  if (typeof clock !== 'function') {
    throw new IntegrationError('CONFIG_ERROR', 'exactChanges: clock must be a function', { field: 'clock' });
  }
  const resource = (client as Partial<Pick<ExactClient, ExactChangesEntity>> | undefined)?.[entity];
  if (
    typeof resource?.sync !== 'function' ||
    typeof resource?.bulk !== 'function' ||
    typeof client.http !== 'function' ||
    typeof client.division !== 'function'
  ) {
    throw new IntegrationError(
      'CONFIG_ERROR',
      `exactChanges: client must be an Exact client with ${entity}`,
      {
        field: 'client',
      },
    );
  }

  type R = ExactChangeRecord<E>;
  const key = KEYS[entity] ?? 'ID';

  return async function* pull(checkpoint, signal) {
    const given = checkpoint === null || checkpoint === undefined ? undefined : parseCheckpoint(checkpoint);
    // Throws the failure typed, unless a stop was asked for: then the pages simply end.
    const failed = (error: IntegrationError): boolean => {
      if (signal?.aborted) return true;
      throw error;
    };

    let at: Position;
    if (given?.kind === 'sync') at = given;
    else if (given === undefined && firstLoad === 'sync')
      at = { kind: 'sync', records: START, deleted: START };
    else {
      let load = given;
      if (load === undefined) {
        const before = Math.floor(clock());
        const start = await exactSyncTimestamp(client, {
          entity,
          modified: before - CLOCK_MARGIN_MS,
          ...(signal ? { signal } : {}),
        });
        if (!start.success) {
          failed(start.error);
          return;
        }
        load = { kind: 'load', start: BigInt(start.data), before, after: '' };
      }
      const current = load;
      const text = () => `load:${current.start}:${current.before}:${current.after}`;
      for await (const page of resource.bulk({
        filter: exactFilter.lt('Modified', new Date(current.before)),
        ...(current.after ? { after: current.after } : {}),
        ...(signal ? { signal } : {}),
      })) {
        if (!page.success) {
          if (failed(page.error)) return;
          continue;
        }
        const records = page.data as R[];
        for (let from = 0; from < records.length; from += pageSize) {
          const chunk = records.slice(from, from + pageSize);
          const last = (chunk[chunk.length - 1] as Record<string, unknown>)[key];
          if (!isGuid(last)) {
            throw new IntegrationError(
              'INVALID_RESPONSE',
              `Exact's ${entity} bulk read answered a record without a GUID ${key}; the load cannot resume after it`,
              { field: key, retryable: false },
            );
          }
          current.after = last;
          yield { changes: chunk.map((record) => ({ kind: 'upsert' as const, record })), checkpoint: text() };
        }
        if (signal?.aborted) return;
      }
      if (signal?.aborted) return;
      at = { kind: 'sync', records: current.start, deleted: current.start };
      // The load is over: saved, so that a restart does not read the bulk endpoint again.
      yield { changes: [], checkpoint: `${at.records}:${at.deleted}` };
    }
    const format = () => `${at.records}:${at.deleted}`;

    const start = at.records;
    for await (const page of resource.sync({ since: start.toString(), ...(signal ? { signal } : {}) })) {
      if (!page.success) {
        if (failed(page.error)) return;
        continue;
      }
      const records = page.data.items as R[];
      for (let from = 0; from < records.length; from += pageSize) {
        const chunk = records.slice(from, from + pageSize);
        for (const record of chunk) {
          const stamp = (record as { Timestamp?: unknown }).Timestamp;
          if (typeof stamp !== 'string' || BigInt(stamp) <= start) {
            throw new IntegrationError(
              'INVALID_RESPONSE',
              `Exact's ${entity} sync answered a record without a Timestamp after ${start}; the checkpoint cannot move past it`,
              { field: 'Timestamp', retryable: false },
            );
          }
          if (BigInt(stamp) > at.records) at.records = BigInt(stamp);
        }
        yield { changes: chunk.map((record) => ({ kind: 'upsert' as const, record })), checkpoint: format() };
      }
      if (signal?.aborted) return;
    }
    if (!includeDeleted || signal?.aborted) return;

    for await (const page of exactDeletions(client, {
      since: at.deleted,
      entity,
      ...(signal ? { signal } : {}),
    })) {
      if (!page.success) {
        if (failed(page.error)) return;
        continue;
      }
      const moved = BigInt(page.data.timestamp);
      const deletions = page.data.items;
      // A page of other entities' deletions still moves the checkpoint, so they are not read again next time.
      if (deletions.length === 0) {
        if (moved > at.deleted) {
          at.deleted = moved;
          yield { changes: [], checkpoint: format() };
        }
        continue;
      }
      for (let from = 0; from < deletions.length; from += pageSize) {
        const chunk = deletions.slice(from, from + pageSize);
        const last = from + pageSize >= deletions.length;
        // A split page: each part's checkpoint is its last deletion's; the whole page's (other types included) last.
        const stamp = last ? moved : BigInt(chunk[chunk.length - 1]!.timestamp);
        if (stamp > at.deleted) at.deleted = stamp;
        yield {
          changes: chunk.map((deletion) => ({
            kind: 'delete' as const,
            key: deletion.key,
            timestamp: deletion.timestamp,
          })),
          checkpoint: format(),
        };
      }
      if (signal?.aborted) return;
    }
  };
}

const INT64_TEXT = /^\d{1,19}$/;
const isRowVersion = (part: string) => INT64_TEXT.test(part) && BigInt(part) <= INT64_MAX;

function parseCheckpoint(checkpoint: unknown): Position | Load {
  const parts = typeof checkpoint === 'string' ? checkpoint.split(':') : [];
  if (parts.length === 2 && parts.every(isRowVersion)) {
    return { kind: 'sync', records: BigInt(parts[0]!), deleted: BigInt(parts[1]!) };
  }
  if (
    parts.length === 4 &&
    parts[0] === 'load' &&
    isRowVersion(parts[1]!) &&
    /^\d{1,15}$/.test(parts[2]!) &&
    (parts[3] === '' || isGuid(parts[3]))
  ) {
    return {
      kind: 'load',
      start: BigInt(parts[1]!),
      before: Number(parts[2]),
      after: parts[3]!.toLowerCase(),
    };
  }
  const shown = typeof checkpoint === 'string' ? JSON.stringify(checkpoint.slice(0, 120)) : typeof checkpoint;
  throw new IntegrationError(
    'VALIDATION_ERROR',
    `Invalid Exact Online checkpoint ${shown}: expected "<records row version>:<deletions row version>" (two Int64s) or a load's "load:<row version>:<epoch ms>:<last key>"`,
    { field: 'checkpoint', retryable: false },
  );
}
