// The query options of a read and the page they select. Exact's REST endpoints answer 60 records a page, its
// `bulk/` and `sync/` endpoints 1 000, and the last two need `$select` ("Please add a $select or a $top=1 statement
// to the query string.", quoted in picqer/exact-php-client issue #62); `$select=*` is refused there (wire notes;
// wording guessed). A page continues through `__next`, the same URL with `$skiptoken`: `guid'<last key>'` on REST
// and bulk reads (ordered by key), `<last Timestamp>L` on sync reads (ordered by Timestamp; a guess, sync clients
// usually re-filter on Timestamp instead). Since July 2021 Exact refuses a REST or bulk list without `$filter` where a
// sync endpoint exists ("This endpoint has mandatory filtering applied. A GET request for this endpoint must have a
// $filter parameter with one of the following fields in the url:…", picqer issue #591); `$top=1` is let through
// here (a guess, matching the $select message). `$expand` is refused (wire notes) and unknown `$` options too, as
// WCF Data Services, which Exact's API runs on, refuses them; `$orderby` is refused as not emulated (Exact has it).

import type { EntityDef } from './entities.ts';
import { badRequest } from './errors.ts';
import { type FilterNode, matchesFilter, parseFilter } from './filter.ts';
import type { ExactRecord } from './store.ts';

/** Which kind of endpoint a read is on. */
export type ReadKind = 'rest' | 'bulk' | 'sync';

/** A parsed read. */
export interface ReadQuery {
  select: string[] | undefined;
  filter: FilterNode | undefined;
  top: number | undefined;
  /** Key (REST, bulk) or Timestamp (sync) after which the page starts. */
  after: string | bigint | undefined;
  /** `$inlinecount=allpages`: answer `__count`, the filtered total, as OData v2 does (a string). */
  inlineCount: boolean;
}

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
  if (params.has('$orderby')) throw badRequest('$orderby is not supported by this emulator.');
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
  const token = params.get('$skiptoken');
  let after: string | bigint | undefined;
  if (token !== null) {
    const guid = /^guid'([0-9a-f-]{36})'$/i.exec(token);
    const int = /^(\d{1,19})L$/.exec(token);
    if (kind === 'sync' && int) after = BigInt(int[1]!);
    else if (kind !== 'sync' && guid) after = guid[1]!.toLowerCase();
    else throw badRequest('Invalid $skiptoken value.');
  }
  const inline = params.get('$inlinecount');
  if (inline !== null && inline !== 'allpages' && inline !== 'none') {
    throw badRequest(`Invalid $inlinecount value: ${inline}`);
  }
  return { select, filter, top, after, inlineCount: inline === 'allpages' };
}

/** The page a read selects, and the `$skiptoken` of the next one when there is more. */
export function selectPage(
  ordered: readonly ExactRecord[],
  def: EntityDef,
  kind: ReadKind,
  query: ReadQuery,
): { rows: ExactRecord[]; nextToken: string | undefined; count?: number } {
  const size = Math.min(PAGE_SIZE[kind], query.top ?? Number.POSITIVE_INFINITY);
  const orderKey = kind === 'sync' ? 'Timestamp' : def.key;
  let start = 0;
  if (query.after !== undefined) {
    const after = query.after;
    // Binary search: the order is by key (REST, bulk) or by Timestamp (sync).
    const greater = (record: ExactRecord) =>
      typeof after === 'bigint'
        ? BigInt(record.Timestamp as string) > after
        : (record[orderKey] as string) > after;
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
  // More remain only if a later record passes too; `$top` ends the read (Exact gives no __next past $top).
  let more = false;
  if (rows.length === size && query.top === undefined) {
    for (let i = index; i < ordered.length; i++) {
      if (!query.filter || matchesFilter(query.filter, ordered[i]!)) {
        more = true;
        break;
      }
    }
  }
  const last = rows.at(-1);
  const nextToken =
    more && last
      ? kind === 'sync'
        ? `${last.Timestamp as string}L`
        : `guid'${last[def.key] as string}'`
      : undefined;
  if (!query.inlineCount) return { rows, nextToken };
  const count = query.filter
    ? ordered.filter((record) => matchesFilter(query.filter!, record)).length
    : ordered.length;
  return { rows, nextToken, count };
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
