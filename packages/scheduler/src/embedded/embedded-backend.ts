// The scheduler without Redis: one process, on a Patchbay store. Jobs are messages of the store's QueueStore
// (one queue per kind, `<prefix>:<kind>`), claimed under a lease: a process that dies mid-job gives the job back
// by doing nothing, and the next process runs it again once the lease lapses. Retries are releases with the
// backoff as delay, so a message's claim count is its run count. A delayed one-off waits in a second queue
// (`<prefix>:<kind>:later`) until due, so claiming it early never counts as a run. Schedules, dead letters and the
// run log are JSON documents in the store's checkpoints, which this one process owns.
import { randomUUID } from 'node:crypto';
import { type ApiResult, err, IntegrationError, type JsonValue, type Logger, ok } from '@patchbay/core';
import type { QueueMessage, QueueStore, SyncStateStore } from '@patchbay/core/store';
import { backoffDelay } from '../backoff.ts';
import { type SchedulerEngine, tickJobId } from '../engine.ts';
import { type KindOptions, type ScheduleSpec, sameSchedule } from '../job-input.ts';
import { runHandler } from '../run-handler.ts';
import type { DeadLetter, JobHandler, JobRun, Schedule } from '../scheduler.ts';
import { type StoreDocument, storeDocument } from './store-document.ts';
import { firstTick, followingTick } from './ticks.ts';

/** What the embedded backend needs, already opened and checked. */
export interface EmbeddedBackendOptions {
  /** The store, once opened: its queue and checkpoints; `close` when the scheduler opened it. */
  open: () => Promise<
    ApiResult<{ queue: QueueStore; syncState: SyncStateStore; close?: () => Promise<void> }>
  >;
  prefix: string;
  logger: Logger;
  leaseMs: number;
  pollIntervalMs: number;
  closeTimeoutMs: number;
  runLogSize: number;
  deadLetterLimit: number;
}

// A job as its queue message carries it.
interface JobPayload {
  data: JsonValue;
  scheduleId: string | null;
  scheduledAt: number | null;
  /** Delayed one-offs: not before this epoch-milliseconds time. */
  notBefore?: number;
}

interface Kind {
  name: string;
  handler: JobHandler<unknown>;
  options: KindOptions;
  active: number;
  running: Set<string>;
  pumping: boolean;
  again: boolean;
}

type StoredSchedule = ScheduleSpec & { next: number };
interface SchedulesDoc {
  schedules: Record<string, StoredSchedule>;
}
interface DeadDoc {
  letters: (DeadLetter & { payload: JobPayload })[];
}
interface RunsDoc {
  running: Record<string, JobRun>;
  finished: JobRun[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// Finished runs are saved this soon after they end: many runs, one write (a start is saved before its run).
const RUN_LOG_SAVE_MS = 100;
// Delayed one-offs promoted per claim.
const PROMOTE_BATCH = 100;
// Longest timer Node keeps (setTimeout fires at once past it).
const MAX_TIMER_MS = 2_147_483_647;

/** The embedded backend. */
export function createEmbeddedBackend(options: EmbeddedBackendOptions): SchedulerEngine {
  const { prefix, logger, leaseMs } = options;
  const owner = `scheduler-${randomUUID()}`;
  const kinds = new Map<string, Kind>();
  const inFlight = new Set<Promise<void>>();
  const aborter = new AbortController();
  let closed = false;
  let pollTimer: ReturnType<typeof setInterval> | undefined;
  let tickTimer: ReturnType<typeof setTimeout> | undefined;
  // Schedule changes, one at a time (a tick and an upsert never interleave their read and write).
  let scheduleChain: Promise<unknown> = Promise.resolve();

  const mainQueue = (name: string) => `${prefix}:${name}`;
  const laterQueue = (name: string) => `${prefix}:${name}:later`;

  interface Opened {
    queue: QueueStore;
    close?: () => Promise<void>;
    schedules: StoreDocument<SchedulesDoc>;
    dead: StoreDocument<DeadDoc>;
    runs: StoreDocument<RunsDoc>;
  }

  const ready: Promise<ApiResult<Opened>> = (async () => {
    const store = await options.open();
    if (!store.success) return store;
    const checkpoint = (part: string) => `scheduler:${prefix}:${part}`;
    const schedules = storeDocument<SchedulesDoc>(
      store.data.syncState,
      checkpoint('schedules'),
      () => ({ schedules: {} }),
      (stored) =>
        isRecord(stored) && isRecord(stored.schedules) ? (stored as unknown as SchedulesDoc) : undefined,
    );
    const dead = storeDocument<DeadDoc>(
      store.data.syncState,
      checkpoint('dead'),
      () => ({ letters: [] }),
      (stored) =>
        isRecord(stored) && Array.isArray(stored.letters) ? (stored as unknown as DeadDoc) : undefined,
    );
    const runs = storeDocument<RunsDoc>(
      store.data.syncState,
      checkpoint('runs'),
      () => ({ running: {}, finished: [] }),
      (stored) =>
        isRecord(stored) && isRecord(stored.running) && Array.isArray(stored.finished)
          ? (stored as unknown as RunsDoc)
          : undefined,
    );
    for (const document of [schedules, dead, runs]) {
      const loaded = await document.load();
      if (!loaded.success) return loaded;
    }
    // Runs left `running` by an earlier process ended with it: the embedded backend runs in one process.
    const left = Object.values(runs.value.running);
    if (left.length > 0) {
      runs.value.running = {};
      runs.value.finished.unshift(...left.map((run) => ({ ...run, outcome: 'interrupted' as const })));
      runs.value.finished.sort((a, b) => b.startedAt - a.startedAt);
      runs.value.finished.length = Math.min(runs.value.finished.length, options.runLogSize);
      runs.saveSoon(RUN_LOG_SAVE_MS);
    }
    return ok({ queue: store.data.queue, close: store.data.close, schedules, dead, runs });
  })();

  void ready.then((opened) => {
    if (!opened.success) {
      logger.error('Scheduler: the embedded store could not be opened', {
        code: opened.error.code,
        message: opened.error.message,
      });
      return;
    }
    if (closed) return;
    armTicker(opened.data);
    for (const kind of kinds.values()) kick(kind);
  });

  const closedError = () =>
    err(new IntegrationError('OPERATION_FAILED', 'The scheduler is closed', { retryable: false }));

  async function use<T>(work: (opened: Opened) => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
    if (closed) return closedError();
    const opened = await ready;
    if (!opened.success) return opened;
    return work(opened.data);
  }

  // --- Working -------------------------------------------------------------------------------------------------

  function kick(kind: Kind): void {
    if (closed) return;
    void ready.then((opened) => {
      if (opened.success && !closed) void pump(kind, opened.data);
    });
  }

  async function pump(kind: Kind, opened: Opened): Promise<void> {
    if (kind.pumping) {
      kind.again = true;
      return;
    }
    kind.pumping = true;
    try {
      do {
        kind.again = false;
        await promote(kind, opened);
        while (!closed && kind.active < kind.options.concurrency) {
          const claimed = await opened.queue.claim(mainQueue(kind.name), {
            owner,
            limit: kind.options.concurrency - kind.active,
            leaseMs,
          });
          if (!claimed.success) {
            logger.warn('Scheduler: could not claim jobs', { name: kind.name, code: claimed.error.code });
            break;
          }
          const fresh = claimed.data.filter((message) => !kind.running.has(message.id));
          if (fresh.length === 0) break;
          for (const message of fresh) start(kind, message, opened);
        }
      } while (kind.again && !closed);
    } catch (error) {
      logger.error('Scheduler: a worker round failed', { name: kind.name, message: String(error) });
    } finally {
      kind.pumping = false;
    }
  }

  // Delayed one-offs that are due move to the kind's queue (enqueue first, then ack: a crash between leaves the
  // job in both, and the queue keeps one per id), those not due go back until they are.
  async function promote(kind: Kind, opened: Opened): Promise<void> {
    const claimed = await opened.queue.claim(laterQueue(kind.name), { owner, limit: PROMOTE_BATCH, leaseMs });
    if (!claimed.success || claimed.data.length === 0) return;
    const now = Date.now();
    const due: QueueMessage[] = [];
    for (const message of claimed.data) {
      const notBefore = readPayload(message)?.notBefore ?? 0;
      if (notBefore <= now) due.push(message);
      else
        await opened.queue.release(laterQueue(kind.name), [message.id], { owner, delayMs: notBefore - now });
    }
    if (due.length === 0) return;
    const moved = await opened.queue.enqueue(
      mainQueue(kind.name),
      due.map((message) => ({ id: message.id, payload: message.payload })),
    );
    if (moved.success)
      await opened.queue.ack(
        laterQueue(kind.name),
        due.map((message) => message.id),
      );
  }

  function start(kind: Kind, message: QueueMessage, opened: Opened): void {
    kind.active += 1;
    kind.running.add(message.id);
    const run = execute(kind, message, opened)
      .catch((error) =>
        logger.error('Scheduler: a job run failed unexpectedly', { name: kind.name, message: String(error) }),
      )
      .finally(() => {
        kind.active -= 1;
        kind.running.delete(message.id);
        inFlight.delete(run);
        kick(kind);
      });
    inFlight.add(run);
  }

  async function execute(kind: Kind, message: QueueMessage, opened: Opened): Promise<void> {
    const queue = mainQueue(kind.name);
    const payload = readPayload(message);
    const attempts = kind.options.attempts;
    const base = {
      name: kind.name,
      jobId: message.id,
      scheduleId: payload?.scheduleId ?? null,
      attempt: message.attempts,
      attempts,
    };
    if (!payload || message.attempts > attempts) {
      // Unreadable, or its last run ended with its process: no run is left to try.
      const error = payload
        ? { code: 'OPERATION_FAILED', message: 'its process stopped during its last run' }
        : { code: 'INVALID_RESPONSE', message: 'the stored job could not be read' };
      await deadLetter(opened, kind.name, message, payload, error);
      await opened.queue.ack(queue, [message.id]);
      return;
    }
    const startedAt = Date.now();
    const record: JobRun = {
      ...base,
      startedAt,
      finishedAt: null,
      outcome: 'running',
      error: null,
      result: null,
    };
    // Saved before the handler runs: a process that dies in it leaves the run to show as interrupted.
    await recordStart(opened, record);
    const outcome = await runHandler(kind.handler, {
      id: message.id,
      name: kind.name,
      data: payload.data,
      attempt: message.attempts,
      attempts,
      scheduleId: payload.scheduleId,
      scheduledAt: payload.scheduledAt,
      signal: aborter.signal,
    });
    const finishedAt = Date.now();
    if (outcome.ok) {
      recordFinish(opened, { ...record, finishedAt, outcome: 'succeeded', result: outcome.result });
      const acked = await opened.queue.ack(queue, [message.id]);
      if (!acked.success)
        logger.warn('Scheduler: a finished job could not be removed; it will run again', {
          name: kind.name,
          jobId: message.id,
        });
      return;
    }
    if (aborter.signal.aborted) {
      // Stopped by close(): back to the queue now, without a backoff.
      recordFinish(opened, { ...record, finishedAt, outcome: 'interrupted', error: outcome.error });
      await opened.queue.release(queue, [message.id], { owner });
      return;
    }
    if (outcome.retryable && message.attempts < attempts) {
      const delayMs = backoffDelay(kind.options.backoff, message.attempts);
      recordFinish(opened, { ...record, finishedAt, outcome: 'failed', error: outcome.error });
      await opened.queue.release(queue, [message.id], { owner, delayMs });
      logger.warn('Scheduler: a job failed; it will run again', {
        name: kind.name,
        jobId: message.id,
        attempt: message.attempts,
        retryInMs: delayMs,
        code: outcome.error.code,
      });
      return;
    }
    recordFinish(opened, { ...record, finishedAt, outcome: 'dead', error: outcome.error });
    await deadLetter(opened, kind.name, message, payload, outcome.error);
    await opened.queue.ack(queue, [message.id]);
  }

  // Into the dead letters first, then out of the queue: a crash between leaves it in both, never in neither.
  async function deadLetter(
    opened: Opened,
    name: string,
    message: QueueMessage,
    payload: JobPayload | undefined,
    error: { code: string; message: string },
  ): Promise<void> {
    const letters = opened.dead.value.letters;
    const id = `${name}:${message.id}`;
    const at = letters.findIndex((letter) => letter.id === id);
    if (at >= 0) letters.splice(at, 1);
    letters.unshift({
      id,
      name,
      jobId: message.id,
      data: payload?.data ?? null,
      scheduleId: payload?.scheduleId ?? null,
      attempts: Math.min(message.attempts, kinds.get(name)?.options.attempts ?? message.attempts),
      error,
      failedAt: Date.now(),
      payload: payload ?? { data: null, scheduleId: null, scheduledAt: null },
    });
    if (letters.length > options.deadLetterLimit) letters.length = options.deadLetterLimit;
    const saved = await opened.dead.save();
    if (!saved.success)
      logger.error('Scheduler: a dead letter could not be saved', {
        name,
        jobId: message.id,
        code: saved.error.code,
      });
    logger.error('Scheduler: a job failed its last run; it is a dead letter', {
      name,
      jobId: message.id,
      code: error.code,
    });
  }

  const runKey = (run: JobRun) => `${run.name}:${run.jobId}`;

  async function recordStart(opened: Opened, run: JobRun): Promise<void> {
    opened.runs.value.running[runKey(run)] = run;
    const saved = await opened.runs.save();
    if (!saved.success) logger.warn('Scheduler: the run log could not be saved', { code: saved.error.code });
  }

  function recordFinish(opened: Opened, run: JobRun): void {
    const doc = opened.runs.value;
    delete doc.running[runKey(run)];
    doc.finished.unshift(run);
    if (doc.finished.length > options.runLogSize) doc.finished.length = options.runLogSize;
    opened.runs.saveSoon(RUN_LOG_SAVE_MS);
  }

  // --- Schedules -----------------------------------------------------------------------------------------------

  function armTicker(opened: Opened): void {
    if (tickTimer !== undefined) clearTimeout(tickTimer);
    tickTimer = undefined;
    if (closed) return;
    const nexts = Object.values(opened.schedules.value.schedules).map((schedule) => schedule.next);
    if (nexts.length === 0) return;
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, Math.min(...nexts) - Date.now()));
    tickTimer = setTimeout(() => {
      tickTimer = undefined;
      void serial(() => tick(opened));
    }, wait);
  }

  function serial<T>(work: () => Promise<T>): Promise<T> {
    const next = scheduleChain.then(work, work);
    scheduleChain = next.catch(() => undefined);
    return next;
  }

  // Each due schedule enqueues its tick's job (its id names the tick, so a tick enqueued twice is one job), then
  // moves to its next tick; a crash between the two enqueues the same id again, which the queue ignores while the
  // job is there (and this one process cannot have run it in between).
  async function tick(opened: Opened): Promise<void> {
    if (closed) return;
    const now = Date.now();
    const due = Object.values(opened.schedules.value.schedules).filter((schedule) => schedule.next <= now);
    const touched = new Set<string>();
    for (const schedule of due) {
      const payload: JobPayload = {
        data: schedule.job.data,
        scheduleId: schedule.id,
        scheduledAt: schedule.next,
      };
      const added = await opened.queue.enqueue(mainQueue(schedule.job.name), [
        { id: tickJobId(schedule.id, schedule.next), payload: JSON.stringify(payload) },
      ]);
      if (!added.success) {
        logger.warn('Scheduler: a scheduled job could not be enqueued; retrying', {
          scheduleId: schedule.id,
          code: added.error.code,
        });
        continue;
      }
      schedule.next = followingTick(schedule, schedule.next, now);
      touched.add(schedule.job.name);
    }
    if (touched.size > 0) {
      const saved = await opened.schedules.save();
      if (!saved.success) logger.warn('Scheduler: schedules could not be saved', { code: saved.error.code });
    }
    for (const name of touched) {
      const kind = kinds.get(name);
      if (kind) kick(kind);
    }
    if (due.length > touched.size) {
      // Enqueueing failed (the store is down): try again after a poll interval rather than at once.
      tickTimer = setTimeout(() => {
        tickTimer = undefined;
        void serial(() => tick(opened));
      }, options.pollIntervalMs);
      return;
    }
    armTicker(opened);
  }

  const toSchedule = (stored: StoredSchedule): Schedule => ({
    id: stored.id,
    every: stored.every,
    cron: stored.cron,
    tz: stored.tz,
    job: { name: stored.job.name, data: stored.job.data },
    next: stored.next,
  });

  function readPayload(message: QueueMessage): JobPayload | undefined {
    try {
      const parsed: unknown = JSON.parse(message.payload);
      if (!isRecord(parsed) || !('data' in parsed)) return undefined;
      return parsed as unknown as JobPayload;
    } catch {
      return undefined;
    }
  }

  return {
    backend: 'embedded',

    define(name, handler, kindOptions) {
      const kind: Kind = {
        name,
        handler,
        options: kindOptions,
        active: 0,
        running: new Set(),
        pumping: false,
        again: false,
      };
      kinds.set(name, kind);
      pollTimer ??= setInterval(() => {
        for (const each of kinds.values()) kick(each);
      }, options.pollIntervalMs);
      kick(kind);
    },

    schedule(spec) {
      return use((opened) =>
        serial(async () => {
          const stored = opened.schedules.value.schedules;
          const existing = stored[spec.id];
          // Unchanged: keep its next tick, so instances starting again and again never shift or repeat a tick.
          if (existing && sameSchedule(existing, spec)) return ok(toSchedule(existing));
          stored[spec.id] = { ...spec, next: firstTick(spec, Date.now()) };
          const saved = await opened.schedules.save();
          if (!saved.success) return saved;
          armTicker(opened);
          return ok(toSchedule(stored[spec.id] as StoredSchedule));
        }),
      );
    },

    unschedule(id) {
      return use((opened) =>
        serial(async (): Promise<ApiResult<{ removed: boolean }>> => {
          const stored = opened.schedules.value.schedules;
          if (!stored[id]) return ok({ removed: false });
          delete stored[id];
          const saved = await opened.schedules.save();
          if (!saved.success) return saved;
          armTicker(opened);
          return ok({ removed: true });
        }),
      );
    },

    schedules() {
      return use(async (opened) =>
        ok(
          Object.values(opened.schedules.value.schedules)
            .map(toSchedule)
            .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
        ),
      );
    },

    enqueue(spec) {
      return use(async (opened) => {
        const id = spec.jobId ?? randomUUID();
        // A dead letter keeps its id, as BullMQ's failed set does: replay it rather than enqueue it again.
        if (opened.dead.value.letters.some((letter) => letter.id === `${spec.name}:${id}`))
          return ok({ id, added: false });
        const delayed = spec.delayMs > 0;
        // One job per id, as BullMQ keeps: each queue refuses an id it holds, and the other queue is asked first
        // (a job waiting now and the same id delayed, or the other way round, is one job).
        if (spec.jobId !== null) {
          const other = delayed ? mainQueue(spec.name) : laterQueue(spec.name);
          const held = await opened.queue.has(other, [id]);
          if (!held.success) return held;
          if (held.data.length > 0) return ok({ id, added: false });
        }
        const payload: JobPayload = { data: spec.data, scheduleId: null, scheduledAt: null };
        if (delayed) payload.notBefore = Date.now() + spec.delayMs;
        const added = await opened.queue.enqueue(delayed ? laterQueue(spec.name) : mainQueue(spec.name), [
          { id, payload: JSON.stringify(payload) },
        ]);
        if (!added.success) return added;
        const kind = kinds.get(spec.name);
        if (kind && !delayed) kick(kind);
        return ok({ id, added: added.data.added > 0 });
      });
    },

    runs(query) {
      return use(async (opened) => {
        const doc = opened.runs.value;
        const all = [...Object.values(doc.running), ...doc.finished]
          .filter((run) => query.name === null || run.name === query.name)
          .sort((a, b) => b.startedAt - a.startedAt);
        return ok(all.slice(0, query.limit).map((run) => ({ ...run })));
      });
    },

    deadLetters(query) {
      return use(async (opened) =>
        ok(
          opened.dead.value.letters
            .slice(0, query.limit)
            .map(({ payload: _payload, ...letter }) => ({ ...letter })),
        ),
      );
    },

    replay(target) {
      return use(async (opened) => {
        const id = `${target.name}:${target.jobId}`;
        const letters = opened.dead.value.letters;
        const at = letters.findIndex((letter) => letter.id === id);
        const letter = letters[at];
        if (!letter) {
          return err(new IntegrationError('NOT_FOUND', `No dead letter ${id}`, { retryable: false }));
        }
        // Back in the queue first, then out of the dead letters: a crash between leaves it in both.
        const payload: JobPayload = { ...letter.payload };
        delete payload.notBefore;
        const added = await opened.queue.enqueue(mainQueue(target.name), [
          { id: target.jobId, payload: JSON.stringify(payload) },
        ]);
        if (!added.success) return added;
        letters.splice(at, 1);
        const saved = await opened.dead.save();
        if (!saved.success) return saved;
        const kind = kinds.get(target.name);
        if (kind) kick(kind);
        logger.info('Scheduler: a dead letter was replayed', { name: target.name, jobId: target.jobId });
        return ok({ id });
      });
    },

    async close() {
      if (closed) return ok(undefined);
      closed = true;
      if (pollTimer !== undefined) clearInterval(pollTimer);
      if (tickTimer !== undefined) clearTimeout(tickTimer);
      aborter.abort(new IntegrationError('ABORTED', 'The scheduler is closing'));
      // Running handlers get closeTimeoutMs to return; a job still running after it stays claimed and runs again
      // once its lease lapses.
      if (inFlight.size > 0) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([
          Promise.allSettled([...inFlight]),
          new Promise((resolve) => {
            timer = setTimeout(resolve, options.closeTimeoutMs);
          }),
        ]);
        clearTimeout(timer);
      }
      await scheduleChain;
      const opened = await ready;
      if (!opened.success) return ok(undefined);
      for (const document of [opened.data.runs, opened.data.dead, opened.data.schedules]) {
        const flushed = await document.flush();
        if (!flushed.success) logger.warn('Scheduler: could not save on close', { code: flushed.error.code });
      }
      if (opened.data.close) {
        try {
          await opened.data.close();
        } catch (error) {
          return err(
            new IntegrationError('OPERATION_FAILED', 'The scheduler store could not be closed', {
              cause: error,
            }),
          );
        }
      }
      return ok(undefined);
    },
  };
}
