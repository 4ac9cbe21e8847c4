// Exact Online's changes since a checkpoint, for the scheduler's pullSyncJob: the entity's sync endpoint
// (`Timestamp gt {n}L`, 1 000 a page) and, with `includeDeleted`, `sync/Deleted` for its EntityType.
//
// The first load reads the sync endpoint from row version 1 too, not the bulk endpoint: Exact recommends the sync
// API for initial loads, the bulk endpoints refuse an unfiltered read ("mandatory filtering") and answer no
// Timestamp, and a bulk load would need a separate start for the follow-up sync (SyncTimestamp maps a date to an
// approximate row version), leaving a window where a change could be missed or read twice.
//
// The checkpoint is `"<records ts>:<deleted ts>"`, two Int64 row versions. One number does not suffice although the
// row version is division-wide: the records are read to their end first and the deletions after, so a record
// written after its stream ended (ts 105) and a deletion written after that (ts 106) would leave one number at 106
// and the record would never be read. Each half moves only over its own stream, and only forward. Without
// `includeDeleted` the deletions half stays as it was (so turning deletions on later reads them from there).
//
// A first load with `includeDeleted` also hands out the deletions Exact still keeps from before it (keys never
// upserted): the row version at the start of the load is not known exactly (SyncTimestamp maps a date to an
// approximate one), and starting the deletions later than that could drop the deletion of a record read during the
// load. The handler is idempotent anyway (pullSyncJob delivers at least once), so deleting an unknown key is a no-op.
// Pages follow Exact's order by Timestamp (its `__next` skiptoken is the last Timestamp of the page).
import { IntegrationError } from '@patchbay/core';
import type { ExactClient } from './client.ts';
import { type ExactDeletedSource, exactDeletions } from './deleted.ts';
import type {
  ExactAccount,
  ExactContact,
  ExactGLAccount,
  ExactItem,
  ExactSalesInvoice,
  ExactTransactionLine,
} from './records.ts';

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
  /** `"<records row version>:<deletions row version>"`, each an Int64 as decimal text. */
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
const INT64_MAX = 9_223_372_036_854_775_807n;
// Exact's documented start of a sync: `Timestamp gt 1L`.
const START = 1n;

interface Position {
  records: bigint;
  deleted: bigint;
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
  const resource = (client as Partial<Pick<ExactClient, ExactChangesEntity>> | undefined)?.[entity];
  if (
    typeof resource?.sync !== 'function' ||
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

  return async function* pull(checkpoint, signal) {
    const at =
      checkpoint === null || checkpoint === undefined
        ? { records: START, deleted: START }
        : parseCheckpoint(checkpoint);
    const format = () => `${at.records}:${at.deleted}`;
    // Throws the failure typed, unless a stop was asked for: then the pages simply end.
    const failed = (error: IntegrationError): boolean => {
      if (signal?.aborted) return true;
      throw error;
    };

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

function parseCheckpoint(checkpoint: unknown): Position {
  const parts = typeof checkpoint === 'string' ? checkpoint.split(':') : [];
  if (parts.length === 2 && parts.every((part) => INT64_TEXT.test(part) && BigInt(part) <= INT64_MAX)) {
    return { records: BigInt(parts[0]!), deleted: BigInt(parts[1]!) };
  }
  const shown = typeof checkpoint === 'string' ? JSON.stringify(checkpoint.slice(0, 120)) : typeof checkpoint;
  throw new IntegrationError(
    'VALIDATION_ERROR',
    `Invalid Exact Online checkpoint ${shown}: expected "<records row version>:<deletions row version>" (two Int64s)`,
    { field: 'checkpoint', retryable: false },
  );
}
