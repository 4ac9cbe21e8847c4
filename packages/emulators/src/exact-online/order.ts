// `$orderby` on one property, ascending or descending, with the key breaking ties, and the `$skiptoken` that
// continues such an ordered read: WCF Data Services (on which Exact's OData v2 API runs) writes it as the last row's
// order-by value then its key, `$skiptoken='Acme%20BV',guid'…'`, so this emulator does the same (the exact text
// Exact writes is a guess). Values order as SQL Server would: nulls first, dates by their instant, strings ignoring
// case (its default collation, a guess), numbers and booleans by value. One property only: more is refused (Exact
// takes several; clients here send one).

import { badRequest } from './errors.ts';
import { type FilterNode, parseFilter } from './filter.ts';
import type { ExactRecord } from './store.ts';
import { isGuid, parseExactDate } from './values.ts';

/** A parsed `$orderby`. */
export interface OrderBy {
  field: string;
  desc: boolean;
}

/** A value as it sorts. */
export type SortValue = string | number | null;

/** Parses `$orderby=Field [asc|desc]`; throws an ExactError (400) otherwise. */
export function parseOrderBy(text: string, fields: ReadonlySet<string>): OrderBy {
  const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)(?:\s+(asc|desc))?\s*$/i.exec(text);
  if (!match)
    throw badRequest(`$orderby: only one property, optionally with asc or desc, is supported: ${text}`);
  const field = match[1]!;
  if (!fields.has(field)) throw badRequest(`Could not find a property named '${field}' to order by.`);
  return { field, desc: match[2]?.toLowerCase() === 'desc' };
}

/** How a record value sorts. */
export function sortValue(value: unknown): SortValue {
  if (value === null || value === undefined) return null;
  const date = parseExactDate(value);
  if (date !== undefined) return date;
  if (typeof value === 'string') return value.toLowerCase();
  if (typeof value === 'boolean') return value ? 1 : 0;
  return typeof value === 'number' ? value : String(value);
}

function compareValues(a: SortValue, b: SortValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Compares a record's position with an (order value, key) position. */
export function comparePosition(
  order: OrderBy,
  key: string,
  record: ExactRecord,
  value: SortValue,
  at: string,
): number {
  const byValue = compareValues(sortValue(record[order.field]), value);
  if (byValue !== 0) return order.desc ? -byValue : byValue;
  const own = record[key] as string;
  return own < at ? -1 : own > at ? 1 : 0;
}

/** Records sorted by `order`, ties by key (the input is in key order, and the sort is stable). */
export function orderRecords(records: readonly ExactRecord[], order: OrderBy): ExactRecord[] {
  const decorated = records.map((record) => [sortValue(record[order.field]), record] as const);
  decorated.sort(([a], [b]) => (order.desc ? -compareValues(a, b) : compareValues(a, b)));
  return decorated.map(([, record]) => record);
}

/** The `$skiptoken` after `record` in an ordered read. */
export function encodeOrderedToken(record: ExactRecord, order: OrderBy, key: string): string {
  const value = record[order.field];
  let literal: string;
  const date = parseExactDate(value);
  if (value === null || value === undefined) literal = 'null';
  else if (date !== undefined) literal = `datetime'${new Date(date).toISOString().slice(0, 23)}'`;
  else if (typeof value === 'string')
    literal = isGuid(value) ? `guid'${value}'` : `'${value.replaceAll("'", "''")}'`;
  else literal = String(value);
  return `${literal},guid'${record[key] as string}'`;
}

/** Reads an ordered read's `$skiptoken` back; throws an ExactError (400) for one it did not write. */
export function decodeOrderedToken(token: string, order: OrderBy): { value: SortValue; key: string } {
  const match = /^(.*),guid'([0-9a-f-]{36})'$/is.exec(token);
  if (!match) throw badRequest('Invalid $skiptoken value.');
  let node: FilterNode;
  try {
    node = parseFilter(`${order.field} eq ${match[1]}`);
  } catch {
    throw badRequest('Invalid $skiptoken value.');
  }
  if (node.kind !== 'compare' || node.right.kind !== 'literal') throw badRequest('Invalid $skiptoken value.');
  const literal = node.right.literal;
  const value: SortValue =
    literal.type === 'null'
      ? null
      : literal.type === 'string' || literal.type === 'guid'
        ? literal.value.toLowerCase()
        : literal.type === 'boolean'
          ? Number(literal.value)
          : literal.type === 'int64'
            ? Number(literal.value)
            : literal.value;
  return { value, key: match[2]!.toLowerCase() };
}
