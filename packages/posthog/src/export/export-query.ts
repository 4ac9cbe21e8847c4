import { err, unexpectedFailure } from '@patchbay/core';
import { checkExportOptions, type ExportQueryOptions } from './export-options.ts';
import { createExportStream, type ExportProgress } from './export-stream.ts';

/**
 * Streams a query's whole result as CSV, JSON or NDJSON: a web `ReadableStream` of UTF-8 bytes (for a `Response`,
 * a file, an upload), on any runtime with web streams. Pages are fetched as the consumer reads, one at a time,
 * so memory stays flat however many rows there are:
 * - `EventsQuery`: keyset pages on (timestamp, uuid), ordered `timestamp ASC, uuid ASC` (its `orderBy` is
 *   replaced; `timestamp` and `uuid` are selected when absent and left out of the output; set `after`, as
 *   PostHog covers only the last 24 h without it). Rows sharing a timestamp are neither skipped nor repeated.
 * - `HogQLQuery`: PostHog refuses OFFSET from a personal API key, so SQL is paged by keyset when it names the
 *   placeholders `{after_timestamp}` and `{after_uuid}` and selects `timestamp` and `uuid` (each page binds them
 *   to the last row's values and appends `LIMIT pageSize`): `WHERE timestamp > toDateTime({after_timestamp}) OR
 *   (timestamp = toDateTime({after_timestamp}) AND uuid > toUUID({after_uuid})) ORDER BY timestamp, uuid`.
 *   Other SQL runs as one query: `LIMIT 50000` (PostHog's most) appended when it has no LIMIT of its own, and a
 *   `VALIDATION_ERROR` when the answer fills that cap or PostHog says it has more; with its own LIMIT (or a UNION)
 *   as written.
 * - `TrendsQuery`: one page, a row per series and interval (`series, breakdown_value, date, label, value`);
 *   other kinds one page of their `results`.
 *
 * Never throws. Bad options, a failed page (the client's typed error: `RATE_LIMIT`, `VALIDATION_ERROR` with
 * PostHog's message…) or an aborted `signal` error the stream with that `IntegrationError`: the consumer's
 * `reader.read()` (or `pipeTo`, or `new Response(stream).text()`) rejects with it, after the bytes of the pages
 * before. Cancelling the stream (`reader.cancel()`) stops paging and aborts the query in flight.
 * @example
 * const csv = exportQuery({ client, format: 'csv', query: { kind: 'EventsQuery', select: ['event', 'distinct_id'], after: '-7d' } });
 * return new Response(csv, { headers: { 'content-type': EXPORT_FORMATS.csv.contentType } });
 */
export function exportQuery(options: ExportQueryOptions): ReadableStream<Uint8Array> {
  return startExport(options).stream;
}

/** An export's stream with its progress (rows and bytes written, how it ended), for reports. */
export function startExport(options: unknown): {
  stream: ReadableStream<Uint8Array>;
  progress: ExportProgress;
} {
  const progress: ExportProgress = { rows: 0, bytes: 0, done: false, error: undefined };
  let setup: ReturnType<typeof checkExportOptions>;
  try {
    setup = checkExportOptions(options);
  } catch (error) {
    setup = err(unexpectedFailure('exportQuery', error));
  }
  return { stream: createExportStream(setup, progress), progress };
}
