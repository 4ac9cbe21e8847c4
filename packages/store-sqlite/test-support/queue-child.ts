// Child of the queue tests, on a shared SQLite file:
// - `claim <path> <queue> <owner> <limit>` (forked, IPC): says 'ready', waits for a start time (epoch ms), then
//   from that instant claims batches of `limit` until a claim comes back empty, and sends every id it claimed.
// - `enqueue <path> <queue> <batch size>` (spawned): enqueues batches `r<round>-<i>` in a loop until killed,
//   printing "started <round>" before each enqueue and "committed <round>" after it.
import { createSqliteStore } from '../src/sqlite-store.ts';

const [command, path, queue, ...rest] = process.argv.slice(2);
if (!path || !queue) throw new Error('usage: queue-child.ts claim|enqueue <path> <queue> …');
const store = createSqliteStore({ path, busyTimeoutMs: 30_000 });

if (command === 'claim') {
  const [owner = 'child', limit = '50'] = rest;
  const send = (message: unknown) => process.send?.(message);
  process.once('message', async (startAt: number) => {
    // Spins rather than sleeps up to the common start: timers are too coarse to line processes up.
    while (Date.now() < startAt) {
      // busy wait
    }
    const ids: string[] = [];
    for (;;) {
      const claimed = await store.queue.claim(queue, { owner, limit: Number(limit), leaseMs: 600_000 });
      if (!claimed.success) {
        send({ error: `${claimed.error.code}: ${claimed.error.message}` });
        break;
      }
      if (claimed.data.length === 0) {
        send({ ids });
        break;
      }
      for (const message of claimed.data) ids.push(message.id);
      // A consumer sends what it claimed before it claims more; meanwhile the others get the write lock (the
      // busy handler polls, so a process claiming back to back could otherwise keep it to itself).
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await store.close();
    process.disconnect();
  });
  send('ready');
} else if (command === 'enqueue') {
  const size = Number(rest[0] ?? '1000');
  const payload = JSON.stringify({ event: 'crash', properties: { text: 'x'.repeat(400) } });
  for (let round = 0; ; round++) {
    const messages = Array.from({ length: size }, (_, i) => ({ id: `r${round}-${i}`, payload }));
    // Writes to a pipe are synchronous on Linux and macOS: the line is out before enqueue begins.
    process.stdout.write(`started ${round}\n`);
    const result = await store.queue.enqueue(queue, messages);
    if (!result.success) {
      process.stderr.write(`enqueue failed: ${result.error.code} ${result.error.message}\n`);
      process.exit(1);
    }
    process.stdout.write(`committed ${round}\n`);
  }
} else {
  throw new Error(`unknown command ${command}`);
}
