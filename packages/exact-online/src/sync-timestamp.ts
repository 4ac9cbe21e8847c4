// `read/sync/Sync/SyncTimestamp`: the row version from which a Sync API read returns the records modified at or after
// a date. It joins a load that has no row version (the bulk endpoints answer none) to the Sync API that follows it:
// the load reads what was modified before the date, the Sync API everything from it on. Exact's page (quoted in
// picqer/exact-php-client issue #689) names the parameters `modified` (a datetime) and the endpoint; the answer's
// `TimeStampAsBigInt` is an Int64 (picqer's `SyncTimestamp.php`), read here as text or a safe integer.
import { type ApiResult, err, IntegrationError, ok, readOptions, readSignal, settle } from '@patchbay/core';
import * as z from 'zod/mini';
import type { ExactDeletedSource } from './deleted.ts';
import { dateTimeText } from './filter.ts';
import { ACCEPT_JSON, exactInt64 } from './odata.ts';

/** The entity sets SyncTimestamp answers for, by the name of their sync endpoint (its last path segment). */
const ENDPOINTS = {
  accounts: 'Accounts',
  contacts: 'Contacts',
  salesInvoices: 'SalesInvoices',
  items: 'Items',
  glAccounts: 'GLAccounts',
  transactionLines: 'TransactionLines',
} as const;

/** An entity set with a sync endpoint. */
export type ExactSyncEntity = keyof typeof ENDPOINTS;

/** Options of {@link exactSyncTimestamp}. */
export interface ExactSyncTimestampOptions {
  /** The entity set whose sync endpoint the row version is for. */
  entity: ExactSyncEntity;
  /** The instant (a Date or epoch ms): the row version returned reads the records modified at or after it. */
  modified: Date | number;
  signal?: AbortSignal;
}

const item = z.object({ TimeStampAsBigInt: exactInt64 });
// One item in a results list, as `current/Me` is answered; a single-entity answer (`d` itself) is taken too.
const answer = z.object({ d: z.union([z.object({ results: z.array(item).check(z.minLength(1)) }), item]) });

const invalid = (field: string, message: string) =>
  new IntegrationError('VALIDATION_ERROR', `Invalid input: ${field}: ${message}`, {
    field,
    issues: [{ field, message }],
    retryable: false,
  });

/**
 * The Sync API row version to start after so that the records of `entity` modified at or after `modified` are read
 * (`GET /api/v1/{division}/read/sync/Sync/SyncTimestamp`), as Int64 decimal text.
 * @example
 * const since = await exactSyncTimestamp(exact, { entity: 'accounts', modified: new Date('2026-12-01') });
 * if (since.success) for await (const page of exact.accounts.sync({ since: since.data })) …
 */
export async function exactSyncTimestamp(
  client: ExactDeletedSource,
  options: ExactSyncTimestampOptions,
): Promise<ApiResult<string>> {
  return settle('Reading SyncTimestamp', async () => {
    if (options === undefined) return err(invalid('options', 'must name the entity and the modified date'));
    const read = readOptions(options, ['entity', 'modified', 'signal'], 'options');
    if (!read.success) return read;
    const { entity, modified, signal } = read.data as Record<string, unknown>;
    if (typeof entity !== 'string' || !Object.hasOwn(ENDPOINTS, entity)) {
      return err(invalid('options.entity', `must be one of ${Object.keys(ENDPOINTS).join(', ')}`));
    }
    const instant = typeof modified === 'number' ? new Date(modified) : modified;
    if (!(instant instanceof Date) || !Number.isFinite(instant.getTime())) {
      return err(invalid('options.modified', 'must be a valid Date or epoch ms'));
    }
    const checkedSignal = readSignal(signal, 'options.signal');
    if (!checkedSignal.success) return checkedSignal;
    // Written as Exact reads dates: Amsterdam wall-clock time.
    const literal = dateTimeText(instant);
    if (literal.text === undefined)
      return err(invalid('options.modified', literal.problem ?? 'is out of range'));
    const division = await client.division();
    if (!division.success) return division;
    const url = `/api/v1/${division.data}/read/sync/Sync/SyncTimestamp`;
    const refused = client.errorBudget?.check(url);
    if (refused) return err(refused);
    const reply = await client.http(division.data).get(url, {
      schema: answer,
      headers: { ...ACCEPT_JSON },
      searchParams: {
        modified: literal.text,
        endPoint: `'${ENDPOINTS[entity as ExactSyncEntity]}'`,
      },
      ...(checkedSignal.data ? { signal: checkedSignal.data } : {}),
    });
    if (!reply.success) return reply;
    const body = reply.data.d;
    const version = 'results' in body ? body.results[0]!.TimeStampAsBigInt : body.TimeStampAsBigInt;
    if (version === null || BigInt(version) < 0n) {
      return err(
        new IntegrationError('INVALID_RESPONSE', 'SyncTimestamp answered no row version', {
          field: 'TimeStampAsBigInt',
          retryable: false,
        }),
      );
    }
    return ok(version);
  });
}
