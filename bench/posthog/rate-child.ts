// The process the capture rate is measured in (a fresh heap per run): a warm-up burst, then a measured burst of
// {@link CALLERS} concurrent callers, then shutdown. Prints one JSON line with the figures. Variants:
// `patchbay-held`: Patchbay whose requests wait at a gate (its `fetch` option) until the measured burst is over, so
// the figure is capture alone (the sender claims its first batches and then waits; nothing is gzipped or sent);
// `patchbay`: Patchbay as configured by default, its sender sending meanwhile; `posthog-node`.
// Usage: rate-child.ts <patchbay-held|patchbay|posthog-node> <warmup> <count> <url> <projectKey> <store>
import { createPostHogCapture } from '@patchbay/posthog';
import { type BenchClient, openPatchbay, openPostHogNode } from './clients.ts';
import { burst } from './traffic.ts';

/** What the child reports. */
export interface RateChildLine {
  captured: number;
  elapsedMs: number;
  /** Patchbay: events its sender had sent by the end of the measured burst. */
  sentDuring: number | null;
  closeMs: number;
  /** The measured burst on the monotonic clock in µs (a CPU profile's timestamps), to profile that window alone. */
  window: [number, number];
}

const [variant, warmup, count, url, projectKey, store] = process.argv.slice(2);
if (!variant || !warmup || !count || !url || !projectKey || !store)
  throw new Error('usage: see rate-child.ts');

// Closed for the measured burst of `patchbay-held` only: its requests wait here until the burst is over.
let gate: Promise<void> | undefined;
let openGate = () => {};
const held: typeof fetch = async (input, init) => {
  await gate;
  return fetch(input, init);
};
const capture = variant.startsWith('patchbay')
  ? createPostHogCapture({
      projectApiKey: projectKey,
      host: url,
      store,
      ...(variant === 'patchbay-held' ? { fetch: held } : {}),
    })
  : undefined;
const client: BenchClient = capture
  ? openPatchbay({ url, projectKey, store }, capture)
  : openPostHogNode({ url, projectKey, store });
await burst(client, Number(warmup));
if (variant === 'patchbay-held') {
  // The warm-up's events are sent before the gate closes: the measured burst starts from an empty outbox.
  const flushed = await capture?.flush({ timeoutMs: 60_000 });
  if (flushed && !flushed.success) throw flushed.error;
  gate = new Promise<void>((resolve) => {
    openGate = resolve;
  });
}
const before = capture?.stats().sent ?? 0;
const microseconds = () => Number(process.hrtime.bigint() / 1_000n);
const from = microseconds();
const run = await burst(client, Number(count), Number(warmup));
const to = microseconds();
const stats = capture?.stats();
openGate();
const closing = performance.now();
await client.close();
const line: RateChildLine = {
  captured: run.captured,
  elapsedMs: run.elapsedMs,
  sentDuring: stats ? stats.sent - before : null,
  closeMs: performance.now() - closing,
  window: [from, to],
};
process.stdout.write(`${JSON.stringify(line)}\n`);
