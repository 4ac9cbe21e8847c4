import type { HttpHandler } from 'msw';
import { emulatorMswHandlers } from '../msw.ts';
import {
  createPipedriveEmulator,
  type PipedriveEmulator,
  type PipedriveEmulatorOptions,
} from './emulator.ts';

/**
 * msw handlers serving a Pipedrive emulator at its `baseUrl`. Pass an emulator to keep a hand on its store, webhooks,
 * faults and counters, or options to get a fresh one.
 * @example
 * const pipedrive = createPipedriveEmulator({ rateLimit: false });
 * const server = setupServer(...pipedriveMswHandlers(pipedrive));
 * server.listen();
 */
export function pipedriveMswHandlers(
  emulator: PipedriveEmulator | PipedriveEmulatorOptions = {},
): HttpHandler[] {
  return emulatorMswHandlers(emulator, createPipedriveEmulator);
}
