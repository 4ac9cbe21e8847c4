// What the sync's tests share: a Pipedrive emulator reached in-process (its handler as the client's fetch, no
// socket), and clients and syncs on it. Faults the kit turns into a hang or a reset become a failed fetch.
import { createMemoryStore } from '@patchbay/core/store';
import {
  createPipedriveEmulator,
  type PipedriveEmulator,
  type PipedriveEmulatorOptions,
} from '@patchbay/emulators';
import { createPipedriveClient, type PipedriveClient, type PipedriveClientOptions } from '../src/client.ts';
import { createPipedriveSync, type PipedriveSync, type PipedriveSyncOptions } from '../src/sync.ts';

/** The external-id fields every emulated account here starts with (what `setup()` would create). */
export const EXTERNAL_ID_FIELDS = {
  person: [{ name: 'Patchbay external ID', type: 'varchar' as const }],
  organization: [{ name: 'Patchbay external ID', type: 'varchar' as const }],
};

/** An emulator (no limits unless `dailyTokens` or `burst` asks for them) and builders of clients and syncs that talk to it. */
export function emulatedPipedrive(options: PipedriveEmulatorOptions & { withFields?: boolean } = {}): {
  pipedrive: PipedriveEmulator;
  fetch: typeof globalThis.fetch;
  client(overrides?: Partial<PipedriveClientOptions>): PipedriveClient;
  sync(overrides?: Partial<PipedriveSyncOptions>): PipedriveSync;
} {
  const { withFields = true, ...emulatorOptions } = options;
  const limited = emulatorOptions.dailyTokens !== undefined || emulatorOptions.burst !== undefined;
  const pipedrive = createPipedriveEmulator({
    ...(!limited && { rateLimit: false as const }),
    ...(withFields && { customFields: EXTERNAL_ID_FIELDS }),
    ...emulatorOptions,
  });
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const reply = await pipedrive.handler(new Request(input, init));
    if ('kind' in reply) throw new TypeError(`fetch failed (${reply.kind})`);
    return reply;
  };
  const base = {
    baseUrl: pipedrive.baseUrl,
    apiToken: pipedrive.apiToken,
    fetch,
    rateLimit: false as const,
    searchRateLimit: false as const,
  };
  return {
    pipedrive,
    fetch,
    client: (overrides = {}) => createPipedriveClient({ ...base, retry: false, ...overrides }),
    sync: (overrides = {}) =>
      createPipedriveSync({ ...base, retry: false, store: createMemoryStore(), lease: false, ...overrides }),
  };
}

const pad = (n: number) => String(n).padStart(5, '0');

/** `count` organizations, `org-00000`…. */
export function organizations(count: number, suffix = '') {
  return Array.from({ length: count }, (_, i) => ({
    externalId: `org-${pad(i)}`,
    name: `Org ${i}${suffix}`,
  }));
}

/** `count` persons, `person-00000`…, spread over `organizationCount` organizations (0: none). */
export function persons(count: number, organizationCount = 10, suffix = '') {
  return Array.from({ length: count }, (_, i) => ({
    externalId: `person-${pad(i)}`,
    name: `Ada Lovelace ${i}${suffix}`,
    email: `ada.${pad(i)}@example.com`,
    phone: i % 3 === 0 ? null : `+44 20 7946 ${pad(i).slice(1)}`,
    organizationExternalId: organizationCount > 0 ? `org-${pad(i % organizationCount)}` : null,
    organizationName: organizationCount > 0 ? `Org ${i % organizationCount}` : null,
  }));
}
