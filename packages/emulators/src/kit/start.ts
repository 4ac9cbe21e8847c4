// What every `start<Vendor>Emulator` does: create its emulator, serve it on loopback where `port` and `host` say,
// with the emulator's own body limit when it has one, and hand back the URL with a way to stop it.

import { readOptionsObject } from './options.ts';
import { serveEmulator } from './serve.ts';
import type { EmulatorHandler } from './types.ts';

/** Where {@link startEmulator} listens; `start<Vendor>Emulator` takes these beside its emulator's options. */
export interface ListenOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
}

/** What {@link startEmulator} serves: a handler, and the largest body the server reads when it sets one. */
export interface ServableEmulator {
  handler: EmulatorHandler;
  maxBodyBytes?: number;
}

/** An emulator served by {@link startEmulator}. */
export interface StartedEmulator<E> {
  /** Base URL, e.g. `http://127.0.0.1:53211`. */
  url: string;
  emulator: E;
  /** Stops listening and drops every connection. */
  close(): Promise<void>;
}

/**
 * Creates an emulator from `options` and serves it (`serveEmulator`) on their `port` and `host`. `create` gets the
 * options as given and must read only its own (each emulator's reads a fixed list of keys). Options of the wrong
 * kind, or a port in use, reject with an EmulatorConfigError naming the option.
 * @example const { url, emulator, close } = await startEmulator(options, createHubSpotEmulator);
 */
export async function startEmulator<O extends object, E extends ServableEmulator>(
  options: (O & ListenOptions) | undefined,
  create: (options: O | undefined) => E,
): Promise<StartedEmulator<E>> {
  const read = readOptionsObject(options, ['port', 'host'], 'options');
  const emulator = create(options);
  const server = await serveEmulator(emulator.handler, {
    port: read.port as number | undefined,
    host: read.host as string | undefined,
    ...(emulator.maxBodyBytes === undefined ? {} : { maxBodyBytes: emulator.maxBodyBytes }),
  });
  return { url: server.url, emulator, close: () => server.close() };
}
