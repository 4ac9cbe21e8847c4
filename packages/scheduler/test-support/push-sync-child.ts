// A worker process of the push-sync crash test: a scheduler (on the SQLite file `schedulerStore`, or BullMQ on the
// Redis at `connection` under `prefix`) working on `push-people` jobs, each streaming `count` people into Twenty
// (the emulator at `url`) through createTwentySync on its own SQLite store.
// It says on stdout when a run starts (`started <attempt>`), when a batch write leaves (`sending`), and when a
// run ends (`done <attempt> <result JSON>`). With `enqueue`, it first enqueues the job the test follows.
import { createSqliteStore } from '@patchbay/store-sqlite';
import { createTwentySync } from '@patchbay/twenty-crm';
import { createScheduler, pushSyncJob } from '../src/index.ts';

const spec = JSON.parse(process.env.PATCHBAY_PUSH_CHILD ?? '{}') as {
  schedulerStore?: string;
  connection?: string;
  prefix?: string;
  syncStorePath: string;
  url: string;
  apiKey: string;
  count: number;
  leaseMs: number;
  enqueue?: string;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const scheduler = createScheduler({
  ...(spec.connection ? { connection: spec.connection } : { store: spec.schedulerStore }),
  ...(spec.prefix && { prefix: spec.prefix }),
  leaseMs: spec.leaseMs,
  pollIntervalMs: 50,
  closeTimeoutMs: 1_000,
});
const sync = createTwentySync({
  baseUrl: spec.url,
  apiKey: spec.apiKey,
  store: createSqliteStore({ path: spec.syncStorePath }),
  rateLimit: false,
  batchSize: 20,
  retry: { retries: 3, initialDelayMs: 20, maxDelayMs: 200 },
  // Every worker of the app runs under one owner here, so the next one takes the killed one's sync lease at once
  // (as in the sync contract's crash test) instead of waiting out its 30 s.
  lease: { owner: 'push-worker' },
  hooks: {
    beforeRequest: ({ method, url }) => {
      if (method === 'POST' && url.includes('/rest/batch/')) process.stdout.write('sending\n');
    },
  },
});

async function* people(attempt: number) {
  process.stdout.write(`started ${attempt}\n`);
  for (let n = 0; n < spec.count; n += 1) {
    // Slow enough that the test's SIGKILL lands while the run is under way.
    if (n % 20 === 0) await sleep(30);
    yield { externalId: `user_${n}`, name: `Person ${n}`, email: `person${n}@example.com` };
  }
}

const push = pushSyncJob({ type: 'person', source: (job) => people(job.attempt), sync });
scheduler.define(
  'push-people',
  async (job) => {
    const result = await push(job);
    process.stdout.write(`done ${job.attempt} ${JSON.stringify(result)}\n`);
    return result;
  },
  { attempts: 3, backoff: { delayMs: 10 } },
);
if (spec.enqueue) {
  const added = await scheduler.enqueue('push-people', null, { jobId: spec.enqueue });
  if (!added.success) throw added.error;
}
process.on('SIGTERM', () => {
  void scheduler.close().then(() => process.exit(0));
});
