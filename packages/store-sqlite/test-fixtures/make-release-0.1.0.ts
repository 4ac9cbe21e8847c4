// Makes release-0.1.0.db: a database written by @patchbay/store-sqlite 0.1.0 (schema version 2, the release
// before migration 3), and release-0.1.0.expected.json: what that release's store answered for it, plus the
// plain API keys and the secret key they were encrypted with. The migration tests (src/release-fixture.test.ts)
// open the file with the current release and compare.
//
// Made with the code of commit f67a667d1779d5967c67b8003d78b7f7bed3ae42, and it only runs against that code
// (it uses the 0.1.0 config model: `apiKey`, `apiKeyCiphertext`). To make it again:
//   git worktree add /tmp/patchbay-0.1.0 f67a667d1779d5967c67b8003d78b7f7bed3ae42
//   cd /tmp/patchbay-0.1.0 && pnpm install --frozen-lockfile
//   node --experimental-strip-types --import ./test-support/register-workspace-sources.mjs \
//     packages/store-sqlite/test-fixtures/make-release-0.1.0.ts
// then copy the two files back into this folder and format them (pnpm exec biome check --write).
import { rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type ApiResult, createConfigStore, type Mapping } from '@patchbay/core';
import { createSqliteStore } from '../src/index.ts';

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const dbPath = here('release-0.1.0.db');
for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });

const must = <T>(result: ApiResult<T>, what: string): T => {
  if (!result.success) throw new Error(`${what}: ${result.error.code} ${result.error.message}`);
  return result.data;
};

// A clock that moves one second per reading, so every timestamp in the file is known and distinct.
let clock = 1_750_000_000_000;
const now = () => {
  clock += 1_000;
  return clock;
};

const secretKey = 'release-0.1.0-fixture-secret-key';
const apiKeys = {
  'twenty-crm': 'tw-fixture-api-key-0001',
  'acme-crm': 'clé-ünïcödé-🔑-with "quotes" and spaces',
};
const store = createSqliteStore({ path: dbPath, now });
const configs = createConfigStore({ rows: store.configs, secretKey });

must(
  await configs.createConfig(
    'twenty-crm',
    {
      baseUrl: 'https://crm.example.com',
      apiKey: apiKeys['twenty-crm'],
      enabled: true,
      syncMode: 'direct_crm',
      settings: { batchSize: 60, objects: ['person', 'company'], nested: { on: true } },
    },
    'admin-1',
  ),
  'create twenty-crm',
);
must(await configs.updateConfig('twenty-crm', { syncMode: 'platform' }, 'admin-2'), 'update twenty-crm');
must(
  await configs.createConfig(
    'acme-crm',
    { baseUrl: 'http://localhost:3000/', apiKey: apiKeys['acme-crm'], enabled: false, syncMode: 'disabled' },
    null,
  ),
  'create acme-crm',
);
// Half-configured: no URL, no key, every default.
must(await configs.createConfig('half-configured', {}, 'admin-1'), 'create half-configured');

const people = { integration: 'twenty-crm', objectType: 'person' };
const companies = { integration: 'twenty-crm', objectType: 'company' };
const personMappings: Mapping[] = Array.from({ length: 25 }, (_, i) => ({
  externalId: `person-${String(i).padStart(3, '0')}`,
  remoteId: `9c1d0f3e-0000-4000-8000-${String(i).padStart(12, '0')}`,
  contentHash: i % 5 === 0 ? null : `sha256-person-${i}`,
  syncedAt: 1_749_000_000_000 + i,
}));
const companyMappings: Mapping[] = [
  {
    externalId: 'acme',
    remoteId: 'company-remote-1',
    contentHash: 'sha256-acme',
    syncedAt: 1_749_000_500_000,
  },
  { externalId: 'ünïcode Ltd', remoteId: 'company-remote-2', contentHash: null, syncedAt: 1_749_000_600_000 },
];
must(await store.mappings.putMany(people, personMappings), 'put people');
must(await store.mappings.putMany(companies, companyMappings), 'put companies');

must(await store.syncState.setCheckpoint('twenty-crm:person', 'cursor-2025-06-15T12:00:00Z'), 'checkpoint 1');
must(await store.syncState.setCheckpoint('twenty-crm:company', '{"page":7}'), 'checkpoint 2');

const finished = must(await store.syncState.startRun('twenty-crm'), 'start run 1');
must(
  await store.syncState.finishRun(finished.id, {
    status: 'failed',
    counts: { created: 20, updated: 3, unchanged: 1, failed: 1 },
    lastErrorCode: 'RATE_LIMITED',
  }),
  'finish run 1',
);
// Left running, as a crash would leave it.
must(await store.syncState.startRun('twenty-crm'), 'start run 2');

must(
  await store.syncState.outboxPut(people, [
    {
      externalId: 'person-100',
      operation: 'create',
      contentHash: 'sha256-person-100',
      createdAt: 1_749_100_000_000,
    },
    { externalId: 'person-003', operation: 'update', contentHash: null, createdAt: 1_749_100_000_001 },
  ]),
  'outbox',
);

// 100 years: the keys must still be unexpired whenever the tests run.
const seenIds = ['standard-webhooks:msg_2Lk5', 'github:delivery-42'];
for (const key of seenIds) must(await store.seenIds.markSeen(key, { ttlMs: 100 * 365 * 86_400_000 }), key);

// What 0.1.0 answers for all of it: the tests expect the new release to answer the same.
const iterateAll = async (scope: typeof people) => {
  const all: Mapping[] = [];
  for await (const page of store.mappings.iterate(scope, { pageSize: 10 }))
    all.push(...must(page, 'iterate'));
  return all;
};
const expected = {
  madeBy: '@patchbay/store-sqlite 0.1.0 at commit f67a667d1779d5967c67b8003d78b7f7bed3ae42',
  secretKey,
  apiKeys,
  configRows: {
    'twenty-crm': must(await store.configs.get('twenty-crm'), 'get'),
    'acme-crm': must(await store.configs.get('acme-crm'), 'get'),
    'half-configured': must(await store.configs.get('half-configured'), 'get'),
  },
  mappings: {
    'twenty-crm/person': await iterateAll(people),
    'twenty-crm/company': await iterateAll(companies),
  },
  checkpoints: {
    'twenty-crm:person': must(await store.syncState.getCheckpoint('twenty-crm:person'), 'get'),
    'twenty-crm:company': must(await store.syncState.getCheckpoint('twenty-crm:company'), 'get'),
  },
  runs: { 'twenty-crm': must(await store.syncState.listRuns('twenty-crm'), 'runs') },
  outbox: { 'twenty-crm/person': must(await store.syncState.outboxList(people), 'outbox') },
  seenIds,
};
await store.close();
writeFileSync(here('release-0.1.0.expected.json'), `${JSON.stringify(expected, null, 2)}\n`);
process.stdout.write(`wrote ${dbPath} and release-0.1.0.expected.json\n`);
