// `read/sync/Sync/SyncTimestamp?modified=datetime'…'&endPoint='…'`: the row version to start a Sync API read from
// when a client knows only a date (wire notes). Its properties are `Modified`, `API` ("Endpoint name of Sync API")
// and `TimeStampAsBigInt` (picqer/exact-php-client `SyncTimestamp.php`); Exact's page, quoted in picqer issue #689,
// says "you must provide datetime as 'modified' and name of the endpoint as 'endpoint'". Answered as one item of a
// results list, as `current/Me` is (a client generated from Exact's metadata reads it like Me). Guesses: `endPoint`
// or `endpoint`, naming the entity as its sync path (`CRM/Accounts`) or its last segment (`Accounts`), quoted or not;
// the value is the version just before the oldest record of that entity modified at or after the date (so
// `Timestamp gt {n}L` reads exactly those), or the division's newest version when none was; a bad date or unknown
// endpoint is a 400.

import { EXACT_ENTITIES } from './entities.ts';
import { badRequest } from './errors.ts';
import type { ExactStore } from './store.ts';
import { parseExactDate } from './values.ts';

/** The SyncTimestamp answer's one item, before shaping. */
export interface SyncTimestampItem {
  API: string;
  Modified: string;
  TimeStampAsBigInt: string;
}

/** Answers `read/sync/Sync/SyncTimestamp` for a division; throws an ExactError (400) for bad parameters. */
export function syncTimestamp(
  store: ExactStore,
  division: number,
  params: URLSearchParams,
): SyncTimestampItem {
  const modified = /^datetime'(\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?)?)'$/.exec(
    params.get('modified') ?? '',
  );
  const endPoint = (params.get('endPoint') ?? params.get('endpoint') ?? '').replace(/^'(.*)'$/, '$1');
  if (!modified) throw badRequest("modified: expected datetime'yyyy-mm-ddThh:mm:ss'");
  const def = [...EXACT_ENTITIES.values()].find(
    (candidate) =>
      candidate.sync !== undefined &&
      (candidate.sync.toLowerCase() === endPoint.toLowerCase() ||
        candidate.sync.split('/')[1]!.toLowerCase() === endPoint.toLowerCase()),
  );
  if (!def) throw badRequest(`endPoint: no sync endpoint named '${endPoint}'`);
  const text = modified[1]!;
  // Dutch wall-clock time read as UTC, as the stored `/Date(ms)/` values hold it.
  const since = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : `${text.slice(0, 23)}Z`);
  if (!Number.isFinite(since)) throw badRequest("modified: expected datetime'yyyy-mm-ddThh:mm:ss'");
  let oldest: number | undefined;
  for (const record of store.all(division, def.path)) {
    const at = parseExactDate(record.Modified);
    const version = Number(record.Timestamp);
    if (at !== undefined && at >= since && (oldest === undefined || version < oldest)) oldest = version;
  }
  const start = oldest === undefined ? store.lastTimestamp(division) : oldest - 1;
  return { API: def.sync!, Modified: `/Date(${since})/`, TimeStampAsBigInt: String(start) };
}
