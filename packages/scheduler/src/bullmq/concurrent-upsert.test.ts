// The acceptance test of issue 16 for schedules: 5 processes upsert the same schedules at the same instant (and
// again at random moments, as restarting instances do) against a real Redis, each working on their jobs: there is
// one schedule per id, and over 20 ticks every tick ran exactly once, one interval after the last. This is the
// situation BullMQ users report duplicated or lost schedulers in (taskforcesh/bullmq#2876, #3063, #3262).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceExecArgv } from '../../../../test-support/child-exec-argv.mjs';
import { removePrefix, requireRedis, TEST_REDIS_URL, testPrefix } from '../../test-support/redis.ts';
import { createScheduler } from '../create-scheduler.ts';
import { readTickJobId } from '../engine.ts';

const CHILD = join(import.meta.dirname, '../../test-support/upsert-child.ts');
const PROCESSES = 5;
const EVERY = 300;
const TICKS = 20;
const prefix = testPrefix('upsert');

beforeAll(requireRedis);
afterAll(() => removePrefix(prefix));

function runChild(spec: Record<string, unknown>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [...workspaceExecArgv, CHILD], {
    env: { ...process.env, PATCHBAY_UPSERT_CHILD: JSON.stringify(spec) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stderr })));
}

describe('schedules upserted by many processes at once (BullMQ on Redis)', () => {
  it(`${PROCESSES} processes: one schedule per id, and one run per tick over ${TICKS} ticks`, async () => {
    const runsKey = `${prefix}:test-runs`;
    // Children start together, once every one of them has loaded (a second and a half is ample on 2 cores).
    const startAt = Date.now() + 2_500;
    // On a loaded machine (CI runs two suites' worth of processes on 2 cores) ticks start late: the children keep
    // working until both schedules ran more than TICKS ticks, within a generous bound.
    const spec = {
      url: TEST_REDIS_URL,
      prefix,
      every: EVERY,
      startAt,
      runFor: EVERY * (TICKS + 3),
      runsKey,
      minRuns: 2 * (TICKS + 2),
      maxRunFor: 40_000,
    };
    const exits = await Promise.all(Array.from({ length: PROCESSES }, () => runChild(spec)));
    for (const exit of exits) expect(exit.code, exit.stderr).toBe(0);

    const scheduler = createScheduler({ connection: TEST_REDIS_URL, prefix });
    const schedules = await scheduler.schedules();
    expect(
      schedules.success && schedules.data.map((schedule) => [schedule.id, schedule.every, schedule.job.name]),
    ).toEqual([
      ['sync-a', EVERY, 'tick-a'],
      ['sync-b', EVERY, 'tick-b'],
    ]);
    await scheduler.close();

    const redis = new Redis(TEST_REDIS_URL);
    const runs = await redis.lrange(runsKey, 0, -1);
    redis.disconnect();
    for (const id of ['sync-a', 'sync-b']) {
      const ticks = runs
        .map((run) => readTickJobId(run.split('|')[0] ?? ''))
        .filter((tick) => tick?.scheduleId === id)
        .map((tick) => tick?.tick ?? 0)
        .sort((a, b) => a - b);
      const distinct = [...new Set(ticks)];
      // Every tick ran once: no job id twice...
      expect(ticks.length, `${id}: runs of one tick`).toBe(distinct.length);
      expect(distinct.length, `${id}: ticks run`).toBeGreaterThanOrEqual(TICKS);
      // ...and none missing or extra: consecutive ticks exactly one interval apart.
      const gaps = new Set(distinct.slice(1).map((tick, index) => tick - (distinct[index] ?? 0)));
      expect([...gaps], `${id}: intervals between ticks`).toEqual([EVERY]);
      // The work was shared: more than one process ran ticks.
      const pids = new Set(runs.filter((run) => run.includes(`:${id}:`)).map((run) => run.split('|')[1]));
      expect(pids.size).toBeGreaterThan(1);
    }
  }, 70_000);
});
