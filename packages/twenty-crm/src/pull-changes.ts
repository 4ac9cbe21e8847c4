// Twenty's changes since a checkpoint, for the scheduler's pullSyncJob: a keyset walk on (updatedAt, id), each page
// a fresh query `updatedAt > t OR (updatedAt = t AND id > i)` ordered by both. Records sharing an updatedAt are
// then neither skipped nor repeated at a page boundary, and a record updated after the checkpoint sorts after it
// and comes again. Twenty's own cursor is not used: the checkpoint must outlive the process that read the page.
// A server keeping finer timestamps than it answers with (microseconds shown as milliseconds) makes records within
// one millisecond come again, never skipped; a page that does not move past the checkpoint is INVALID_RESPONSE.
import { IntegrationError } from '@patchbay/core';
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
  /** Records per page, 1 to 200 (Twenty clamps larger limits, which would end the walk early). Default 60. */
  pageSize?: number;
}

/** A Twenty record of the pulled object. */
export type TwentyChangeRecord<O extends TwentyChangesObject> = O extends 'people' ? Person : Company;

/** A connector's `pull` for pullSyncJob: the changes after `checkpoint` (null: from the start), page by page. */
export type TwentyPull<R> = (
  checkpoint: string | null,
  signal?: AbortSignal,
) => AsyncIterable<TwentyChangesPage<R>>;

// Twenty record ids are UUIDs (an id filter with anything else is a 400); the timestamp is an ISO 8601 instant.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const MAX_PAGE_SIZE = 200;

interface Key {
  updatedAt: string;
  id: string;
}

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
 * @throws IntegrationError `CONFIG_ERROR` for a bad `object` or `pageSize`, when called.
 */
export function twentyChanges<O extends TwentyChangesObject>(
  options: TwentyChangesOptions<O>,
): TwentyPull<TwentyChangeRecord<O>> {
  const { client, object, pageSize = 60 } = options;
  if (object !== 'people' && object !== 'companies') {
    throw new IntegrationError('CONFIG_ERROR', "twentyChanges: object must be 'people' or 'companies'", {
      field: 'object',
    });
  }
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new IntegrationError(
      'CONFIG_ERROR',
      `twentyChanges: pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}`,
      {
        field: 'pageSize',
      },
    );
  }
  const resource = (client as Pick<TwentyClient, TwentyChangesObject>)[object];

  return async function* pull(checkpoint, signal) {
    let after = checkpoint === null || checkpoint === undefined ? undefined : parseCheckpoint(checkpoint);
    while (!signal?.aborted) {
      let page: TwentyChangeRecord<O>[] | undefined;
      for await (const result of resource.list({
        ...(after ? { filter: afterKey(after) } : {}),
        orderBy: 'updatedAt[AscNullsFirst],id[AscNullsFirst]',
        pageSize,
        signal,
      })) {
        if (!result.success) {
          // A stop asked for is the end of the pages; pullSyncJob reports the abort itself.
          if (signal?.aborted) return;
          throw result.error;
        }
        page = result.data as TwentyChangeRecord<O>[];
        break; // one page per query: the next one starts from this page's last key
      }
      if (!page || page.length === 0) return;
      const last = keyOf(page[page.length - 1], object);
      if (after && compareKeys(last, after) <= 0) {
        // A server ignoring the filter or the order would otherwise hand out the same page forever.
        throw new IntegrationError(
          'INVALID_RESPONSE',
          `Twenty's ${object} page did not move past the checkpoint ${formatKey(after)}; stopping instead of looping`,
          { field: 'checkpoint', retryable: false },
        );
      }
      yield { changes: page, checkpoint: formatKey(last) };
      // Fewer than asked: nothing follows yet (the pageSize bound keeps Twenty from clamping a full page short).
      if (page.length < pageSize) return;
      after = last;
    }
  };
}

// `updatedAt > t OR (updatedAt = t AND id > i)`: the keyset's strict "after".
function afterKey(key: Key) {
  return {
    or: [{ updatedAt: { gt: key.updatedAt } }, { updatedAt: { eq: key.updatedAt }, id: { gt: key.id } }],
  };
}

function parseCheckpoint(checkpoint: unknown): Key {
  const text = typeof checkpoint === 'string' ? checkpoint : '';
  const bar = text.indexOf('|');
  const updatedAt = text.slice(0, bar);
  const id = text.slice(bar + 1);
  if (bar < 0 || !ISO_INSTANT.test(updatedAt) || Number.isNaN(Date.parse(updatedAt)) || !UUID.test(id)) {
    const shown =
      typeof checkpoint === 'string' ? JSON.stringify(checkpoint.slice(0, 120)) : typeof checkpoint;
    throw new IntegrationError(
      'VALIDATION_ERROR',
      `Invalid Twenty checkpoint ${shown}: expected "<updatedAt ISO 8601>|<record id>"`,
      { field: 'checkpoint', retryable: false },
    );
  }
  return { updatedAt, id };
}

function keyOf(record: { id?: unknown; updatedAt?: unknown } | undefined, object: string): Key {
  const id = record?.id;
  const updatedAt = record?.updatedAt;
  if (
    typeof id !== 'string' ||
    !UUID.test(id) ||
    typeof updatedAt !== 'string' ||
    !ISO_INSTANT.test(updatedAt)
  ) {
    throw new IntegrationError(
      'INVALID_RESPONSE',
      `A Twenty ${object} record has no usable updatedAt and id, so no checkpoint can follow it`,
      { field: 'updatedAt', retryable: false },
    );
  }
  return { updatedAt, id };
}

const formatKey = (key: Key) => `${key.updatedAt}|${key.id}`;

// The order Twenty sorts in: the instant first (compared as a time: offsets may differ), then the id.
function compareKeys(a: Key, b: Key): number {
  const time = Date.parse(a.updatedAt) - Date.parse(b.updatedAt);
  if (time !== 0) return time;
  const left = a.id.toLowerCase();
  const right = b.id.toLowerCase();
  return left < right ? -1 : left > right ? 1 : 0;
}
