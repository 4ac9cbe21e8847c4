import type { HttpHandler } from 'msw';
import { emulatorMswHandlers } from '../msw.ts';
import { createPostHogEmulator, type PostHogEmulator, type PostHogEmulatorOptions } from './emulator.ts';

/**
 * msw handlers serving a PostHog emulator at its `baseUrl`: capture (v0 and v1) and the query API alike. Pass an
 * emulator to keep a hand on its events, queries, faults and counters, or options to get a fresh one.
 * @example
 * const posthog = createPostHogEmulator();
 * const server = setupServer(...posthogMswHandlers(posthog));
 * server.listen(); // a client with host posthog.baseUrl now captures into posthog.events() and queries them
 */
export function posthogMswHandlers(emulator: PostHogEmulator | PostHogEmulatorOptions = {}): HttpHandler[] {
  return emulatorMswHandlers(emulator, createPostHogEmulator);
}
