// Runs crash-child.ts: the lines it prints, a way to wait for one, SIGKILL and SIGTERM.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { workspaceExecArgv } from '../../../test-support/child-exec-argv.mjs';

const CHILD = join(import.meta.dirname, 'crash-child.ts');

/** A running crash-child. */
export interface CrashChild {
  lines: string[];
  /** Resolves the first line starting with `prefix` (waiting for it), or rejects after `timeoutMs`. */
  line(prefix: string, timeoutMs?: number): Promise<string>;
  kill(
    signal: 'SIGKILL' | 'SIGTERM',
  ): Promise<{ code: number | null; signal: string | null; stderr: string }>;
}

/** Starts crash-child.ts with `spec`. */
export function startCrashChild(spec: Record<string, unknown>): CrashChild {
  const child = spawn(process.execPath, [...workspaceExecArgv, CHILD], {
    env: { ...process.env, PATCHBAY_CRASH_CHILD: JSON.stringify(spec) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  let buffered = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    lines.push(...parts.filter((part) => part !== ''));
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  return {
    lines,
    async line(prefix, timeoutMs = 15_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const found = lines.find((line) => line.startsWith(prefix));
        if (found) return found;
        if (Date.now() > end)
          throw new Error(`no "${prefix}" line within ${timeoutMs} ms; stderr: ${stderr}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
    async kill(signal) {
      child.kill(signal);
      return exited;
    },
  };
}
