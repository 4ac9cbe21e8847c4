import type { HttpHandler } from 'msw';
import { emulatorMswHandlers } from '../msw.ts';
import {
  createExactOnlineEmulator,
  type ExactOnlineEmulator,
  type ExactOnlineEmulatorOptions,
} from './emulator.ts';

/**
 * msw handlers serving an Exact Online emulator at its `baseUrl`. Pass an emulator to keep a hand on its store, tokens,
 * faults and counters, or options to get a fresh one.
 * @example
 * const exact = createExactOnlineEmulator({ rateLimit: false });
 * const server = setupServer(...exactOnlineMswHandlers(exact));
 * server.listen();
 */
export function exactOnlineMswHandlers(
  emulator: ExactOnlineEmulator | ExactOnlineEmulatorOptions = {},
): HttpHandler[] {
  return emulatorMswHandlers(emulator, createExactOnlineEmulator);
}
