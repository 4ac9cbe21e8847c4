// HubSpot as a target of @patchbay/sync/testing's sync contract: its emulator over HTTP with the contract's
// faults, its engine (createHubSpotSync) and its worker script; the stores and the fault reading are the kit's.
import { join } from 'node:path';
import { createMemoryStore } from '@patchbay/core/store';
import { createHubSpotEmulator, HUBSPOT_EMULATOR_TOKEN, serveEmulator } from '@patchbay/emulators';
import type { SyncContractRemote, SyncContractTarget } from '@patchbay/sync/testing';
import { expect } from 'vitest';
import { contractStores, faultsFired, tallyFaults } from '../../sync/test-support/contract-target-kit.ts';
import { startSyncWorker } from '../../sync/test-support/sync-worker-process.ts';
import { DEFAULT_COMPANY_ID_PROPERTY } from '../src/sync/objects.ts';
import { createHubSpotSync } from '../src/sync.ts';
import { hubspotRecords } from './records.ts';

// The sync's types as the emulator stores them, and the unique property each is keyed by.
const STORED: Record<string, { objectType: string; idProperty: string }> = {
  company: { objectType: 'companies', idProperty: DEFAULT_COMPANY_ID_PROPERTY },
  contact: { objectType: 'contacts', idProperty: 'email' },
};
const stores = contractStores('patchbay-hubspot-contract-');

/** Removes the SQLite files and PostgreSQL schemas the contract's runs made. */
export const cleanUpContractRuns = (): Promise<void> => stores.cleanUp();

async function startRemote(options: { seed: number; latencyMs?: number }) {
  const hubspot = createHubSpotEmulator({
    rateLimit: false,
    searchPerSecond: false,
    seed: options.seed,
    latencyMs: options.latencyMs ?? 0,
  });
  const tallied = tallyFaults(hubspot.handler);
  const server = await serveEmulator(tallied.handler);
  // The companies' unique property, as every account creates once (through the properties API).
  const ready = await createHubSpotSync({
    baseUrl: server.url,
    accessToken: hubspot.token,
    store: createMemoryStore(),
    rateLimit: false,
  }).setup();
  expect(ready.success, JSON.stringify(!ready.success && ready.error)).toBe(true);
  hubspot.counters.reset();
  const remote: SyncContractRemote & { hubspot: typeof hubspot } = {
    url: server.url,
    hubspot,
    injectFaults() {
      // Every call a sync makes: batch reads and upserts of records, association reads and writes.
      const records = /^POST \/crm\/(objects|associations)\/2026-03\/[a-z/]+\/batch\/[a-z/]+$/;
      const writes =
        /^POST \/crm\/(objects\/2026-03\/\w+\/batch\/upsert|associations\/2026-03\/\w+\/\w+\/batch\/associate\/default)$/;
      hubspot.faults.inject({ kind: 'error', status: 503, route: records, rate: 0.1 });
      hubspot.faults.inject({ kind: 'rate-limit', retryAfterSeconds: 1, route: records, rate: 0.04 });
      hubspot.faults.inject({ kind: 'hang', route: records, rate: 0.05 });
      hubspot.faults.inject({ kind: 'reset', route: records, rate: 0.08 });
      hubspot.faults.inject({ kind: 'malformed', route: records, rate: 0.08 });
      hubspot.faults.inject({ kind: 'commit-then-fail', status: 502, route: writes, rate: 0.15 });
      hubspot.counters.reset();
      tallied.tally.clear();
    },
    clearFaults: () => hubspot.faults.clear(),
    faultsFired: () => faultsFired(hubspot.counters, tallied.tally),
    records: (type) => {
      const { objectType, idProperty } = STORED[type]!;
      return hubspot
        .listRecords(objectType)
        .map((record) => ({ externalId: String(record.properties[idProperty]), remoteId: record.id }));
    },
    requests: () => hubspot.counters.snapshot().total,
    resetRequests: () => hubspot.counters.reset(),
    close: () => server.close(),
  };
  return remote;
}

/** HubSpot's sync, checked by the contract on memory, SQLite and PostgreSQL. */
export const hubspotContractTarget: SyncContractTarget = {
  integration: 'hubspot',
  types: ['company', 'contact'],
  records: hubspotRecords,
  startRemote,
  createEngine: ({ remote, store, faulty }) =>
    createHubSpotSync({
      baseUrl: remote.url,
      accessToken: (remote as Awaited<ReturnType<typeof startRemote>>).hubspot.token,
      store,
      rateLimit: false,
      searchRateLimit: false,
      // A hung request is abandoned after 300 ms and tried again. Batches of 25 instead of HubSpot's 100: about
      // 250 requests a run instead of 70, so every fault kind fires many times (a rate of 4% over 70 requests
      // fires none in about one run of 15).
      ...(faulty && {
        timeoutMs: 300,
        retry: { retries: 2, initialDelayMs: 10, maxDelayMs: 100 },
        batchSize: 25,
      }),
    }),
  checkRemote(remote, counts) {
    // Every contact associated with exactly its company, and nothing else.
    const { hubspot } = remote as Awaited<ReturnType<typeof startRemote>>;
    const companyIdOf = new Map(
      hubspot
        .listRecords('companies')
        .map((company) => [company.properties[DEFAULT_COMPANY_ID_PROPERTY], company.id]),
    );
    const expected = new Map(
      (
        hubspotRecords('contact', counts.contact ?? 0, counts) as {
          email: string;
          companyExternalId: string;
        }[]
      ).map((contact) => [contact.email, contact.companyExternalId]),
    );
    const wrong = hubspot
      .listRecords('contacts')
      .filter((contact) => {
        const linked = hubspot.associations.list('0-1', contact.id, '0-2').map((to) => to.toObjectId);
        const want = expected.get(String(contact.properties.email));
        return linked.length !== 1 || linked[0] !== (want ? companyIdOf.get(want) : undefined);
      })
      .map((contact) => contact.properties.email);
    expect(wrong).toEqual([]);
  },
  stores: stores.stores,
  startWorker: (spec) =>
    startSyncWorker(join(import.meta.dirname, 'sync-worker.ts'), {
      ...spec,
      env: { HUBSPOT_ACCESS_TOKEN: HUBSPOT_EMULATOR_TOKEN },
    }),
  ...(stores.sqlite && { sqlite: stores.sqlite }),
  ...(stores.postgres && { postgres: stores.postgres }),
};
