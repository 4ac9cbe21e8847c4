import { err, IntegrationError, ok, stableHash } from '@patchbay/core';
import { createMemoryStore, type IntegrationStore } from '@patchbay/core/store';
import { describe, expect, it, vi } from 'vitest';
import {
  companies,
  mappingsOf,
  outboxOf,
  remoteIds,
  resetCalls,
  scope,
  setup,
  testContext,
  unwrap,
} from '../test-support/fixtures.ts';
import { recoverOutbox } from './recover.ts';
import { createMemoryRemote, type MemoryRemote } from './testing/memory-remote.ts';

/** Puts outbox entries for these ids, as a crash between sending and saving would leave them. */
async function leaveInFlight(store: IntegrationStore, type: string, ids: string[]) {
  unwrap(
    await store.syncState.outboxPut(
      scope(type),
      ids.map((externalId, index) => ({
        externalId,
        operation: 'upsert',
        contentHash: 'h',
        createdAt: index,
      })),
    ),
  );
}

/** Writes companies straight into the remote, as a write whose answer was lost would have. */
async function landed(remote: MemoryRemote, ids: string[]) {
  unwrap(
    await remote.upsert!(
      'company',
      ids.map((externalId) => ({
        externalId,
        input: { externalId, name: `Company ${externalId}`, website: null },
      })),
    ),
  );
}

describe('recoverOutbox', () => {
  it('turns the writes that landed into mappings and drops the others, for every type', async () => {
    const { context, store, remote } = testContext();
    await landed(remote, ['c0', 'c1']);
    await leaveInFlight(store, 'company', ['c0', 'c1', 'c2', 'c3']);
    await leaveInFlight(store, 'person', ['p0']);
    expect(unwrap(await recoverOutbox(context))).toEqual({ recovered: 2, discarded: 3 });
    expect(await outboxOf(store, 'company')).toEqual([]);
    expect(await outboxOf(store, 'person')).toEqual([]);
    const mapped = await mappingsOf(store, 'company');
    expect(new Map([...mapped].map(([id, m]) => [id, m.remoteId]))).toEqual(remoteIds(remote, 'company'));
    // The hash is the remote record's, through `comparable`: the same record synced again is unchanged.
    expect(mapped.get('c0')?.contentHash).toBe(await stableHash(remote.records('company')[0]!.input));
    expect((await mappingsOf(store, 'person')).size).toBe(0);
  });

  it('settles the types in declaration order, parents first', async () => {
    const { context, store } = testContext();
    const find = vi.spyOn(context.remote, 'find');
    await leaveInFlight(store, 'person', ['p0']);
    await leaveInFlight(store, 'company', ['c0']);
    unwrap(await recoverOutbox(context));
    expect(find.mock.calls.map(([type]) => type)).toEqual(['company', 'person']);
  });

  it('settles more entries than a page, in lookups of the batch size', async () => {
    const remote = createMemoryRemote({ maxBatchSize: 100 });
    const { context, store } = testContext({ remote });
    const ids = Array.from({ length: 2_500 }, (_, index) => `c${index}`);
    await landed(remote, ids.filter((_, index) => index % 2 === 0).slice(0, 100));
    await leaveInFlight(store, 'company', ids);
    resetCalls(remote);
    expect(unwrap(await recoverOutbox(context))).toEqual({ recovered: 100, discarded: 2_400 });
    expect(remote.calls.find).toBe(25);
    expect(await outboxOf(store, 'company')).toEqual([]);
  });

  it('keeps the entries when the remote cannot be asked, and says so with its error', async () => {
    const { context, store, remote } = testContext();
    await leaveInFlight(store, 'company', ['c0']);
    remote.failNext('find', {
      kind: 'error',
      error: new IntegrationError('NETWORK_ERROR', 'socket hang up', { retryable: true }),
    });
    const result = await recoverOutbox(context);
    expect(result.success || result.error).toMatchObject({ code: 'NETWORK_ERROR', retryable: true });
    expect(await outboxOf(store, 'company')).toEqual(['c0']);
  });

  it('never maps what the remote answered for ids it was not asked, or without a remote id', async () => {
    const remote = createMemoryRemote();
    remote.find = async () =>
      ok(
        new Map([
          ['c0', { remoteId: '', record: {} }],
          ['someone-else', { remoteId: 'r-x', record: {} }],
        ]),
      );
    const { context, store } = testContext({ remote });
    await leaveInFlight(store, 'company', ['c0']);
    expect(unwrap(await recoverOutbox(context))).toEqual({ recovered: 0, discarded: 1 });
    expect((await mappingsOf(store, 'company')).size).toBe(0);
  });

  it('stops with a retryable OPERATION_FAILED when the store lists cleared entries again', async () => {
    const store = createMemoryStore();
    const { context, remote } = testContext({ store });
    const stuck = [{ externalId: 'c0', operation: 'upsert', contentHash: 'h', createdAt: 1 }];
    vi.spyOn(store.syncState, 'outboxList').mockImplementation(async () => ok(stuck));
    const result = await recoverOutbox(context);
    expect(result.success || result.error).toMatchObject({ code: 'OPERATION_FAILED', retryable: true });
    expect(remote.calls.find).toBe(1);
  });

  it('answers the store failure that stopped it', async () => {
    const store = createMemoryStore();
    const { context } = testContext({ store });
    await leaveInFlight(store, 'company', ['c0']);
    vi.spyOn(store.syncState, 'outboxDelete').mockResolvedValueOnce(
      err(new IntegrationError('OPERATION_FAILED', 'database is locked', { retryable: true })),
    );
    const result = await recoverOutbox(context);
    expect(result.success || result.error).toMatchObject({ message: 'database is locked' });
  });
});

describe('recovery in the engine', () => {
  it('runs once per engine, before its first sync writes anything', async () => {
    const store = createMemoryStore();
    const remote = createMemoryRemote();
    // The engine reads the remote's methods once: spy before creating it.
    const upsert = vi.spyOn(remote, 'upsert');
    const { engine } = setup({ store, remote });
    await landed(remote, ['c0']);
    await leaveInFlight(store, 'company', ['c0', 'c9']);
    const spy = vi.spyOn(store.syncState, 'outboxList');
    upsert.mockClear();
    const report = unwrap(await engine.upsertMany('company', companies(1)));
    // c0 was recovered with the remote's content ('Company c0'), so 'Company 0' is an update, not a create.
    expect(report).toMatchObject({ created: 0, updated: 1 });
    expect(spy.mock.invocationCallOrder[0]).toBeLessThan(upsert.mock.invocationCallOrder[0]!);
    expect(await outboxOf(store, 'company')).toEqual([]);
    const listed = spy.mock.calls.length;
    unwrap(await engine.upsertMany('company', companies(2)));
    unwrap(await engine.upsertMany('person', [{ externalId: 'p0', name: 'Ann' }]));
    expect(spy.mock.calls.length).toBe(listed);
  });

  it('runs again on the next call when it failed, and a retryable failure does not stop the sync', async () => {
    const store = createMemoryStore();
    const { engine, remote } = setup({ store });
    await landed(remote, ['c0']);
    await leaveInFlight(store, 'company', ['c0']);
    remote.failNext('find', {
      kind: 'error',
      error: new IntegrationError('NETWORK_ERROR', 'socket hang up', { retryable: true }),
    });
    const first = unwrap(await engine.upsertMany('company', companies(2, '', 5)));
    expect(first).toMatchObject({ created: 2, failed: 0 });
    expect(await outboxOf(store, 'company')).toEqual(['c0']);
    expect(unwrap(await engine.upsertMany('company', companies(1, '', 7)))).toMatchObject({ created: 1 });
    expect(await outboxOf(store, 'company')).toEqual([]);
    expect((await mappingsOf(store, 'company')).has('c0')).toBe(true);
  });

  it('fails the sync with a recovery failure that is not retryable, and tries again on the next call', async () => {
    const store = createMemoryStore();
    const { engine, remote } = setup({ store });
    vi.spyOn(store.syncState, 'outboxList').mockResolvedValueOnce(
      err(new IntegrationError('OPERATION_FAILED', 'no such table', { retryable: false })),
    );
    const failed = await engine.upsertMany('company', companies(1));
    expect(failed.success || failed.error).toMatchObject({
      code: 'OPERATION_FAILED',
      message: 'no such table',
    });
    expect(remote.calls.upsert).toBe(0);
    expect(unwrap(await engine.upsertMany('company', companies(1)))).toMatchObject({ created: 1 });
  });

  it.each([
    ['answers no ApiResult', async () => undefined],
    ['answers data that is not a Map', async () => ok({})],
  ])('does not stay broken after a remote whose find %s during recovery', async (_, find) => {
    const store = createMemoryStore();
    const remote = createMemoryRemote();
    const real = remote.find;
    let calls = 0;
    // Garbage once, then the real answers: the engine must recover on the next call.
    remote.find = ((type, ids) => (calls++ === 0 ? find() : real(type, ids))) as typeof remote.find;
    const { engine } = setup({ store, remote });
    await landed(remote, ['c0']);
    await leaveInFlight(store, 'company', ['c0']);
    const first = await engine.upsertMany('company', companies(1, '', 5));
    expect(first.success || first.error).toMatchObject({ code: 'OPERATION_FAILED' });
    expect(unwrap(await engine.upsertMany('company', companies(1, '', 5)))).toMatchObject({ created: 1 });
    expect(await outboxOf(store, 'company')).toEqual([]);
  });

  it('recover() runs again when asked; the sync itself recovers once per engine', async () => {
    const store = createMemoryStore();
    const { engine, remote } = setup({ store });
    await landed(remote, ['c0']);
    await leaveInFlight(store, 'company', ['c0', 'c1']);
    expect(unwrap(await engine.recover())).toEqual({ recovered: 1, discarded: 1 });
    // Entries a later failure left behind are settled by the next explicit call.
    await leaveInFlight(store, 'company', ['c2']);
    resetCalls(remote);
    expect(unwrap(await engine.recover())).toEqual({ recovered: 0, discarded: 1 });
    expect(remote.calls.find).toBe(1);
    resetCalls(remote);
    unwrap(await engine.upsertMany('company', companies(1, '', 3)));
    expect(remote.calls.find).toBe(0);
  });
});
