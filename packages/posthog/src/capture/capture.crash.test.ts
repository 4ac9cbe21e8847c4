// The acceptance test of durable capture: a child capturing 20 000 events is SIGKILLed at 20 random points
// and restarted; every event whose capture() resolved must reach PostHog. Resends (same uuid) are counted.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningPostHogEmulator, startPostHogEmulator } from '@patchbay/emulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceExecArgv } from '../../../../test-support/child-exec-argv.mjs';

const KEY = 'phc_crash_test_key_0123456789';
const CHILD = join(import.meta.dirname, '../../test-support/capture-child.ts');
const TOTAL = 20_000;
const KILLS = 20;

let emulator: RunningPostHogEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await startPostHogEmulator({ port: 0, projectKey: KEY });
  dir = mkdtempSync(join(tmpdir(), 'posthog-crash-'));
});
afterAll(async () => {
  await emulator?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// A seeded PRNG (mulberry32), so a failing run can be replayed.
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface ChildRun {
  exited: Promise<{ code: number | null; signal: string | null; stderr: string; last: string }>;
  kill(): void;
}

function runChild(
  spec: Record<string, unknown>,
  onCaptured: (index: number, uuid: string) => void,
): ChildRun {
  const child = spawn(process.execPath, [...workspaceExecArgv, CHILD], {
    env: { ...process.env, PATCHBAY_CAPTURE_CHILD: JSON.stringify(spec) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buffered = '';
  let stderr = '';
  let last = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('c ')) {
        const [, index, uuid] = line.split(' ');
        onCaptured(Number(index), uuid ?? '');
      } else if (line) last = line;
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return {
    exited: new Promise((resolve) =>
      child.once('close', (code, signal) => resolve({ code, signal, stderr, last })),
    ),
    kill: () => child.kill('SIGKILL'),
  };
}

describe('durable capture under SIGKILL', () => {
  it(`loses no confirmed event across ${KILLS} SIGKILLs of a process capturing ${TOTAL} events`, async () => {
    const draw = random(2026);
    // Kill points by confirmed count, spread over the run.
    const points = Array.from({ length: KILLS }, () => 200 + Math.floor(draw() * (TOTAL - 400))).sort(
      (a, b) => a - b,
    );
    const confirmed = new Set<number>();
    // Every uuid a capture() confirmed, an index captured again after a kill included.
    const promised: string[] = [];
    const spec = {
      store: `sqlite:${join(dir, 'outbox.db')}`,
      host: emulator.url,
      projectApiKey: KEY,
      to: TOTAL,
      concurrency: 64,
    };
    let kills = 0;
    for (let run = 0; run <= KILLS; run += 1) {
      // Restart from the first event not yet confirmed: what was captured but never confirmed is captured
      // again (a new uuid: a new event, as a user's retry would be).
      let from = 0;
      while (confirmed.has(from)) from += 1;
      const target = points[run];
      let child: ChildRun | undefined;
      child = runChild({ ...spec, from }, (index, uuid) => {
        confirmed.add(index);
        promised.push(uuid);
        if (target !== undefined && confirmed.size >= target) child?.kill();
      });
      const exit = await child.exited;
      if (run < KILLS) {
        if (exit.signal === 'SIGKILL') kills += 1;
        else if (exit.code !== 0) throw new Error(`child failed: ${exit.code} ${exit.stderr}`);
      } else {
        expect(exit.code, exit.stderr).toBe(0);
      }
      if (confirmed.size >= TOTAL && run >= KILLS) break;
    }
    expect(kills).toBe(KILLS);
    expect(confirmed.size).toBe(TOTAL);
    const arrived = new Set(emulator.emulator.events().map((event) => event.uuid));
    const lost = promised.filter((uuid) => !arrived.has(uuid));
    expect(lost).toEqual([]);
    const duplicates = emulator.emulator.duplicateCount();
    // Resends after a kill between a 2xx and the outbox delete: PostHog drops them by uuid.
    console.info(
      `capture crash test: ${promised.length} confirmed captures, ${kills} SIGKILLs, 0 lost, ${duplicates} resent (same uuid), ${arrived.size} distinct events arrived`,
    );
    expect(duplicates).toBeLessThan(TOTAL);
  }, 240_000);
});
