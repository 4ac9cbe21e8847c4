// Makes release-0.1.0.sql: a plain-SQL pg_dump (--inserts, so it needs no psql to load) of a schema written by
// @patchbay/store-postgres 0.1.0 (schema version 2, the release before migration 3), and
// release-0.1.0.expected.json: what that release's store answered for it, plus the plain API keys and the
// secret key they were encrypted with. The migration tests (src/release-fixture.test.ts) load the dump into a
// fresh schema, open it with the current release and compare.
//
// Made with the code of commit f67a667d1779d5967c67b8003d78b7f7bed3ae42, and it only runs against that code
// (it uses the 0.1.0 config model: `apiKey`, `apiKeyCiphertext`). To make it again, with the test server up:
//   git worktree add /tmp/patchbay-0.1.0 f67a667d1779d5967c67b8003d78b7f7bed3ae42
//   cd /tmp/patchbay-0.1.0 && pnpm install --frozen-lockfile
//   node --experimental-strip-types --import ./test-support/register-workspace-sources.mjs \
//     packages/store-postgres/test-fixtures/make-release-0.1.0.ts
// then copy the two files back into this folder and format the JSON (pnpm exec biome check --write). pg_dump
// must be on PATH (15.20 was used).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type ApiResult, createConfigStore, type Mapping, type MappingScope } from '@patchbay/core';
import postgres from 'postgres';
import { createPostgresStore } from '../src/index.ts';

const url = process.env.PATCHBAY_TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/test';
// The name the dump carries; the tests replace it with a fresh schema name when loading it.
const schema = 'patchbay_release_0_1_0';
const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));

const admin = postgres(url, { max: 1, onnotice: () => {} });
await admin.unsafe(`drop schema if exists "${schema}" cascade`);

const unwrap = <T>(what: string, result: ApiResult<T>): T => {
  if (result.success) return result.data;
  throw new Error(`${what}: ${result.error.code} ${result.error.message}`);
};

const secretKey = 'pg-release-0.1.0-fixture-secret';
const apiKeys = {
  'twenty-crm': 'pg-fixture-api-key-twenty',
  'billing-erp': 'ключ-🔐-"quoted" \\ backslash',
};
const store = createPostgresStore({ connectionString: url, schema, poolSize: 2 });
const configs = createConfigStore({ rows: store.configs, secretKey });

unwrap(
  'create twenty-crm',
  await configs.createConfig(
    'twenty-crm',
    {
      baseUrl: 'https://twenty.example.org/rest',
      apiKey: apiKeys['twenty-crm'],
      enabled: true,
      syncMode: 'direct_crm',
      settings: { batchSize: 60, flags: [true, false, null], deep: { list: [1, 2.5, 'x'] } },
    },
    'owner@example.org',
  ),
);
unwrap(
  'create billing-erp',
  await configs.createConfig('billing-erp', { apiKey: apiKeys['billing-erp'] }, null),
);
unwrap(
  'update billing-erp',
  await configs.updateConfig(
    'billing-erp',
    { baseUrl: 'http://127.0.0.1:8080', syncMode: 'platform' },
    'ops',
  ),
);
unwrap('create empty', await configs.createConfig('empty-config', {}, null));

const people: MappingScope = { integration: 'twenty-crm', objectType: 'person' };
const companies: MappingScope = { integration: 'twenty-crm', objectType: 'company' };
const peopleRows: Mapping[] = [];
for (let i = 0; i < 30; i++) {
  peopleRows.push({
    externalId: `crm-person-${i}`,
    remoteId: `remote-${(i * 7919).toString(16)}`,
    contentHash: i % 4 === 0 ? null : `hash-${i}`,
    syncedAt: 1_748_000_000_000 + i * 1_001,
  });
}
unwrap('put people', await store.mappings.putMany(people, peopleRows));
unwrap(
  'commit companies',
  await store.commitMappings(companies, [
    { externalId: 'Zeta GmbH', remoteId: 'c-1', contentHash: 'hash-zeta', syncedAt: 1_748_100_000_000 },
    { externalId: 'älpha', remoteId: 'c-2', contentHash: null, syncedAt: 1_748_100_000_001 },
  ]),
);

unwrap('checkpoint', await store.syncState.setCheckpoint('twenty-crm:person', '2025-05-01T00:00:00.000Z'));
unwrap('checkpoint', await store.syncState.setCheckpoint('billing-erp:invoice', 'page=12'));

const run = unwrap('start run', await store.syncState.startRun('twenty-crm'));
unwrap(
  'finish run',
  await store.syncState.finishRun(run.id, {
    status: 'succeeded',
    counts: { created: 28, updated: 2, unchanged: 0, failed: 0 },
  }),
);
unwrap('start run', await store.syncState.startRun('billing-erp'));

unwrap(
  'outbox',
  await store.syncState.outboxPut(people, [
    {
      externalId: 'crm-person-99',
      operation: 'create',
      contentHash: 'hash-99',
      createdAt: 1_748_200_000_000,
    },
    { externalId: 'crm-person-3', operation: 'update', contentHash: null, createdAt: 1_748_200_000_500 },
  ]),
);

const seenIds = ['standard-webhooks:msg_pg_1', 'stripe:evt_123'];
for (const key of seenIds) unwrap(key, await store.seenIds.markSeen(key, { ttlMs: 100 * 365 * 86_400_000 }));

const allMappings = async (scope: MappingScope): Promise<Mapping[]> => {
  const out: Mapping[] = [];
  for await (const page of store.mappings.iterate(scope)) out.push(...unwrap('iterate', page));
  return out;
};
const expected = {
  madeBy: '@patchbay/store-postgres 0.1.0 at commit f67a667d1779d5967c67b8003d78b7f7bed3ae42',
  schema,
  secretKey,
  apiKeys,
  configRows: Object.fromEntries(
    await Promise.all(
      ['twenty-crm', 'billing-erp', 'empty-config'].map(async (name) => [
        name,
        unwrap('get', await store.configs.get(name)),
      ]),
    ),
  ),
  mappings: {
    'twenty-crm/person': await allMappings(people),
    'twenty-crm/company': await allMappings(companies),
  },
  checkpoints: {
    'twenty-crm:person': unwrap('get', await store.syncState.getCheckpoint('twenty-crm:person')),
    'billing-erp:invoice': unwrap('get', await store.syncState.getCheckpoint('billing-erp:invoice')),
  },
  runs: {
    'twenty-crm': unwrap('runs', await store.syncState.listRuns('twenty-crm')),
    'billing-erp': unwrap('runs', await store.syncState.listRuns('billing-erp')),
  },
  outbox: { 'twenty-crm/person': unwrap('outbox', await store.syncState.outboxList(people)) },
  seenIds,
};
await store.close();

const dump = execFileSync(
  'pg_dump',
  ['--dbname', url, '--schema', schema, '--inserts', '--no-owner', '--no-privileges', '--no-comments'],
  { encoding: 'utf8' },
);
writeFileSync(here('release-0.1.0.sql'), dump);
writeFileSync(here('release-0.1.0.expected.json'), `${JSON.stringify(expected, null, 2)}\n`);
await admin.unsafe(`drop schema if exists "${schema}" cascade`);
await admin.end();
process.stdout.write('wrote release-0.1.0.sql and release-0.1.0.expected.json\n');
