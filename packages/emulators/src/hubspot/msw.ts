import type { HttpHandler } from 'msw';
import { emulatorMswHandlers } from '../msw.ts';
import { createHubSpotEmulator, type HubSpotEmulator, type HubSpotEmulatorOptions } from './emulator.ts';

/**
 * msw handlers serving a HubSpot emulator at its `baseUrl`. Pass an emulator to keep a hand on its store, faults and
 * counters, or options to get a fresh one.
 * @example
 * const hubspot = createHubSpotEmulator({ rateLimit: false });
 * const server = setupServer(...hubspotMswHandlers(hubspot));
 * server.listen();
 */
export function hubspotMswHandlers(emulator: HubSpotEmulator | HubSpotEmulatorOptions = {}): HttpHandler[] {
  return emulatorMswHandlers(emulator, createHubSpotEmulator);
}
