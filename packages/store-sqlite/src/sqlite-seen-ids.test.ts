import { DatabaseSync } from 'node:sqlite';
import type { SeenIdStore } from '@patchbay/core';
import { createManualClock, describeSeenIdStoreContract } from '@patchbay/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDbs, tempDbPath } from '../test-support/temp-db.ts';
import { createSqliteStore, type SqliteStore } from './sqlite-store.ts';

afterAll(removeTempDbs);

// Every store the factory opens is kept with its seen-id store, to count rows and close it afterwards.
function factoryOn(path: () => string, now?: () => number) {
  const parents = new Map<SeenIdStore, SqliteStore>();
  return {
    factory: async () => {
      const store = createSqliteStore({ path: path(), ...(now ? { now } : {}) });
      parents.set(store.seenIds, store);
      return store.seenIds;
    },
    countEntries: async () => {
      const db = new DatabaseSync(path());
      try {
        return Number((db.prepare('SELECT count(*) AS n FROM seen_ids').get() as { n: number }).n);
      } finally {
        db.close();
      }
    },
    close: async (seenIds: SeenIdStore) => {
      await parents.get(seenIds)?.close();
      parents.delete(seenIds);
    },
  };
}

// One file per suite: the contract races two stores (two connections) on one key.
const clock = createManualClock();
const clockFile = tempDbPath();
const withClock = factoryOn(() => clockFile, clock.now);
describeSeenIdStoreContract('sqlite file, manual clock', withClock.factory, { clock, ...withClock });
const realFile = tempDbPath();
const realTime = factoryOn(() => realFile);
describeSeenIdStoreContract('sqlite file, real time', realTime.factory, realTime);

describe('sqlite seen ids', () => {
  it('survive closing and reopening the file', async () => {
    const path = tempDbPath();
    const first = createSqliteStore({ path });
    expect(await first.seenIds.markSeen('standard-webhooks:msg_1', { ttlMs: 60_000 })).toEqual({
      success: true,
      data: true,
    });
    await first.close();
    const second = createSqliteStore({ path });
    expect(await second.seenIds.markSeen('standard-webhooks:msg_1', { ttlMs: 60_000 })).toEqual({
      success: true,
      data: false,
    });
    await second.close();
  });

  it('answer OPERATION_FAILED, not a throw, once the store is closed', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    await store.close();
    expect(await store.seenIds.markSeen('k', { ttlMs: 1_000 })).toMatchObject({
      success: false,
      error: { code: 'OPERATION_FAILED' },
    });
  });
});
