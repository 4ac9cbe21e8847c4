import { err, IntegrationError, ok } from '@patchbay/core';
import { createMemoryStore } from '@patchbay/core/store';
import { describe, expect, it, vi } from 'vitest';
import {
  companies,
  mappingsOf,
  outboxOf,
  remoteIds,
  setup,
  testContext,
  unwrap,
} from '../test-support/fixtures.ts';
import { createReport } from './report.ts';
import type { SyncWriteResult } from './sync-remote.ts';
import { createMemoryRemote, type MemoryRemoteOptions } from './testing/memory-remote.ts';
import { type Prepared, write } from './write.ts';

const refuseBad: MemoryRemoteOptions['reject'] = (_, input) =>
  String((input as { name?: unknown }).name).startsWith('bad')
    ? new IntegrationError('VALIDATION_ERROR', 'name is refused', { field: 'name', retryable: false })
    : undefined;

/** Records c0… ready to write; the ones at `bad` positions are refused by `refuseBad`. */
const prepared = (count: number, bad: number[] = [], known: Record<string, string> = {}): Prepared[] =>
  Array.from({ length: count }, (_, index) => {
    const externalId = `c${index}`;
    const name = bad.includes(index) ? `bad ${index}` : `Company ${index}`;
    return {
      externalId,
      input: { externalId, name },
      hash: `hash-${index}`,
      ...(known[externalId] && { remoteId: known[externalId] }),
    };
  });

function writeWith(options: MemoryRemoteOptions = {}, overrides: Parameters<typeof testContext>[0] = {}) {
  const remote = createMemoryRemote({ maxBatchSize: 100, ...options });
  const built = testContext({ remote, ...overrides });
  const builder = createReport('company', 'enabled', 100);
  return {
    ...built,
    builder,
    run: (items: Prepared[]) => write(built.context, 'company', items, builder),
  };
}

const failedIds = (builder: ReturnType<typeof createReport>) =>
  builder.report.failures.map((failure) => failure.externalId).sort();

describe('write: data errors', () => {
  it.each(['upsert', 'create-update'] as const)(
    'halves a batch a data error refused until the bad record stands alone; the others are written (%s)',
    async (capability) => {
      const { run, builder, remote, store } = writeWith({ capability, reject: refuseBad });
      const written = await run(prepared(8, [5]));
      expect([...written.keys()].sort()).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c6', 'c7']);
      expect(builder.report).toMatchObject({ created: 7, updated: 0, failed: 1 });
      expect(builder.report.failures).toEqual([
        { externalId: 'c5', error: expect.objectContaining({ code: 'VALIDATION_ERROR', field: 'name' }) },
      ]);
      // 8 → 4 + 4 → (4 written) 2 + 2 → 1 + 1, and the last pair.
      const operation = capability === 'upsert' ? 'upsert' : 'create';
      expect(remote.calls[operation]).toBe(7);
      expect(remoteIds(remote, 'company').size).toBe(7);
      // Nothing of the refused record was written: nothing is left in flight.
      expect(await outboxOf(store, 'company')).toEqual([]);
      expect([...(await mappingsOf(store, 'company')).keys()].sort()).toEqual([...written.keys()].sort());
    },
  );

  it('isolates every bad record of a batch, whatever their positions', async () => {
    const { run, builder } = writeWith({ reject: refuseBad });
    const written = await run(prepared(13, [0, 6, 7, 12]));
    expect(written.size).toBe(9);
    expect(failedIds(builder)).toEqual(['c0', 'c12', 'c6', 'c7']);
    expect(builder.report.failed).toBe(4);
  });

  it('fails only the records a per-item answer refused (207-style), in one call, and clears their outbox entries', async () => {
    const { run, builder, remote, store } = writeWith({ reject: refuseBad, partialFailures: true });
    const written = await run(prepared(5, [1, 3]));
    expect([...written.keys()]).toEqual(['c0', 'c2', 'c4']);
    expect(failedIds(builder)).toEqual(['c1', 'c3']);
    expect(builder.report.failures[0]?.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'name' });
    expect(remote.calls.upsert).toBe(1);
    expect(await outboxOf(store, 'company')).toEqual([]);
  });

  it("follows the remote's isDataError, and the default when that throws", async () => {
    const classified = writeWith({ reject: refuseBad });
    const remote = createMemoryRemote({ reject: refuseBad });
    // This remote says a VALIDATION_ERROR might have been written after all: no halving, entries kept.
    remote.isDataError = () => false;
    const strict = writeWith({}, { remote });
    await strict.run(prepared(4, [2]));
    expect(strict.builder.report.failed).toBe(4);
    expect(remote.calls.upsert).toBe(1);
    expect(await outboxOf(strict.store, 'company')).toEqual(['c0', 'c1', 'c2', 'c3']);

    const throwing = createMemoryRemote({ reject: refuseBad });
    throwing.isDataError = () => {
      throw new Error('classifier bug');
    };
    const fallback = writeWith({}, { remote: throwing });
    await fallback.run(prepared(4, [2]));
    expect(fallback.builder.report).toMatchObject({ created: 3, failed: 1 });
    await classified.run(prepared(4, [2]));
    expect(classified.builder.report).toMatchObject({ created: 3, failed: 1 });
  });
});

describe('write: transport failures and lost answers', () => {
  it('keeps the outbox entries of a batch whose call failed in transport, without halving it', async () => {
    const { run, builder, remote, store } = writeWith();
    remote.failNext('upsert', {
      kind: 'error',
      error: new IntegrationError('NETWORK_ERROR', 'socket hang up', { retryable: true }),
    });
    const written = await run(prepared(4));
    expect(written.size).toBe(0);
    expect(builder.report).toMatchObject({ created: 0, failed: 4 });
    expect(builder.report.failures.every((f) => f.error.code === 'NETWORK_ERROR')).toBe(true);
    expect(builder.lastErrorCode).toBe('NETWORK_ERROR');
    expect(remote.calls.upsert).toBe(1);
    expect(await outboxOf(store, 'company')).toEqual(['c0', 'c1', 'c2', 'c3']);
  });

  it.each(['upsert', 'create-update'] as const)(
    'turns a commit-then-fail into mappings on the next run, through recovery, without a duplicate (%s)',
    async (capability) => {
      const remote = createMemoryRemote({ capability });
      const store = createMemoryStore();
      const operation = capability === 'upsert' ? 'upsert' : 'create';
      remote.failNext(operation, { kind: 'commit-then-fail' });
      const first = setup({ remote, store });
      const lost = unwrap(await first.engine.upsertMany('company', companies(4)));
      expect(lost).toMatchObject({ created: 0, failed: 4 });
      // The remote has them; the store only knows they are in flight.
      expect(remoteIds(remote, 'company').size).toBe(4);
      expect(await outboxOf(store, 'company')).toEqual(['c0', 'c1', 'c2', 'c3']);
      expect((await mappingsOf(store, 'company')).size).toBe(0);

      // The next run (a new engine: a restarted process) settles them before syncing.
      const next = setup({ remote, store });
      expect(unwrap(await next.engine.recover())).toEqual({ recovered: 4, discarded: 0 });
      expect(await outboxOf(store, 'company')).toEqual([]);
      const mapped = await mappingsOf(store, 'company');
      expect(new Map([...mapped].map(([id, m]) => [id, m.remoteId]))).toEqual(remoteIds(remote, 'company'));
      const report = unwrap(await next.engine.upsertMany('company', companies(4)));
      expect(report).toMatchObject({ created: 0, updated: 0, unchanged: 4, failed: 0 });
      expect(remote.calls).toMatchObject({ create: capability === 'upsert' ? 0 : 1 });
      expect(remoteIds(remote, 'company').size).toBe(4);
    },
  );

  it('fails a record the answer left out with INVALID_RESPONSE and keeps it in flight; the others are written', async () => {
    const remote = createMemoryRemote();
    const upsert = remote.upsert!;
    remote.upsert = async (type, items) => {
      const answer = await upsert(type, items);
      if (answer.success) answer.data.delete('c1');
      return answer;
    };
    const { run, builder, store } = writeWith({}, { remote });
    const written = await run(prepared(3));
    expect([...written.keys()]).toEqual(['c0', 'c2']);
    expect(builder.report.failures).toEqual([
      { externalId: 'c1', error: expect.objectContaining({ code: 'INVALID_RESPONSE' }) },
    ]);
    // Written or not, nobody knows: recovery looks it up.
    expect(await outboxOf(store, 'company')).toEqual(['c1']);
  });

  it.each([
    ['not a Map', ok({} as unknown as SyncWriteResult)],
    ['outcomes without a remote id', ok(new Map([['c0', { remoteId: '' }]]) as SyncWriteResult)],
    ['outcomes of other records', ok(new Map([['zz', { remoteId: 'r9' }]]) as SyncWriteResult)],
  ])('fails every record of an answer that is %s with INVALID_RESPONSE', async (_, answer) => {
    const remote = createMemoryRemote();
    remote.upsert = async () => answer;
    const { run, builder, store } = writeWith({}, { remote });
    expect((await run(prepared(2))).size).toBe(0);
    expect(builder.report.failed).toBe(2);
    expect(builder.report.failures.every((f) => f.error.code === 'INVALID_RESPONSE')).toBe(true);
    expect(await outboxOf(store, 'company')).toEqual(['c0', 'c1']);
    expect((await mappingsOf(store, 'company')).size).toBe(0);
  });

  it('retries a lone record the remote answered CONFLICT (another writer created it first)', async () => {
    const { run, builder, remote } = writeWith();
    remote.failNext('upsert', { kind: 'error', error: new IntegrationError('CONFLICT', 'taken') });
    const written = await run(prepared(1));
    expect(written.size).toBe(1);
    expect(builder.report).toMatchObject({ created: 1, failed: 0 });
    expect(remote.calls.upsert).toBe(2);
  });
});

describe('write: the store', () => {
  it('keeps the outbox when saving the mappings fails: the remote has the records, recovery maps them', async () => {
    const store = createMemoryStore();
    vi.spyOn(store, 'commitMappings').mockResolvedValueOnce(
      err(new IntegrationError('OPERATION_FAILED', 'database is locked', { retryable: true })),
    );
    const { run, builder, remote, context } = writeWith({}, { store });
    const written = await run(prepared(3));
    expect(written.size).toBe(0);
    expect(builder.report).toMatchObject({ created: 0, failed: 3 });
    expect(builder.report.failures[0]?.error).toMatchObject({ message: 'database is locked' });
    expect(remoteIds(remote, 'company').size).toBe(3);
    expect(await outboxOf(store, 'company')).toEqual(['c0', 'c1', 'c2']);
    expect((await mappingsOf(store, 'company')).size).toBe(0);
    expect(context.caches.get('company')!.size).toBe(0);
  });

  it('writes nothing when the outbox cannot be written first', async () => {
    const store = createMemoryStore();
    vi.spyOn(store.syncState, 'outboxPut').mockImplementationOnce(() => {
      throw new Error('disk full');
    });
    const { run, builder, remote } = writeWith({}, { store });
    expect((await run(prepared(3))).size).toBe(0);
    expect(builder.report).toMatchObject({ failed: 3 });
    expect(builder.report.failures[0]?.error).toMatchObject({ code: 'OPERATION_FAILED' });
    expect(remote.calls.upsert).toBe(0);
  });

  it('records an outbox entry per record with its operation and hash before sending', async () => {
    const store = createMemoryStore();
    const put = vi.spyOn(store.syncState, 'outboxPut');
    const { run, remote } = writeWith({ capability: 'create-update' }, { store });
    remote.failNext('create', {
      kind: 'error',
      error: new IntegrationError('TIMEOUT', 'slow', { retryable: true }),
    });
    remote.failNext('update', {
      kind: 'error',
      error: new IntegrationError('TIMEOUT', 'slow', { retryable: true }),
    });
    await run(prepared(2, [], { c1: 'r77' }));
    expect(put.mock.calls[0]?.[1]).toEqual([
      expect.objectContaining({ externalId: 'c0', operation: 'create', contentHash: 'hash-0' }),
      expect.objectContaining({ externalId: 'c1', operation: 'update', contentHash: 'hash-1' }),
    ]);
    expect(
      unwrap(await store.syncState.outboxList({ integration: 'acme-crm', objectType: 'company' })),
    ).toHaveLength(2);
  });
});

describe('write: created or updated', () => {
  it('counts a record the sync knew as updated, and trusts the upsert answer for the others', async () => {
    const remote = createMemoryRemote();
    const { run, builder } = writeWith({}, { remote });
    await run(prepared(2));
    // c0 known (remote id), c1 unknown but the remote matched it (a lost store), c2 new.
    const again = writeWith({}, { remote });
    await again.run(prepared(3, [], { c0: remoteIds(remote, 'company').get('c0')! }));
    expect(builder.report).toMatchObject({ created: 2, updated: 0 });
    expect(again.builder.report).toMatchObject({ created: 1, updated: 2 });
  });

  it('counts a write whose answer does not say as created, unless the sync knew the record', async () => {
    const remote = createMemoryRemote();
    remote.upsert = async (_, items) =>
      ok(new Map(items.map((item, index) => [item.externalId, { remoteId: `x${index}` }])));
    const { run, builder } = writeWith({}, { remote });
    await run(prepared(3, [], { c2: 'x2' }));
    expect(builder.report).toMatchObject({ created: 2, updated: 1 });
  });

  it('updates known records by remote id on a create-update remote', async () => {
    const remote = createMemoryRemote({ capability: 'create-update' });
    const { run } = writeWith({}, { remote });
    await run(prepared(2));
    const ids = remoteIds(remote, 'company');
    const again = writeWith({}, { remote });
    const renamed = prepared(2, [], Object.fromEntries(ids)).map((item) => ({
      ...item,
      input: { ...(item.input as object), name: 'Renamed' },
    }));
    const written = await again.run(renamed);
    expect(written).toEqual(ids);
    expect(again.builder.report).toMatchObject({ created: 0, updated: 2 });
    expect(remote.calls).toMatchObject({ create: 1, update: 1 });
    expect(remote.records('company').map((record) => record.writes)).toEqual([2, 2]);
  });

  it('creates anew a record whose remote record is gone (seed 001): its stale mapping is forgotten', async () => {
    const remote = createMemoryRemote({ capability: 'create-update' });
    const { run, builder, store } = writeWith({}, { remote });
    const written = await run(prepared(1, [], { c0: 'r-gone' }));
    expect(builder.report).toMatchObject({ created: 1, updated: 0, failed: 0 });
    const [record] = remote.records('company');
    expect(written.get('c0')).toBe(record?.remoteId);
    expect(record?.remoteId).not.toBe('r-gone');
    expect((await mappingsOf(store, 'company')).get('c0')?.remoteId).toBe(record?.remoteId);
    expect(await outboxOf(store, 'company')).toEqual([]);
  });
});
