// The parent's handle on the HubSpot emulator process (emulator.ts): its URL and token, what it saw, a reset.
import { join } from 'node:path';
import { HUBSPOT_EMULATOR_TOKEN } from '@patchbay/emulators';
import { forkEmulator } from '../shared/emulator-child.ts';
import type { EmulatorOp, EmulatorSummary } from './emulator.ts';

/** A running HubSpot emulator process. */
export interface HubSpotEmulatorProcess {
  url: string;
  token: string;
  /** What it saw since the last reset, and what it holds. */
  summary(): Promise<EmulatorSummary>;
  /** Empties records, associations, counters and limiter windows. */
  reset(): Promise<EmulatorSummary>;
  close(): Promise<void>;
}

/** Starts the HubSpot emulator in its own process on loopback. */
export async function startHubSpotEmulatorProcess(): Promise<HubSpotEmulatorProcess> {
  const child = await forkEmulator<EmulatorSummary, EmulatorOp>(join(import.meta.dirname, 'emulator.ts'));
  return {
    url: child.url,
    token: HUBSPOT_EMULATOR_TOKEN,
    summary: () => child.ask('summary'),
    reset: () => child.ask('reset'),
    close: () => child.close(),
  };
}
