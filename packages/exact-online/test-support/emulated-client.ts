// The client the sync tests (deleted.test.ts, pull-changes.test.ts and the resource tests) read with: one against
// the Exact Online emulator with every URL recorded, and one against a hand-made fetch for answers the emulator
// never gives. Neither retries nor paces, so a test sees each request once and at once.
import { ok, Secret } from '@patchbay/core';
import { createExactOnlineEmulator } from '@patchbay/emulators';
import { createExactClient, type ExactClient } from '../src/client.ts';

/** The access token the emulator accepts. */
export const EMULATED_TOKEN = 'emulated-exact-access-token';

/** The base URL of a stubbed client (any fetch answers it). */
export const STUB_BASE = 'https://start.exactonline.test';

/** An emulator, a client of its division, and the URL of every request the client sent. */
export function setupEmulatedExact() {
  const emulator = createExactOnlineEmulator({
    acceptToken: (token) => token === EMULATED_TOKEN,
    rateLimit: false,
  });
  const urls: URL[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    urls.push(new URL(request.url));
    const reply = await emulator.handler(request);
    if (reply instanceof Response) return reply;
    throw new TypeError('connection reset');
  };
  const client = createExactClient({
    baseUrl: emulator.baseUrl,
    oauth: { getAccessToken: async () => ok(new Secret(EMULATED_TOKEN)) },
    division: emulator.division,
    fetch,
    retry: false,
    rateLimit: false,
  });
  return { emulator, client, urls };
}

/** A client of division 1 on {@link STUB_BASE} whose every request goes to `fetch`. */
export function stubbedExactClient(fetch: typeof globalThis.fetch, token = EMULATED_TOKEN): ExactClient {
  return createExactClient({
    baseUrl: STUB_BASE,
    oauth: { getAccessToken: async () => ok(new Secret(token)) },
    division: 1,
    fetch,
    retry: false,
    rateLimit: false,
  });
}
