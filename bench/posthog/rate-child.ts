// The process the capture rate is measured in (a fresh heap per client): a warm-up burst, then a measured burst
// of {@link CALLERS} concurrent callers, then shutdown. Prints one JSON line with the figures.
// Usage: rate-child.ts <patchbay|posthog-node> <warmup> <count> <url> <projectKey> <store>
import { createPostHogCapture } from '@patchbay/posthog';
import { type BenchClient, openPatchbay, openPostHogNode } from './clients.ts';
import { burst } from './traffic.ts';

/** What the child reports. */
export interface RateChildLine {
  captured: number;
  elapsedMs: number;
  /** Patchbay: events the sender had sent by the end of the measured burst (it runs meanwhile). */
  sentDuring: number | null;
  closeMs: number;
  /** The measured burst on the monotonic clock in µs (a CPU profile's timestamps), to profile that window alone. */
  window: [number, number];
}

const [name, warmup, count, url, projectKey, store] = process.argv.slice(2);
if (!name || !warmup || !count || !url || !projectKey || !store) throw new Error('usage: see rate-child.ts');

const capture =
  name === 'patchbay' ? createPostHogCapture({ projectApiKey: projectKey, host: url, store }) : undefined;
const client: BenchClient = capture
  ? openPatchbay({ url, projectKey, store }, capture)
  : openPostHogNode({ url, projectKey, store });
await burst(client, Number(warmup));
const before = capture?.stats().sent ?? 0;
const microseconds = () => Number(process.hrtime.bigint() / 1_000n);
const from = microseconds();
const run = await burst(client, Number(count), Number(warmup));
const to = microseconds();
const stats = capture?.stats();
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
