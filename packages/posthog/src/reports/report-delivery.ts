import type { ApiResult } from '@patchbay/core';
import type { ExportFormat } from '../export/export-format.ts';
import type { ResolvedRange } from './report-range.ts';

/** One run's export, handed to a deliverer to read to its end (or cancel). */
export interface ReportDelivery {
  reportId: string;
  format: ExportFormat;
  /** The format's media type (`text/csv; charset=utf-8; header=present`…). */
  contentType: string;
  /** A name for the file: `{id}-{YYYY-MM-DD}.{ext}`, the run's date in UTC. */
  filename: string;
  /**
   * The export, fetched page by page as it is read. It errors with the query's typed error if a page fails;
   * the run then fails with that error whatever the deliverer answers.
   */
  body: ReadableStream<Uint8Array>;
  /** The run's `now`. */
  now: Date;
  /** The run's date range, when the report has one. */
  range: ResolvedRange | undefined;
  /** Aborted when the run is. */
  signal: AbortSignal | undefined;
}

/**
 * Where a report goes: `fileDeliverer`, `webhookDeliverer`, `emailDeliverer`, or your own. `deliver` reads the
 * body to its end and answers where it went (a path, a URL without its query, recipients), or a typed error; it
 * should not throw (a throw becomes `OPERATION_FAILED`).
 */
export interface ReportDeliverer {
  deliver(delivery: ReportDelivery): Promise<ApiResult<{ deliveredTo: string }>>;
}
