// @patchbay/scheduler: scheduled and one-off background jobs, on BullMQ (Redis) or the embedded Patchbay store.
export { createScheduler } from './create-scheduler.ts';
export {
  type PushSyncEngine,
  type PushSyncEngineReport,
  type PushSyncJobOptions,
  type PushSyncResult,
  pushSyncJob,
  type RecordStream,
} from './jobs/push-sync-job.ts';
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
