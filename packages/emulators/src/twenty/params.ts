// Query-string parameters of Twenty's REST record endpoints, read as Express/qs hands them to the parsers in
// twenty-server `engine/api/rest/input-request-parsers/` (limit-, depth-, fields-, upsert-, starting-after- and
// ending-before-parser-utils). A repeated parameter arrives as an array, which most parsers then reject or ignore.

import { badRequest } from './errors.ts';
import type { ObjectDef } from './schema.ts';

/** A query parameter as qs gives it: undefined, one string, or an array when repeated. */
export type QueryValue = string | string[] | undefined;

export function queryValue(params: URLSearchParams, name: string): QueryValue {
  const values = params.getAll(name);
  if (values.length === 0) return undefined;
  return values.length === 1 ? values[0] : values;
}

/** The parameter when it is a single string (parsers ignore anything else). */
export function queryString(params: URLSearchParams, name: string): string | undefined {
  const value = queryValue(params, name);
  return typeof value === 'string' ? value : undefined;
}

/** Page size bounds: twenty-shared `QUERY_DEFAULT_LIMIT_RECORDS` / `QUERY_MAX_RECORDS`. */
export interface LimitBounds {
  defaultLimit: number;
  maxLimit: number;
}

/**
 * parse-limit-rest-request.util.ts: absent or empty → the default; not a number or negative → 400; above the
 * maximum → clamped silently. A fractional limit is also refused here (Twenty's metadata parser does so; its record
 * parser lets it reach the database).
 */
export function parseLimit(raw: QueryValue, bounds: LimitBounds): number {
  if (raw === undefined || raw === '') return bounds.defaultLimit;
  const limit = Number(Array.isArray(raw) ? Number.NaN : raw);
  if (Number.isNaN(limit) || limit < 0 || !Number.isInteger(limit)) {
    throw badRequest(`limit '${String(raw)}' is invalid. Should be an integer`, 'INVALID_LIMIT_QUERY_PARAM');
  }
  return Math.min(limit, bounds.maxLimit);
}

/** parse-depth-rest-request.util.ts: 0 (join columns only) or 1 (related records expanded). */
export function parseDepth(raw: QueryValue): 0 | 1 {
  if (raw === undefined || raw === '') return 0;
  const depth = Number(Array.isArray(raw) ? Number.NaN : raw);
  if (depth !== 0 && depth !== 1) {
    throw badRequest(`'depth=${String(raw)}' parameter invalid. Allowed values are 0, 1`);
  }
  return depth;
}

/** parse-upsert-rest-request.util.ts: only the string `true` turns upsert on. */
export function parseUpsert(raw: QueryValue): boolean {
  return raw === 'true';
}

const FIELDS_CODE = 'INVALID_FIELDS_QUERY_PARAM';

/**
 * parse-fields-rest-request.util.ts: `fields=id,name,company`; names are field names (a relation by its name, not
 * its join column), unknown names are a 400. Returns undefined when absent (every field is returned).
 */
export function parseFields(raw: QueryValue, object: ObjectDef): string[] | undefined {
  if (raw === undefined) return undefined;
  const values = Array.isArray(raw) ? raw : [raw];
  const names = [
    ...new Set(
      values
        .flatMap((value) => value.split(','))
        .map((name) => name.trim())
        .filter((name) => name !== ''),
    ),
  ];
  if (names.length === 0) {
    throw badRequest(
      `'fields' parameter is empty. Expected a comma-separated list of field names, e.g. fields=id,name`,
      FIELDS_CODE,
    );
  }
  const unknown = names.filter((name) => !object.fieldsByName.has(name));
  if (unknown.length > 0) {
    throw badRequest(
      `'fields' parameter invalid. Unknown or unreadable fields on '${object.nameSingular}': ${unknown.join(', ')}`,
      FIELDS_CODE,
    );
  }
  return names;
}
