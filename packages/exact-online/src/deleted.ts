// Exact's deletions (`sync/Deleted`): one list per division of every deleted record of the types Exact tracks, by
// the same division-wide Int64 row version (`Timestamp`) as the sync endpoints, 1 000 a page. The EntityType codes
// and the fields are picqer/exact-php-client's `Deleted.php` (which cites Exact's SyncDeleted reference page);
// `DeletedBy` and `DeletedDate` are on Exact's page but not in picqer's class, so they are asked for only on request
// (`audit: true`): a `$select` naming a property Exact lacks is a 400, which counts against the hourly error budget.
// The entity type is filtered here, not in `$filter`: the sync endpoints are documented with a Timestamp filter only.
import {
  type ApiResult,
  err,
  type HttpClient,
  IntegrationError,
  ok,
  readOptions,
  readSignal,
} from '@patchbay/core';
import * as z from 'zod/mini';
import type { ExactErrorBudget } from './error-budget.ts';
import { exactDateTime, exactGuid, exactInt64, isInt64Text } from './odata.ts';
import { readPages } from './resource.ts';

/** `sync/Deleted`'s EntityType codes (picqer's `Deleted.php`), by the name of the entity they stand for. */
export const EXACT_DELETED_ENTITY_TYPES = {
  transactionLines: 1,
  accounts: 2,
  addresses: 3,
  attachments: 4,
  contacts: 5,
  documents: 6,
  glAccounts: 7,
  salesItemPrices: 8,
  items: 9,
  paymentTerms: 10,
  quotations: 11,
  salesOrders: 12,
  salesInvoices: 13,
  timeCostTransactions: 14,
  stockPositions: 15,
} as const;

/** An entity `sync/Deleted` reports deletions of. */
export type ExactDeletedEntity = keyof typeof EXACT_DELETED_ENTITY_TYPES;

const ENTITY_BY_TYPE = new Map<number, ExactDeletedEntity>(
  Object.entries(EXACT_DELETED_ENTITY_TYPES).map(([name, code]) => [code, name as ExactDeletedEntity]),
);

/** A `sync/Deleted` row as Exact answers it. */
export const exactDeletedSchema = z.looseObject({
  /** Row version of the deletion (Int64 as decimal text). */
  Timestamp: exactInt64,
  EntityType: z.int(),
  /** The deleted record's key (its ID; a sales invoice's InvoiceID). */
  EntityKey: z.string(),
  ID: z.optional(exactGuid),
  Division: z.optional(z.nullable(z.int())),
  DeletedBy: z.optional(exactGuid),
  DeletedDate: z.optional(exactDateTime),
});

/** One deletion, typed. */
export interface ExactDeletion {
  /** The entity's name when its EntityType code is known, else the code itself. */
  entity: ExactDeletedEntity | number;
  entityType: number;
  /** The deleted record's key, as Exact wrote it (GUIDs lower-cased). */
  key: string;
  /** Row version of the deletion (Int64 as decimal text). */
  timestamp: string;
  /** The user who deleted it (with `audit: true`). */
  deletedBy?: string | null;
  /** When (ISO 8601 UTC; with `audit: true`). */
  deletedDate?: string | null;
}

/** A page of deletions and the row version to read after next time. */
export interface ExactDeletedPage {
  /** The page's deletions (of `entity` only, when one is given). */
  items: ExactDeletion[];
  /** The highest `Timestamp` read so far, over every entity type (Int64 as text): pass it as `since` to continue. */
  timestamp: string;
}

/** Options of {@link exactDeletions}. */
export interface ExactDeletionsOptions {
  /** The row version to read after (Int64 as text or bigint). Default `1`: every deletion Exact keeps. */
  since?: string | bigint;
  /** Keep only this entity's deletions (the checkpoint still moves over the others). Default every one. */
  entity?: ExactDeletedEntity;
  /** Also read `DeletedBy` and `DeletedDate`. Default false. */
  audit?: boolean;
  signal?: AbortSignal;
}

/** What reading deletions needs of a client (an `ExactClient` has it). */
export interface ExactDeletedSource {
  readonly baseUrl: string;
  division(): Promise<ApiResult<number>>;
  http(division: number): HttpClient;
  readonly errorBudget: ExactErrorBudget | undefined;
}

const BASIC_FIELDS = ['Timestamp', 'EntityType', 'EntityKey', 'ID', 'Division'];
const AUDIT_FIELDS = ['DeletedBy', 'DeletedDate'];

const invalid = (field: string, message: string) =>
  new IntegrationError('VALIDATION_ERROR', `Invalid input: ${field}: ${message}`, {
    field,
    issues: [{ field, message }],
    retryable: false,
  });

/**
 * The deletions of a division after a row version, oldest first, as pages carrying the checkpoint
 * (`GET /api/v1/{division}/sync/Deleted?$filter=Timestamp gt {since}L`, 1 000 a page). A failure is the last page.
 * @example
 * for await (const page of exactDeletions(exact, { since: saved, entity: 'accounts' }))
 *   if (page.success) { for (const d of page.data.items) remove(d.key); saved = page.data.timestamp; }
 */
export async function* exactDeletions(
  client: ExactDeletedSource,
  options?: ExactDeletionsOptions,
): AsyncIterable<ApiResult<ExactDeletedPage>> {
  const read = readOptions(options, ['since', 'entity', 'audit', 'signal'], 'options');
  if (!read.success) {
    yield read;
    return;
  }
  const { since, entity, audit, signal } = read.data;
  const text = typeof since === 'bigint' ? since.toString() : since === undefined ? '1' : since;
  if (typeof text !== 'string' || !isInt64Text(text) || BigInt(text) < 0n) {
    yield err(invalid('options.since', 'must be a non-negative Int64 row version (text or bigint)'));
    return;
  }
  if (entity !== undefined && !Object.hasOwn(EXACT_DELETED_ENTITY_TYPES, entity as string)) {
    yield err(
      invalid('options.entity', `must be one of ${Object.keys(EXACT_DELETED_ENTITY_TYPES).join(', ')}`),
    );
    return;
  }
  if (audit !== undefined && typeof audit !== 'boolean') {
    yield err(invalid('options.audit', 'must be a boolean'));
    return;
  }
  const checkedSignal = readSignal(signal, 'options.signal');
  if (!checkedSignal.success) {
    yield checkedSignal;
    return;
  }
  const start = BigInt(text);
  const wanted = entity === undefined ? undefined : EXACT_DELETED_ENTITY_TYPES[entity as ExactDeletedEntity];
  let checkpoint = start;
  const context = {
    baseUrl: client.baseUrl,
    division: () => client.division(),
    http: (division: number) => client.http(division),
    budget: client.errorBudget,
  };
  const params = {
    $select: [...BASIC_FIELDS, ...(audit ? AUDIT_FIELDS : [])].join(','),
    $filter: `Timestamp gt ${start}L`,
  };
  for await (const page of readPages(context, 'sync/Deleted', exactDeletedSchema, {
    params,
    signal: checkedSignal.data,
  })) {
    if (!page.success) {
      yield page;
      return;
    }
    const items: ExactDeletion[] = [];
    for (const row of page.data) {
      const stamp = row.Timestamp;
      // A row at or before `since` means the filter was not applied: resuming from it could loop or skip.
      if (stamp === null || BigInt(stamp) <= start) {
        yield err(
          new IntegrationError(
            'INVALID_RESPONSE',
            `sync/Deleted answered a row whose Timestamp is not after ${start}; the checkpoint cannot move past it`,
            { field: 'Timestamp', retryable: false },
          ),
        );
        return;
      }
      if (BigInt(stamp) > checkpoint) checkpoint = BigInt(stamp);
      if (wanted !== undefined && row.EntityType !== wanted) continue;
      items.push(toDeletion(row, stamp));
    }
    yield ok({ items, timestamp: checkpoint.toString() });
  }
}

function toDeletion(row: z.output<typeof exactDeletedSchema>, timestamp: string): ExactDeletion {
  const deletion: ExactDeletion = {
    entity: ENTITY_BY_TYPE.get(row.EntityType) ?? row.EntityType,
    entityType: row.EntityType,
    key: /^[0-9a-f-]{36}$/i.test(row.EntityKey) ? row.EntityKey.toLowerCase() : row.EntityKey,
    timestamp,
  };
  if (row.DeletedBy !== undefined) deletion.deletedBy = row.DeletedBy;
  if (row.DeletedDate !== undefined) deletion.deletedDate = row.DeletedDate;
  return deletion;
}
