// The SeenIdStore contract on a real PostgreSQL, on the server's clock: expiry waits in real time. Every store
// of a test shares one schema, so two stores (two pools) race on one key as two processes would.
import type { SeenIdStore } from '@patchbay/core';
import { describeSeenIdStoreContract } from '@patchbay/core/testing';
import { expect, it } from 'vitest';
import { describePostgres, randomSchema, useFreshStores } from '../test-support/postgres.ts';
import type { PostgresStore } from './store.ts';

describePostgres('postgres seen ids', () => {
  const { open, admin } = useFreshStores();
  // A schema per test (useFreshStores drops it afterwards), shared by the stores the test opens.
  let schema = randomSchema();
  const parents = new Map<SeenIdStore, PostgresStore>();

  describeSeenIdStoreContract(
    'postgres',
    async () => {
      const store = open({ schema });
      parents.set(store.seenIds, store);
      return store.seenIds;
    },
    {
      ttlMs: 1_000,
      countEntries: async (seenIds) => {
        await parents.get(seenIds)?.ready();
        const [row] = await admin()<
          { n: number }[]
        >`select count(*)::int as n from ${admin()(schema)}.seen_ids`;
        return row?.n ?? 0;
      },
      close: (seenIds) => {
        parents.delete(seenIds);
        if (parents.size === 0) schema = randomSchema();
      },
    },
  );

  it('keeps one key per delivery across stores and pools, and answers OPERATION_FAILED once closed', async () => {
    const shared = randomSchema();
    const a = open({ schema: shared, poolSize: 4 });
    const b = open({ schema: shared, poolSize: 4 });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).seenIds.markSeen('twenty:abc', { ttlMs: 60_000 })),
    );
    expect(results.filter((result) => result.success && result.data)).toHaveLength(1);
    expect(results.every((result) => result.success)).toBe(true);
    await a.close();
    expect(await a.seenIds.markSeen('twenty:def', { ttlMs: 60_000 })).toMatchObject({
      success: false,
      error: { code: 'OPERATION_FAILED' },
    });
  });
});
