import { err, IntegrationError, ok, stableHash } from '@patchbay/core';
import { createMemoryStore } from '@patchbay/core/store';
import { describe, expect, it, vi } from 'vitest';
import {
  companyObject,
  mappingsOf,
  OBJECTS,
  outboxOf,
  scope,
  testContext,
  unwrap,
} from '../test-support/fixtures.ts';
import { learnFromRemote, resolve } from './resolve.ts';
import type { SyncObject } from './sync-object.ts';
import { createMemoryRemote } from './testing/memory-remote.ts';

const mapping = (externalId: string, remoteId: string) => ({
  externalId,
  remoteId,
  contentHash: `hash-${externalId}`,
  syncedAt: 1,
});

async function withRemoteRecords(ids: string[], overrides: Parameters<typeof testContext>[0] = {}) {
  const built = testContext(overrides);
  const write = built.remote.upsert ?? built.remote.create!;
  for (const externalId of ids) {
    unwrap(
      await write('company', [
        { externalId, input: { externalId, name: `Remote ${externalId}`, website: null } },
      ]),
    );
  }
  built.remote.calls.upsert = 0;
  built.remote.calls.create = 0;
  return built;
}

describe('resolve', () => {
  it('answers from the cache first, without asking the store or the remote', async () => {
    const { context, store } = testContext();
    context.caches.get('company')!.set('c0', { remoteId: 'r0', contentHash: 'h0' });
    const getMany = vi.spyOn(store.mappings, 'getMany');
    const find = vi.spyOn(context.remote, 'find');
    const known = unwrap(await resolve(context, 'company', ['c0'], { lookup: true }));
    expect(known.get('c0')).toMatchObject({ remoteId: 'r0', contentHash: 'h0' });
    expect(getMany).not.toHaveBeenCalled();
    expect(find).not.toHaveBeenCalled();
  });

  it('asks the store for what the cache misses, in one call, and caches what it has', async () => {
    const { context, store } = testContext();
    unwrap(await store.mappings.putMany(scope('company'), [mapping('c1', 'r1'), mapping('c2', 'r2')]));
    context.caches.get('company')!.set('c0', { remoteId: 'r0', contentHash: null });
    const getMany = vi.spyOn(store.mappings, 'getMany');
    const known = unwrap(await resolve(context, 'company', ['c0', 'c1', 'c2', 'c3'], { lookup: false }));
    expect([...known.keys()].sort()).toEqual(['c0', 'c1', 'c2']);
    expect(getMany).toHaveBeenCalledTimes(1);
    expect(getMany.mock.calls[0]?.[1]).toEqual(['c1', 'c2', 'c3']);
    expect(context.caches.get('company')!.get('c2')).toMatchObject({ remoteId: 'r2' });
  });

  it('looks only the records neither tier knows up in the remote, when asked to, in batches', async () => {
    const remote = createMemoryRemote({ maxBatchSize: 2 });
    const { context, store } = await withRemoteRecords(['c3', 'c4', 'c5', 'c6'], { remote });
    unwrap(await store.mappings.putMany(scope('company'), [mapping('c1', 'r1')]));
    const find = vi.spyOn(context.remote, 'find');
    const without = unwrap(await resolve(context, 'company', ['c1', 'c3'], { lookup: false }));
    expect([...without.keys()]).toEqual(['c1']);
    expect(find).not.toHaveBeenCalled();

    const known = unwrap(await resolve(context, 'company', ['c1', 'c3', 'c4', 'c5', 'c7'], { lookup: true }));
    expect([...known.keys()].sort()).toEqual(['c1', 'c3', 'c4', 'c5']);
    expect(find.mock.calls.map(([, ids]) => ids)).toEqual([
      ['c3', 'c4'],
      ['c5', 'c7'],
    ]);
    // What the remote had is saved at once, with the hash its record would have as input.
    const saved = await mappingsOf(store, 'company');
    expect([...saved.keys()].sort()).toEqual(['c1', 'c3', 'c4', 'c5']);
    expect(saved.get('c3')?.contentHash).toBe(
      await stableHash({ externalId: 'c3', name: 'Remote c3', website: null }),
    );
    expect(context.caches.get('company')!.get('c4')).toBeDefined();
  });

  it('answers the store failure, and the remote failure', async () => {
    const store = createMemoryStore();
    const { context, remote } = testContext({ store });
    vi.spyOn(store.mappings, 'getMany').mockResolvedValueOnce(
      err(new IntegrationError('OPERATION_FAILED', 'database is locked', { retryable: true })),
    );
    const stored = await resolve(context, 'company', ['c0'], { lookup: true });
    expect(stored.success || stored.error).toMatchObject({ message: 'database is locked' });
    remote.failNext('find', {
      kind: 'error',
      error: new IntegrationError('RATE_LIMIT', 'slow down', { retryable: true }),
    });
    const found = await resolve(context, 'company', ['c0'], { lookup: true });
    expect(found.success || found.error).toMatchObject({ code: 'RATE_LIMIT' });
  });

  it('asks the store again once a cache entry expired', async () => {
    let clock = 0;
    const { context, store } = testContext({ now: () => clock, cache: { ttlMs: 100 } });
    unwrap(await store.mappings.putMany(scope('company'), [mapping('c1', 'r1')]));
    const getMany = vi.spyOn(store.mappings, 'getMany');
    unwrap(await resolve(context, 'company', ['c1'], { lookup: false }));
    unwrap(await resolve(context, 'company', ['c1'], { lookup: false }));
    expect(getMany).toHaveBeenCalledTimes(1);
    clock = 100;
    unwrap(await resolve(context, 'company', ['c1'], { lookup: false }));
    expect(getMany).toHaveBeenCalledTimes(2);
  });
});

describe('learnFromRemote', () => {
  it("saves what the remote has as mappings, clearing those records' outbox entries", async () => {
    const { context, store } = await withRemoteRecords(['c0', 'c1']);
    unwrap(
      await store.syncState.outboxPut(scope('company'), [
        { externalId: 'c0', operation: 'upsert', contentHash: 'h', createdAt: 1 },
        { externalId: 'c2', operation: 'upsert', contentHash: 'h', createdAt: 1 },
      ]),
    );
    const learned = unwrap(await learnFromRemote(context, 'company', ['c0', 'c1', 'c2']));
    expect(learned.map((m) => m.externalId).sort()).toEqual(['c0', 'c1']);
    expect(await outboxOf(store, 'company')).toEqual(['c2']);
  });

  it('keeps no mapping of an id it did not ask for, or without a remote id', async () => {
    const remote = createMemoryRemote();
    remote.find = async () =>
      ok(
        new Map([
          ['c0', { remoteId: 'r0', record: {} }],
          ['c1', { remoteId: '', record: {} }],
          ['c2', { remoteId: 42 as unknown as string, record: {} }],
          ['intruder', { remoteId: 'r9', record: {} }],
        ]),
      );
    const { context, store } = testContext({ remote });
    const learned = unwrap(await learnFromRemote(context, 'company', ['c0', 'c1', 'c2']));
    expect(learned.map((m) => m.externalId)).toEqual(['c0']);
    expect([...(await mappingsOf(store, 'company')).keys()]).toEqual(['c0']);
  });

  it('hashes null (always resent) when the object has no comparable, or it throws', async () => {
    const noComparable: SyncObject = { ...(companyObject as SyncObject), comparable: undefined };
    const throwing: SyncObject = {
      ...(companyObject as SyncObject),
      comparable: () => {
        throw new Error('bad shape');
      },
    };
    for (const company of [noComparable, throwing]) {
      const { context } = await withRemoteRecords(['c0'], {
        objects: { ...OBJECTS, company } as typeof OBJECTS,
      });
      const learned = unwrap(await learnFromRemote(context, 'company', ['c0']));
      expect(learned).toEqual([expect.objectContaining({ externalId: 'c0', contentHash: null })]);
    }
  });

  it('answers the store failure when the mappings cannot be saved', async () => {
    const store = createMemoryStore();
    const { context } = await withRemoteRecords(['c0'], { store });
    vi.spyOn(store, 'commitMappings').mockResolvedValueOnce(
      err(new IntegrationError('OPERATION_FAILED', 'disk full', { retryable: false })),
    );
    const learned = await learnFromRemote(context, 'company', ['c0']);
    expect(learned.success || learned.error).toMatchObject({ message: 'disk full' });
  });
});
