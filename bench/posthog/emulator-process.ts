// The parent's handle on the emulator process (emulator.ts): its URL, what it saw, a reset between runs.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { EmulatorRequest, EmulatorSummary } from './emulator.ts';

/** The project API key both clients send. */
export const PROJECT_KEY = 'phc_bench_project_key';

/** A running emulator process. */
export interface EmulatorProcess {
  url: string;
  projectKey: string;
  /** What it saw since the last reset. */
  summary(): Promise<EmulatorSummary>;
  /** Forgets events, counters and byte counts. */
  reset(): Promise<EmulatorSummary>;
  close(): Promise<void>;
}

/** Starts the PostHog emulator in its own process on loopback. */
export async function startEmulatorProcess(): Promise<EmulatorProcess> {
  const child = fork(join(import.meta.dirname, 'emulator.ts'), [PROJECT_KEY], {
    // Always the built emulator, whatever hook the parent runs with: it is the bench's fixture, not its subject.
    execArgv: ['--experimental-strip-types', '--disable-warning=ExperimentalWarning'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { url: string }) => resolve(message.url));
    child.once('exit', (code) => reject(new Error(`emulator exited (${code})`)));
  });
  const pending = new Map<number, (summary: EmulatorSummary) => void>();
  child.on('message', (message: { id?: number; summary?: EmulatorSummary }) => {
    if (message.id === undefined || !message.summary) return;
    pending.get(message.id)?.(message.summary);
    pending.delete(message.id);
  });
  let nextId = 0;
  const ask = (op: EmulatorRequest['op']) =>
    new Promise<EmulatorSummary>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      child.send({ id, op } satisfies EmulatorRequest);
    });
  return {
    url,
    projectKey: PROJECT_KEY,
    summary: () => ask('summary'),
    reset: () => ask('reset'),
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}
