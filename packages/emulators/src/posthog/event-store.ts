// The events the query engine reads: the emulator's stand-in for PostHog's ClickHouse `events` table
// (`posthog/hogql/database/schema/events.py` lists its columns). Rows are kept sorted by (timestamp, uuid), the
// table's effective sort key for a project, so a time-bounded scan is a binary search and a page of a keyset
// scan (`WHERE timestamp > {after} ORDER BY timestamp, uuid LIMIT n`) reads only the rows it returns.
import { createHash } from 'node:crypto';
import type { CapturedEvent } from './capture.ts';
import { type DateTimeValue, dateTimeValue, parseDateTimeText } from './hogql-values.ts';

/** One stored event, in the shape the engine evaluates. */
export interface EventRow {
  readonly uuid: string;
  readonly event: string;
  readonly distinctId: string;
  /** Stable per distinct id: the emulator keeps no persons, so each distinct id is its own person. */
  readonly personId: string;
  readonly timestamp: DateTimeValue;
  /** When the emulator received the event (ClickHouse's `created_at`, the ingestion time). */
  readonly createdAt: DateTimeValue;
  readonly properties: Record<string, unknown>;
  readonly elementsChain: string;
  /** The materialised `$session_id` and `$window_id` columns ('' when absent, as they are not nullable). */
  readonly sessionId: string;
  readonly windowId: string;
}

/** The event table the query engine reads. */
export interface PostHogEventStore {
  /**
   * Stores captured events. An event whose uuid is already stored replaces it (ClickHouse's ReplacingMergeTree,
   * once merged). `receivedAt` stamps `created_at` and stands in for a missing or unreadable `timestamp`. The
   * events' property objects are kept, not copied: do not change them after inserting.
   */
  insert(events: readonly CapturedEvent[], options?: { receivedAt?: Date }): void;
  /** How many events are stored. */
  count(): number;
  /** Forgets every event. */
  clear(): void;
  /** Every row, sorted by timestamp then uuid. Read-only: do not mutate. */
  rows(): readonly EventRow[];
  /** Index of the first row whose timestamp is at or after `us` (microseconds since the epoch). */
  lowerBound(us: number): number;
  /** Index of the first row whose timestamp is after `us`. */
  upperBound(us: number): number;
  /** The row stored under `uuid`. */
  get(uuid: string): EventRow | undefined;
}

/** A stable person id for a distinct id: a name-based (v5-style) UUID, so the same id always maps the same way. */
export function personIdFor(distinctId: string): string {
  const hash = createHash('sha1').update(`posthog-emulator-person:${distinctId}`).digest('hex');
  const variant = ((Number.parseInt(hash[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hash.slice(0, 8)}-${hash.slice(8, 12)}-5${hash.slice(13, 16)}-${variant}${hash.slice(17, 20)}-${hash.slice(20, 32)}`;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

const jsonCache = new WeakMap<EventRow, string>();

/** The row's `properties` column: the properties as JSON text, serialised on first read and kept. */
export function propertiesJsonOf(row: EventRow): string {
  let json = jsonCache.get(row);
  if (json === undefined) {
    json = JSON.stringify(row.properties);
    jsonCache.set(row, json);
  }
  return json;
}

const compareRows = (a: EventRow, b: EventRow): number =>
  a.timestamp.us - b.timestamp.us || (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0);

/** An empty in-memory event table. */
export function createPostHogEventStore(): PostHogEventStore {
  const byUuid = new Map<string, EventRow>();
  const personIds = new Map<string, string>();
  let sorted: EventRow[] = [];

  const personId = (distinctId: string): string => {
    let id = personIds.get(distinctId);
    if (id === undefined) {
      id = personIdFor(distinctId);
      personIds.set(distinctId, id);
    }
    return id;
  };

  const toRow = (event: CapturedEvent, createdAt: DateTimeValue): EventRow => {
    // Ingestion moves the autocapture chain out of the properties into its own column. The properties object is
    // kept as captured, copied only when a key has to go.
    let properties = event.properties;
    const chain = properties.$elements_chain;
    if (chain !== undefined || properties.$elements !== undefined) {
      const { $elements_chain: _chain, $elements: _elements, ...rest } = properties;
      properties = rest;
    }
    const parsed = event.timestamp === undefined ? null : parseDateTimeText(event.timestamp);
    return {
      uuid: event.uuid.toLowerCase(),
      event: event.event,
      distinctId: event.distinct_id,
      personId: personId(event.distinct_id),
      timestamp: parsed === null ? createdAt : dateTimeValue(parsed),
      createdAt,
      properties,
      elementsChain: text(chain),
      sessionId: text(properties.$session_id),
      windowId: text(properties.$window_id),
    };
  };

  const bound = (us: number, after: boolean): number => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const ts = sorted[mid]!.timestamp.us;
      if (ts < us || (after && ts === us)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  return {
    insert(events, options) {
      if (events.length === 0) return;
      const createdAt = dateTimeValue((options?.receivedAt ?? new Date()).getTime() * 1000);
      const batch = new Map<string, EventRow>();
      let replaces = false;
      for (const event of events) {
        const row = toRow(event, createdAt);
        if (byUuid.has(row.uuid) || batch.has(row.uuid)) replaces = true;
        batch.set(row.uuid, row);
      }
      for (const [uuid, row] of batch) byUuid.set(uuid, row);
      if (replaces) {
        sorted = [...byUuid.values()].sort(compareRows);
        return;
      }
      const incoming = [...batch.values()].sort(compareRows);
      const last = sorted[sorted.length - 1];
      if (last === undefined || compareRows(last, incoming[0]!) <= 0) {
        for (const row of incoming) sorted.push(row);
        return;
      }
      // Merge two sorted runs: O(n) instead of re-sorting the table on every batch.
      const merged: EventRow[] = new Array(sorted.length + incoming.length);
      let i = 0;
      let j = 0;
      let k = 0;
      while (i < sorted.length && j < incoming.length) {
        merged[k++] = compareRows(sorted[i]!, incoming[j]!) <= 0 ? sorted[i++]! : incoming[j++]!;
      }
      while (i < sorted.length) merged[k++] = sorted[i++]!;
      while (j < incoming.length) merged[k++] = incoming[j++]!;
      sorted = merged;
    },
    count: () => sorted.length,
    clear() {
      byUuid.clear();
      personIds.clear();
      sorted = [];
    },
    rows: () => sorted,
    lowerBound: (us) => bound(us, false),
    upperBound: (us) => bound(us, true),
    get: (uuid) => byUuid.get(uuid.toLowerCase()),
  };
}
