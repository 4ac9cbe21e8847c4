// Twenty's changes since a checkpoint, for the scheduler's pullSyncJob: a keyset walk on (updatedAt, id), each page
// a fresh query `updatedAt > t OR (updatedAt = t AND id > i)` ordered by both. Records sharing an updatedAt are
// then neither skipped nor repeated at a page boundary, and a record updated after the checkpoint sorts after it
// and comes again. Twenty's own cursor is not used: the checkpoint must outlive the process that read the page.
// A server keeping finer timestamps than it answers with (microseconds shown as milliseconds) makes records within
// one millisecond come again, never skipped; a page of nothing but such repeats is INVALID_RESPONSE, not a loop.
import { type ErrorCode, IntegrationError } from '@patchbay/core';
import type { TwentyClient } from './client.ts';
import type { Company } from './company.ts';
import type { Person } from './person.ts';

/** The objects whose changes can be pulled. */
export type TwentyChangesObject = 'people' | 'companies';

/** One page of changes and the checkpoint that resumes after it (the shape of the scheduler's `PullPage`). */
export interface TwentyChangesPage<R> {
  changes: R[];
  /** `<updatedAt ISO>|<id>` of the page's last record. */
  checkpoint: string;
}

/** Options of {@link twentyChanges}. */
export interface TwentyChangesOptions<O extends TwentyChangesObject> {
  /** A Twenty client (only the pulled object's resource is used). */
  client: Pick<TwentyClient, O>;
  /** Which records to pull. */
  object: O;
  /** Records per query, 1 to 200 (Twenty's largest limit). Default 60. */
  pageSize?: number;
}

/** A Twenty record of the pulled object. */
export type TwentyChangeRecord<O extends TwentyChangesObject> = O extends 'people' ? Person : Company;

/** A connector's `pull` for pullSyncJob: the changes after `checkpoint` (null: from the start), page by page. */
export type TwentyPull<R> = (
  checkpoint: string | null,
  signal?: AbortSignal,
) => AsyncIterable<TwentyChangesPage<R>>;

// `<updatedAt>|<id>`: an ISO 8601 instant, and a record id (Twenty's are UUIDs; an id filter with anything else
// is a 400), loosely matched: Date.parse then rejects an impossible instant, and Twenty a malformed id.
const KEY = /^(\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-][\d:]+))\|[\da-f-]{36}$/i;

/**
 * Twenty's changed people or companies as pages for the scheduler's `pullSyncJob`: ascending by (updatedAt, id),
 * each page's checkpoint `<updatedAt>|<id>` its last record. Deleted records are not reported (Twenty's lists
 * leave soft-deleted records out). Its options are checked at once; the pull's failures follow pullSyncJob's
 * contract: iterating throws the typed `IntegrationError` (a malformed checkpoint is `VALIDATION_ERROR`, field
 * `checkpoint`; Twenty's failures keep their codes), and an aborted `signal` simply ends the pages.
 * @example
 * // Bound first: inline in pullSyncJob's options, TypeScript infers the change type as unknown.
 * const pull = twentyChanges({ client, object: 'people' });
 * scheduler.define('twenty-people', pullSyncJob({ name: 'twenty-people', store, pull, handle }));
 * @throws IntegrationError `CONFIG_ERROR` for a `pageSize` outside 1 to 200, when called.
 */
export function twentyChanges<O extends TwentyChangesObject>(
  options: TwentyChangesOptions<O>,
): TwentyPull<TwentyChangeRecord<O>> {
  const { client, object, pageSize = 60 } = options;
  // Twenty clamps a limit above 200. A short page is not taken for the end either: the pull ends on an empty page.
  if (!(pageSize >= 1 && pageSize <= 200) || pageSize % 1) {
    throw new IntegrationError('CONFIG_ERROR', 'pageSize must be 1 to 200', {
      field: 'pageSize',
    });
  }
  const resource = (client as Pick<TwentyClient, TwentyChangesObject>)[object];

  return async function* pull(checkpoint, signal) {
    if (checkpoint != null && !isKey(checkpoint)) {
      throw invalid('VALIDATION_ERROR', checkpoint);
    }
    let after = checkpoint;
    // Ends by returning: an aborted signal makes the list fail, which ends the pages below.
    for (;;) {
      // One page per query (the list is left after its first page): the next starts from this page's last key.
      // `updatedAt > t OR (updatedAt = t AND id > i)`: the keyset's strict "after".
      const [at, id] = after?.split('|') ?? [];
      const filter = { or: [{ updatedAt: { gt: at } }, { updatedAt: { eq: at }, id: { gt: id } }] };
      const { value: result } = await resource
        .list({ ...(after && { filter }), orderBy: 'updatedAt,id', pageSize, signal })
        [Symbol.asyncIterator]()
        .next();
      // A stop asked for is the end of the pages (pullSyncJob reports the abort itself); other failures throw.
      if (result && !result.success) {
        if (!signal?.aborted) throw result.error;
        return;
      }
      const page = result?.data as TwentyChangeRecord<O>[] | undefined;
      if (!page?.length) return;
      const record = page.at(-1) as { id?: unknown; updatedAt?: unknown };
      const last = `${record.updatedAt}|${record.id}`;
      // A record with no usable key, or a server ignoring the filter (the same page forever), ends the pull.
      if (!isKey(last) || last === after) {
        throw invalid('INVALID_RESPONSE', last);
      }
      yield { changes: page, checkpoint: last };
      after = last;
    }
  };
}

// A bad checkpoint: the caller's (VALIDATION_ERROR) or one Twenty's answer leads to (INVALID_RESPONSE).
const invalid = (code: ErrorCode, checkpoint: string) =>
  new IntegrationError(code, `Invalid Twenty checkpoint ${JSON.stringify(checkpoint)}`, {
    field: 'checkpoint',
  });

function isKey(key: string): boolean {
  const match = KEY.exec(key);
  return !!match && !Number.isNaN(Date.parse(match[1] as string));
}
