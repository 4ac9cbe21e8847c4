// What a backend implements, behind the checks of createScheduler: every argument it receives was already
// validated, so a backend only does the work.
import type { ApiResult } from '@patchbay/core';
import type { EnqueueSpec, KindOptions, ScheduleSpec } from './job-input.ts';
import type { DeadLetter, JobHandler, JobRun, Schedule, SchedulerBackend } from './scheduler.ts';

/** A backend: BullMQ or embedded. @internal */
export interface SchedulerEngine {
  readonly backend: SchedulerBackend;
  define(name: string, handler: JobHandler<unknown>, options: KindOptions): void;
  schedule(spec: ScheduleSpec): Promise<ApiResult<Schedule>>;
  unschedule(id: string): Promise<ApiResult<{ removed: boolean }>>;
  schedules(): Promise<ApiResult<Schedule[]>>;
  enqueue(spec: EnqueueSpec): Promise<ApiResult<{ id: string; added: boolean }>>;
  runs(query: { name: string | null; limit: number }): Promise<ApiResult<JobRun[]>>;
  deadLetters(query: { limit: number }): Promise<ApiResult<DeadLetter[]>>;
  replay(target: { name: string; jobId: string }): Promise<ApiResult<{ id: string }>>;
  close(): Promise<ApiResult<void>>;
}

/** The id of a job one schedule's tick enqueues, BullMQ's form: `repeat:<scheduleId>:<tick>`. */
export const tickJobId = (scheduleId: string, tick: number): string => `repeat:${scheduleId}:${tick}`;

/** The schedule id and tick of a scheduled job's id, or null for a one-off. */
export function readTickJobId(jobId: string): { scheduleId: string; tick: number } | null {
  const match = /^repeat:([^:]+):(\d+)$/.exec(jobId);
  return match ? { scheduleId: match[1] as string, tick: Number(match[2]) } : null;
}
