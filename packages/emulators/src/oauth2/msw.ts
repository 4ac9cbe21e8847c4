import type { HttpHandler } from 'msw';
import { emulatorMswHandlers } from '../msw.ts';
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
  return emulatorMswHandlers(emulator, createOAuth2Emulator);
}
