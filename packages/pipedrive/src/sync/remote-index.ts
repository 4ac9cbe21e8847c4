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
   * share it. A failed one keeps the records it read but not its mark: the next reads from the old mark again.
   */
  refresh(): Promise<ApiResult<void>>;
  get(externalId: string): R | undefined;
  /** Adds a record this process wrote (or read): it is known before the next refresh sees it. */
  remember(record: R): void;
  /** Drops a record found gone (a 404): a read of changes never returns a deleted record. */
  forget(id: number): void;
  /** How many external ids the index knows. */
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
  // Every record that carries an external id, by id, and the ids carrying each external id: when the lowest
  // one leaves its key (changed, cleared or gone), the next copy holds it, though no read of changes returns it.
  const byId = new Map<number, { key: string; record: R }>();
  const idsOf = new Map<string, Set<number>>();
  let watermark: string | undefined;
  let running: Promise<ApiResult<void>> | undefined;

  function forget(id: number): void {
    const held = byId.get(id);
    if (!held) return;
    byId.delete(id);
    const ids = idsOf.get(held.key);
    ids?.delete(id);
    if (ids?.size === 0) idsOf.delete(held.key);
  }

  function remember(record: R): void {
    forget(record.id);
    const key = options.externalIdOf(record);
    if (key === undefined || key === '') return;
    byId.set(record.id, { key, record });
    const ids = idsOf.get(key) ?? new Set<number>();
    ids.add(record.id);
    idsOf.set(key, ids);
  }

  function get(externalId: string): R | undefined {
    const ids = idsOf.get(externalId);
    if (!ids) return undefined;
    let lowest: number | undefined;
    for (const id of ids) if (lowest === undefined || id < lowest) lowest = id;
    return lowest === undefined ? undefined : byId.get(lowest)?.record;
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
    get,
    remember,
    forget,
    get size() {
      return idsOf.size;
    },
  };
}
