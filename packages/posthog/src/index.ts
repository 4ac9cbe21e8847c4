// The public API of @patchbay/posthog. Reading (personal API key), capture (project API key), export, reports.

export {
  createPostHogCapture,
  type PostHogCapture,
  type PostHogCaptureOptions,
  type PostHogCaptureStats,
} from './capture/capture.ts';
export type { PostHogCaptureEvent } from './capture/capture-event.ts';
export {
  createPostHogCaptureFromEnv,
  type PostHogCaptureFromEnvOptions,
} from './capture/capture-from-env.ts';
export { posthogConnector } from './connector.ts';
export {
  createPostHogClientFromEnv,
  type PostHogClientFromEnvOptions,
  type PostHogConfig,
  posthogEnvironment,
  type ResolvePostHogConfigOptions,
  resolvePostHogConfig,
} from './env.ts';
export {
  EXPORT_FORMAT_NAMES,
  EXPORT_FORMATS,
  type ExportFormat,
  type ExportFormatInfo,
} from './export/export-format.ts';
export {
  DEFAULT_EXPORT_PAGE_SIZE,
  type ExportQueryOptions,
  MAX_EXPORT_PAGE_SIZE,
} from './export/export-options.ts';
export { exportQuery } from './export/export-query.ts';
export type { PostHogQuerySource } from './export/query-source.ts';
export { createPostHogClient, type PostHogClient } from './query/client.ts';
export {
  isPostHogConfigured,
  type PostHogClientOptions,
  type PostHogRetryOptions,
} from './query/client-options.ts';
export { DEFAULT_EVENTS_PAGE_SIZE, type EventsOptions, type PostHogEvent } from './query/events.ts';
export type { HogQLOptions, HogQLResult } from './query/hogql.ts';
export { POSTHOG_US_HOST, postHogAppHost } from './query/host.ts';
export { POSTHOG_QUERY_LIMITS, type PostHogRateLimitOptions } from './query/limits.ts';
export { MAX_PAGE_VIEW_DAYS, type PageViewsOptions } from './query/page-views.ts';
export {
  type EventsQuery,
  type HogQLQuery,
  type PostHogQueryNode,
  TRENDS_INTERVALS,
  type TrendsQuery,
} from './query/query-nodes.ts';
export type { QueryOptions } from './query/query-options.ts';
export type {
  EventsQueryResponse,
  HogQLQueryResponse,
  PostHogQueryResponse,
  QueryResponseOf,
  TrendsQueryResponse,
  TrendsSeries,
} from './query/query-responses.ts';
export { type PollOptions, REFRESH_MODES, type RefreshMode } from './query/run-query.ts';
export type { TrendsOptions, TrendsSeriesInput } from './query/trends.ts';
export { defineReport, type Report, type ReportDefinition } from './reports/define-report.ts';
export {
  type EmailAttachment,
  type EmailDelivererOptions,
  type EmailMessage,
  type EmailTransport,
  emailDeliverer,
} from './reports/email-deliverer.ts';
export { type FileDelivererOptions, fileDeliverer, type ReportFileSystem } from './reports/file-deliverer.ts';
export type { ReportDeliverer, ReportDelivery } from './reports/report-delivery.ts';
export { postHogReportJob, type ReportJobContext } from './reports/report-job.ts';
export type { ReportRange, ResolvedRange } from './reports/report-range.ts';
export { type ReportRun, type RunReportOptions, runReport } from './reports/run-report.ts';
export { type WebhookDelivererOptions, webhookDeliverer } from './reports/webhook-deliverer.ts';
