import {
  type ApiResult,
  err,
  IntegrationError,
  invalidInput,
  isArraySafe,
  type JsonValue,
  ok,
  readOptions,
  unexpectedFailure,
} from '@patchbay/core';
import { runHogQL } from './hogql.ts';
import { type QueryOptions, readQueryOptions } from './query-options.ts';
import type { QueryContext, RunQueryOptions } from './run-query.ts';

/** One event as `events()` yields it. */
export interface PostHogEvent {
  uuid: string;
  event: string;
  /** As PostHog prints it (ISO 8601, microseconds, UTC). */
  timestamp: string;
  distinctId: string;
  properties: Record<string, unknown>;
}

/** Options of `events`. */
export interface EventsOptions extends QueryOptions {
  /** Events at or after this time (a Date, or text `Date` parses). Required: an unbounded scan is costly. */
  after: Date | string;
  /** Events before this time. Default the time the walk starts, so events arriving meanwhile cannot prolong it. */
  before?: Date | string;
  /** Only events of this name. */
  event?: string;
  /** Only events whose properties equal these values (`{ $browser: 'Chrome' }`). */
  properties?: Record<string, string | number | boolean>;
  /** Events per page (one query each), 1 to 50 000 (PostHog's most). Default 1 000. */
  pageSize?: number;
}

/** Events per page unless told otherwise. */
export const DEFAULT_EVENTS_PAGE_SIZE = 1000;
const MAX_PAGE_SIZE = 50_000;
const MAX_PROPERTY_FILTERS = 50;
const EVENT_KEYS = ['after', 'before', 'event', 'properties', 'pageSize'] as const;

interface Walk {
  after: string;
  before: string;
  event?: string;
  properties: [string, string | number | boolean][];
  pageSize: number;
  run: RunQueryOptions;
}

interface Cursor {
  timestamp: string;
  uuid: string;
}

/**
 * The HogQL of one page: the filters and, after the first page, the keyset condition `(timestamp, uuid) >
 * (cursor)` in the same order as the sort, so each page starts right after the last event of the one before,
 * however many events share a timestamp. Every value is a placeholder; only the page size (a checked integer)
 * is in the text.
 */
export function eventsPageSql(
  walk: { event?: string; properties: unknown[]; pageSize: number },
  cursor: boolean,
): string {
  const where = ['timestamp >= toDateTime({after})', 'timestamp < toDateTime({before})'];
  if (walk.event !== undefined) where.push('event = {event}');
  walk.properties.forEach((_, index) => {
    where.push(`properties[{property_${index}}] = {value_${index}}`);
  });
  if (cursor) {
    where.push(
      '(timestamp > toDateTime({cursor_timestamp}) OR (timestamp = toDateTime({cursor_timestamp}) AND uuid > {cursor_uuid}))',
    );
  }
  return (
    `SELECT uuid, event, timestamp, distinct_id, properties FROM events WHERE ${where.join(' AND ')} ` +
    `ORDER BY timestamp ASC, uuid ASC LIMIT ${walk.pageSize}`
  );
}

/**
 * `events(options)`: every event matching the filters, oldest first, as an async iterator of pages (one
 * `ApiResult` each, as core's pagination helpers yield them): keyset pagination on the query API, one page in
 * memory at a time, however many events there are. A failure is yielded once and ends the walk; leaving the
 * loop early sends no further query.
 * @example for await (const page of eventsWith(context, { after: '2026-01-01', event: '$pageview' })) { … }
 */
export async function* eventsWith(
  context: QueryContext,
  options: unknown,
): AsyncGenerator<ApiResult<PostHogEvent[]>, void, undefined> {
  try {
    const walk = readWalk(options);
    if (!walk.success) {
      yield walk;
      return;
    }
    let cursor: Cursor | undefined;
    for (let pageNumber = 1; ; pageNumber++) {
      const page = await fetchPage(context, walk.data, cursor);
      if (!page.success) {
        yield page;
        return;
      }
      const events = page.data;
      if (events.length > 0 || pageNumber === 1) yield ok(events);
      if (events.length < walk.data.pageSize) return;
      const last = events[events.length - 1]!;
      if (cursor !== undefined && last.timestamp === cursor.timestamp && last.uuid === cursor.uuid) {
        yield err(
          new IntegrationError(
            'INVALID_RESPONSE',
            'PostHog answered the next page of events with the last event of the page before; stopping instead of looping',
            { field: 'cursor', retryable: false },
          ),
        );
        return;
      }
      cursor = { timestamp: last.timestamp, uuid: last.uuid };
    }
  } catch (error) {
    yield err(unexpectedFailure('posthog.events', error));
  }
}

async function fetchPage(
  context: QueryContext,
  walk: Walk,
  cursor: Cursor | undefined,
): Promise<ApiResult<PostHogEvent[]>> {
  const values: { [key: string]: JsonValue } = { after: walk.after, before: walk.before };
  if (walk.event !== undefined) values.event = walk.event;
  walk.properties.forEach(([name, value], index) => {
    values[`property_${index}`] = name;
    values[`value_${index}`] = value;
  });
  if (cursor) {
    values.cursor_timestamp = cursor.timestamp;
    values.cursor_uuid = cursor.uuid;
  }
  const answered = await runHogQL(
    context,
    { kind: 'HogQLQuery', query: eventsPageSql(walk, cursor !== undefined), values },
    walk.run,
  );
  if (!answered.success) return answered;
  const events: PostHogEvent[] = [];
  for (const [index, row] of answered.data.rows.entries()) {
    const event = eventOf(row);
    if (event === undefined) {
      return err(
        new IntegrationError(
          'INVALID_RESPONSE',
          `PostHog answered an event row that is not uuid, event, timestamp, distinct_id, properties`,
          {
            field: `results.${index}`,
            retryable: false,
          },
        ),
      );
    }
    events.push(event);
  }
  return ok(events);
}

// A row of the page's SELECT; `properties` is the JSON text ClickHouse stores (an object from some servers).
function eventOf(row: readonly unknown[]): PostHogEvent | undefined {
  const [uuid, event, timestamp, distinctId, raw] = row;
  if (typeof uuid !== 'string' || typeof event !== 'string' || typeof timestamp !== 'string')
    return undefined;
  if (typeof distinctId !== 'string') return undefined;
  let properties: unknown = raw;
  if (typeof raw === 'string') {
    try {
      properties = JSON.parse(raw);
    } catch {
      return undefined;
    }
  }
  if (properties === null || properties === undefined) properties = {};
  if (typeof properties !== 'object' || Array.isArray(properties)) return undefined;
  return { uuid, event, timestamp, distinctId, properties: properties as Record<string, unknown> };
}

function readWalk(options: unknown): ApiResult<Walk> {
  if (options === undefined) return err(invalidInput('options', 'must be an object with after'));
  const read = readQueryOptions(options, EVENT_KEYS);
  if (!read.success) return read;
  const { own, run } = read.data;
  const after = instant(own.after, 'options.after');
  if (!after.success) return after;
  const before =
    own.before === undefined ? ok(new Date(Date.now()).toISOString()) : instant(own.before, 'options.before');
  if (!before.success) return before;
  if (Date.parse(before.data) <= Date.parse(after.data)) {
    return err(invalidInput('options.before', 'must be later than options.after'));
  }
  const { event } = own;
  if (event !== undefined && (typeof event !== 'string' || event === '')) {
    return err(invalidInput('options.event', 'must be a non-empty string'));
  }
  const properties = readProperties(own.properties);
  if (!properties.success) return properties;
  const pageSize = own.pageSize ?? DEFAULT_EVENTS_PAGE_SIZE;
  if (
    typeof pageSize !== 'number' ||
    !Number.isInteger(pageSize) ||
    pageSize < 1 ||
    pageSize > MAX_PAGE_SIZE
  ) {
    return err(invalidInput('options.pageSize', `must be a whole number from 1 to ${MAX_PAGE_SIZE}`));
  }
  return ok({
    after: after.data,
    before: before.data,
    ...(event === undefined ? {} : { event: event as string }),
    properties: properties.data,
    pageSize,
    run,
  });
}

// A time as PostHog compares it: ISO 8601 in UTC.
function instant(value: unknown, field: string): ApiResult<string> {
  let time: number;
  try {
    time =
      value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  } catch {
    time = Number.NaN;
  }
  if (!Number.isFinite(time)) return err(invalidInput(field, 'must be a Date or a date string'));
  return ok(new Date(time).toISOString());
}

function readProperties(value: unknown): ApiResult<[string, string | number | boolean][]> {
  if (value === undefined) return ok([]);
  if (typeof value !== 'object' || value === null || isArraySafe(value)) {
    return err(invalidInput('options.properties', 'must be an object of property names to values'));
  }
  let names: string[];
  try {
    names = Object.keys(value);
  } catch {
    return err(invalidInput('options.properties', 'could not be read (a getter or Proxy threw)'));
  }
  const read = readOptions(value, names, 'options.properties');
  if (!read.success) return read;
  if (names.length > MAX_PROPERTY_FILTERS) {
    return err(invalidInput('options.properties', `must hold at most ${MAX_PROPERTY_FILTERS} properties`));
  }
  const out: [string, string | number | boolean][] = [];
  for (const name of names) {
    const item = (read.data as Record<string, unknown>)[name];
    const scalar =
      typeof item === 'string' ||
      typeof item === 'boolean' ||
      (typeof item === 'number' && Number.isFinite(item));
    if (name === '' || !scalar) {
      return err(
        invalidInput('options.properties', 'must map non-empty names to strings, finite numbers or booleans'),
      );
    }
    out.push([name, item as string | number | boolean]);
  }
  return ok(out);
}
