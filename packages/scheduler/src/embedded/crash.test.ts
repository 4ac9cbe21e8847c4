// A worker SIGKILLed in the middle of a job on the embedded SQLite store: the job's queue lease lapses and the
// next process runs it again with its data; the run that died shows as interrupted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore } from '@patchbay/core/store';
import { afterAll, describe, expect, it } from 'vitest';
import { until } from '../../test-support/behaviour.ts';
import { startCrashChild } from '../../test-support/crash.ts';
import { createScheduler } from '../create-scheduler.ts';

const dir = mkdtempSync(join(tmpdir(), 'scheduler-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a worker SIGKILLed mid-job (embedded, SQLite)', () => {
  it('leaves the job to run again in the next process', async () => {
    const store = `sqlite:${join(dir, 'jobs.db')}`;
    const spec = { store, prefix: 'crash', leaseMs: 1_000 };
    const first = startCrashChild({
      ...spec,
      hang: true,
      enqueue: { jobId: 'contacts-1', data: { page: 7 } },
    });
    expect(await first.line('started')).toBe('started contacts-1 1 {"page":7}');
    expect((await first.kill('SIGKILL')).signal).toBe('SIGKILL');

    const second = startCrashChild({ ...spec, hang: false });
    expect(await second.line('done')).toBe('done contacts-1 2');
    expect(second.lines).toContain('started contacts-1 2 {"page":7}');
    expect((await second.kill('SIGTERM')).code).toBe(0);

    const scheduler = createScheduler({ store, prefix: 'crash' });
    const runs = await scheduler.runs({ name: 'sync-crm' });
    expect(runs.success && runs.data.map((run) => [run.jobId, run.attempt, run.outcome])).toEqual([
      ['contacts-1', 2, 'succeeded'],
      ['contacts-1', 1, 'interrupted'],
    ]);
    expect(await scheduler.deadLetters()).toEqual({ success: true, data: [] });
    await scheduler.close();
  });
});

describe('a job whose process dies in every run (embedded)', () => {
  it('becomes a dead letter after `attempts` runs started', async () => {
    const store = createMemoryStore();
    const producer = createScheduler({ store });
    await producer.enqueue('sync-crm', { page: 1 }, { jobId: 'doomed' });
    await producer.close();
    // Three runs that each died with their process: claimed under a lease nobody gave back.
    for (let run = 0; run < 3; run += 1) {
      const claimed = await store.queue.claim('patchbay:sync-crm', {
        owner: `dead-${run}`,
        limit: 1,
        leaseMs: 1,
      });
      expect(claimed.success && claimed.data.map((message) => message.attempts)).toEqual([run + 1]);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const scheduler = createScheduler({ store, pollIntervalMs: 20 });
    let ran = false;
    scheduler.define(
      'sync-crm',
      () => {
        ran = true;
      },
      { attempts: 3 },
    );
    await until(
      async () => {
        const dead = await scheduler.deadLetters();
        return dead.success && dead.data.length === 1;
      },
      5_000,
      'the dead letter',
    );
    const dead = await scheduler.deadLetters();
    expect(dead.success && dead.data[0]).toMatchObject({
      id: 'sync-crm:doomed',
      attempts: 3,
      error: { code: 'OPERATION_FAILED', message: 'its process stopped during its last run' },
    });
    expect(ran).toBe(false);
    await scheduler.close();
  });
});
