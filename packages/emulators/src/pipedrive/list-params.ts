// The v2 list query and its cursor pagination, as the v2 OpenAPI spec documents `GET /api/v2/persons` (and the
// other entities): `limit` ("If not provided, 100 items will be returned … a maximum value of 500"), `cursor` ("an
// opaque string value"), `updated_since` ("update_time later than or equal to this time", RFC 3339), `updated_until`
// ("update_time earlier than this time"), `sort_by` id|update_time|add_time, `sort_direction` asc|desc, `ids`
// ("up to 100 entity ids"; missing ones are left out), `custom_fields` ("A maximum of 15 keys is allowed"),
// `include_fields`, and the `owner_id` / `org_id` / `deal_id` filters (pipedrive/client-nodejs `src/versions/v2/api/persons-api.ts`, `getPersons`). The answer's
// `additional_data.next_cursor` is "Base64url-encoded … null if no more pages"
// (`get-activity-fields200-response-additional-data.ts`). Here the cursor holds the last item's sort value and id,
// so pages stay consistent while records are added (the real cursor's content is opaque).

import { badRequest } from './errors.ts';
import type { PipedriveRecord } from './records.ts';

/** A parsed v2 list query. */
export interface ListQuery {
  limit: number;
  cursor?: { value: string | number; id: number };
  updatedSince?: number;
  updatedUntil?: number;
  sortBy: 'id' | 'update_time' | 'add_time';
  direction: 'asc' | 'desc';
  ids?: Set<number>;
  customFields?: string[];
  includeFields?: string[];
  /** `owner_id`, `org_id`, `person_id`, `deal_id`: records linked to that id (ignored for entities without the field). */
  links?: Record<string, number>;
}

const parseTime = (raw: string, name: string) => {
  // RFC 3339: a date, a time and a zone.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(raw)) {
    throw badRequest(`${name} must be an RFC 3339 date-time, e.g. 2025-01-01T10:20:00Z`);
  }
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw badRequest(`${name} must be an RFC 3339 date-time`);
  return ms;
};

const list = (raw: string | null) =>
  raw === null
    ? undefined
    : raw
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');

/** Parses the query of a v2 list request; a bad parameter is a 400 naming it. */
export function parseListQuery(params: URLSearchParams): ListQuery {
  const rawLimit = params.get('limit');
  const limit = rawLimit === null ? 100 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    throw badRequest('limit must be an integer from 1 to 500');
  const sortBy = params.get('sort_by') ?? 'id';
  if (sortBy !== 'id' && sortBy !== 'update_time' && sortBy !== 'add_time') {
    throw badRequest('sort_by must be one of id, update_time, add_time');
  }
  const direction = params.get('sort_direction') ?? 'asc';
  if (direction !== 'asc' && direction !== 'desc') throw badRequest('sort_direction must be asc or desc');
  const query: ListQuery = { limit, sortBy, direction };
  const cursor = params.get('cursor');
  if (cursor !== null) query.cursor = decodeCursor(cursor, sortBy);
  const since = params.get('updated_since');
  if (since !== null) query.updatedSince = parseTime(since, 'updated_since');
  const until = params.get('updated_until');
  if (until !== null) query.updatedUntil = parseTime(until, 'updated_until');
  const ids = list(params.get('ids'));
  if (ids) {
    if (ids.length > 100) throw badRequest('ids accepts at most 100 ids');
    if (!ids.every((id) => /^\d+$/.test(id))) throw badRequest('ids must be comma-separated integers');
    query.ids = new Set(ids.map(Number));
  }
  const custom = list(params.get('custom_fields'));
  if (custom) {
    if (custom.length > 15) throw badRequest('custom_fields accepts at most 15 keys');
    query.customFields = custom;
  }
  const include = list(params.get('include_fields'));
  if (include) query.includeFields = include;
  for (const name of ['owner_id', 'org_id', 'person_id', 'deal_id']) {
    const raw = params.get(name);
    if (raw === null) continue;
    if (!/^\d+$/.test(raw)) throw badRequest(`${name} must be an integer`);
    query.links = { ...query.links, [name]: Number(raw) };
  }
  return query;
}

function sortValue(record: PipedriveRecord, sortBy: ListQuery['sortBy']): string | number {
  return sortBy === 'id' ? record.id : Date.parse(record[sortBy]);
}

/** Encodes where a page ended, base64url as the real cursor is. */
export function encodeCursor(record: PipedriveRecord, sortBy: ListQuery['sortBy']): string {
  return Buffer.from(JSON.stringify({ v: sortValue(record, sortBy), id: record.id })).toString('base64url');
}

function decodeCursor(raw: string, sortBy: string): { value: string | number; id: number } {
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as {
      v?: unknown;
      id?: unknown;
    };
    if (typeof parsed.id === 'number' && (typeof parsed.v === 'number' || typeof parsed.v === 'string')) {
      return { value: parsed.v, id: parsed.id };
    }
  } catch {
    // Falls through to the 400.
  }
  throw badRequest(`cursor is not a valid cursor for sort_by ${sortBy}`);
}

/** One page of `records` (all of an entity, deleted ones excluded by the caller) and the next cursor. */
export function pageOf(
  records: PipedriveRecord[],
  query: ListQuery,
): { items: PipedriveRecord[]; nextCursor: string | null } {
  const sign = query.direction === 'asc' ? 1 : -1;
  const compare = (a: { value: string | number; id: number }, b: { value: string | number; id: number }) =>
    (a.value < b.value ? -1 : a.value > b.value ? 1 : a.id - b.id) * sign;
  const keyed = records
    .filter((record) => {
      if (query.ids && !query.ids.has(record.id)) return false;
      for (const [name, id] of Object.entries(query.links ?? {})) {
        if (name in record && record[name] !== id) return false;
      }
      const updated = Date.parse(record.update_time);
      if (query.updatedSince !== undefined && updated < query.updatedSince) return false;
      if (query.updatedUntil !== undefined && updated >= query.updatedUntil) return false;
      return true;
    })
    .map((record) => ({ record, key: { value: sortValue(record, query.sortBy), id: record.id } }))
    .filter((item) => !query.cursor || compare(item.key, query.cursor) > 0)
    .sort((a, b) => compare(a.key, b.key));
  const items = keyed.slice(0, query.limit).map((item) => item.record);
  const more = keyed.length > query.limit;
  return { items, nextCursor: more ? encodeCursor(items.at(-1)!, query.sortBy) : null };
}
