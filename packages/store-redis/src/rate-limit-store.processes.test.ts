// Four Node processes taking from one bucket at once through the core limiter on this store: over any stretch of
// time, together they never get more than the bucket's capacity plus what refilled in it.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { workspaceExecArgv } from '../../../test-support/child-exec-argv.mjs';
import { describeRedis, TEST_URL, usePrefixes } from '../test-support/redis.ts';

const script = fileURLToPath(new URL('../test-support/limiter-child.ts', import.meta.url));

interface Child {
  ready: Promise<void>;
  go(): void;
  done: Promise<{ grants: number[]; errors: string[] }>;
}

function startChild(args: Record<string, unknown>): Child {
  const child = spawn(process.execPath, [...workspaceExecArgv, script, JSON.stringify(args)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (stdout.includes('"ready"')) onReady();
  });
  const done = new Promise<{ grants: number[]; errors: string[] }>((resolve, reject) => {
    child.on('exit', (code) => {
      const line = stdout.split('\n').find((text) => text.includes('"done"'));
      if (code !== 0 || !line) reject(new Error(`child exited ${code}: ${stderr}`));
      else resolve(JSON.parse(line));
    });
  });
  return { ready, go: () => child.stdin.write('go\n'), done };
}

describeRedis('createRedisRateLimitStore across processes', () => {
  const { prefix } = usePrefixes();

  it('gives 4 processes together no more than capacity + refill over any stretch of time', async () => {
    // 20 a second after a burst of 10, for 3 s: about 70 grants, contended by 4 processes × 3 loops.
    const limit = 20;
    const intervalMs = 1_000;
    const burst = 10;
    const durationMs = 3_000;
    const rate = limit / intervalMs;
    const shared = prefix();
    const children = Array.from({ length: 4 }, () =>
      startChild({ url: TEST_URL, prefix: shared, limit, intervalMs, burst, durationMs, loops: 3 }),
    );
    await Promise.all(children.map((child) => child.ready));
    for (const child of children) child.go();
    const results = await Promise.all(children.map((child) => child.done));
    expect(results.flatMap((result) => result.errors)).toEqual([]);
    const grants = results.flatMap((result) => result.grants).sort((a, b) => a - b);

    // Grants are stamped when the process sees them, a few ms after Redis granted them: allow 50 ms of that.
    const slack = 1 + rate * 50;
    let worst = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < grants.length; i++) {
      for (let j = i; j < grants.length; j++) {
        const excess = j - i + 1 - (burst + rate * (grants[j]! - grants[i]!));
        worst = Math.max(worst, excess);
      }
    }
    expect(worst).toBeLessThanOrEqual(slack);
    // And the budget is used: at least 90 % of the ceiling from the first grant to the last (each loop's last
    // acquire, begun before the deadline, is served after it: the span is a little over durationMs).
    const span = grants.at(-1)! - grants[0]!;
    expect(span).toBeGreaterThanOrEqual(durationMs - 100);
    expect(grants.length).toBeGreaterThanOrEqual(0.9 * (burst + rate * span));
    for (const result of results) expect(result.grants.length).toBeGreaterThan(0);
  });
});
