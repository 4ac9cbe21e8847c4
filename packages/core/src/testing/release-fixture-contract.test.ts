// The release-fixture contract run against the memory store, over a fixture in the current row shape (secrets by
// name), as a fixture of a later release would be. Each load writes the same fixture into a fresh memory store
// (its clock and run ids replayed), so the copies are identical; the "migration" is version 2 recorded by the
// first open, and a store's close leaves the copy's data in place, as a closed database file would.
import { vi } from 'vitest';
import type { ApiResult } from '../result/result.ts';
import { createSecretCipher } from '../secrets/secret-cipher.ts';
import { createMemoryStore } from '../store/memory-store.ts';
import { createMemorySeenIdStore } from '../store/seen-id-store.ts';
import type { Mapping, MappingScope } from '../store/store.ts';
import {
  describeReleaseFixtureContract,
  type ReleaseFixtureCopy,
  type ReleaseFixtureExpected,
} from './release-fixture-contract.ts';

const must = <T>(result: ApiResult<T>): T => {
  if (!result.success) throw result.error;
  return result.data;
};
const found = <T>(value: T | null, what: string): T => {
  if (value === null) throw new Error(`${what}: missing from the fixture`);
  return value;
};

const secretKey = 'memory-release-fixture-secret';
const apiKeys = { crm: 'crm-plain-key-✓' };
const apiKeyCiphertext = await createSecretCipher({ key: secretKey }).encrypt(apiKeys.crm);
const contacts: MappingScope = { integration: 'crm', objectType: 'contact' };
const seenIds = ['memory:delivery-2', 'memory:delivery-1'];

async function writeFixture() {
  let clock = 1_700_000_000_000;
  let ids = 0;
  const uuid = vi
    .spyOn(crypto, 'randomUUID')
    .mockImplementation(() => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`);
  const store = createMemoryStore({ now: () => (clock += 1_000) });
  try {
    const settings = { pageSize: 50, fields: ['name', null] };
    const crm = { baseUrl: 'https://crm.example.net/api', enabled: true, syncMode: 'two-way', settings };
    must(await store.configs.create('crm', { ...crm, secrets: { apiKey: apiKeyCiphertext } }, 'setup'));
    must(await store.configs.create('bare', {}, null));
    const mappings = ['c-1', 'c-2', 'c-3'].map((externalId, i): Mapping => {
      return {
        externalId,
        remoteId: `r-${i}`,
        contentHash: i ? `h-${i}` : null,
        syncedAt: 1_690_000_000_000 + i,
      };
    });
    must(await store.mappings.putMany(contacts, mappings));
    must(await store.syncState.setCheckpoint('crm:contact', 'cursor-9'));
    must(await store.syncState.startRun('crm'));
    const entry = {
      externalId: 'c-9',
      operation: 'update',
      contentHash: 'h-9',
      createdAt: 1_690_000_500_000,
    };
    must(await store.syncState.outboxPut(contacts, [entry]));
  } finally {
    uuid.mockRestore();
  }
  const seen = createMemorySeenIdStore();
  for (const key of seenIds) must(await seen.markSeen(key, { ttlMs: 3_600_000 }));
  return { store, seenIds: seen };
}

// Everything of the fixture the store can list, as plain data: what a second open must leave alone.
async function dump(fixture: Awaited<ReturnType<typeof writeFixture>>) {
  const { store } = fixture;
  const mappings: Mapping[] = [];
  for await (const page of store.mappings.iterate(contacts)) mappings.push(...must(page));
  return {
    configRows: {
      crm: found(must(await store.configs.get('crm')), 'crm'),
      bare: found(must(await store.configs.get('bare')), 'bare'),
    },
    mappings: { 'crm/contact': mappings },
    checkpoints: {
      'crm:contact': found(must(await store.syncState.getCheckpoint('crm:contact')), 'checkpoint'),
    },
    runs: { crm: must(await store.syncState.listRuns('crm')) },
    outbox: { 'crm/contact': must(await store.syncState.outboxList(contacts)) },
  };
}

const expected: ReleaseFixtureExpected = {
  madeBy: 'release-fixture-contract.test.ts',
  secretKey,
  apiKeys,
  ...(await dump(await writeFixture())),
  seenIds,
};

describeReleaseFixtureContract({
  release: 'memory',
  expected,
  releaseVersion: 1,
  latestVersion: 2,
  storeLatestVersion: 2,
  load: async (): Promise<ReleaseFixtureCopy> => {
    const fixture = await writeFixture();
    const versions = [1];
    return {
      open: async () => {
        if (!versions.includes(2)) versions.push(2);
        return { ...fixture.store, seenIds: fixture.seenIds, close: async () => {} };
      },
      appliedVersions: async () => [...versions],
      // The memory seen-id store cannot list its keys: what was marked stands for what it holds.
      seenIdKeys: async () => [...seenIds].sort(),
      snapshot: async () => ({ versions: [...versions], ...(await dump(fixture)) }),
    };
  },
});
