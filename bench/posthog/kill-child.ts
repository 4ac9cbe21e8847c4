// The process the SIGKILL measurement kills: it captures N events with one client, prints one JSON line the
// moment the last capture() has returned, and then lives on (as a server would) until it is killed. With
// `flush`, it is the next process on the same outbox: it only flushes what its predecessor left, and exits.
// Patchbay runs with its defaults but the options in <changed>, a JSON object (see kill.ts: CHANGED).
// Usage: kill-child.ts capture <patchbay|posthog-node> <count> <url> <projectKey> <store> <changed>
//        kill-child.ts flush patchbay 0 <url> <projectKey> <store> <changed>
import { createPostHogCapture } from '@patchbay/posthog';
import { openPatchbay, openPostHogNode } from './clients.ts';
import { burst } from './traffic.ts';

/** The line the child prints once every capture() has returned. */
export interface KillChildLine {
  captured: number;
  elapsedMs: number;
}

const [mode, name, count, url, projectKey, store, changed] = process.argv.slice(2);
if (!mode || !name || !count || !url || !projectKey || !store || !changed)
  throw new Error('usage: see kill-child.ts');
const target = { url, projectKey, store };
const options = JSON.parse(changed) as { leaseMs?: number; timeoutMs?: number };
const patchbay = () => createPostHogCapture({ projectApiKey: projectKey, host: url, store, ...options });

if (mode === 'flush') {
  const capture = patchbay();
  const result = await capture.shutdown({ timeoutMs: 60_000 });
  if (!result.success) throw result.error;
  process.stdout.write(`${JSON.stringify(result.data)}\n`);
} else {
  const client = name === 'patchbay' ? openPatchbay(target, patchbay()) : openPostHogNode(target);
  const run = await burst(client, Number(count));
  // A pipe is written synchronously on Linux: the parent reads this line as soon as the last capture returned.
  process.stdout.write(
    `${JSON.stringify({ captured: run.captured, elapsedMs: run.elapsedMs } satisfies KillChildLine)}\n`,
  );
  // Both clients' timers are unref'd: this keeps the process alive, sending in the background, until the kill.
  setInterval(() => {}, 1_000);
}
