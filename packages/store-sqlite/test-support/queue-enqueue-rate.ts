// How fast the SQLite queue takes messages: `node --import … queue-enqueue-rate.ts [messages] [batch] [ids]`
// enqueues `messages` PostHog-like events (about 550 bytes of JSON each) in batches of `batch` into a fresh file
// (WAL, synchronous=FULL, as the store opens it), then claims and acks them all in batches, and prints the rates.
// `ids` is `random` (UUIDv4: inserts land all over the unique index) or `ordered` (UUIDv7-like, as posthog-node's).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '../src/sqlite-store.ts';

const [total = 100_000, batch = 1_000] = process.argv.slice(2, 4).map(Number);
const ordered = process.argv[4] === 'ordered';
const dir = mkdtempSync(join(tmpdir(), 'patchbay-queue-rate-'));
const store = createSqliteStore({ path: join(dir, 'queue.db') });
const started = Date.now();
const id = (i: number) =>
  ordered
    ? `${(started + i).toString(16).padStart(12, '0')}-7000-8000-${crypto.randomUUID().slice(-12)}`
    : crypto.randomUUID();
const messages = Array.from({ length: total }, (_, i) => {
  const uuid = id(i);
  const event = {
    event: '$pageview',
    distinct_id: `user-${i % 1_000}`,
    uuid,
    timestamp: new Date(started + i).toISOString(),
    properties: {
      $current_url: 'https://example.com/pricing',
      $browser: 'Chrome',
      $lib: 'patchbay',
      n: i,
      text: 'x'.repeat(300),
    },
  };
  return { id: uuid, payload: JSON.stringify(event) };
});

const rate = (count: number, ms: number) => Math.round((count / ms) * 1_000);
try {
  let at = performance.now();
  for (let start = 0; start < total; start += batch) {
    const result = await store.queue.enqueue('rate', messages.slice(start, start + batch));
    if (!result.success) throw result.error;
  }
  const enqueueMs = performance.now() - at;
  at = performance.now();
  let claimed = 0;
  for (;;) {
    const result = await store.queue.claim('rate', { owner: 'rate', limit: batch, leaseMs: 60_000 });
    if (!result.success) throw result.error;
    if (result.data.length === 0) break;
    claimed += result.data.length;
    const acked = await store.queue.ack(
      'rate',
      result.data.map((message) => message.id),
    );
    if (!acked.success) throw acked.error;
  }
  const drainMs = performance.now() - at;
  process.stdout.write(
    `${total} messages, batches of ${batch}, ${ordered ? 'ordered' : 'random'} ids: enqueue ${rate(total, enqueueMs)}/s` +
      ` (${Math.round(enqueueMs)} ms); claim+ack ${rate(claimed, drainMs)}/s (${Math.round(drainMs)} ms)\n`,
  );
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
