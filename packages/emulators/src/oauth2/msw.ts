import type { HttpHandler } from 'msw';
import { toMswHandlers } from '../msw.ts';
import { createOAuth2Emulator, type OAuth2Emulator, type OAuth2EmulatorOptions } from './emulator.ts';

/**
 * msw handlers serving an OAuth2 emulator at its `baseUrl`. Pass an emulator to keep a hand on its tokens, stats,
 * faults and counters, or options to get a fresh one.
 * @example
 * const oauth = createOAuth2Emulator();
 * const server = setupServer(...oauth2MswHandlers(oauth));
 * server.listen();
 * const tokenUrl = `${oauth.baseUrl}${oauth.paths.token}`;
 */
export function oauth2MswHandlers(emulator: OAuth2Emulator | OAuth2EmulatorOptions = {}): HttpHandler[] {
  const oauth = isEmulator(emulator) ? emulator : createOAuth2Emulator(emulator as OAuth2EmulatorOptions);
  return toMswHandlers(oauth.baseUrl, oauth.handler);
}

// An emulator has a handler; anything else is options, checked (and refused by name) by createOAuth2Emulator.
function isEmulator(value: unknown): value is OAuth2Emulator {
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
