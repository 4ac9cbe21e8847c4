// The parent's handle on the HubSpot emulator process (emulator.ts): its URL and token, what it saw, a reset.
import { join } from 'node:path';
import { HUBSPOT_EMULATOR_TOKEN } from '@patchbay/emulators';
import { type EmulatorProcess, startEmulatorProcess } from '../shared/emulator-child.ts';
import type { EmulatorSummary } from './emulator.ts';

/** A running HubSpot emulator process; its reset empties records, associations, counters and limiter windows. */
export type HubSpotEmulatorProcess = EmulatorProcess<EmulatorSummary>;

/** Starts the HubSpot emulator in its own process on loopback. */
export function startHubSpotEmulatorProcess(): Promise<HubSpotEmulatorProcess> {
  return startEmulatorProcess<EmulatorSummary>(
    join(import.meta.dirname, 'emulator.ts'),
    HUBSPOT_EMULATOR_TOKEN,
  );
}
