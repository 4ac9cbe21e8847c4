// A process killed with SIGKILL in the middle of putMany leaves all of its batch or none of it, and a file
// that opens cleanly. The writer runs in a child process so the kill is a real, unannounced crash.
import type { ChildProcess } from 'node:child_process';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnScript } from '../test-support/child.ts';
import { removeTempDbs, tempDbPath } from '../test-support/temp-db.ts';
import { createSqliteStore } from './sqlite-store.ts';

afterAll(removeTempDbs);

const BATCH = 20_000;
const KILLS = 6;

/** Resolves when the child has printed `line`; collects everything it printed. */
function watch(child: ChildProcess) {
  const lines: string[] = [];
  const waiters: { line: string; resolve: () => void }[] = [];
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const waiter of waiters.filter((w) => w.line === line)) waiter.resolve();
    }
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return {
    lines,
    stderr: () => stderr,
    waitFor: (line: string) =>
      new Promise<void>((resolve, reject) => {
        if (lines.includes(line)) return resolve();
        waiters.push({ line, resolve });
        child.once('exit', (code) => reject(new Error(`child exited (${code}) before "${line}": ${stderr}`)));
      }),
  };
}

const lastRound = (lines: string[], word: 'started' | 'committed') =>
  Math.max(-1, ...lines.filter((l) => l.startsWith(`${word} `)).map((l) => Number(l.split(' ')[1])));

describe('crash safety', () => {
  it(`keeps a ${BATCH}-entry putMany all-or-nothing when the process is SIGKILLed mid-write, ${KILLS} times`, async () => {
    const path = tempDbPath();
    let killedMidWrite = 0;
    for (let run = 0; run < KILLS; run++) {
      const child = spawnScript('crash-writer.ts', [path, String(run), String(BATCH)]);
      const output = watch(child);
      await output.waitFor('started 0');
      // A random point: within the first batch, or a few batches in. Each batch takes tens of milliseconds.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 250));
      const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');

      const started = lastRound(output.lines, 'started');
      const committed = lastRound(output.lines, 'committed');
      const store = createSqliteStore({ path });
      const counts: number[] = [];
      for (let round = 0; round <= started; round++) {
        const count = await store.mappings.count({
          integration: `crash-${run}`,
          objectType: `round-${round}`,
        });
        if (!count.success) throw count.error;
        counts.push(count.data);
      }
      await store.close();

      // Every batch is complete or absent; all reported as committed are complete.
      for (const count of counts) expect([0, BATCH]).toContain(count);
      for (let round = 0; round <= committed; round++) expect(counts[round]).toBe(BATCH);
      // The batch in flight (started, not reported committed) was cut off if it holds nothing.
      if (started > committed && counts[started] === 0) killedMidWrite++;
    }
    // Most kills land inside a write (it is what the writer spends its time on); at least one must have.
    expect(killedMidWrite).toBeGreaterThan(0);

    const raw = new DatabaseSync(path);
    expect(raw.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    raw.close();
  });
});
