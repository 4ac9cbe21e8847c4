// A sync worker in its own process, for the crash and multi-worker tests (sync-reliability.test.ts). It syncs
// the fixture records into the Twenty at TWENTY_URL through a SQLite or PostgreSQL store, printing one JSON
// line per event on stdout, so the parent can kill it mid-sync or compare what two workers did.
//
// Environment: TWENTY_URL, TWENTY_API_KEY; WORKER_STORE=sqlite (WORKER_SQLITE_PATH) or postgres
// (WORKER_POSTGRES_URL, WORKER_POSTGRES_SCHEMA); WORKER_STEPS (default "companies,people"); WORKER_PEOPLE,
// WORKER_COMPANIES, WORKER_BATCH_SIZE, WORKER_LEASE_OWNER; WORKER_WAIT_FOR_GO=1 to start on a "go" line.
import { createInterface } from 'node:readline';
import type { IntegrationStore } from '@patchbay/core';
import { createPostgresStore } from '@patchbay/store-postgres';
import { createSqliteStore } from '@patchbay/store-sqlite';
import { createTwentySync, type SyncReport } from '../src/sync.ts';
import { companies, people } from './records.ts';

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`sync-worker: ${name} is not set`);
  return value;
};
const say = (event: string, details: Record<string, unknown> = {}) =>
  process.stdout.write(`${JSON.stringify({ event, at: Date.now(), ...details })}\n`);

function openStore(): IntegrationStore {
  const kind = env('WORKER_STORE');
  if (kind === 'sqlite') return createSqliteStore({ path: env('WORKER_SQLITE_PATH') });
  if (kind === 'postgres') {
    return createPostgresStore({
      connectionString: env('WORKER_POSTGRES_URL'),
      schema: env('WORKER_POSTGRES_SCHEMA'),
      poolSize: 4,
    });
  }
  throw new Error(`sync-worker: unknown WORKER_STORE ${kind}`);
}

const summary = (report: SyncReport) => ({
  objectType: report.objectType,
  created: report.created,
  updated: report.updated,
  unchanged: report.unchanged,
  failed: report.failed,
  companiesCreated: report.companiesCreated,
  failures: report.failures.slice(0, 5).map((f) => `${f.externalId}: ${f.error.code} ${f.error.message}`),
});

const companyCount = Number(env('WORKER_COMPANIES', '100'));
const personCount = Number(env('WORKER_PEOPLE', '2000'));
const steps = env('WORKER_STEPS', 'companies,people').split(',');
let step = '';
const store = openStore();
const sync = createTwentySync({
  baseUrl: env('TWENTY_URL'),
  apiKey: env('TWENTY_API_KEY'),
  store,
  rateLimit: false,
  retry: { retries: 3, initialDelayMs: 20, maxDelayMs: 200 },
  batchSize: Number(env('WORKER_BATCH_SIZE', '60')),
  // A restarted worker comes back under the same owner, so it takes over the lease its killed self held.
  lease: { owner: env('WORKER_LEASE_OWNER', `worker-${process.pid}`) },
  onProgress: (progress) => say('progress', { step, processed: progress.processed }),
  // Tells the crash test when a batch write leaves, so some kills can land while it is in flight.
  hooks: {
    beforeRequest: ({ method, url }) => {
      if (method === 'POST' && url.includes('/rest/batch/')) say('sending', { step });
    },
  },
});

say('ready');
if (process.env.WORKER_WAIT_FOR_GO === '1') {
  const lines = createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => lines.once('line', () => resolve()));
  lines.close();
}

let failed = false;
for (step of steps) {
  say('started', { step });
  const result =
    step === 'companies'
      ? await sync.upsertManyCompanies(companies(companyCount))
      : await sync.upsertManyPersons(people(personCount, companyCount));
  if (!result.success) {
    say('error', { step, code: result.error.code, message: result.error.message });
    failed = true;
    break;
  }
  say('report', { step, ...summary(result.data) });
}
say('done', { failed });
await store.close();
process.exit(failed ? 1 : 0);
