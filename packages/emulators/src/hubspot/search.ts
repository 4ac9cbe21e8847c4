// `POST …/{type}/search` (2026-03 objects spec, `PublicObjectSearchRequest` → `CollectionResponseWithTotal…`):
// `{ filterGroups, sorts, query, properties, limit, after }` → `{ total, results, paging: { next: { after } } }`.
// Limits from the search guide (developers.hubspot.com/docs/api-reference/search/guide, "Limitations") and the wire
// notes: `limit` at most 200 (default 10), `query` at most 3 000 characters, one sort rule, and no more than 10 000
// results for any query: `paging.next.after` is an offset and paging to 10 000 or beyond is a 400 (activepieces
// #10160 quoting the guide; hubspot-api-nodejs #132). `total` counts every match. Without sorts, results come in
// `hs_object_id` order (which is creation order here). `query` matches the type's default searchable properties
// (guide, "Search default searchable properties"), here as a case-insensitive substring. Filter limits are those of
// the guide's "Limitations" (5 groups × 6 filters, 18 in all) although HubSpot's 2024 changelog "Expanded Filtering
// Capabilities" announced 5 × 10 and 25: the lower, documented figures are what a client must respect.

import type { HubSpotAccount } from './account.ts';
import { validationError } from './errors.ts';
import { presentRecord } from './present.ts';
import type { ObjectTypeDef } from './schema.ts';
import { checkFilterGroups, compareValues, matchesGroups, ownValue } from './search-filters.ts';
import type { HubSpotRecord } from './store.ts';

/** The search limits. */
export const SEARCH_LIMITS = {
  maxLimit: 200,
  defaultLimit: 10,
  queryLength: 3000,
  maxResults: 10_000,
} as const;

interface Sort {
  propertyName: string;
  descending: boolean;
}

function readSorts(raw: unknown): Sort[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw validationError('sorts must be an array');
  if (raw.length > 1) throw validationError('A search allows one sort rule');
  return raw.map((item: unknown) => {
    if (typeof item === 'string') {
      // The spec types sorts as strings: `createdate`, or `-createdate` for descending.
      const descending = item.startsWith('-');
      return { propertyName: descending ? item.slice(1) : item, descending };
    }
    const sort = (item ?? {}) as { propertyName?: unknown; direction?: unknown };
    if (typeof sort.propertyName !== 'string') throw validationError('Each sort needs a propertyName');
    if (sort.direction !== undefined && sort.direction !== 'ASCENDING' && sort.direction !== 'DESCENDING') {
      throw validationError(`Sort direction must be ASCENDING or DESCENDING, not ${String(sort.direction)}`);
    }
    return { propertyName: sort.propertyName, descending: sort.direction === 'DESCENDING' };
  });
}

function readNumber(raw: unknown, name: string): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const value =
    typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value < 0) throw validationError(`${name} must be a non-negative integer`);
  return value;
}

function byId(a: HubSpotRecord, b: HubSpotRecord): number {
  return Number(a.id) - Number(b.id);
}

/** Runs a search over the live records of a type. */
export function searchRecords(account: HubSpotAccount, def: ObjectTypeDef, body: unknown): Response {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw validationError('Invalid input JSON: the body must be an object');
  }
  const request = body as Record<string, unknown>;
  const groups = checkFilterGroups(request.filterGroups);
  const sorts = readSorts(request.sorts);
  const query = request.query;
  if (query !== undefined && query !== null && typeof query !== 'string')
    throw validationError('query must be a string');
  if (typeof query === 'string' && query.length > SEARCH_LIMITS.queryLength) {
    throw validationError(
      `query is ${query.length} characters long; at most ${SEARCH_LIMITS.queryLength} are allowed`,
    );
  }
  const limit = readNumber(request.limit, 'limit') ?? SEARCH_LIMITS.defaultLimit;
  if (limit < 1 || limit > SEARCH_LIMITS.maxLimit) {
    throw validationError(`limit must be from 1 to ${SEARCH_LIMITS.maxLimit}, not ${limit}`);
  }
  const after = readNumber(request.after, 'after') ?? 0;
  if (after >= SEARCH_LIMITS.maxResults) {
    throw validationError(
      `Search results are limited to ${SEARCH_LIMITS.maxResults}; after ${after} is beyond them. Narrow the filters (e.g. on hs_object_id) instead of paging further.`,
    );
  }
  const properties = Array.isArray(request.properties)
    ? request.properties.filter((p): p is string => typeof p === 'string')
    : undefined;

  const needle = typeof query === 'string' ? query.trim().toLowerCase() : '';
  // Search reads an index that lags writes: a record created within the lag is not found yet (its later updates,
  // once it is indexed, show at once here: a simplification).
  const indexedBefore = account.now() - (account.searchLagMs ?? 0);
  const matches = account.store.list(def).filter((record) => {
    if (record.createdAt > indexedBefore) return false;
    if (!matchesGroups(record.properties, groups)) return false;
    if (needle === '') return true;
    return def.searchableProperties.some((name) =>
      ownValue(record.properties, name)?.toLowerCase().includes(needle),
    );
  });
  const sort = sorts[0];
  if (sort) {
    matches.sort((a, b) => {
      const x = ownValue(a.properties, sort.propertyName);
      const y = ownValue(b.properties, sort.propertyName);
      // Records without the property come last, whichever the direction.
      if (x === undefined || y === undefined) return x === y ? byId(a, b) : x === undefined ? 1 : -1;
      const order = compareValues(sort.propertyName, x, y);
      return (sort.descending ? -order : order) || byId(a, b);
    });
  } else {
    matches.sort(byId);
  }
  const page = matches.slice(after, after + limit);
  const answer: Record<string, unknown> = {
    total: matches.length,
    results: page.map((record) => presentRecord(def, record, properties)),
  };
  if (after + limit < matches.length) answer.paging = { next: { after: String(after + limit) } };
  return Response.json(answer);
}
