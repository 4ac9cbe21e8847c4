// A process of the concurrent-upsert test: it starts at the agreed instant with the others, upserts the same
// schedules, works on their jobs, upserts them again at random moments (an instance restarting), and records
// every run in a Redis list: `<schedule job id>|<pid>`.
import { Redis } from 'ioredis';
import { createScheduler } from '../src/index.ts';

const spec = JSON.parse(process.env.PATCHBAY_UPSERT_CHILD ?? '{}') as {
  url: string;
  prefix: string;
  every: number;
  startAt: number;
  runFor: number;
  runsKey: string;
  /** Keep working past runFor until the runs list holds this many, up to maxRunFor: a loaded machine runs late. */
  minRuns?: number;
  maxRunFor?: number;
};

const redis = new Redis(spec.url);
const scheduler = createScheduler({ connection: spec.url, prefix: spec.prefix, closeTimeoutMs: 2_000 });
for (const name of ['tick-a', 'tick-b']) {
  scheduler.define(name, async (job) => {
    await redis.rpush(spec.runsKey, `${job.id}|${process.pid}`);
  });
}
const upsert = async () => {
  for (const [id, name] of [
    ['sync-a', 'tick-a'],
    ['sync-b', 'tick-b'],
  ] as const) {
    const result = await scheduler.schedule({ id, every: spec.every, job: { name, data: { id } } });
    if (!result.success) throw result.error;
  }
};

await new Promise((resolve) => setTimeout(resolve, Math.max(0, spec.startAt - Date.now())));
await upsert();
for (let again = 0; again < 2; again += 1) {
  await new Promise((resolve) => setTimeout(resolve, Math.random() * spec.every * 6));
  await upsert();
}
await new Promise((resolve) => setTimeout(resolve, Math.max(0, spec.startAt + spec.runFor - Date.now())));
while (
  spec.minRuns !== undefined &&
  Date.now() < spec.startAt + (spec.maxRunFor ?? spec.runFor) &&
  (await redis.llen(spec.runsKey)) < spec.minRuns
) {
  await new Promise((resolve) => setTimeout(resolve, spec.every));
}
const closed = await scheduler.close();
redis.disconnect();
process.exit(closed.success ? 0 : 1);
