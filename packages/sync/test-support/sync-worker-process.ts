// Starts a connector's sync worker script in a child Node process and follows its JSON-lines output: the
// process half of @patchbay/sync/testing's crash and multi-worker scenarios, shared by every connector's tests.
import { spawn } from 'node:child_process';
import type {
  SyncContractWorker,
  SyncContractWorkerEvent,
  SyncContractWorkerSpec,
} from '@patchbay/sync/testing';
import { workspaceExecArgv } from '../../../test-support/child-exec-argv.mjs';

/** What a worker is told, through its environment (read back by `runSyncWorker`). */
export interface SyncWorkerSpec extends SyncContractWorkerSpec {
  /** More variables for the connector's own script (its API key…). */
  env?: Record<string, string>;
}

/** Spawns `script` (a file calling `runSyncWorker`) with the spec in its environment. */
export function startSyncWorker(script: string, spec: SyncWorkerSpec): SyncContractWorker {
  const child = spawn(
    process.execPath,
    // Type stripping is on by default from Node 23.6; the flag keeps Node 22 working.
    [...workspaceExecArgv, script],
    {
      env: { ...process.env, ...spec.env, PATCHBAY_SYNC_WORKER: JSON.stringify({ ...spec, env: undefined }) },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const events: SyncContractWorkerEvent[] = [];
  const waiters: {
    matches: (event: SyncContractWorkerEvent) => boolean;
    resolve: (event: SyncContractWorkerEvent) => void;
  }[] = [];
  let buffered = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      if (!line.trim()) continue;
      const event = JSON.parse(line) as SyncContractWorkerEvent;
      events.push(event);
      for (const waiter of waiters.filter((w) => w.matches(event))) waiter.resolve(event);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    // 'close', not 'exit': by then every line the worker printed has been read.
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  const waitForEvent = (matches: (event: SyncContractWorkerEvent) => boolean) =>
    new Promise<SyncContractWorkerEvent>((resolve, reject) => {
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
    events,
    stderr: () => stderr,
    exited,
    waitForEvent,
    go: () => child.stdin.write('go\n'),
    kill: () => child.kill('SIGKILL'),
  };
}
