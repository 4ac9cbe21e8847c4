// The query options of a read and the page they select. Exact's REST endpoints answer 60 records a page, its
// `bulk/` and `sync/` endpoints 1 000, and the last two need `$select` ("Please add a $select or a $top=1 statement
// to the query string.", quoted in picqer/exact-php-client issue #62); `$select=*` is refused there (wire notes;
// wording guessed). A page continues through `__next`, the same URL with `$skiptoken`: `guid'<last key>'` on REST
// and bulk reads (ordered by key), `<last Timestamp>L` on sync reads (ordered by Timestamp; a guess, sync clients
// usually re-filter on Timestamp instead). Since July 2021 Exact refuses a REST or bulk list without `$filter` where a
// sync endpoint exists ("This endpoint has mandatory filtering applied. A GET request for this endpoint must have a
// $filter parameter with one of the following fields in the url:…", picqer issue #591); `$top=1` is let through
// here (a guess, matching the $select message). `$expand` is refused (wire notes) and unknown `$` options too, as
// WCF Data Services, which Exact's API runs on, refuses them. `$orderby` (one property, see order.ts) is taken on REST
// and bulk reads, not on sync ones, which are ordered by Timestamp (a guess). `$top` caps the whole read: a page is at
// most the page size, and `__next` carries the `$top` still due, as WCF Data Services' server-driven paging writes it.

import type { EntityDef } from './entities.ts';
import { badRequest } from './errors.ts';
import { type FilterNode, matchesFilter, parseFilter } from './filter.ts';
import {
  comparePosition,
  decodeOrderedToken,
  encodeOrderedToken,
  type OrderBy,
  parseOrderBy,
  type SortValue,
} from './order.ts';
import type { ExactRecord } from './store.ts';

/** Which kind of endpoint a read is on. */
export type ReadKind = 'rest' | 'bulk' | 'sync';

/** A parsed read. */
export interface ReadQuery {
  select: string[] | undefined;
  filter: FilterNode | undefined;
  top: number | undefined;
  orderBy: OrderBy | undefined;
  /** Where the page starts: after a key (REST, bulk), a Timestamp (sync), or an order-by value and key. */
  after: ReadCursor | undefined;
  /** `$inlinecount=allpages`: answer `__count`, the filtered total, as OData v2 does (a string). */
  inlineCount: boolean;
}

/** Where a continued read starts. */
export type ReadCursor =
  | { key: string }
  | { timestamp: bigint }
  | { value: SortValue; key: string; ordered: true };

/** Page sizes by endpoint kind. */
export const PAGE_SIZE: Record<ReadKind, number> = { rest: 60, bulk: 1_000, sync: 1_000 };

const KNOWN = new Set([
  '$select',
  '$filter',
  '$top',
  '$skiptoken',
  '$expand',
  '$orderby',
  '$inlinecount',
  '$format',
  '$skip',
]);

/** The properties a read may select or filter on: Timestamp only on sync endpoints. */
export function readableFields(def: EntityDef, kind: ReadKind): Set<string> {
  const fields = new Set(def.fields);
  if (kind === 'sync') fields.add('Timestamp');
  return fields;
}

/** Parses a read's query string; throws an ExactError (400) for what Exact refuses. */
export function parseReadQuery(
  params: URLSearchParams,
  def: EntityDef,
  kind: ReadKind,
  options: { mandatoryFiltering: boolean },
): ReadQuery {
  for (const name of params.keys()) {
    if (name.startsWith('$') && !KNOWN.has(name)) {
      throw badRequest(
        `The query parameter '${name}' begins with a system-reserved '$' character but is not recognized.`,
      );
    }
  }
  if (params.has('$expand')) throw badRequest('$expand is not supported on this endpoint.');
  if (params.has('$skip')) throw badRequest('$skip is not supported; use $skiptoken from __next.');
  const fields = readableFields(def, kind);
  const topText = params.get('$top');
  let top: number | undefined;
  if (topText !== null) {
    if (!/^\d{1,9}$/.test(topText)) throw badRequest(`Invalid $top value: ${topText}`);
    top = Number(topText);
  }
  const selectText = params.get('$select');
  let select: string[] | undefined;
  if (selectText === null || selectText.trim() === '') {
    if (kind !== 'rest' && top !== 1)
      throw badRequest('Please add a $select or a $top=1 statement to the query string.');
  } else {
    select = selectText.split(',').map((name) => name.trim());
    if (select.includes('*')) {
      if (kind !== 'rest')
        throw badRequest('$select=* is not allowed on this endpoint: name the properties.');
      select = undefined;
    } else {
      for (const name of select) {
        if (!fields.has(name))
          throw badRequest(`Could not find a property named '${name}' on type '${def.type}'.`);
      }
    }
  }
  const filterText = params.get('$filter');
  const filter =
    filterText === null || filterText.trim() === '' ? undefined : parseFilter(filterText, fields);
  if (!filter && options.mandatoryFiltering && kind !== 'sync' && def.sync && top !== 1) {
    throw badRequest(
      `This endpoint has mandatory filtering applied. A GET request for this endpoint must have a $filter parameter with one of the following fields in the url:${[...def.fields].sort().join(',')}.`,
    );
  }
  const orderText = params.get('$orderby');
  let orderBy: OrderBy | undefined;
  if (orderText !== null) {
    if (kind === 'sync')
      throw badRequest('$orderby is not supported on sync endpoints: they are ordered by Timestamp.');
    orderBy = parseOrderBy(orderText, fields);
  }
  const token = params.get('$skiptoken');
  let after: ReadCursor | undefined;
  if (token !== null) {
    const guid = /^guid'([0-9a-f-]{36})'$/i.exec(token);
    const int = /^(\d{1,19})L$/.exec(token);
    if (orderBy) after = { ...decodeOrderedToken(token, orderBy), ordered: true };
    else if (kind === 'sync' && int) after = { timestamp: BigInt(int[1]!) };
    else if (kind !== 'sync' && guid) after = { key: guid[1]!.toLowerCase() };
    else throw badRequest('Invalid $skiptoken value.');
  }
  const inline = params.get('$inlinecount');
  if (inline !== null && inline !== 'allpages' && inline !== 'none') {
    throw badRequest(`Invalid $inlinecount value: ${inline}`);
  }
  return { select, filter, top, orderBy, after, inlineCount: inline === 'allpages' };
}

/**
 * The page a read selects from records already in the read's order (key, Timestamp, or `$orderby`), the
 * `$skiptoken` of the next page when more remain, and the `$top` still due after this page.
 */
export function selectPage(
  ordered: readonly ExactRecord[],
  def: EntityDef,
  kind: ReadKind,
  query: ReadQuery,
): { rows: ExactRecord[]; nextToken: string | undefined; nextTop?: number; count?: number } {
  const size = Math.min(PAGE_SIZE[kind], query.top ?? Number.POSITIVE_INFINITY);
  let start = 0;
  const after = query.after;
  if (after !== undefined) {
    // Binary search for the first record past the cursor, in the read's order.
    const greater = (record: ExactRecord): boolean => {
      if ('timestamp' in after) return BigInt(record.Timestamp as string) > after.timestamp;
      if ('ordered' in after)
        return comparePosition(query.orderBy!, def.key, record, after.value, after.key) > 0;
      return (record[def.key] as string) > after.key;
    };
    let lo = 0;
    let hi = ordered.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (greater(ordered[mid]!)) hi = mid;
      else lo = mid + 1;
    }
    start = lo;
  }
  const rows: ExactRecord[] = [];
  let index = start;
  for (; index < ordered.length && rows.length < size; index++) {
    const record = ordered[index]!;
    if (!query.filter || matchesFilter(query.filter, record)) rows.push(record);
  }
  // More remain only if `$top` is not yet met and a later record passes too.
  let more = false;
  if (rows.length === size && (query.top === undefined || query.top > rows.length)) {
    for (let i = index; i < ordered.length; i++) {
      if (!query.filter || matchesFilter(query.filter, ordered[i]!)) {
        more = true;
        break;
      }
    }
  }
  const last = rows.at(-1);
  let nextToken: string | undefined;
  if (more && last) {
    if (query.orderBy) nextToken = encodeOrderedToken(last, query.orderBy, def.key);
    else nextToken = kind === 'sync' ? `${last.Timestamp as string}L` : `guid'${last[def.key] as string}'`;
  }
  const page: { rows: ExactRecord[]; nextToken: string | undefined; nextTop?: number; count?: number } = {
    rows,
    nextToken,
  };
  if (nextToken !== undefined && query.top !== undefined) page.nextTop = query.top - rows.length;
  if (query.inlineCount) {
    page.count = query.filter
      ? ordered.filter((record) => matchesFilter(query.filter!, record)).length
      : ordered.length;
  }
  return page;
}

/** A record as a read answers it: `__metadata`, the selected properties, deferred lines; Timestamp only on sync. */
export function shapeRecord(
  record: ExactRecord,
  def: EntityDef,
  kind: ReadKind,
  select: string[] | undefined,
  entityUri: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = { __metadata: { uri: entityUri, type: def.type } };
  const names = select ?? [...def.fields, ...(kind === 'sync' ? ['Timestamp'] : [])];
  for (const name of names) {
    if (name === def.lines?.property) out[name] = { __deferred: { uri: `${entityUri}/${name}` } };
    else out[name] = record[name] ?? null;
  }
  return out;
}
