// Several processes share one PostgreSQL outbox: each sends what it claims, under a lease, so no event is sent
// twice and none is left behind.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type RunningPostHogEmulator, startPostHogEmulator } from '@patchbay/emulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceExecArgv } from '../../../../test-support/child-exec-argv.mjs';

const KEY = 'phc_shared_outbox_key_0123456789';
const CHILD = join(import.meta.dirname, '../../test-support/capture-child.ts');
const POSTGRES = process.env.PATCHBAY_TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/test';
const PROCESSES = 3;
const EACH = 3_000;

let emulator: RunningPostHogEmulator;
beforeAll(async () => {
  emulator = await startPostHogEmulator({ port: 0, projectKey: KEY });
  // Slow answers, so that sends of the three processes overlap.
  emulator.emulator.faults.inject({ kind: 'latency', latencyMs: 20 });
});
afterAll(async () => {
  await emulator?.close();
});

function run(spec: Record<string, unknown>) {
  const child = spawn(process.execPath, [...workspaceExecArgv, CHILD], {
    env: { ...process.env, PATCHBAY_CAPTURE_CHILD: JSON.stringify(spec) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const uuids: string[] = [];
  let buffered = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('c ')) uuids.push(line.split(' ')[2] ?? '');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise<{ code: number | null; uuids: string[]; stderr: string }>((resolve) =>
    child.once('close', (code) => resolve({ code, uuids, stderr })),
  );
}

describe('capture on a PostgreSQL outbox shared by processes', () => {
  it(`${PROCESSES} processes × ${EACH} events: every event sent exactly once`, async () => {
    const queueName = `posthog-capture-${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: PROCESSES }, (_, worker) =>
        run({
          store: POSTGRES,
          host: emulator.url,
          projectApiKey: KEY,
          queueName,
          from: worker * EACH,
          to: (worker + 1) * EACH,
          concurrency: 32,
          batchSize: 200,
          flushIntervalMs: 20,
        }),
      ),
    );
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    const promised = results.flatMap((result) => result.uuids);
    expect(promised.length).toBe(PROCESSES * EACH);
    const arrived = emulator.emulator.events().filter((event) => event.properties.index !== undefined);
    expect(new Set(arrived.map((event) => event.uuid))).toEqual(new Set(promised));
    expect(emulator.emulator.duplicateCount()).toBe(0);
  }, 120_000);
});
