// The front both backends share: options and arguments checked here once (so BullMQ and the embedded store
// refuse the same input the same way), the backend chosen by whether Redis is given, and every async method
// guarded so that nothing a caller or a backend throws escapes as a rejection.
import { type ApiResult, err, IntegrationError, ok, settle } from '@patchbay/core';
import type { QueueStore, SyncStateStore } from '@patchbay/core/store';
import { openStore } from '@patchbay/runtime';
import { createBullmqBackend } from './bullmq/bullmq-backend.ts';
import { createEmbeddedBackend } from './embedded/embedded-backend.ts';
import type { SchedulerEngine } from './engine.ts';
import {
  checkDeadLetterId,
  checkEnqueue,
  checkLimitOptions,
  checkRunsOptions,
  checkSchedule,
  checkScheduleId,
  resolveDefine,
} from './job-input.ts';
import type { JobHandler, Scheduler } from './scheduler.ts';
import {
  DEFAULT_SCHEDULER_STORE,
  type ResolvedSchedulerOptions,
  resolveSchedulerOptions,
  type SchedulerOptions,
} from './scheduler-options.ts';

/**
 * Creates a scheduler: on BullMQ when `connection` names a Redis (many processes share schedules and work),
 * else embedded on a Patchbay store in this one process. `scheduler.backend` says which, and so does a log line.
 * @throws IntegrationError `CONFIG_ERROR` naming the field (`connection`, `store`, `leaseMs`, …).
 * @example
 * const scheduler = createScheduler({ connection: process.env.REDIS_URL, store: 'sqlite:./jobs.db' });
 * scheduler.define('sync-crm', async () => ({ synced: await syncCrm() }), { attempts: 5 });
 * await scheduler.schedule({ id: 'crm-every-15-min', cron: '*\/15 * * * *', job: { name: 'sync-crm' } });
 */
export function createScheduler(options: SchedulerOptions = {}): Scheduler {
  const settings = resolveSchedulerOptions(options);
  const engine = settings.connection === undefined ? embedded(settings) : createBullmqBackend(settings);
  const where =
    engine.backend === 'bullmq'
      ? 'BullMQ on Redis: schedules and jobs are shared by every process on it'
      : 'the embedded store: one process runs every job (give `connection` for Redis)';
  settings.logger.info(`Scheduler on ${where}`, { backend: engine.backend, prefix: settings.prefix });

  let closed = false;
  const defined = new Set<string>();
  const guarded = <T>(operation: string, work: () => Promise<ApiResult<T>>): Promise<ApiResult<T>> =>
    closed
      ? Promise.resolve(
          err(new IntegrationError('OPERATION_FAILED', 'The scheduler is closed', { retryable: false })),
        )
      : settle(`scheduler.${operation}`, work);

  return {
    backend: engine.backend,

    define(name, handler, kindOptions) {
      const checked = resolveDefine(name, handler, kindOptions);
      if (closed)
        throw new IntegrationError('OPERATION_FAILED', 'The scheduler is closed', { retryable: false });
      if (defined.has(checked.name)) {
        throw new IntegrationError('CONFLICT', `Job kind ${checked.name} is defined already`, {
          field: 'name',
          retryable: false,
        });
      }
      defined.add(checked.name);
      engine.define(checked.name, handler as JobHandler<unknown>, checked.options);
    },

    schedule: (input) =>
      guarded('schedule', async () => {
        const spec = checkSchedule(input);
        return spec.success ? engine.schedule(spec.data) : spec;
      }),

    unschedule: (id) =>
      guarded('unschedule', async () => {
        const checked = checkScheduleId(id);
        return checked.success ? engine.unschedule(checked.data) : checked;
      }),

    schedules: () => guarded('schedules', () => engine.schedules()),

    enqueue: (name, data, enqueueOptions) =>
      guarded('enqueue', async () => {
        const spec = checkEnqueue(name, data, enqueueOptions);
        return spec.success ? engine.enqueue(spec.data) : spec;
      }),

    runs: (query) =>
      guarded('runs', async () => {
        const checked = checkRunsOptions(query);
        return checked.success ? engine.runs(checked.data) : checked;
      }),

    deadLetters: (query) =>
      guarded('deadLetters', async () => {
        const checked = checkLimitOptions(query);
        return checked.success ? engine.deadLetters(checked.data) : checked;
      }),

    replay: (id) =>
      guarded('replay', async () => {
        const target = checkDeadLetterId(id);
        return target.success ? engine.replay(target.data) : target;
      }),

    close: async () => {
      if (closed) return settle('scheduler.close', () => engine.close());
      closed = true;
      return settle('scheduler.close', () => engine.close());
    },
  };
}

// The embedded backend on the store given, or on the one a URL names (opened here, closed by close()).
function embedded(settings: ResolvedSchedulerOptions): SchedulerEngine {
  const store = settings.store ?? DEFAULT_SCHEDULER_STORE;
  type Opened = { queue: QueueStore; syncState: SyncStateStore; close?: () => Promise<void> };
  const open = async (): Promise<ApiResult<Opened>> => {
    if (typeof store !== 'string') {
      return ok({ queue: store.queue as QueueStore, syncState: store.syncState });
    }
    const opened = await openStore(store, { field: 'store' });
    if (!opened.success) return opened;
    const { queue, syncState } = opened.data;
    if (!queue) {
      await opened.data.close();
      return err(
        new IntegrationError('CONFIG_ERROR', 'store: this store has no queue (store.queue)', {
          field: 'store',
        }),
      );
    }
    return ok({ queue, syncState, close: () => opened.data.close() });
  };
  return createEmbeddedBackend({
    open,
    prefix: settings.prefix,
    logger: settings.logger,
    leaseMs: settings.leaseMs,
    pollIntervalMs: settings.pollIntervalMs,
    closeTimeoutMs: settings.closeTimeoutMs,
    runLogSize: settings.runLogSize,
    deadLetterLimit: settings.deadLetterLimit,
  });
}
