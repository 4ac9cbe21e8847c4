import type { HttpHandler } from 'msw';
import { emulatorMswHandlers } from '../msw.ts';
import { createTwentyEmulator, type TwentyEmulator, type TwentyEmulatorOptions } from './emulator.ts';

/**
 * msw handlers serving a Twenty emulator at its `baseUrl`. Pass an emulator to keep a hand on its store, faults
 * and counters, or options to get a fresh one.
 * @example
 * const twenty = createTwentyEmulator({ rateLimit: false });
 * const server = setupServer(...twentyMswHandlers(twenty));
 * server.listen();
 * await fetch(`${twenty.baseUrl}/rest/people`, { headers: { Authorization: `Bearer ${twenty.apiKey}` } });
 */
export function twentyMswHandlers(emulator: TwentyEmulator | TwentyEmulatorOptions = {}): HttpHandler[] {
  return emulatorMswHandlers(emulator, createTwentyEmulator);
}
