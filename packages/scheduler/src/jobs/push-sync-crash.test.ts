// A worker SIGKILLed mid push-sync: the scheduler runs the job again in the next worker and the sync engine's
// outbox resolves the writes the dead one left in flight, so Twenty ends with every record exactly once. On both
// backends: the embedded one (SQLite) retakes the job when its lease lapses, BullMQ on Redis through its
// stalled-job check (lock duration and stalled interval both follow leaseMs, 1 s here).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore } from '@patchbay/core/store';
import { startTwentyEmulator } from '@patchbay/emulators';
import { createTwentySync } from '@patchbay/twenty-crm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { workspaceExecArgv } from '../../../../test-support/child-exec-argv.mjs';
import { removePrefix, requireRedis, TEST_REDIS_URL, testPrefix } from '../../test-support/redis.ts';

const CHILD = join(import.meta.dirname, '../../test-support/push-sync-child.ts');
const COUNT = 300;

type Emulator = Awaited<ReturnType<typeof startTwentyEmulator>>;
let emulator: Emulator;
let dir: string;

// A fresh emulator per backend, so each run starts from an empty Twenty.
beforeEach(async () => {
  emulator = await startTwentyEmulator({ port: 0, rateLimit: false });
  const setup = await createTwentySync({
    baseUrl: emulator.url,
    apiKey: emulator.apiKey,
    store: createMemoryStore(),
    rateLimit: false,
  }).setup();
  expect(setup.success).toBe(true);
  dir = mkdtempSync(join(tmpdir(), 'pb-push-crash-'));
});
afterEach(async () => {
  await emulator?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Where the workers' scheduler keeps its jobs: the child spec's fields for it. */
type SchedulerAt = { schedulerStore: string } | { connection: string; prefix: string };

// A worker process and its stdout lines.
function startWorker(schedulerAt: SchedulerAt, enqueue?: string) {
  const spec = {
    ...schedulerAt,
    syncStorePath: join(dir, 'sync.db'),
    url: emulator.url,
    apiKey: emulator.apiKey,
    count: COUNT,
    leaseMs: 1_000,
    ...(enqueue && { enqueue }),
  };
  const child = spawn(process.execPath, [...workspaceExecArgv, CHILD], {
    env: { ...process.env, PATCHBAY_PUSH_CHILD: JSON.stringify(spec) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    lines.push(...parts.filter((part) => part !== ''));
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return {
    lines,
    async until(check: (lines: string[]) => boolean, what: string, timeoutMs = 15_000) {
      const end = Date.now() + timeoutMs;
      while (!check(lines)) {
        if (Date.now() > end) throw new Error(`no ${what} within ${timeoutMs} ms; stderr: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async kill(signal: 'SIGKILL' | 'SIGTERM') {
      child.kill(signal);
      await exited;
    },
  };
}

const backends: { backend: string; open: () => Promise<{ at: SchedulerAt; close: () => Promise<void> }> }[] =
  [
    {
      backend: 'embedded SQLite',
      open: async () => ({
        at: { schedulerStore: `sqlite:${join(dir, 'scheduler.db')}` },
        close: async () => undefined,
      }),
    },
    {
      backend: 'BullMQ on Redis',
      open: async () => {
        await requireRedis();
        const prefix = testPrefix('push-crash');
        return { at: { connection: TEST_REDIS_URL, prefix }, close: () => removePrefix(prefix) };
      },
    },
  ];

describe.each(backends)('pushSyncJob: a worker SIGKILLed mid-job ($backend)', ({ open }) => {
  it('is retried by the next worker and leaves every record in Twenty exactly once', async () => {
    const { at, close } = await open();
    try {
      await crashAndRetry(at);
    } finally {
      await close();
    }
  });
});

// Kills the first worker after 3 batch writes, lets a second one finish the job, and checks Twenty.
async function crashAndRetry(at: SchedulerAt) {
  const first = startWorker(at, 'push-1');
  await first.until((lines) => lines.filter((line) => line === 'sending').length >= 3, '3 batch writes');
  await first.kill('SIGKILL');
  expect(first.lines.some((line) => line.startsWith('done'))).toBe(false);

  const second = startWorker(at);
  try {
    await second.until((lines) => lines.some((line) => line.startsWith('done')), 'a finished run', 20_000);
    const done = second.lines.find((line) => line.startsWith('done')) ?? '';
    const [, attempt, json] = /^done (\d+) (.*)$/.exec(done) ?? [];
    // The killed run counts as the first attempt.
    expect(Number(attempt)).toBe(2);
    const result = JSON.parse(json ?? 'null');
    expect(result.success).toBe(true);
    expect(result.data.failed).toBe(0);
    // The killed run had written some: the retry found them there (unchanged), not created again.
    expect(result.data.created).toBeLessThan(COUNT);
    expect(result.data.created + result.data.updated + result.data.unchanged).toBe(COUNT);
  } finally {
    await second.kill('SIGTERM');
  }

  const people = emulator.store.list('people');
  expect(people).toHaveLength(COUNT);
  const ids = people.map((person) => (person as { externalId?: unknown }).externalId);
  expect(new Set(ids)).toEqual(new Set(Array.from({ length: COUNT }, (_, n) => `user_${n}`)));
  expect(emulator.store.duplicates('people', 'externalId')).toEqual([]);
}
