import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeRedis } from '../../../../test-support/redis.mjs';
import { describeSchedulerBehaviour, until } from '../../test-support/behaviour.ts';
import { removePrefix, requireRedis, TEST_REDIS_URL, testPrefix } from '../../test-support/redis.ts';
import { createScheduler } from '../create-scheduler.ts';

beforeAll(requireRedis);
const prefixes = new Map<string, string>();

describeSchedulerBehaviour('BullMQ on Redis', {
  backend: 'bullmq',
  make: async (shared) => {
    const prefix = (shared && prefixes.get(shared)) || testPrefix('behaviour');
    if (shared) prefixes.set(shared, prefix);
    return {
      scheduler: createScheduler({ connection: TEST_REDIS_URL, prefix }),
      cleanup: () => removePrefix(prefix),
    };
  },
});

// SCRIPT FLUSH empties a whole server's scripts, so this runs on a Redis of its own (where redis-server is
// installed): ioredis sends a lost script again for a lone command but not within the MULTI enqueue uses.
const redisServer = spawnSync('redis-server', ['--version']).status === 0;
describe.skipIf(!redisServer)('enqueue after Redis lost its scripts (a private redis-server)', () => {
  let server: ChildProcess | undefined;
  let url = '';
  beforeAll(async () => {
    const port = await freePort();
    url = `redis://127.0.0.1:${port}`;
    server = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await until(
      async () =>
        (await probeRedis(new Redis(url, { lazyConnect: true, retryStrategy: () => null }))) === undefined,
      10_000,
      'redis-server',
    );
  });
  afterAll(() => {
    server?.kill();
  });

  it('loads the scripts again and adds the job, still once', async () => {
    const scheduler = createScheduler({ connection: url, prefix: 'noscript' });
    const admin = new Redis(url);
    try {
      expect(await scheduler.enqueue('k', null, { jobId: 'first' })).toEqual({
        success: true,
        data: { id: 'first', added: true },
      });
      await admin.script('FLUSH');
      expect(await scheduler.enqueue('k', null, { jobId: 'second' })).toEqual({
        success: true,
        data: { id: 'second', added: true },
      });
      await admin.script('FLUSH');
      expect(await scheduler.enqueue('k', null, { jobId: 'second', delayMs: 60_000 })).toEqual({
        success: true,
        data: { id: 'second', added: false },
      });
      expect(await scheduler.enqueue('k', null, { jobId: 'third', delayMs: 60_000 })).toEqual({
        success: true,
        data: { id: 'third', added: true },
      });
    } finally {
      admin.disconnect();
      await scheduler.close();
    }
  });
});

// A TCP port nothing listens on now.
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
