// Ordering and cursor pagination of record lists, as Twenty's find-many does it:
// - `order_by=field_1[AscNullsFirst],field_2[DescNullsLast],field_3` (parse-order-by-rest-request.util.ts; a bare
//   field is AscNullsFirst) and an `id AscNullsFirst` tie-breaker is always appended (add-default-order-by-id.util.ts),
//   so with no `order_by` records come in id order;
// - a cursor is base64 of `JSON.stringify({ ...orderByValues, id })` (graphql-query-runner/utils/cursors.util.ts);
// - `starting_after` reads forward, `ending_before` backward; pageInfo flags follow api/utils/build-cursor-page.util.ts.

import { badRequest } from './errors.ts';
import { COMPOSITE_TYPES, type ObjectDef, readPath } from './schema.ts';

export const ORDER_DIRECTIONS = ['AscNullsFirst', 'AscNullsLast', 'DescNullsFirst', 'DescNullsLast'] as const;
export type OrderDirection = (typeof ORDER_DIRECTIONS)[number];

/** One sort key: a record path and its direction. */
export interface OrderLeaf {
  path: string;
  direction: OrderDirection;
}

/** The order Twenty uses when none is given: by id. */
export const DEFAULT_ORDER: OrderLeaf[] = [{ path: 'id', direction: 'AscNullsFirst' }];

/**
 * Parses `order_by` like the REST parser (no field checks yet).
 * @throws TwentyError (400) for an unknown direction.
 */
export function parseOrderBy(orderByQuery: string | undefined): OrderLeaf[] {
  if (orderByQuery === undefined) return [];
  const leaves: OrderLeaf[] = [];
  for (const item of orderByQuery.split(',')) {
    let direction: string = 'AscNullsFirst';
    let fields = item;
    if (item.includes('[') && item.includes(']')) {
      const [fieldsString, itemDirection] = item.replace(']', '').split('[') as [string, string];
      if (!(ORDER_DIRECTIONS as readonly string[]).includes(itemDirection)) {
        throw badRequest(
          `'order_by' direction '${itemDirection}' invalid. Allowed values are '${ORDER_DIRECTIONS.join("', '")}'. eg: ?order_by=field_1[AscNullsFirst],field_2[DescNullsLast],field_3`,
        );
      }
      direction = itemDirection;
      fields = fieldsString;
    }
    leaves.push({ path: fields, direction: direction as OrderDirection });
  }
  return leaves;
}

/**
 * Checks order leaves against the object, expands a bare composite field to its sub-fields, and appends the id
 * tie-breaker unless the caller ordered by id.
 * @throws TwentyError (400) for an unknown field.
 */
export function resolveOrderBy(object: ObjectDef, leaves: OrderLeaf[]): OrderLeaf[] {
  const resolved: OrderLeaf[] = [];
  for (const leaf of leaves) {
    const [name, sub, ...rest] = leaf.path.split('.');
    const field = object.fieldsByName.get(name ?? '') ?? object.joinColumns.get(name ?? '');
    const isJoinColumn = object.joinColumns.has(name ?? '');
    if (!field || (field.type === 'RELATION' && !isJoinColumn) || rest.length > 0) {
      throw badRequest(
        `Object ${object.nameSingular} doesn't have any "${leaf.path}" field.`,
        'INVALID_ARGS_ORDER_BY',
      );
    }
    const subFields = COMPOSITE_TYPES[field.type];
    if (subFields && sub === undefined) {
      for (const subField of subFields) {
        if (subField.type !== 'RAW_JSON')
          resolved.push({ path: `${name}.${subField.name}`, direction: leaf.direction });
      }
      continue;
    }
    if (sub !== undefined && !subFields?.some((candidate) => candidate.name === sub)) {
      throw badRequest(
        `Sub field "${sub}" not found for composite type: ${field.type}`,
        'INVALID_ARGS_ORDER_BY',
      );
    }
    resolved.push(leaf);
  }
  if (!resolved.some((leaf) => leaf.path === 'id')) resolved.push({ path: 'id', direction: 'AscNullsFirst' });
  return resolved;
}

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const left = typeof a === 'string' ? a : JSON.stringify(a);
  const right = typeof b === 'string' ? b : JSON.stringify(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** A comparator sorting records by the leaves (strings by code point, NULLs where the direction puts them). */
export function comparatorOf(
  leaves: OrderLeaf[],
): (a: Record<string, unknown>, b: Record<string, unknown>) => number {
  return (a, b) => {
    for (const { path, direction } of leaves) {
      const left = readPath(a, path) ?? null;
      const right = readPath(b, path) ?? null;
      if (left === null && right === null) continue;
      const nullsFirst = direction === 'AscNullsFirst' || direction === 'DescNullsFirst';
      if (left === null) return nullsFirst ? -1 : 1;
      if (right === null) return nullsFirst ? 1 : -1;
      const order = compareValues(left, right);
      if (order !== 0) return direction.startsWith('Asc') ? order : -order;
    }
    return 0;
  };
}

function toBase64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(encoded: string): string {
  // Node's Buffer.from(x, 'base64') is lenient (URL-safe alphabet, missing padding, stray characters): so is this.
  const cleaned = encoded
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .replace(/[^A-Za-z0-9+/]/g, '');
  const padded = cleaned.length % 4 === 1 ? cleaned.slice(0, -1) : cleaned;
  const binary = atob(padded + '='.repeat((4 - (padded.length % 4)) % 4));
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/** The cursor of a record under an ordering: base64 of `{ ...orderByValues, id }`. */
export function encodeCursor(record: Record<string, unknown>, leaves: OrderLeaf[]): string {
  const data: Record<string, unknown> = {};
  for (const { path } of leaves) {
    if (path === 'id') continue;
    const [name, sub] = path.split('.') as [string, string | undefined];
    const value = readPath(record, path) ?? null;
    if (sub === undefined) data[name] = value;
    else data[name] = { ...(data[name] as Record<string, unknown> | undefined), [sub]: value };
  }
  data.id = record.id;
  return toBase64(JSON.stringify(data));
}

/**
 * Decodes a cursor into the values it points at.
 * @throws TwentyError (400) `Invalid cursor: ...` (code INVALID_CURSOR) when it is not base64 JSON.
 */
export function decodeCursor(cursor: string): Record<string, unknown> {
  try {
    const data: unknown = JSON.parse(fromBase64(cursor));
    if (data !== null && typeof data === 'object' && !Array.isArray(data))
      return data as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw badRequest(`Invalid cursor: ${cursor}`, 'INVALID_CURSOR');
}

/** Twenty's REST `pageInfo`. */
export interface PageInfo {
  startCursor: string | null;
  endCursor: string | null;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/** How to cut a page: `limit` records after `after` or before `before` (cursors already decoded). */
export interface PageRequest {
  limit: number;
  after?: Record<string, unknown>;
  before?: Record<string, unknown>;
}

// First index whose record sorts after (strictly, or at-or-after) the cursor.
function boundary<T extends Record<string, unknown>>(
  sorted: readonly T[],
  cursor: Record<string, unknown>,
  compare: (a: Record<string, unknown>, b: Record<string, unknown>) => number,
  inclusive: boolean,
): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const order = compare(sorted[mid]!, cursor);
    if (order < 0 || (!inclusive && order === 0)) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * One page of records already filtered and sorted by `leaves`, with Twenty's pageInfo: forward,
 * `hasNextPage` says more records follow and `hasPreviousPage` whether a cursor was given; backward, the reverse.
 */
export function paginate<T extends Record<string, unknown>>(
  sorted: readonly T[],
  leaves: OrderLeaf[],
  request: PageRequest,
): { items: T[]; pageInfo: PageInfo } {
  const compare = comparatorOf(leaves);
  let items: T[];
  let hasNextPage: boolean;
  let hasPreviousPage: boolean;
  if (request.before) {
    const end = boundary(sorted, request.before, compare, true);
    items = sorted.slice(Math.max(0, end - request.limit), end);
    hasNextPage = true;
    hasPreviousPage = end > request.limit;
  } else {
    const start = request.after ? boundary(sorted, request.after, compare, false) : 0;
    items = sorted.slice(start, start + request.limit);
    hasNextPage = sorted.length - start > request.limit;
    hasPreviousPage = request.after !== undefined;
  }
  return { items, pageInfo: pageInfoOf(items, leaves, hasNextPage, hasPreviousPage) };
}

export function pageInfoOf(
  items: readonly Record<string, unknown>[],
  leaves: OrderLeaf[],
  hasNextPage: boolean,
  hasPreviousPage: boolean,
): PageInfo {
  return {
    startCursor: items.length > 0 ? encodeCursor(items[0]!, leaves) : null,
    endCursor: items.length > 0 ? encodeCursor(items[items.length - 1]!, leaves) : null,
    hasNextPage,
    hasPreviousPage,
  };
}
