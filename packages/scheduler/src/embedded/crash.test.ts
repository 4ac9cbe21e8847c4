// A worker SIGKILLed in the middle of a job on the embedded SQLite store: the job's queue lease lapses and the
// next process runs it again with its data; the run that died shows as interrupted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
