// Pipedrive's changes since a checkpoint, for the scheduler's pullSyncJob: a v2 list with `updated_since` (inclusive)
// sorted by `update_time` ascending, followed by cursor to its end. Each page's checkpoint is the newest update time
// it holds. Pipedrive keeps update times to the second, and a change committed late within the second of the
// checkpoint would be skipped by an exclusive bound: the next pull starts at that second again, so the records of
// the checkpoint's second may come again, a change never goes missing. Deleted records are not reported (v2 lists
// leave them out); webhooks carry deletions.
import { IntegrationError } from '@patchbay/core';
import type { PipedriveClient } from './client.ts';
import type { PipedriveActivity, PipedriveDeal, PipedriveOrganization, PipedrivePerson } from './records.ts';

/** The record types whose changes can be pulled. */
export type PipedriveChangesObject = 'persons' | 'organizations' | 'deals' | 'activities';

/** One page of changes and the checkpoint that resumes after it (the shape of the scheduler's `PullPage`). */
export interface PipedriveChangesPage<R> {
  changes: R[];
  /** The newest `update_time` of the page (RFC 3339). */
  checkpoint: string;
}

/** Options of {@link pipedriveChanges}. */
export interface PipedriveChangesOptions<O extends PipedriveChangesObject> {
  /** A Pipedrive client (only the pulled type's resource is used). */
  client: Pick<PipedriveClient, O>;
  /** Which records to pull. */
  object: O;
  /** Records per page, 1 to 500 (a page costs 10 tokens whatever its size). Default 500. */
  pageSize?: number;
}

/** A Pipedrive record of the pulled type, `custom` by the client's names. */
export type PipedriveChangeRecord<O extends PipedriveChangesObject> = O extends 'persons'
  ? PipedrivePerson
  : O extends 'organizations'
    ? PipedriveOrganization
    : O extends 'deals'
      ? PipedriveDeal
      : PipedriveActivity;

/** A connector's `pull` for pullSyncJob: the changes from `checkpoint` on (null: from the start), page by page. */
export type PipedrivePull<R> = (
  checkpoint: string | null,
  signal?: AbortSignal,
) => AsyncIterable<PipedriveChangesPage<R>>;

const OBJECTS: readonly string[] = ['persons', 'organizations', 'deals', 'activities'];
const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const MAX_PAGE_SIZE = 500;

const timeOf = (record: unknown) => {
  const value = (record as { update_time?: unknown } | null)?.update_time;
  return typeof value === 'string' && RFC_3339.test(value) ? value : undefined;
};

/**
 * Pipedrive's changed persons, organizations, deals or activities as pages for the scheduler's `pullSyncJob`,
 * oldest change first. Its options are checked at once; the pull's failures follow pullSyncJob's contract:
 * iterating throws the typed `IntegrationError` (a malformed checkpoint is `VALIDATION_ERROR`, field `checkpoint`;
 * a spent daily budget is `RATE_LIMIT` with the wait to the reset), and an aborted `signal` simply ends the pages.
 * @example
 * const pull = pipedriveChanges({ client, object: 'persons' });
 * scheduler.define('pipedrive-persons', pullSyncJob({ name: 'pipedrive-persons', store, pull, handle }));
 * @throws IntegrationError `CONFIG_ERROR` for a bad `object` or `pageSize`, when called.
 */
export function pipedriveChanges<O extends PipedriveChangesObject>(
  options: PipedriveChangesOptions<O>,
): PipedrivePull<PipedriveChangeRecord<O>> {
  const { client, object, pageSize = MAX_PAGE_SIZE } = options ?? ({} as PipedriveChangesOptions<O>);
  if (!OBJECTS.includes(object)) {
    throw new IntegrationError(
      'CONFIG_ERROR',
      `pipedriveChanges: object must be one of ${OBJECTS.join(', ')}`,
      {
        field: 'object',
      },
    );
  }
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new IntegrationError(
      'CONFIG_ERROR',
      `pipedriveChanges: pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}`,
      { field: 'pageSize' },
    );
  }
  const resource = (client as Pick<PipedriveClient, PipedriveChangesObject> | undefined)?.[object];
  if (typeof resource?.list !== 'function') {
    throw new IntegrationError(
      'CONFIG_ERROR',
      `pipedriveChanges: client must be a Pipedrive client with ${object}`,
      {
        field: 'client',
      },
    );
  }

  return async function* pull(checkpoint, signal) {
    const since = checkpoint === null || checkpoint === undefined ? undefined : parseCheckpoint(checkpoint);
    let mark = since;
    for await (const page of resource.list({
      ...(since === undefined ? {} : { updated_since: since }),
      sort_by: 'update_time',
      sort_direction: 'asc',
      limit: pageSize,
      maxPages: Number.MAX_SAFE_INTEGER,
      ...(signal ? { signal } : {}),
    })) {
      if (!page.success) {
        // A stop asked for is the end of the pages; pullSyncJob reports the abort itself.
        if (signal?.aborted) return;
        throw page.error;
      }
      const changes = page.data.items as PipedriveChangeRecord<O>[];
      if (changes.length === 0) continue;
      for (const record of changes) {
        const time = timeOf(record);
        if (time === undefined) {
          throw new IntegrationError(
            'INVALID_RESPONSE',
            `Pipedrive's ${object} page has a record without an RFC 3339 update_time; the checkpoint cannot move past it`,
            { retryable: false },
          );
        }
        if (mark === undefined || Date.parse(time) > Date.parse(mark)) mark = time;
      }
      yield { changes, checkpoint: mark! };
      if (signal?.aborted) return;
    }
  };
}

function parseCheckpoint(checkpoint: unknown): string {
  if (typeof checkpoint === 'string' && RFC_3339.test(checkpoint) && !Number.isNaN(Date.parse(checkpoint))) {
    return checkpoint;
  }
  const shown = typeof checkpoint === 'string' ? JSON.stringify(checkpoint.slice(0, 120)) : typeof checkpoint;
  throw new IntegrationError(
    'VALIDATION_ERROR',
    `Invalid Pipedrive checkpoint ${shown}: expected an RFC 3339 time (an update_time)`,
    { field: 'checkpoint', retryable: false },
  );
}
