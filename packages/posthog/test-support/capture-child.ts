// A process that captures events and prints one line per capture() that resolved (`c <index> <uuid>`), so a
// test can SIGKILL it at any instant and still know which events were promised. Spec in PATCHBAY_CAPTURE_CHILD.
import { createPostHogCapture } from '@patchbay/posthog';

interface ChildSpec {
  store: string;
  host: string;
  projectApiKey: string;
  queueName?: string;
  from: number;
  to: number;
  concurrency: number;
  batchSize?: number;
  flushIntervalMs?: number;
  leaseMs?: number;
}

const spec = JSON.parse(process.env.PATCHBAY_CAPTURE_CHILD ?? '{}') as ChildSpec;
const capture = createPostHogCapture({
  projectApiKey: spec.projectApiKey,
  host: spec.host,
  store: spec.store,
  queueName: spec.queueName,
  batchSize: spec.batchSize ?? 500,
  flushIntervalMs: spec.flushIntervalMs ?? 50,
  retryDelay: { initialDelayMs: 20, maxDelayMs: 200 },
  // A killed process's claims lapse after the lease: short here, so the next process resends them soon.
  leaseMs: spec.leaseMs ?? 3_000,
  timeoutMs: 2_000,
});

let next = spec.from;
let lines: string[] = [];
const write = () => {
  if (lines.length === 0) return;
  process.stdout.write(lines.join(''));
  lines = [];
};

async function worker(): Promise<void> {
  while (next < spec.to) {
    const index = next;
    next += 1;
    const result = await capture.capture({
      event: 'crash_test',
      distinctId: `user-${index % 97}`,
      properties: { index, pid: process.pid },
    });
    if (!result.success) {
      process.stderr.write(`capture ${index} failed: ${result.error.code} ${result.error.message}\n`);
      process.exit(2);
    }
    lines.push(`c ${index} ${result.data.uuid}\n`);
    if (lines.length >= 50) write();
  }
}

await Promise.all(Array.from({ length: spec.concurrency }, () => worker()));
write();
const done = await capture.shutdown({ timeoutMs: 60_000 });
process.stdout.write(
  done.success ? `done ${done.data.sent} ${done.data.pending}\n` : `failed ${done.error.message}\n`,
);
process.exit(done.success ? 0 : 3);
