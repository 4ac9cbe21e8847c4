// A worker process of the crash tests: it works on `sync-crm` jobs and says on stdout when a run starts
// (`started <jobId> <attempt> <data>`) and ends (`done <jobId> <attempt>`). With `hang`, a run never ends (the
// test SIGKILLs the process in it); with `enqueue`, it first enqueues the job the test follows.
import { createScheduler } from '../src/index.ts';

const spec = JSON.parse(process.env.PATCHBAY_CRASH_CHILD ?? '{}') as {
  connection?: string;
  store?: string;
  prefix: string;
  leaseMs: number;
  hang: boolean;
  enqueue?: { jobId: string; data: unknown };
};

const scheduler = createScheduler({
  ...(spec.connection ? { connection: spec.connection } : { store: spec.store }),
  prefix: spec.prefix,
  leaseMs: spec.leaseMs,
  pollIntervalMs: 50,
  closeTimeoutMs: 1_000,
});
scheduler.define(
  'sync-crm',
  async (job) => {
    process.stdout.write(`started ${job.id} ${job.attempt} ${JSON.stringify(job.data)}\n`);
    if (spec.hang) await new Promise(() => undefined);
    process.stdout.write(`done ${job.id} ${job.attempt}\n`);
    return { synced: 1 };
  },
  { attempts: 3, backoff: { delayMs: 10 } },
);
if (spec.enqueue) {
  const added = await scheduler.enqueue('sync-crm', spec.enqueue.data, { jobId: spec.enqueue.jobId });
  if (!added.success) throw added.error;
}
process.on('SIGTERM', () => {
  void scheduler.close().then(() => process.exit(0));
});
