// The behaviour both backends must share, run against each (memory and SQLite stores, Redis): a job written
// against one works on the other. Timings are short (tens of milliseconds) so the suite stays fast.
import { IntegrationError, type JsonValue } from '@patchbay/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobContext, JobRun, Scheduler } from '../src/index.ts';

/** Makes a scheduler for one test, and removes what it left. */
export interface BehaviourTarget {
  backend: 'bullmq' | 'embedded';
  /** A scheduler on fresh storage; with `shared`, on the storage of the last one made with the same key. */
  make(shared?: string): Promise<{ scheduler: Scheduler; cleanup?: () => Promise<void> }>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it is true, or fails after `timeoutMs`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

async function runsOf(scheduler: Scheduler, name?: string): Promise<JobRun[]> {
  const runs = await scheduler.runs({ ...(name ? { name } : {}), limit: 1_000 });
  if (!runs.success) throw runs.error;
  return runs.data;
}

/** The shared suite. */
export function describeSchedulerBehaviour(label: string, target: BehaviourTarget): void {
  describe(`scheduler behaviour: ${label}`, () => {
    const open: { scheduler: Scheduler; cleanup?: () => Promise<void> }[] = [];
    const make = async (shared?: string) => {
      const made = await target.make(shared);
      open.push(made);
      return made.scheduler;
    };
    afterEach(async () => {
      for (const made of open.splice(0)) {
        expect((await made.scheduler.close()).success).toBe(true);
        await made.cleanup?.();
      }
    });

    it('says which backend it is', async () => {
      expect((await make()).backend).toBe(target.backend);
    });

    it('runs a one-off job with its data, and records the run and its result', async () => {
      const scheduler = await make();
      const seen: JobContext<JsonValue>[] = [];
      scheduler.define('greet', (job) => {
        seen.push(job);
        return { greeted: (job.data as { who: string }).who };
      });
      const added = await scheduler.enqueue('greet', { who: 'Ada' }, { jobId: 'greet-1' });
      expect(added).toEqual({ success: true, data: { id: 'greet-1', added: true } });
      await until(
        async () => (await runsOf(scheduler)).some((run) => run.outcome === 'succeeded'),
        5_000,
        'the run',
      );
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({
        id: 'greet-1',
        name: 'greet',
        data: { who: 'Ada' },
        attempt: 1,
        attempts: 3,
        scheduleId: null,
        scheduledAt: null,
      });
      const [run] = await runsOf(scheduler, 'greet');
      expect(run).toMatchObject({
        name: 'greet',
        jobId: 'greet-1',
        attempt: 1,
        outcome: 'succeeded',
        result: { greeted: 'Ada' },
        error: null,
      });
      expect(run?.finishedAt).toBeGreaterThanOrEqual(run?.startedAt ?? Number.POSITIVE_INFINITY);
      // Once finished, its id is free again (finished jobs are not kept: the run log has them).
      await until(
        async () => {
          const again = await scheduler.enqueue('greet', { who: 'Grace' }, { jobId: 'greet-1' });
          return again.success && again.data.added;
        },
        2_000,
        'the id to be free',
      );
      await until(() => seen.length === 2, 5_000, 'the second run');
    });

    it('adds a job id once while it waits (added: false), and gives every job an id', async () => {
      const scheduler = await make();
      const first = await scheduler.enqueue('later', { n: 1 }, { jobId: 'evt_1', delayMs: 60_000 });
      const again = await scheduler.enqueue('later', { n: 2 }, { jobId: 'evt_1', delayMs: 60_000 });
      expect(first.success && first.data.added).toBe(true);
      expect(again).toEqual({ success: true, data: { id: 'evt_1', added: false } });
      const generated = await scheduler.enqueue('later', null, { delayMs: 60_000 });
      expect(generated.success && generated.data.id).toMatch(/^[0-9a-f-]{36}$/);
      // Delayed or not, one id is one job: the same id at once while it is delayed, and delayed while it waits.
      expect(await scheduler.enqueue('later', { n: 3 }, { jobId: 'evt_1' })).toEqual({
        success: true,
        data: { id: 'evt_1', added: false },
      });
      expect(await scheduler.enqueue('later', { n: 4 }, { jobId: 'evt_2' })).toEqual({
        success: true,
        data: { id: 'evt_2', added: true },
      });
      expect(await scheduler.enqueue('later', { n: 5 }, { jobId: 'evt_2', delayMs: 60_000 })).toEqual({
        success: true,
        data: { id: 'evt_2', added: false },
      });
    });

    it('adds an id enqueued at once by many callers on two schedulers exactly once (one added: true)', async () => {
      const schedulers = [await make('enqueue-race'), await make('enqueue-race')];
      for (const delayMs of [0, 60_000]) {
        const jobId = `race-${delayMs}`;
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, n) =>
            (schedulers[n % 2] as Scheduler).enqueue('race', { n }, { jobId, delayMs }),
          ),
        );
        expect(results.every((result) => result.success && result.data.id === jobId)).toBe(true);
        expect(results.filter((result) => result.success && result.data.added)).toHaveLength(1);
      }
    });

    it('retries a failing job with exponential backoff, then succeeds', async () => {
      const scheduler = await make();
      const starts: number[] = [];
      scheduler.define(
        'flaky',
        (job) => {
          starts.push(Date.now());
          if (job.attempt < 3) throw new Error(`boom ${job.attempt}`);
          return 'ok';
        },
        { attempts: 3, backoff: { type: 'exponential', delayMs: 60 } },
      );
      await scheduler.enqueue('flaky', null, { jobId: 'flaky-1' });
      await until(() => starts.length === 3, 5_000, 'three runs');
      await until(async () => (await runsOf(scheduler, 'flaky')).length === 3, 2_000, 'three recorded runs');
      const [second, first] = [(starts[2] ?? 0) - (starts[1] ?? 0), (starts[1] ?? 0) - (starts[0] ?? 0)];
      expect(first).toBeGreaterThanOrEqual(55);
      expect(second).toBeGreaterThanOrEqual(115);
      const runs = (await runsOf(scheduler, 'flaky')).reverse();
      expect(runs.map((run) => [run.attempt, run.outcome])).toEqual([
        [1, 'failed'],
        [2, 'failed'],
        [3, 'succeeded'],
      ]);
      expect(runs[0]?.error).toEqual({ code: 'OPERATION_FAILED', message: 'boom 1' });
    });

    it('keeps a job that failed its last run as a dead letter, and replays it', async () => {
      const scheduler = await make();
      let healthy = false;
      let calls = 0;
      scheduler.define(
        'fragile',
        () => {
          calls += 1;
          if (!healthy) throw new IntegrationError('SERVER_ERROR', 'the CRM answered 503');
          return { synced: 3 };
        },
        { attempts: 2, backoff: { delayMs: 10 } },
      );
      await scheduler.enqueue('fragile', { page: 1 }, { jobId: 'page-1' });
      await until(
        async () => {
          const dead = await scheduler.deadLetters();
          return dead.success && dead.data.length === 1;
        },
        5_000,
        'the dead letter',
      );
      const dead = await scheduler.deadLetters({ limit: 10 });
      expect(dead.success && dead.data[0]).toMatchObject({
        id: 'fragile:page-1',
        name: 'fragile',
        jobId: 'page-1',
        data: { page: 1 },
        attempts: 2,
        error: { code: 'SERVER_ERROR', message: 'the CRM answered 503' },
      });
      expect(calls).toBe(2);
      // Its id stays taken while it is a dead letter.
      expect(await scheduler.enqueue('fragile', { page: 1 }, { jobId: 'page-1' })).toEqual({
        success: true,
        data: { id: 'page-1', added: false },
      });
      const runs = await runsOf(scheduler, 'fragile');
      expect(runs.map((run) => run.outcome)).toEqual(['dead', 'failed']);

      healthy = true;
      expect(await scheduler.replay('fragile:page-1')).toEqual({
        success: true,
        data: { id: 'fragile:page-1' },
      });
      await until(
        async () => (await runsOf(scheduler, 'fragile'))[0]?.outcome === 'succeeded',
        5_000,
        'the replayed run',
      );
      expect((await runsOf(scheduler, 'fragile'))[0]).toMatchObject({ attempt: 1, result: { synced: 3 } });
      expect(await scheduler.deadLetters()).toEqual({ success: true, data: [] });

      const missing = await scheduler.replay('fragile:page-1');
      expect(missing.success || missing.error.code).toBe('NOT_FOUND');
    });

    it('does not retry a failure the handler says is not retryable', async () => {
      const scheduler = await make();
      let calls = 0;
      scheduler.define(
        'strict',
        () => {
          calls += 1;
          return { success: false, error: new IntegrationError('VALIDATION_ERROR', 'email is required') };
        },
        { attempts: 5, backoff: { delayMs: 10 } },
      );
      await scheduler.enqueue('strict', { id: 7 });
      await until(
        async () => {
          const dead = await scheduler.deadLetters();
          return dead.success && dead.data.length === 1;
        },
        5_000,
        'the dead letter',
      );
      expect(calls).toBe(1);
      const dead = await scheduler.deadLetters();
      expect(dead.success && dead.data[0]?.error).toEqual({
        code: 'VALIDATION_ERROR',
        message: 'email is required',
      });
    });

    it('runs at most `concurrency` jobs of a kind at once', async () => {
      const scheduler = await make();
      let running = 0;
      let most = 0;
      let done = 0;
      scheduler.define(
        'parallel',
        async () => {
          running += 1;
          most = Math.max(most, running);
          await sleep(80);
          running -= 1;
          done += 1;
        },
        { concurrency: 3 },
      );
      for (let index = 0; index < 7; index += 1) await scheduler.enqueue('parallel', { index });
      await until(() => done === 7, 5_000, 'seven jobs');
      expect(most).toBe(3);
    });

    it('runs a delayed job no sooner than its delay', async () => {
      const scheduler = await make();
      let ranAt = 0;
      scheduler.define('reminder', () => {
        ranAt = Date.now();
      });
      const at = Date.now();
      await scheduler.enqueue('reminder', null, { delayMs: 300 });
      await until(() => ranAt > 0, 5_000, 'the delayed run');
      expect(ranAt - at).toBeGreaterThanOrEqual(295);
    });

    it('ticks a schedule every interval, keeps an unchanged schedule as it is, and stops when unscheduled', async () => {
      const scheduler = await make();
      const ticks: number[] = [];
      scheduler.define('tick', (job) => {
        expect(job.scheduleId).toBe('heartbeat');
        ticks.push(job.scheduledAt ?? -1);
      });
      const input = { id: 'heartbeat', every: 200, job: { name: 'tick', data: { beat: true } } };
      const created = await scheduler.schedule(input);
      expect(created.success && created.data).toMatchObject({
        id: 'heartbeat',
        every: 200,
        cron: null,
        job: { name: 'tick', data: { beat: true } },
      });
      await until(() => ticks.length >= 2, 5_000, 'two ticks');
      const again = await scheduler.schedule(input);
      expect(again.success).toBe(true);
      const listed = await scheduler.schedules();
      expect(listed.success && listed.data.map((schedule) => schedule.id)).toEqual(['heartbeat']);
      await until(() => ticks.length >= 4, 5_000, 'four ticks');
      // One run per tick, the ticks one interval apart: upserting it again moved nothing.
      const gaps = ticks.slice(1, 4).map((tick, index) => tick - (ticks[index] ?? 0));
      expect(gaps).toEqual([200, 200, 200]);
      expect(await scheduler.unschedule('heartbeat')).toEqual({ success: true, data: { removed: true } });
      expect(await scheduler.unschedule('heartbeat')).toEqual({ success: true, data: { removed: false } });
      expect(await scheduler.schedules()).toEqual({ success: true, data: [] });
      await sleep(250);
      const count = ticks.length;
      await sleep(450);
      expect(ticks.length).toBe(count);
    });

    it('stores a cron schedule with its time zone and next tick', async () => {
      const scheduler = await make();
      const created = await scheduler.schedule({
        id: 'nightly',
        cron: '0 3 * * *',
        tz: 'Europe/Amsterdam',
        job: { name: 'report', data: { kind: 'daily' } },
      });
      expect(created.success && created.data).toMatchObject({
        id: 'nightly',
        every: null,
        cron: '0 3 * * *',
        tz: 'Europe/Amsterdam',
      });
      const next = created.success ? (created.data.next ?? 0) : 0;
      expect(next).toBeGreaterThan(Date.now());
      expect(next - Date.now()).toBeLessThanOrEqual(24 * 60 * 60 * 1_000);
      // 03:00 in Amsterdam is 01:00 or 02:00 UTC.
      expect([1, 2]).toContain(new Date(next).getUTCHours());
    });

    it('close() stops a running job, which the next scheduler runs again', async () => {
      const key = `close-${Math.random()}`;
      const first = await make(key);
      let started = false;
      first.define('long', async (job) => {
        started = true;
        await new Promise((resolve) => job.signal.addEventListener('abort', resolve, { once: true }));
        throw new Error('stopped');
      });
      await first.enqueue('long', { n: 1 }, { jobId: 'long-1' });
      await until(() => started, 5_000, 'the first run');
      expect((await first.close()).success).toBe(true);

      const second = await make(key);
      let rerun: JobContext<JsonValue> | undefined;
      second.define('long', (job) => {
        rerun = job;
      });
      await until(() => rerun !== undefined, 5_000, 'the run after close');
      expect(rerun).toMatchObject({ id: 'long-1', data: { n: 1 }, attempt: 2 });
      await until(async () => (await runsOf(second, 'long')).length === 2, 2_000, 'both runs recorded');
      const runs = await runsOf(second, 'long');
      expect(runs.map((run) => [run.attempt, run.outcome])).toEqual([
        [2, 'succeeded'],
        [1, 'interrupted'],
      ]);
    });

    it('refuses wrong arguments with a typed error naming the field, and wrong define options with a throw', async () => {
      const scheduler = await make();
      const badName = await scheduler.enqueue('no spaces allowed', {});
      expect(badName.success || [badName.error.code, badName.error.field]).toEqual([
        'VALIDATION_ERROR',
        'name',
      ]);
      const badId = await scheduler.enqueue('kind', {}, { jobId: '12345' });
      expect(badId.success || badId.error.field).toBe('options.jobId');
      const both = await scheduler.schedule({ id: 's', every: 1_000, cron: '* * * * *', job: { name: 'k' } });
      expect(both.success || both.error.field).toBe('every');
      const badCron = await scheduler.schedule({ id: 's', cron: 'every day', job: { name: 'k' } });
      expect(badCron.success || badCron.error.field).toBe('cron');
      const badData = await scheduler.enqueue('kind', { n: 10n });
      expect(badData.success || badData.error.code).toBe('VALIDATION_ERROR');
      expect(() => scheduler.define('kind', () => undefined, { attempts: 0 })).toThrow(
        expect.objectContaining({ code: 'CONFIG_ERROR', field: 'attempts' }),
      );
      scheduler.define('kind', () => undefined);
      expect(() => scheduler.define('kind', () => undefined)).toThrow(
        expect.objectContaining({ code: 'CONFLICT' }),
      );
    });
  });
}
