/** The formats an export is written in. */
export const EXPORT_FORMAT_NAMES = ['csv', 'json', 'ndjson'] as const;

/** `csv` (RFC 4180, a header row), `json` (one array of row objects) or `ndjson` (one row object a line). */
export type ExportFormat = (typeof EXPORT_FORMAT_NAMES)[number];

/** What a format is called on the wire and on disk. */
export interface ExportFormatInfo {
  /** The media type, for a `Content-Type` header or an attachment. */
  contentType: string;
  /** The file name extension, without the dot. */
  extension: string;
}

/**
 * The media type and file extension of each export format, for the `Content-Type` of a response that streams an
 * export (`text/csv; header=present` per RFC 4180 §3, `application/x-ndjson` as ndjson.org names it).
 * @example new Response(exportQuery({ client, query, format: 'csv' }), { headers: { 'content-type': EXPORT_FORMATS.csv.contentType } })
 */
export const EXPORT_FORMATS: Readonly<Record<ExportFormat, Readonly<ExportFormatInfo>>> = Object.freeze({
  csv: Object.freeze({ contentType: 'text/csv; charset=utf-8; header=present', extension: 'csv' }),
  json: Object.freeze({ contentType: 'application/json; charset=utf-8', extension: 'json' }),
  ndjson: Object.freeze({ contentType: 'application/x-ndjson; charset=utf-8', extension: 'ndjson' }),
});
