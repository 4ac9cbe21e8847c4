// A worker SIGKILLed in the middle of a job leaves it to BullMQ's stalled-job check: once its lock lapses,
// another process runs it again with its data, and the run log shows the run that died as interrupted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCrashChild } from '../../test-support/crash.ts';
import { removePrefix, requireRedis, TEST_REDIS_URL, testPrefix } from '../../test-support/redis.ts';
import { createScheduler } from '../create-scheduler.ts';

const prefix = testPrefix('crash');
beforeAll(requireRedis);
afterAll(() => removePrefix(prefix));

describe('a worker SIGKILLed mid-job (BullMQ on Redis)', () => {
  it('leaves the job to run again in another process', async () => {
    const spec = { connection: TEST_REDIS_URL, prefix, leaseMs: 1_000 };
    const first = startCrashChild({
      ...spec,
      hang: true,
      enqueue: { jobId: 'contacts-1', data: { page: 7 } },
    });
    expect(await first.line('started')).toBe('started contacts-1 1 {"page":7}');
    expect((await first.kill('SIGKILL')).signal).toBe('SIGKILL');

    const second = startCrashChild({ ...spec, hang: false });
    expect(await second.line('done', 20_000)).toBe('done contacts-1 2');
    expect(second.lines).toContain('started contacts-1 2 {"page":7}');
    expect((await second.kill('SIGTERM')).code).toBe(0);

    const scheduler = createScheduler({ connection: TEST_REDIS_URL, prefix });
    const runs = await scheduler.runs({ name: 'sync-crm' });
    expect(runs.success && runs.data.map((run) => [run.jobId, run.attempt, run.outcome])).toEqual([
      ['contacts-1', 2, 'succeeded'],
      ['contacts-1', 1, 'interrupted'],
    ]);
    expect(await scheduler.deadLetters()).toEqual({ success: true, data: [] });
    await scheduler.close();
  }, 30_000);
});
