// The scheduler's public shapes, shared by both backends: BullMQ on Redis and the embedded Patchbay store. What
// a handler sees, what a schedule, a run and a dead letter look like, are the same whichever one runs them, so a
// status page or a job written against one works on the other.
import type { ApiResult, JsonValue } from '@patchbay/core';

/** Which engine runs the jobs: BullMQ on Redis (many processes) or the embedded store (one process). */
export type SchedulerBackend = 'bullmq' | 'embedded';

/** What a handler is given for one run of a job. */
export interface JobContext<Data = JsonValue> {
  /** The job's id, unique within its kind: the caller's `jobId`, a generated one, or `repeat:<scheduleId>:<tick>`. */
  readonly id: string;
  /** The job kind (the name given to `define`). */
  readonly name: string;
  /** The job's data, as enqueued (JSON). */
  readonly data: Data;
  /** Which run this is, from 1: runs started, a run its process died in included. */
  readonly attempt: number;
  /** Most runs this kind allows (`define`'s `attempts`). */
  readonly attempts: number;
  /** The schedule that produced this job, or null for a one-off. */
  readonly scheduleId: string | null;
  /** The tick this scheduled job belongs to (epoch milliseconds), or null for a one-off. */
  readonly scheduledAt: number | null;
  /** Aborted when the scheduler closes: stop and return (or throw); the job then runs again later. */
  readonly signal: AbortSignal;
}

/**
 * A job kind's work. It succeeds unless it throws, rejects, or returns a failed `ApiResult`; a failed result
 * whose error says `retryable: false` is not tried again (it goes to the dead letters at once). What it returns
 * (a result's `data`) is kept in the run log when it is JSON of at most 16 KB, e.g. `{ synced: 120 }`.
 */
export type JobHandler<Data = JsonValue> = (job: JobContext<Data>) => unknown;

/** How long a job waits before its next run after a failure. */
export interface BackoffOptions {
  /** `exponential` (default): delayMs, 2×, 4×… up to maxDelayMs; `fixed`: delayMs each time. */
  type?: 'exponential' | 'fixed';
  /** First (or every) wait, in milliseconds. Default 1 000. */
  delayMs?: number;
  /** Longest wait, in milliseconds. Default 300 000 (5 minutes). */
  maxDelayMs?: number;
}

/** Options of {@link Scheduler.define}. */
export interface DefineOptions {
  /** Jobs of this kind run at once in this process. Default 1. */
  concurrency?: number;
  /** Most runs of one job, the first included; after the last failure it becomes a dead letter. Default 3. */
  attempts?: number;
  /** Wait between runs after a failure. Default exponential from 1 s up to 5 minutes. */
  backoff?: BackoffOptions;
}

/** A repeating schedule to create or update: exactly one of `every` and `cron`. */
export interface ScheduleInput {
  /** The schedule's id (no `:`), e.g. `'twenty-sync'`: schedules with one id are one schedule. */
  id: string;
  /** Interval in milliseconds (at least 50); the first tick is now. */
  every?: number;
  /** Cron pattern (5 fields, or 6 with seconds first), e.g. `'*\/15 * * * *'`. */
  cron?: string;
  /** IANA time zone of `cron`, e.g. `'Europe/Amsterdam'`. Default UTC. */
  tz?: string;
  /** The job each tick enqueues: its kind and data. */
  job: { name: string; data?: unknown };
}

/** A stored schedule. */
export interface Schedule {
  id: string;
  every: number | null;
  cron: string | null;
  tz: string | null;
  job: { name: string; data: JsonValue };
  /** The next tick (epoch milliseconds), or null when not known. */
  next: number | null;
}

/** Options of {@link Scheduler.enqueue}. */
export interface EnqueueOptions {
  /**
   * The job's id (no `:`, not only digits), e.g. a webhook event id: while a job with this id waits, runs, waits
   * for a retry or is a dead letter, enqueueing it again adds nothing (`added: false`). Default: a new UUID.
   */
  jobId?: string;
  /** Run no sooner than this many milliseconds from now. Default 0. */
  delayMs?: number;
}

/** How a run ended. `interrupted`: its process died during it (the job runs again, or became a dead letter). */
export type JobRunOutcome = 'running' | 'succeeded' | 'failed' | 'dead' | 'interrupted';

/** One run of a job, as the run log keeps it (the newest `runLogSize` runs). */
export interface JobRun {
  /** The job kind. */
  name: string;
  jobId: string;
  scheduleId: string | null;
  /** Which run of the job this was, from 1. */
  attempt: number;
  /** Most runs allowed. */
  attempts: number;
  /** Epoch milliseconds. */
  startedAt: number;
  finishedAt: number | null;
  /** `failed`: it will run again after its backoff; `dead`: it became a dead letter. */
  outcome: JobRunOutcome;
  error: { code: string; message: string } | null;
  /** What the handler returned, when JSON of at most 16 KB. */
  result: JsonValue | null;
}

/** A job that failed its last attempt (or was refused as not retryable), kept until replayed. */
export interface DeadLetter {
  /** What {@link Scheduler.replay} takes: `<name>:<jobId>`. */
  id: string;
  name: string;
  jobId: string;
  data: JsonValue;
  scheduleId: string | null;
  /** Runs made. */
  attempts: number;
  error: { code: string; message: string };
  /** Epoch milliseconds. */
  failedAt: number;
}

/**
 * Scheduled and one-off jobs on BullMQ (Redis) or the embedded store. Every async method resolves an
 * `ApiResult`, never rejects; `define` is synchronous and throws a `CONFIG_ERROR` for a wrong option.
 */
export interface Scheduler {
  /** Which engine runs the jobs. */
  readonly backend: SchedulerBackend;
  /**
   * Registers the handler of a job kind and starts working on it in this process (with `concurrency` at once).
   * A process that only enqueues or schedules defines nothing.
   * @throws IntegrationError `CONFIG_ERROR` naming the field; `CONFLICT` for a kind defined twice.
   */
  define<Data = JsonValue>(name: string, handler: JobHandler<Data>, options?: DefineOptions): void;
  /**
   * Creates or updates a repeating schedule. Idempotent: every instance of an app may call it at start, at once;
   * there is still one schedule and one job per tick. An unchanged schedule keeps its next tick.
   */
  schedule(input: ScheduleInput): Promise<ApiResult<Schedule>>;
  /** Removes a schedule (its job already waiting stays); `removed: false` when there was none. */
  unschedule(id: string): Promise<ApiResult<{ removed: boolean }>>;
  /** Every schedule, by id. */
  schedules(): Promise<ApiResult<Schedule[]>>;
  /** Adds a one-off job of kind `name`; see {@link EnqueueOptions} for deduplication by `jobId`. */
  enqueue(
    name: string,
    data?: unknown,
    options?: EnqueueOptions,
  ): Promise<ApiResult<{ id: string; added: boolean }>>;
  /** The newest runs first, of one kind or all; `limit` 1 to 1 000, default 50. */
  runs(options?: { name?: string; limit?: number }): Promise<ApiResult<JobRun[]>>;
  /** The newest dead letters first; `limit` 1 to 1 000, default 50. */
  deadLetters(options?: { limit?: number }): Promise<ApiResult<DeadLetter[]>>;
  /** Runs a dead letter again from its first attempt; `NOT_FOUND` when there is no dead letter with that id. */
  replay(id: string): Promise<ApiResult<{ id: string }>>;
  /**
   * Stops working: running handlers see their signal abort and get up to `closeTimeoutMs` to return; then closes
   * the connections and a store it opened. Jobs not finished run again later, in this process or another.
   */
  close(): Promise<ApiResult<void>>;
}
