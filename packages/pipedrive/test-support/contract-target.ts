// Pipedrive as a target of @patchbay/sync/testing's sync contract: its emulator over HTTP with the contract's
// faults, its engine (createPipedriveSync) and its worker script; the stores and the fault reading are the kit's.
import { join } from 'node:path';
import { createPipedriveEmulator, PIPEDRIVE_EMULATOR_TOKEN, serveEmulator } from '@patchbay/emulators';
import type { SyncContractRemote, SyncContractTarget } from '@patchbay/sync/testing';
import { expect } from 'vitest';
import { contractStores, faultsFired, tallyFaults } from '../../sync/test-support/contract-target-kit.ts';
import { startSyncWorker } from '../../sync/test-support/sync-worker-process.ts';
import { createPipedriveSync } from '../src/sync.ts';
import { pipedriveRecords } from './records.ts';
import { EXTERNAL_ID_FIELDS } from './sync-fixtures.ts';

const stores = contractStores('patchbay-pipedrive-contract-');

/** Removes the SQLite files and PostgreSQL schemas the contract's runs made. */
export const cleanUpContractRuns = (): Promise<void> => stores.cleanUp();

type Entity = 'organization' | 'person';

async function startRemote(options: { seed: number; latencyMs?: number }) {
  // The external-id fields exist from the start, as setup() leaves an account (sync.test.ts tests setup()).
  const pipedrive = createPipedriveEmulator({
    rateLimit: false,
    seed: options.seed,
    customFields: EXTERNAL_ID_FIELDS,
  });
  const tallied = tallyFaults(pipedrive.handler);
  const latency = options.latencyMs ?? 0;
  const server = await serveEmulator(
    latency > 0
      ? async (request) => {
          await new Promise((resolve) => setTimeout(resolve, latency));
          return tallied.handler(request);
        }
      : tallied.handler,
  );
  const keyOf = (entity: Entity) =>
    pipedrive.fields.list(entity).find((field) => field.field_name === 'Patchbay external ID')!.field_code;
  const remote: SyncContractRemote & { pipedrive: typeof pipedrive; keyOf: typeof keyOf } = {
    url: server.url,
    pipedrive,
    keyOf,
    injectFaults() {
      // Every call a sync makes: the reads of changes, and the creates and updates of records. One record per
      // write makes about 2 300 requests a run: low rates still fire each kind a dozen times or more, and keep
      // the waits (a 429's second, a hang's timeout) from making the run a minute long.
      const calls = /^(GET|POST|PATCH) \/api\/v2\/(persons|organizations)(\/:id)?$/;
      const writes = /^(POST|PATCH) \/api\/v2\/(persons|organizations)(\/:id)?$/;
      pipedrive.faults.inject({ kind: 'error', status: 503, route: calls, rate: 0.02 });
      pipedrive.faults.inject({ kind: 'rate-limit', retryAfterSeconds: 1, route: calls, rate: 0.006 });
      pipedrive.faults.inject({ kind: 'hang', route: calls, rate: 0.006 });
      pipedrive.faults.inject({ kind: 'reset', route: calls, rate: 0.02 });
      pipedrive.faults.inject({ kind: 'malformed', route: calls, rate: 0.02 });
      pipedrive.faults.inject({ kind: 'commit-then-fail', status: 502, route: writes, rate: 0.03 });
      pipedrive.counters.reset();
      tallied.tally.clear();
    },
    clearFaults: () => pipedrive.faults.clear(),
    faultsFired: () => faultsFired(pipedrive.counters, tallied.tally),
    records: (type) => {
      const key = keyOf(type as Entity);
      return pipedrive.list(type as Entity).map((record) => ({
        externalId: String((record.custom_fields as Record<string, unknown>)[key]),
        remoteId: String(record.id),
      }));
    },
    requests: () => pipedrive.counters.snapshot().total,
    resetRequests: () => pipedrive.counters.reset(),
    close: () => server.close(),
  };
  return remote;
}

type Remote = Awaited<ReturnType<typeof startRemote>>;

/** Pipedrive's sync, checked by the contract on memory, SQLite and PostgreSQL. */
export const pipedriveContractTarget: SyncContractTarget = {
  integration: 'pipedrive',
  types: ['organization', 'person'],
  records: pipedriveRecords,
  startRemote,
  createEngine: ({ remote, store, faulty }) =>
    createPipedriveSync({
      baseUrl: remote.url,
      apiToken: (remote as Remote).pipedrive.apiToken,
      store,
      rateLimit: false,
      searchRateLimit: false,
      tokenBudget: false,
      // A hung request is abandoned after 300 ms and tried again; chunks of 25 so the reads of changes (one per
      // chunk) meet the faults as often as the writes do.
      ...(faulty && {
        timeoutMs: 300,
        retry: { retries: 2, initialDelayMs: 10, maxDelayMs: 100 },
        batchSize: 25,
      }),
    }),
  checkRemote(remote, counts) {
    // Every person linked to exactly its organization.
    const { pipedrive, keyOf } = remote as Remote;
    const orgKey = keyOf('organization');
    const personKey = keyOf('person');
    const orgIdOf = new Map(
      pipedrive
        .list('organization')
        .map((org) => [(org.custom_fields as Record<string, unknown>)[orgKey], org.id]),
    );
    const expected = new Map(
      (
        pipedriveRecords('person', counts.person ?? 0, counts) as {
          externalId: string;
          organizationExternalId: string | null;
        }[]
      ).map((person) => [person.externalId, person.organizationExternalId]),
    );
    const wrong = pipedrive
      .list('person')
      .filter((person) => {
        const id = (person.custom_fields as Record<string, unknown>)[personKey] as string;
        const want = expected.get(id);
        return person.org_id !== (want ? (orgIdOf.get(want) ?? 'missing') : null);
      })
      .map((person) => (person.custom_fields as Record<string, unknown>)[personKey]);
    expect(wrong).toEqual([]);
  },
  stores: stores.stores,
  startWorker: (spec) =>
    startSyncWorker(join(import.meta.dirname, 'sync-worker.ts'), {
      ...spec,
      env: { PIPEDRIVE_TOKEN: PIPEDRIVE_EMULATOR_TOKEN },
    }),
  ...(stores.sqlite && { sqlite: stores.sqlite }),
  ...(stores.postgres && { postgres: stores.postgres }),
};
