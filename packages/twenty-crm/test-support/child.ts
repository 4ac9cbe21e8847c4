// Starts test-support/sync-worker.ts in a child Node process and follows its JSON-lines output.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const here = import.meta.dirname;

/** One line the worker printed. */
export interface WorkerEvent {
  event: string;
  at: number;
  [key: string]: unknown;
}

/** A running worker: its process, what it printed so far, and ways to wait on it. */
export interface Worker {
  child: ChildProcess;
  events: WorkerEvent[];
  stderr: () => string;
  /** Resolves with the first event named `name` (already printed or still to come). */
  waitFor: (name: string) => Promise<WorkerEvent>;
  /** Resolves with the first event `matches` accepts (already printed or still to come). */
  waitForEvent: (matches: (event: WorkerEvent) => boolean) => Promise<WorkerEvent>;
  /** Resolves with the exit code and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns the worker with `env` added to this process's environment. */
export function startWorker(env: Record<string, string>): Worker {
  const child = spawn(
    process.execPath,
    [
      // Type stripping is on by default from Node 23.6; the flag keeps Node 22 working.
      '--experimental-strip-types',
      '--disable-warning=ExperimentalWarning',
      '--import',
      join(here, '..', '..', '..', 'test-support', 'register-workspace-sources.mjs'),
      join(here, 'sync-worker.ts'),
    ],
    { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const events: WorkerEvent[] = [];
  const waiters: { matches: (event: WorkerEvent) => boolean; resolve: (event: WorkerEvent) => void }[] = [];
  let buffered = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      if (!line.trim()) continue;
      const event = JSON.parse(line) as WorkerEvent;
      events.push(event);
      for (const waiter of waiters.filter((w) => w.matches(event))) waiter.resolve(event);
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    // 'close', not 'exit': by then every line the worker printed has been read.
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  const waitForEvent = (matches: (event: WorkerEvent) => boolean) =>
    new Promise<WorkerEvent>((resolve, reject) => {
      const seen = events.find(matches);
      if (seen) return resolve(seen);
      waiters.push({ matches, resolve });
      void exited.then(({ code, signal }) => {
        const late = events.find(matches);
        if (late) resolve(late);
        else reject(new Error(`worker exited (${code ?? signal}) before the awaited event: ${stderr}`));
      });
    });
  return {
    child,
    events,
    stderr: () => stderr,
    exited,
    waitForEvent,
    waitFor: (name) => waitForEvent((event) => event.event === name),
  };
}
