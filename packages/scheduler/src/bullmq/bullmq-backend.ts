// The scheduler on BullMQ: one BullMQ queue per job kind (BullMQ's concurrency is per worker, and a worker serves
// one queue), schedules as BullMQ job schedulers (`upsertJobScheduler`), dead letters as BullMQ's failed set.
// What BullMQ leaves to the caller is done here the same way for every producer and worker:
// - attempts and backoff are the kind's, decided by its worker (`define`), not by whoever enqueued: jobs are
//   added with BullMQ attempts to spare, the worker ends a job's retries with UnrecoverableError, and the delay
//   comes from a custom backoff strategy;
// - finished jobs are removed (`removeOnComplete`): the run log keeps their history, and a kept completed job
//   would hold its id, so that a schedule removed and created again can find its next tick's id taken and never
//   run again (taskforcesh/bullmq#3063);
// - a schedule is never removed to be re-created: upsert only (removing and re-adding from several instances
//   runs extra ticks);
// - every call waits for Redis at most operationTimeoutMs, and every BullMQ object has an error listener (an
//   EventEmitter's unheard 'error' ends the process).
import { randomUUID } from 'node:crypto';
import { type ApiResult, ERROR_CODES, err, IntegrationError, type JsonValue, ok } from '@patchbay/core';
import { DelayedError, Job, type JobSchedulerJson, Queue, UnrecoverableError, Worker } from 'bullmq';
import { backoffDelay } from '../backoff.ts';
import { readTickJobId, type SchedulerEngine } from '../engine.ts';
import type { KindOptions } from '../job-input.ts';
import { runHandler } from '../run-handler.ts';
import type { DeadLetter, JobHandler, JobRun, Schedule } from '../scheduler.ts';
import type { ResolvedSchedulerOptions } from '../scheduler-options.ts';
import { awaitRedis, openRedis, redisError, withRedis } from './redis-connection.ts';
import { createRedisRunLog } from './redis-run-log.ts';

// BullMQ's own attempt count, out of reach: the kind's `attempts` (at most 100) ends retries first.
const BULLMQ_ATTEMPTS = 1_000;
const BACKOFF_TYPE = 'patchbay';

/** The BullMQ backend. */
export function createBullmqBackend(settings: ResolvedSchedulerOptions): SchedulerEngine {
  const { prefix, logger, operationTimeoutMs: timeoutMs } = settings;
  const client = openRedis(
    settings.connection as NonNullable<ResolvedSchedulerOptions['connection']>,
    logger,
  );
  const runLog = createRedisRunLog(client, prefix, settings.runLogSize);
  const kindsKey = `${prefix}:@kinds`;
  const queues = new Map<string, Queue>();
  const workers = new Map<string, Worker>();
  const aborter = new AbortController();
  let closing = false;

  const jobOptions = {
    attempts: BULLMQ_ATTEMPTS,
    backoff: { type: BACKOFF_TYPE },
    removeOnComplete: true,
    removeOnFail: { count: settings.deadLetterLimit },
  };

  function queueFor(name: string): Queue {
    let queue = queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: client, prefix });
      queue.on('error', (error) =>
        logger.warn('Scheduler: BullMQ queue error', { name, code: redisError('queue', error).code }),
      );
      queues.set(name, queue);
    }
    return queue;
  }

  async function call<T>(operation: string, work: () => Promise<T>): Promise<ApiResult<T>> {
    const ready = await awaitRedis(client, timeoutMs);
    if (!ready.success) return ready;
    return withRedis(operation, timeoutMs, work);
  }

  // Kinds this prefix has seen (a process lists the schedules and dead letters of kinds it never defined).
  const knownKinds = () => client.smembers(kindsKey).then((names) => names.sort());
  const remember = (name: string) => client.sadd(kindsKey, name);

  async function runJob(
    name: string,
    kind: { handler: JobHandler<unknown>; options: KindOptions },
    job: Job,
    token?: string,
  ) {
    const jobId = job.id ?? '';
    const attempt = Math.max(1, job.attemptsStarted ?? job.attemptsMade + 1);
    const attempts = kind.options.attempts;
    const tick = readTickJobId(jobId);
    const scheduleId = job.repeatJobKey ?? tick?.scheduleId ?? null;
    if (attempt > attempts) {
      // The run before this one was the last, and its process died in it (BullMQ counted a stalled run).
      throw new UnrecoverableError('OPERATION_FAILED: its process stopped during its last run');
    }
    const record: JobRun = {
      name,
      jobId,
      scheduleId,
      attempt,
      attempts,
      startedAt: Date.now(),
      finishedAt: null,
      outcome: 'running',
      error: null,
      result: null,
    };
    const started = await runLog.start(record).catch((error) => {
      logger.warn('Scheduler: the run log could not record a start', {
        name,
        code: redisError('run log', error).code,
      });
      return '';
    });
    const outcome = await runHandler(kind.handler, {
      id: jobId,
      name,
      data: job.data as JsonValue,
      attempt,
      attempts,
      scheduleId,
      scheduledAt: tick?.tick ?? null,
      signal: aborter.signal,
    });
    const finish = (run: JobRun) =>
      runLog.finish(run, started).catch((error) => {
        logger.warn('Scheduler: the run log could not record an end', {
          name,
          code: redisError('run log', error).code,
        });
      });
    const finishedAt = Date.now();
    if (outcome.ok) {
      await finish({ ...record, finishedAt, outcome: 'succeeded', result: outcome.result });
      return outcome.result;
    }
    const reason = `${outcome.error.code}: ${outcome.error.message}`;
    if (closing && token !== undefined) {
      // Stopped by close(): back to the queue now, without a backoff.
      await finish({ ...record, finishedAt, outcome: 'interrupted', error: outcome.error });
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
    if (outcome.retryable && attempt < attempts) {
      await finish({ ...record, finishedAt, outcome: 'failed', error: outcome.error });
      logger.warn('Scheduler: a job failed; it will run again', {
        name,
        jobId,
        attempt,
        code: outcome.error.code,
      });
      throw new Error(reason);
    }
    await finish({ ...record, finishedAt, outcome: 'dead', error: outcome.error });
    logger.error('Scheduler: a job failed its last run; it is a dead letter', {
      name,
      jobId,
      code: outcome.error.code,
    });
    throw new UnrecoverableError(reason);
  }

  function toSchedule(json: JobSchedulerJson): Schedule {
    return {
      id: json.key,
      every: typeof json.every === 'number' ? json.every : null,
      cron: typeof json.pattern === 'string' ? json.pattern : null,
      tz: typeof json.tz === 'string' ? json.tz : null,
      job: { name: json.name, data: (json.template?.data ?? null) as JsonValue },
      next: typeof json.next === 'number' ? json.next : null,
    };
  }

  function toDeadLetter(name: string, job: Job): DeadLetter {
    const jobId = job.id ?? '';
    return {
      id: `${name}:${jobId}`,
      name,
      jobId,
      data: (job.data ?? null) as JsonValue,
      scheduleId: job.repeatJobKey ?? readTickJobId(jobId)?.scheduleId ?? null,
      attempts: Math.max(job.attemptsStarted ?? 0, job.attemptsMade),
      error: readReason(job.failedReason),
      failedAt: job.finishedOn ?? job.processedOn ?? job.timestamp,
    };
  }

  // Adds `job`, true when this call added it. BullMQ keeps one job per id (adding it again is a no-op, and its
  // add answers the id either way), so whether the job was there is asked in the same MULTI as the add: nothing
  // runs between the two, and of any number of concurrent adds of an id (from any process) exactly one sees it
  // absent.
  async function addOnce(queue: Queue, job: Job, reloaded = false): Promise<boolean> {
    const transaction = (await queue.getBackend().client).multi();
    transaction.runCommand('exists', [queue.toKey(job.id ?? '')]);
    await job.addJob(transaction);
    const [existed, add] = (await transaction.exec()) ?? [];
    if (!existed || !add) throw new Error('Redis discarded the enqueue transaction');
    if (existed[0]) throw existed[0];
    if (add[0] && !reloaded && /^NOSCRIPT/.test(errorText(add[0]))) {
      // Redis lost the script this connection had sent (SCRIPT FLUSH, a failover behind a proxy): ioredis
      // sends it again for a lone command but not within a MULTI, so it is loaded here and the add tried again.
      await reloadAddScripts();
      return addOnce(queue, job, true);
    }
    if (add[0]) throw add[0];
    if (typeof add[1] === 'number' && add[1] < 0) throw new Error(`BullMQ refused the job (code ${add[1]})`);
    return existed[1] === 0;
  }

  // BullMQ's add scripts, as BullMQ defined them on the connection (`<name>:<version>` → ioredis Script).
  async function reloadAddScripts(): Promise<void> {
    const scripts = Object.entries(client.scriptsSet as Record<string, { lua?: unknown }>);
    await Promise.all(
      scripts.map(([name, script]) =>
        name.startsWith('add') && typeof script.lua === 'string' ? client.script('LOAD', script.lua) : null,
      ),
    );
  }

  return {
    backend: 'bullmq',

    define(name, handler, options) {
      const kind = { handler, options };
      const worker = new Worker(name, (job, token) => runJob(name, kind, job, token), {
        connection: client,
        prefix,
        concurrency: options.concurrency,
        lockDuration: settings.leaseMs,
        stalledInterval: settings.leaseMs,
        // A run whose process died counts as one of the kind's attempts (as on the embedded store): the runner's
        // own check ends the job after `attempts` runs started, so BullMQ's stall limit must not end it sooner.
        maxStalledCount: options.attempts,
        settings: {
          // attemptsStarted counts a stalled run too, as the embedded backend's claims do.
          backoffStrategy: (attemptsMade: number, _type?: string, _error?: Error, job?: object) =>
            backoffDelay(options.backoff, Math.max(attemptsMade, startedRuns(job))),
        },
      });
      worker.on('error', (error) =>
        logger.warn('Scheduler: BullMQ worker error', { name, code: redisError('worker', error).code }),
      );
      workers.set(name, worker);
      void remember(name).catch(() => undefined);
    },

    schedule(spec) {
      return call('schedule', async () => {
        // A schedule moved to another kind leaves the old kind's queue.
        for (const other of await knownKinds()) {
          if (other !== spec.job.name && (await queueFor(other).getJobScheduler(spec.id))) {
            await queueFor(other).removeJobScheduler(spec.id);
          }
        }
        await remember(spec.job.name);
        const queue = queueFor(spec.job.name);
        const repeat =
          spec.every !== null
            ? { every: spec.every }
            : { pattern: spec.cron ?? '', ...(spec.tz ? { tz: spec.tz } : {}) };
        await queue.upsertJobScheduler(spec.id, repeat, {
          name: spec.job.name,
          data: spec.job.data,
          opts: jobOptions,
        });
        const stored = await queue.getJobScheduler(spec.id);
        return stored ? toSchedule(stored) : { ...spec, next: null };
      });
    },

    unschedule(id) {
      return call('unschedule', async () => {
        let removed = false;
        for (const name of await knownKinds()) {
          if (await queueFor(name).removeJobScheduler(id)) removed = true;
        }
        return { removed };
      });
    },

    schedules() {
      return call('schedules', async () => {
        const all: Schedule[] = [];
        for (const name of await knownKinds()) {
          for (const json of await queueFor(name).getJobSchedulers(0, -1, true)) all.push(toSchedule(json));
        }
        return all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      });
    },

    enqueue(spec) {
      return call('enqueue', async () => {
        const id = spec.jobId ?? randomUUID();
        await remember(spec.name);
        const queue = queueFor(spec.name);
        const job = new Job(
          queue,
          spec.name,
          spec.data,
          { ...jobOptions, jobId: id, delay: spec.delayMs },
          id,
        );
        return { id, added: await addOnce(queue, job) };
      });
    },

    runs(query) {
      return call('runs', async () => {
        // Running first: a run that ends between the two reads is then in both (kept once, as finished), never in
        // neither.
        const running = await runLog.running(query.name);
        const finished = await runLog.finished(query.name, query.limit);
        const key = (run: JobRun) => `${run.name}:${run.jobId}:${run.attempt}`;
        const done = new Set(finished.map(key));
        // A run left `running` by a process that died is interrupted once its job is no longer active: it moves to
        // the finished runs (so the hash holds only runs under way).
        const current = await Promise.all(
          running
            .filter(({ run }) => !done.has(key(run)))
            .map(async ({ run, stored }) => {
              if ((await queueFor(run.name).getJobState(run.jobId)) === 'active') return run;
              await runLog.settle(run, stored);
              return { ...run, outcome: 'interrupted' as const };
            }),
        );
        return [...current, ...finished].sort((a, b) => b.startedAt - a.startedAt).slice(0, query.limit);
      });
    },

    deadLetters(query) {
      return call('deadLetters', async () => {
        const letters: DeadLetter[] = [];
        for (const name of await knownKinds()) {
          for (const job of await queueFor(name).getFailed(0, query.limit - 1)) {
            if (job) letters.push(toDeadLetter(name, job));
          }
        }
        return letters.sort((a, b) => b.failedAt - a.failedAt).slice(0, query.limit);
      });
    },

    async replay(target) {
      const id = `${target.name}:${target.jobId}`;
      const found = await call('replay', async () => {
        const job = await queueFor(target.name).getJob(target.jobId);
        if (!job || (await job.getState()) !== 'failed') return false;
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        return true;
      });
      if (!found.success) return found;
      if (!found.data)
        return err(new IntegrationError('NOT_FOUND', `No dead letter ${id}`, { retryable: false }));
      logger.info('Scheduler: a dead letter was replayed', { name: target.name, jobId: target.jobId });
      return ok({ id });
    },

    async close() {
      closing = true;
      aborter.abort(new IntegrationError('ABORTED', 'The scheduler is closing'));
      const failures: unknown[] = [];
      await Promise.all(
        [...workers.values()].map(async (worker) => {
          // Running handlers get closeTimeoutMs; then the worker stops without them (their jobs' locks lapse and
          // BullMQ runs them again).
          const closed = await withTimeout(worker.close(), settings.closeTimeoutMs);
          if (!closed)
            await withTimeout(worker.close(true), timeoutMs).catch((error) => failures.push(error));
        }),
      ).catch((error) => failures.push(error));
      await Promise.all([...queues.values()].map((queue) => withTimeout(queue.close(), timeoutMs))).catch(
        (error) => failures.push(error),
      );
      const quit = await withTimeout(client.quit(), timeoutMs).catch(() => false);
      if (!quit) client.disconnect();
      if (failures.length > 0)
        logger.warn('Scheduler: closing BullMQ reported errors', { count: failures.length });
      return ok(undefined);
    },
  };
}

// BullMQ hands the strategy a job typed without the count it carries.
function startedRuns(job: object | undefined): number {
  const started = (job as { attemptsStarted?: unknown } | undefined)?.attemptsStarted;
  return typeof started === 'number' ? started : 0;
}

// True when `promise` settled within `ms`.
async function withTimeout(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const result = await Promise.race([
    promise.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]);
  clearTimeout(timer);
  return result;
}

// A failed job's reason as the worker wrote it (`CODE: message`), or BullMQ's own (a stalled job).
function readReason(reason: string | undefined): { code: string; message: string } {
  const text = reason ?? 'failed';
  const match = /^([A-Z_]+): ([\s\S]*)$/.exec(text);
  if (match && (ERROR_CODES as readonly string[]).includes(match[1] as string)) {
    return { code: match[1] as string, message: match[2] as string };
  }
  return { code: 'OPERATION_FAILED', message: text };
}

// An error's message, or '' for what is not an Error.
const errorText = (error: unknown): string => (error instanceof Error ? error.message : '');
