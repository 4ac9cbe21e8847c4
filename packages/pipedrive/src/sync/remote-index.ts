import { type ApiResult, ok } from '@patchbay/core';

/** A record as the index needs to know it. */
export interface IndexedRecord {
  id: number;
  update_time?: string | null | undefined;
}

/** Options of {@link createRemoteIndex}. */
export interface RemoteIndexOptions<R extends IndexedRecord> {
  /** Pages of records: every one when `since` is undefined, else those updated at or after it (RFC 3339). */
  list(since: string | undefined): AsyncIterable<ApiResult<{ items: R[] }>>;
  /** The record's external id, or undefined when it has none. */
  externalIdOf(record: R): string | undefined;
}

/** The remote's records by external id, as far as the last refresh saw them. */
export interface RemoteIndex<R extends IndexedRecord> {
  /**
   * Reads what changed since the last refresh (everything, the first time). Refreshes asked for while one runs
   * share it. A failed one leaves the index as it was and is tried in full next time.
   */
  refresh(): Promise<ApiResult<void>>;
  get(externalId: string): R | undefined;
  /** Adds a record this process wrote (or read): it is known before the next refresh sees it. */
  remember(record: R): void;
  readonly size: number;
}

const timeOf = (value: string | null | undefined) => (value ? Date.parse(value) : Number.NaN);

/**
 * An index of a remote that has no lookup by external id (Pipedrive searches only a lagging search index): one
 * full read, then reads of what changed since the newest update time seen, inclusive, so a record changed in
 * the same second as the last one seen is read again rather than missed. Records sharing an external id
 * resolve to the lowest id, the one created first.
 */
export function createRemoteIndex<R extends IndexedRecord>(options: RemoteIndexOptions<R>): RemoteIndex<R> {
  const byExternalId = new Map<string, R>();
  // Which external id each record was indexed under, so one whose id field changed or was cleared moves.
  const keyOfId = new Map<number, string>();
  let watermark: string | undefined;
  let running: Promise<ApiResult<void>> | undefined;

  function remember(record: R): void {
    const previous = keyOfId.get(record.id);
    const key = options.externalIdOf(record);
    if (previous !== undefined && previous !== key) {
      if (byExternalId.get(previous)?.id === record.id) byExternalId.delete(previous);
      keyOfId.delete(record.id);
    }
    if (key === undefined || key === '') return;
    const held = byExternalId.get(key);
    if (held && held.id < record.id) return;
    byExternalId.set(key, record);
    keyOfId.set(record.id, key);
  }

  async function read(): Promise<ApiResult<void>> {
    let newest = watermark;
    for await (const page of options.list(watermark)) {
      if (!page.success) return page;
      for (const record of page.data.items) {
        remember(record);
        const time = timeOf(record.update_time);
        if (!Number.isNaN(time) && (newest === undefined || time > timeOf(newest))) {
          newest = record.update_time ?? undefined;
        }
      }
    }
    // Moved only once every page was read: a read that failed half-way starts from the old mark again.
    watermark = newest;
    return ok(undefined);
  }

  return {
    refresh() {
      running ??= read().finally(() => {
        running = undefined;
      });
      return running;
    },
    get: (externalId) => byExternalId.get(externalId),
    remember,
    get size() {
      return byExternalId.size;
    },
  };
}
