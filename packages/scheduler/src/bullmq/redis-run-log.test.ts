import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removePrefix, requireRedis, TEST_REDIS_URL, testPrefix } from '../../test-support/redis.ts';
import type { JobRun } from '../scheduler.ts';
import { createRedisRunLog } from './redis-run-log.ts';

let client: Redis;
const prefixes: string[] = [];
beforeAll(async () => {
  await requireRedis();
  client = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  for (const prefix of prefixes) await removePrefix(prefix);
  await client?.quit();
});

const freshLog = (size = 10) => {
  const prefix = testPrefix('run-log');
  prefixes.push(prefix);
  return createRedisRunLog(client, prefix, size);
};

const started = (name: string, jobId: string, attempt = 1): JobRun => ({
  name,
  jobId,
  scheduleId: null,
  attempt,
  attempts: 3,
  startedAt: 1_000 + attempt,
  finishedAt: null,
  outcome: 'running',
  error: null,
  result: null,
});
const ended = (run: JobRun, outcome: JobRun['outcome'] = 'succeeded'): JobRun => ({
  ...run,
  finishedAt: run.startedAt + 5,
  outcome,
});

describe('the Redis run log', () => {
  it('keeps a run under way in running, and once finished only in the finished lists (all and its kind)', async () => {
    const log = freshLog();
    const run = started('sync', 'j1');
    const json = await log.start(run);
    expect(await log.running(null)).toEqual([{ run, stored: json }]);
    expect(await log.running('other')).toEqual([]);
    await log.finish(ended(run), json);
    expect(await log.running(null)).toEqual([]);
    expect(await log.finished(null, 10)).toEqual([ended(run)]);
    expect(await log.finished('sync', 10)).toEqual([ended(run)]);
    expect(await log.finished('other', 10)).toEqual([]);
  });

  it('lists the newest first, and keeps at most `size` runs', async () => {
    const log = freshLog(3);
    for (let n = 1; n <= 5; n += 1) {
      const run = started('sync', `j${n}`);
      await log.finish(ended(run), await log.start(run));
    }
    expect((await log.finished(null, 10)).map((run) => run.jobId)).toEqual(['j5', 'j4', 'j3']);
    expect((await log.finished('sync', 2)).map((run) => run.jobId)).toEqual(['j5', 'j4']);
  });

  it('moves a run left by a dead process to the finished runs, as interrupted, when its job starts again', async () => {
    const log = freshLog();
    const first = started('sync', 'j1', 1);
    await log.start(first);
    const second = started('sync', 'j1', 2);
    const json = await log.start(second);
    expect(await log.running('sync')).toEqual([{ run: second, stored: json }]);
    expect(await log.finished('sync', 10)).toEqual([{ ...first, outcome: 'interrupted' }]);
  });

  it('leaves the run that took over when a run that outlived its lock finishes', async () => {
    const log = freshLog();
    const old = started('sync', 'j1', 1);
    const oldJson = await log.start(old);
    const current = started('sync', 'j1', 2);
    const currentJson = await log.start(current);
    await log.finish(ended(old, 'failed'), oldJson);
    expect(await log.running('sync')).toEqual([{ run: current, stored: currentJson }]);
  });

  it('settles a run found running only while it is still the one stored', async () => {
    const log = freshLog();
    const run = started('sync', 'j1');
    const json = await log.start(run);
    await log.settle(run, 'not what is stored');
    expect(await log.running(null)).toHaveLength(1);
    await log.settle(run, json);
    expect(await log.running(null)).toEqual([]);
    expect(await log.finished(null, 10)).toEqual([{ ...run, outcome: 'interrupted' }]);
  });

  it('skips entries that are not JSON', async () => {
    const prefix = testPrefix('run-log');
    prefixes.push(prefix);
    const log = createRedisRunLog(client, prefix, 10);
    await client.hset(`${prefix}:@running`, 'sync:bad', '{oops');
    await client.lpush(`${prefix}:@runs`, 'not json');
    expect(await log.running(null)).toEqual([]);
    expect(await log.finished(null, 10)).toEqual([]);
  });

  it('rejects when Redis does (the backend turns that into a logged warning)', async () => {
    const closed = new Redis(TEST_REDIS_URL, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
    });
    closed.on('error', () => undefined);
    const log = createRedisRunLog(closed, testPrefix('run-log'), 10);
    await expect(log.start(started('sync', 'j1'))).rejects.toThrow();
    closed.disconnect();
  });
});
