// @patchbay/scheduler: scheduled and one-off background jobs, on BullMQ (Redis) or the embedded Patchbay store.
export { createScheduler } from './create-scheduler.ts';
// Health: per-integration breaker, last success, error rate, rate-limit usage, runs; the per-tenant switch.
export {
  type BreakerHealth,
  createHealth,
  type Health,
  type HealthBucket,
  type HealthIntegration,
  type HealthOptions,
  type HealthSnapshot,
  type IntegrationHealth,
  type RateLimitHealth,
} from './health/create-health.ts';
export {
  type EmailAlertOptions,
  type EmailMessage,
  type EmailTransport,
  emailAlertDeliverer,
} from './health/email-alert-deliverer.ts';
export {
  type AlertDeliverer,
  alertOnFailures,
  type FailureAlert,
  type FailureAlertOptions,
  type FailureAlerts,
  type FailureEvent,
} from './health/failure-alerts.ts';
export {
  DEFAULT_BREAKER_POLICY,
  type GuardBreaker,
  type IntegrationGuardOptions,
  withIntegrationGuard,
} from './health/integration-guard.ts';
export {
  type RunCounts,
  type RunStats,
  recordsOf,
  runStats,
  type SkipReason,
  skipReasonOf,
} from './health/run-stats.ts';
export {
  alertText,
  type WebhookAlertOptions,
  webhookAlertDeliverer,
} from './health/webhook-alert-deliverer.ts';
export {
  type PullPage,
  type PullPages,
  type PullSyncJobOptions,
  type PullSyncResult,
  pullSyncJob,
} from './jobs/pull-sync-job.ts';
export {
  type PushSyncEngine,
  type PushSyncEngineReport,
  type PushSyncJobOptions,
  type PushSyncResult,
  pushSyncJob,
  type RecordStream,
} from './jobs/push-sync-job.ts';
export {
  type ReconcileJobOptions,
  type ReconcilePolicy,
  type ReconcileResult,
  reconcileJob,
} from './jobs/reconcile-job.ts';
export type {
  BackoffOptions,
  DeadLetter,
  DefineOptions,
  EnqueueOptions,
  JobContext,
  JobHandler,
  JobRun,
  JobRunOutcome,
  Schedule,
  ScheduleInput,
  Scheduler,
  SchedulerBackend,
} from './scheduler.ts';
export { DEFAULT_SCHEDULER_STORE, type SchedulerOptions, type SchedulerStore } from './scheduler-options.ts';
export { createStatusPageHandler, type StatusPageOptions } from './status-page/create-status-page-handler.ts';
export { CSRF_COOKIE } from './status-page/csrf.ts';
export { escapeHtml } from './status-page/escape-html.ts';
export {
  defaultWebhookEvents,
  type WebhookEvent,
  type WebhookJobData,
  webhookJobId,
} from './webhooks/webhook-event.ts';
export {
  type WebhookEventJobOptions,
  type WebhookEventResult,
  webhookEventJob,
} from './webhooks/webhook-event-job.ts';
export { createWebhookIngestion, type WebhookIngestionOptions } from './webhooks/webhook-ingestion.ts';
export {
  type WebhookEventPage,
  type WebhookReconcileJobOptions,
  webhookReconcileJob,
} from './webhooks/webhook-reconcile-job.ts';
