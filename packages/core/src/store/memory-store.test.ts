import { describe, expect, it } from 'vitest';
import { hostileValues } from '../testing/hostile-values.ts';
import { createManualClock } from '../testing/manual-clock.ts';
import { describeIntegrationStoreContract } from '../testing/store-contract.ts';
import { createMemoryStore } from './memory-store.ts';

const clock = createManualClock();
describeIntegrationStoreContract('memory store', async () => createMemoryStore({ now: clock.now }), {
  clock,
  openWithClock: async (now) => createMemoryStore({ now }),
});

const scope = { integration: 'twenty-crm', objectType: 'person' };

describe('createMemoryStore', () => {
  it('stamps rows, runs and leases with the injected clock', async () => {
    const clock = createManualClock(1_000);
    const store = createMemoryStore({ now: clock.now });
    const row = await store.configs.create('crm', {}, 'u');
    expect(row.success && row.data.createdAt).toBe(1_000);
    clock.advance(500);
    const updated = await store.configs.update('crm', { enabled: true }, 'u');
    expect(updated.success && updated.data.updatedAt).toBe(1_500);
    const run = await store.syncState.startRun('sync');
    expect(run.success && run.data.startedAt).toBe(1_500);
    const lease = await store.syncState.acquireLease('lock', { owner: 'a', ttlMs: 100 });
    expect(lease.success && lease.data?.expiresAt).toBe(1_600);
  });

  it('treats a lease as lapsed exactly at its expiry', async () => {
    const clock = createManualClock(0);
    const store = createMemoryStore({ now: clock.now });
    await store.syncState.acquireLease('lock', { owner: 'a', ttlMs: 100 });
    clock.advance(99);
    expect((await store.syncState.acquireLease('lock', { owner: 'b', ttlMs: 100 })).success).toBe(true);
    expect(await store.syncState.acquireLease('lock', { owner: 'b', ttlMs: 100 })).toEqual({
      success: true,
      data: null,
    });
    clock.advance(1);
    const taken = await store.syncState.acquireLease('lock', { owner: 'b', ttlMs: 100 });
    expect(taken.success && taken.data?.owner).toBe('b');
  });

  it('hands out copies: changing a returned object does not change the store', async () => {
    const store = createMemoryStore();
    const entry = { externalId: 'e', remoteId: 'r', contentHash: null, syncedAt: 1 };
    await store.mappings.putMany(scope, [entry]);
    entry.remoteId = 'changed by caller';
    const first = await store.mappings.getMany(scope, ['e']);
    if (!first.success) throw first.error;
    first.data.get('e')!.remoteId = 'changed again';
    const second = await store.mappings.getMany(scope, ['e']);
    expect(second.success && second.data.get('e')?.remoteId).toBe('r');

    const created = await store.configs.create('crm', { settings: { nested: { a: 1 } } }, null);
    if (!created.success) throw created.error;
    (created.data.settings.nested as { a: number }).a = 2;
    const read = await store.configs.get('crm');
    expect(read.success && read.data?.settings).toEqual({ nested: { a: 1 } });
  });

  it('answers OPERATION_FAILED once closed, never throws', async () => {
    const store = createMemoryStore();
    await store.close();
    const results = [
      await store.mappings.getMany(scope, ['a']),
      await store.mappings.putMany(scope, []),
      await store.mappings.count(scope),
      await store.configs.get('crm'),
      await store.syncState.getCheckpoint('c'),
      await store.syncState.acquireLease('l', { owner: 'o', ttlMs: 1 }),
      await store.commitMappings(scope, []),
    ];
    for (const result of results) {
      expect(result.success).toBe(false);
      if (!result.success) expect(result.error.code).toBe('OPERATION_FAILED');
    }
    const pages = [];
    for await (const page of store.mappings.iterate(scope)) pages.push(page);
    expect(pages).toHaveLength(1);
    expect(pages[0]?.success === false && pages[0].error.code).toBe('OPERATION_FAILED');
  });

  it('yields VALIDATION_ERROR for a page size that is not a positive integer', async () => {
    const store = createMemoryStore();
    for (const pageSize of [0, -1, 1.5]) {
      const pages = [];
      for await (const page of store.mappings.iterate(scope, { pageSize })) pages.push(page);
      expect(pages).toHaveLength(1);
      expect(pages[0]?.success === false && pages[0].error.code).toBe('VALIDATION_ERROR');
    }
  });

  it('refuses a limit that is not a positive integer with VALIDATION_ERROR', async () => {
    const store = createMemoryStore();
    for (const result of [
      await store.syncState.listRuns('sync', { limit: 0 }),
      await store.syncState.outboxList(scope, { limit: 1.5 }),
    ]) {
      expect(result.success === false && result.error.field).toBe('limit');
    }
  });

  it('refuses an empty scope with VALIDATION_ERROR naming the field', async () => {
    const store = createMemoryStore();
    const result = await store.mappings.putMany({ integration: 'crm', objectType: '' }, []);
    expect(result.success === false && result.error.field).toBe('scope.objectType');
  });
});

describe('createMemoryStore options', () => {
  it.each(hostileValues().filter(([label]) => label !== 'undefined'))(
    'throws only CONFIG_ERROR for %s, or accepts it as no options',
    (_, value) => {
      let thrown: unknown;
      try {
        createMemoryStore(value as never);
      } catch (error) {
        thrown = error;
      }
      if (thrown !== undefined)
        expect(thrown).toMatchObject({ name: 'IntegrationError', code: 'CONFIG_ERROR' });
    },
  );

  it('refuses a now that is not a function, naming it', () => {
    expect(() => createMemoryStore({ now: 5 as never })).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', field: 'now' }),
    );
  });
});
