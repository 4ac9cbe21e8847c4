// Twenty as a target of @patchbay/sync/testing's sync contract: its emulator over HTTP with the contract's
// faults, its engine (createTwentySync), the stores to run on, and its worker script for the process scenarios.
import { join } from 'node:path';
import { createMemoryStore } from '@patchbay/core/store';
import { createTwentyEmulator, serveEmulator } from '@patchbay/emulators';
import { createPostgresStore } from '@patchbay/store-postgres';
import { createSqliteStore } from '@patchbay/store-sqlite';
import type { SyncContractFault, SyncContractRemote, SyncContractTarget } from '@patchbay/sync/testing';
import { expect } from 'vitest';
import { TEST_URL, unavailable } from '../../store-postgres/test-support/postgres.ts';
import { createScratch } from '../../store-postgres/test-support/scratch.ts';
import { startSyncWorker } from '../../sync/test-support/sync-worker-process.ts';
import { createTwentySync } from '../src/sync.ts';
import { twentyRecords } from './records.ts';

const PLURAL: Record<string, 'people' | 'companies'> = { person: 'people', company: 'companies' };
const API_KEY = 'twenty-contract-key';
const scratch = createScratch('patchbay-twenty-contract-');
const tempDir = scratch.dir;
const newSchema = scratch.schema;

/** Removes the SQLite files and PostgreSQL schemas the contract's runs made. */
export const cleanUpContractRuns = (): Promise<void> => scratch.cleanUp();

async function startRemote(options: { seed: number; latencyMs?: number }) {
  const twenty = createTwentyEmulator({
    apiKey: API_KEY,
    rateLimit: false,
    seed: options.seed,
    latencyMs: options.latencyMs ?? 0,
  });
  // Faults read off the replies: counters alone cannot tell a truncated body or a commit-then-fail from a
  // normal answer with the same status.
  const answered = new Map<string, number>();
  const server = await serveEmulator(async (request) => {
    const reply = await twenty.handler(request);
    const fault = 'kind' in reply ? null : reply.headers.get('x-emulator-fault');
    if (fault) answered.set(fault, (answered.get(fault) ?? 0) + 1);
    return reply;
  });
  // The unique externalId fields, as every deployment creates once.
  const ready = await createTwentySync({
    baseUrl: server.url,
    apiKey: twenty.apiKey,
    store: createMemoryStore(),
    rateLimit: false,
  }).setup();
  expect(ready.success).toBe(true);
  twenty.counters.reset();
  const remote: SyncContractRemote & { store: typeof twenty.store } = {
    url: server.url,
    store: twenty.store,
    injectFaults() {
      const records = /^(GET \/rest\/(people|companies)|POST \/rest\/batch\/(people|companies))$/;
      twenty.faults.inject({ kind: 'error', status: 503, route: records, rate: 0.1 });
      twenty.faults.inject({ kind: 'rate-limit', retryAfterSeconds: 1, route: records, rate: 0.04 });
      twenty.faults.inject({ kind: 'hang', route: records, rate: 0.05 });
      twenty.faults.inject({ kind: 'reset', route: records, rate: 0.08 });
      twenty.faults.inject({ kind: 'malformed', route: records, rate: 0.08 });
      twenty.faults.inject({
        kind: 'commit-then-fail',
        status: 502,
        route: 'POST /rest/batch/*',
        rate: 0.15,
      });
      twenty.counters.reset();
      answered.clear();
    },
    clearFaults: () => twenty.faults.clear(),
    faultsFired: (): Partial<Record<SyncContractFault, number>> => ({
      error: twenty.counters.count({ outcome: 503 }),
      'rate-limit': twenty.counters.count({ outcome: 429 }),
      hang: twenty.counters.count({ outcome: 'hang' }),
      reset: twenty.counters.count({ outcome: 'reset' }),
      malformed: answered.get('malformed') ?? 0,
      'commit-then-fail': answered.get('commit-then-fail') ?? 0,
    }),
    records: (type) =>
      twenty.store
        .list(PLURAL[type]!)
        .map((record) => ({ externalId: String(record.externalId), remoteId: record.id })),
    requests: () => twenty.counters.snapshot().total,
    resetRequests: () => twenty.counters.reset(),
    close: () => server.close(),
  };
  return remote;
}

/** Twenty's sync, checked by the contract on memory, SQLite and PostgreSQL. */
export const twentyContractTarget: SyncContractTarget = {
  integration: 'twenty-crm',
  types: ['company', 'person'],
  records: twentyRecords,
  startRemote,
  createEngine: ({ remote, store, faulty }) =>
    createTwentySync({
      baseUrl: remote.url,
      apiKey: API_KEY,
      store,
      rateLimit: false,
      // A hung request is abandoned after 300 ms and tried again.
      ...(faulty && { timeoutMs: 300, retry: { retries: 2, initialDelayMs: 10, maxDelayMs: 100 } }),
    }),
  checkRemote(remote) {
    const twenty = (remote as Awaited<ReturnType<typeof startRemote>>).store;
    const companyIdOf = new Map(twenty.list('companies').map((c) => [String(c.externalId), c.id]));
    const wrongCompany = twenty
      .list('people')
      .filter((person) => {
        const index = Number(String(person.externalId).replace('person-', ''));
        const expected = twentyRecords('person', index + 1, { company: companyIdOf.size })[index] as {
          companyExternalId?: string | null;
        };
        return (
          person.companyId !==
          (expected.companyExternalId ? companyIdOf.get(expected.companyExternalId) : null)
        );
      })
      .map((person) => person.externalId);
    expect(wrongCompany).toEqual([]);
  },
  stores: [
    { name: 'memory', open: () => createMemoryStore() },
    { name: 'SQLite', open: () => createSqliteStore({ path: join(tempDir(), 'sync.db') }) },
    ...(unavailable && process.env.CI !== 'true'
      ? []
      : [
          {
            name: 'PostgreSQL',
            open: () => createPostgresStore({ connectionString: TEST_URL, schema: newSchema() }),
          },
        ]),
  ],
  startWorker: (spec) =>
    startSyncWorker(join(import.meta.dirname, 'sync-worker.ts'), {
      ...spec,
      env: { TWENTY_API_KEY: API_KEY },
    }),
  sqlite: { path: () => join(tempDir(), 'crash.db'), open: (path) => createSqliteStore({ path }) },
  postgres: () =>
    unavailable && process.env.CI !== 'true'
      ? undefined
      : (() => {
          const schema = newSchema();
          return {
            url: TEST_URL,
            schema,
            open: async () => createPostgresStore({ connectionString: TEST_URL, schema }),
          };
        })(),
};
