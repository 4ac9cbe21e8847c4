// What the sync's unit tests share: a HubSpot emulator reached in-process (its handler as the client's fetch,
// no socket), and clients and syncs on it. Faults the kit turns into a hang or a reset become a failed fetch.
import { createMemoryStore } from '@patchbay/core/store';
import {
  createHubSpotEmulator,
  type HubSpotEmulator,
  type HubSpotEmulatorOptions,
} from '@patchbay/emulators';
import { createHubSpotClient, type HubSpotClient, type HubSpotClientOptions } from '../src/client.ts';
import { createHubSpotSync, type HubSpotSync, type HubSpotSyncOptions } from '../src/sync.ts';

/** An emulator (no limits, no latency) and builders of clients and syncs that talk to it. */
export function emulatedHubSpot(options: HubSpotEmulatorOptions = {}): {
  hubspot: HubSpotEmulator;
  fetch: typeof globalThis.fetch;
  client(overrides?: Partial<HubSpotClientOptions>): HubSpotClient;
  sync(overrides?: Partial<HubSpotSyncOptions>): HubSpotSync;
} {
  const hubspot = createHubSpotEmulator({ rateLimit: false, searchPerSecond: false, ...options });
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const reply = await hubspot.handler(new Request(input, init));
    if ('kind' in reply) throw new TypeError(`fetch failed (${reply.kind})`);
    return reply;
  };
  const base = { baseUrl: hubspot.baseUrl, accessToken: hubspot.token, fetch, rateLimit: false as const };
  return {
    hubspot,
    fetch,
    client: (overrides = {}) =>
      createHubSpotClient({ ...base, searchRateLimit: false, retry: false, ...overrides }),
    sync: (overrides = {}) =>
      createHubSpotSync({ ...base, retry: false, store: createMemoryStore(), lease: false, ...overrides }),
  };
}
