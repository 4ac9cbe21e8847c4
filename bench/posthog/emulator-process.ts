// The parent's handle on the emulator process (emulator.ts): its URL, what it saw, a reset between runs.
import { join } from 'node:path';
import { forkEmulator } from '../shared/emulator-child.ts';
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
  const child = await forkEmulator<EmulatorSummary, EmulatorRequest['op']>(
    join(import.meta.dirname, 'emulator.ts'),
    [PROJECT_KEY],
  );
  return {
    url: child.url,
    projectKey: PROJECT_KEY,
    summary: () => child.ask('summary'),
    reset: () => child.ask('reset'),
    close: () => child.close(),
  };
}
