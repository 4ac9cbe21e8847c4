import type { HttpHandler } from 'msw';
import { toMswHandlers } from '../msw.ts';
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
  const twenty = isEmulator(emulator) ? emulator : createTwentyEmulator(emulator as TwentyEmulatorOptions);
  return toMswHandlers(twenty.baseUrl, twenty.handler);
}

// An emulator has a handler; anything else is options, checked (and refused by name) by createTwentyEmulator.
function isEmulator(value: unknown): value is TwentyEmulator {
  try {
    return (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { handler?: unknown }).handler === 'function'
    );
  } catch {
    return false;
  }
}
