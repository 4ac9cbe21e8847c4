import {
  type ApiResult,
  err,
  IntegrationError,
  invalidInput,
  isIntegrationError,
  ok,
  readOptions,
  readSignal,
  settle,
} from '@patchbay/core';
import { EXPORT_FORMATS } from '../export/export-format.ts';
import { startExport } from '../export/export-query.ts';
import type { PostHogQuerySource } from '../export/query-source.ts';
import { applyRange } from './apply-range.ts';
import { checkReport, type Report } from './define-report.ts';
import type { ReportDelivery } from './report-delivery.ts';
import { type ResolvedRange, resolveRange } from './report-range.ts';

/** Options of {@link runReport}. */
export interface RunReportOptions {
  /** A PostHog client (`createPostHogClient`), or anything with its `query(node, { signal })`. */
  client: PostHogQuerySource;
  /** The run's time, which relative ranges count back from: a `Date` or epoch milliseconds. Default: now. */
  now?: Date | number;
  /** Aborts the run: the query in flight is cancelled and the run ends `ABORTED`. */
  signal?: AbortSignal;
}

/** What one run did. */
export interface ReportRun {
  id: string;
  /** Rows exported. */
  rows: number;
  /** Bytes of the export (before any compression by the deliverer). */
  bytes: number;
  /** Where it went, as the deliverer says: a path, a URL without its query, recipients. */
  deliveredTo: string;
  /** The range the query covered, when the report has one (ISO 8601). */
  range: ResolvedRange | undefined;
  /** ISO 8601: the run's `now`. */
  startedAt: string;
  /** ISO 8601: `now` plus the run's duration. */
  finishedAt: string;
}

/**
 * Runs a report once: its range resolved against `now`, its query exported page by page, the export handed to its
 * deliverer. Never throws or rejects. A failed query page is the run's error (the client's typed error) whatever
 * the deliverer answers; otherwise a deliverer's failure is. A run whose deliverer did not read the whole export
 * fails (`OPERATION_FAILED`).
 * @example
 * const run = await runReport(weekly, { client: posthog, now: new Date() });
 * if (!run.success) log.warn('report failed', { code: run.error.code });
 */
export function runReport(report: Report, options: RunReportOptions): Promise<ApiResult<ReportRun>> {
  return settle('runReport', () => run(report, options));
}

async function run(reportInput: unknown, options: unknown): Promise<ApiResult<ReportRun>> {
  const started = performance.now();
  const checked = checkReport(reportInput);
  if (!checked.success) return checked;
  const report = checked.data;
  const read = readOptions(options, ['client', 'now', 'signal'] as const, 'options');
  if (!read.success) return read;
  const now = readNow(read.data.now);
  if (!now.success) return now;
  const signal = readSignal(read.data.signal, 'signal');
  if (!signal.success) return signal;

  let range: ResolvedRange | undefined;
  if (report.range !== undefined) {
    const resolved = resolveRange(report.range, now.data);
    if (!resolved.success) return resolved;
    range = resolved.data;
  }
  const query = range ? applyRange(report.query, range) : report.query;
  const { stream, progress } = startExport({
    client: read.data.client,
    query,
    format: report.format,
    pageSize: report.pageSize,
    escapeFormulas: report.escapeFormulas,
    signal: signal.data,
  });
  // Options the export refuses (a client without query) error the stream at once: no delivery is started.
  if (progress.error) return err(progress.error);

  const info = EXPORT_FORMATS[report.format];
  const delivery: ReportDelivery = {
    reportId: report.id,
    format: report.format,
    contentType: info.contentType,
    filename: `${report.id}-${now.data.toISOString().slice(0, 10)}.${info.extension}`,
    body: stream,
    now: new Date(now.data.getTime()),
    range,
    signal: signal.data,
  };
  const delivered = await deliver(report, delivery);
  // Whatever the deliverer left unread is cancelled, so no further page is fetched.
  await stream.cancel().catch(() => {});
  if (progress.error) return err(progress.error);
  if (!delivered.success) return delivered;
  if (!progress.done) {
    return err(
      new IntegrationError(
        'OPERATION_FAILED',
        `The deliverer of report ${report.id} did not read the whole export`,
        {
          field: 'deliver',
          retryable: false,
        },
      ),
    );
  }
  const startedAt = now.data.getTime();
  return ok({
    id: report.id,
    rows: progress.rows,
    bytes: progress.bytes,
    deliveredTo: delivered.data.deliveredTo,
    range,
    startedAt: new Date(startedAt).toISOString(),
    finishedAt: new Date(startedAt + Math.round(performance.now() - started)).toISOString(),
  });
}

// The deliverer's answer, checked: a throw or an answer that is not { deliveredTo } is OPERATION_FAILED.
async function deliver(
  report: Report,
  delivery: ReportDelivery,
): Promise<ApiResult<{ deliveredTo: string }>> {
  let answer: unknown;
  try {
    answer = await report.deliver.deliver(delivery);
  } catch (error) {
    return err(deliveryFailure(error));
  }
  try {
    const { success } = answer as { success?: unknown };
    if (success === false) return err(deliveryFailure((answer as { error?: unknown }).error));
    const deliveredTo = (answer as { data?: { deliveredTo?: unknown } }).data?.deliveredTo;
    if (success === true && typeof deliveredTo === 'string') return ok({ deliveredTo });
  } catch {
    // A Proxy or a getter that throws: not an answer.
  }
  return err(
    new IntegrationError('OPERATION_FAILED', 'The deliverer answered something that is not { deliveredTo }', {
      field: 'deliver',
      retryable: false,
    }),
  );
}

function deliveryFailure(error: unknown): IntegrationError {
  if (isIntegrationError(error)) return error;
  return new IntegrationError('OPERATION_FAILED', 'The report deliverer failed', {
    field: 'deliver',
    retryable: false,
    cause: error instanceof Error ? error : undefined,
  });
}

const MAX_TIME = 8.64e15;

function readNow(value: unknown): ApiResult<Date> {
  if (value === undefined) return ok(new Date());
  let time: number | undefined;
  try {
    if (value instanceof Date) time = value.getTime();
  } catch {
    time = undefined;
  }
  if (typeof value === 'number') time = value;
  if (time === undefined || !Number.isFinite(time) || Math.abs(time) > MAX_TIME) {
    return err(invalidInput('now', 'must be a valid Date or epoch milliseconds'));
  }
  return ok(new Date(time));
}
