import type { HttpHandler } from 'msw';
import { toMswHandlers } from '../msw.ts';
import { createPostHogEmulator, type PostHogEmulator, type PostHogEmulatorOptions } from './emulator.ts';

/**
 * msw handlers serving a PostHog capture emulator at its `baseUrl`. Pass an emulator to keep a hand on its events,
 * faults and counters, or options to get a fresh one.
 * @example
 * const posthog = createPostHogEmulator();
 * const server = setupServer(...posthogMswHandlers(posthog));
 * server.listen(); // a client with host posthog.baseUrl now captures into posthog.events()
 */
export function posthogMswHandlers(emulator: PostHogEmulator | PostHogEmulatorOptions = {}): HttpHandler[] {
  const posthog = isEmulator(emulator) ? emulator : createPostHogEmulator(emulator as PostHogEmulatorOptions);
  return toMswHandlers(posthog.baseUrl, posthog.handler);
}

// An emulator has a handler; anything else is options, checked (and refused by name) by createPostHogEmulator.
function isEmulator(value: unknown): value is PostHogEmulator {
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
