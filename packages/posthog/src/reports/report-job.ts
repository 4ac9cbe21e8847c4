// A report as a scheduled job. The scheduler (`@patchbay/scheduler`) calls a handler with the job's context; the
// report's range is taken relative to the tick the job belongs to, not to when it happens to run, so a run that
// was late, retried or replayed exports the same dates as it would have on time.
import type { ApiResult } from '@patchbay/core';
import type { PostHogQuerySource } from '../export/query-source.ts';
import type { Report } from './define-report.ts';
import { type ReportRun, runReport } from './run-report.ts';

/** What the handler reads of a scheduler's job context. */
export interface ReportJobContext {
  /** The tick (epoch ms) a scheduled job belongs to; null or absent for a one-off, which runs for now. */
  readonly scheduledAt?: number | null;
  /** Aborted when the scheduler closes: the query in flight is cancelled and the run fails ABORTED. */
  readonly signal?: AbortSignal;
}

/**
 * A job handler running `report` (seed 000's scheduled analytics reports): `scheduler.define('weekly-pageviews',
 * postHogReportJob(weekly, { client }))`, then `scheduler.schedule({ id: 'weekly', cron: '0 8 * * 1', job: { name:
 * 'weekly-pageviews' } })`. Resolves the run, or its typed error (retryable when the failure was), never rejects.
 */
export function postHogReportJob(
  report: Report,
  options: { client: PostHogQuerySource },
): (job: ReportJobContext) => Promise<ApiResult<ReportRun>> {
  return (job) => {
    let scheduledAt: number | null | undefined;
    let signal: AbortSignal | undefined;
    try {
      scheduledAt = job?.scheduledAt;
      signal = job?.signal;
    } catch {
      scheduledAt = undefined;
    }
    return runReport(report, {
      client: options.client,
      now: typeof scheduledAt === 'number' && Number.isFinite(scheduledAt) ? scheduledAt : Date.now(),
      ...(signal === undefined ? {} : { signal }),
    });
  };
}
