import { err, IntegrationError } from '@patchbay/core';
import { createMemoryStore, type IntegrationStore } from '@patchbay/core/store';
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import {
  companies,
  INTEGRATION,
  mappingsOf,
  OBJECTS,
  outboxOf,
  remoteIds,
  resetCalls,
  scope,
  setup,
  unwrap,
} from '../test-support/fixtures.ts';
import { createSyncEngine } from './engine.ts';
import type { SyncObject } from './sync-object.ts';
import { createMemoryRemote } from './testing/memory-remote.ts';

const runsOf = async (store: IntegrationStore, type: string) =>
  unwrap(await store.syncState.listRuns(`${INTEGRATION}:${type}`));

describe('createSyncEngine: upsertMany on an upsert remote', () => {
  it('writes an initial sync without a single lookup, and counts created, updated and unchanged exactly', async () => {
    const { engine, remote, store } = setup({ remote: createMemoryRemote({ maxBatchSize: 10 }) });
    const first = unwrap(await engine.upsertMany('company', companies(25)));
    expect(first).toMatchObject({ objectType: 'company', created: 25, updated: 0, unchanged: 0, failed: 0 });
    expect(remote.calls).toMatchObject({ find: 0, upsert: 3 });
    expect(remoteIds(remote, 'company').size).toBe(25);
    const mapped = await mappingsOf(store, 'company');
    expect(Object.fromEntries([...mapped].map(([id, m]) => [id, m.remoteId]))).toEqual(
      Object.fromEntries(remoteIds(remote, 'company')),
    );
    expect(await outboxOf(store, 'company')).toEqual([]);

    // 5 changed, 20 the same, 5 new: chunks of 10, the middle one unchanged and not sent.
    resetCalls(remote);
    const next = [...companies(5, ' (changed)'), ...companies(20, '', 5), ...companies(5, '', 25)];
    const second = unwrap(await engine.upsertMany('company', next));
    expect(second).toMatchObject({ created: 5, updated: 5, unchanged: 20, failed: 0 });
    expect(remote.calls).toMatchObject({ find: 0, upsert: 2 });
  });

  it('sends nothing at all for an unchanged re-sync, from a new engine on the same store too', async () => {
    const { engine, remote, store } = setup();
    unwrap(await engine.upsertMany('company', companies(30)));
    resetCalls(remote);
    expect(unwrap(await engine.upsertMany('company', companies(30)))).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: 30,
    });
    const again = createSyncEngine({ integration: INTEGRATION, objects: OBJECTS, store, remote });
    expect(unwrap(await again.upsertMany('company', companies(30)))).toMatchObject({ unchanged: 30 });
    expect(remote.calls).toEqual({ find: 0, upsert: 0, create: 0, update: 0 });
  });

  it('creates no duplicate when the local store is lost and the remote is full; the upsert tells updates apart', async () => {
    const { engine, remote } = setup();
    unwrap(await engine.upsertMany('company', companies(12)));
    const before = remoteIds(remote, 'company');
    const fresh = setup({ remote, store: createMemoryStore() });
    const report = unwrap(await fresh.engine.upsertMany('company', companies(12)));
    expect(report).toMatchObject({ created: 0, updated: 12, failed: 0 });
    expect(remoteIds(remote, 'company')).toEqual(before);
    const mapped = await mappingsOf(fresh.store, 'company');
    expect(new Map([...mapped].map(([id, m]) => [id, m.remoteId]))).toEqual(before);
  });
});

describe('createSyncEngine: upsertMany on a create-update remote', () => {
  it('looks records up first, creates the new ones and updates the known ones by remote id', async () => {
    const remote = createMemoryRemote({ capability: 'create-update', maxBatchSize: 20 });
    const { engine } = setup({ remote });
    expect(unwrap(await engine.upsertMany('company', companies(10)))).toMatchObject({ created: 10 });
    expect(remote.calls).toMatchObject({ find: 1, create: 1, update: 0 });
    const ids = remoteIds(remote, 'company');

    resetCalls(remote);
    const next = [...companies(3, ' (changed)'), ...companies(7, '', 3), ...companies(2, '', 10)];
    expect(unwrap(await engine.upsertMany('company', next))).toMatchObject({
      created: 2,
      updated: 3,
      unchanged: 7,
    });
    // The 10 known ones come from the cache; only the 2 new ones are looked up.
    expect(remote.calls).toMatchObject({ find: 1, create: 1, update: 1 });
    const after = remoteIds(remote, 'company');
    for (const [id, remoteId] of ids) expect(after.get(id)).toBe(remoteId);
    const changed = remote.records('company').find((record) => record.externalId === 'c0');
    expect(changed).toMatchObject({ writes: 2, input: { name: 'Company 0 (changed)' } });
  });

  it('creates no duplicate when the local store is lost: the lookup finds what the remote has', async () => {
    const remote = createMemoryRemote({ capability: 'create-update' });
    const { engine } = setup({ remote });
    unwrap(await engine.upsertMany('company', companies(8)));
    const before = remoteIds(remote, 'company');
    resetCalls(remote);
    const fresh = setup({ remote, store: createMemoryStore() });
    // 4 of them changed meanwhile: those are updated in place, the others found unchanged.
    const records = [...companies(4, ' (changed)'), ...companies(4, '', 4)];
    const report = unwrap(await fresh.engine.upsertMany('company', records));
    expect(report).toMatchObject({ created: 0, updated: 4, unchanged: 4, failed: 0 });
    expect(remote.calls).toMatchObject({ create: 0, update: 1 });
    expect(remoteIds(remote, 'company')).toEqual(before);
  });
});

describe('createSyncEngine: calls and their answers', () => {
  it('mode disabled answers skipped and touches neither the remote nor the store', async () => {
    const store = createMemoryStore();
    const spies = [
      vi.spyOn(store.syncState, 'acquireLease'),
      vi.spyOn(store.syncState, 'startRun'),
      vi.spyOn(store.syncState, 'outboxList'),
      vi.spyOn(store.mappings, 'getMany'),
    ];
    const { engine, remote } = setup({ store, mode: 'disabled' });
    const records = {
      [Symbol.iterator]: vi.fn(() => [][Symbol.iterator]()),
    };
    expect(unwrap(await engine.upsertMany('company', records))).toMatchObject({
      mode: 'disabled',
      skipped: 'disabled',
      created: 0,
      updated: 0,
      unchanged: 0,
      failed: 0,
    });
    expect(unwrap(await engine.upsertOne('company', companies(1)[0]!))).toEqual({
      remoteId: null,
      created: false,
      updated: false,
      unchanged: false,
      skipped: 'disabled',
    });
    expect(records[Symbol.iterator]).not.toHaveBeenCalled();
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    expect(remote.calls).toEqual({ find: 0, upsert: 0, create: 0, update: 0 });
  });

  it('reports the mode it was given', async () => {
    const { engine } = setup({ mode: 'platform' });
    expect(unwrap(await engine.upsertMany('company', companies(1)))).toMatchObject({ mode: 'platform' });
  });

  it.each([['nobody'], [''], [undefined], [42], ['toString'], ['__proto__']])(
    'refuses the type %j with a VALIDATION_ERROR naming type',
    async (type) => {
      const { engine, remote } = setup();
      for (const result of [
        await engine.upsertMany(type as 'company', companies(1)),
        await engine.upsertOne(type as 'company', companies(1)[0]!),
      ]) {
        expect(result.success || result.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'type' });
      }
      expect(remote.calls.upsert).toBe(0);
    },
  );

  it('refuses records that are not iterable with a VALIDATION_ERROR naming records', async () => {
    const { engine } = setup();
    for (const records of [null, 42, 'abc', {}]) {
      const result = await engine.upsertMany('company', records as never);
      expect(result.success || result.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'records' });
    }
  });

  it('upsertOne answers the remote id and whether it created, updated or left the record unchanged', async () => {
    const { engine, remote } = setup({ cache: { ttlMs: 0 } });
    const record = companies(1)[0]!;
    const created = unwrap(await engine.upsertOne('company', record));
    const remoteId = remoteIds(remote, 'company').get('c0');
    expect(created).toEqual({ remoteId, created: true, updated: false, unchanged: false });
    expect(unwrap(await engine.upsertOne('company', record))).toEqual({
      remoteId,
      created: false,
      updated: false,
      unchanged: true,
    });
    expect(unwrap(await engine.upsertOne('company', { ...record, name: 'Renamed' }))).toEqual({
      remoteId,
      created: false,
      updated: true,
      unchanged: false,
    });
  });

  it("upsertOne syncs a record whose schema reshapes it (the caller's fields are not the validated record's)", async () => {
    const contactSchema = z
      .object({ id: z.string().min(1), fullName: z.string().min(1) })
      .transform((caller) => ({ externalId: caller.id, name: caller.fullName }));
    const contact: SyncObject<z.input<typeof contactSchema>, z.output<typeof contactSchema>> = {
      schema: contactSchema,
      fields: ['id', 'fullName'],
      externalId: (record) => record.externalId,
      toInput: (record) => ({ externalId: record.externalId, name: record.name }),
    };
    const remote = createMemoryRemote();
    const engine = createSyncEngine({
      integration: INTEGRATION,
      store: createMemoryStore(),
      remote,
      objects: { contact },
    });
    const one = unwrap(await engine.upsertOne('contact', { id: 'k1', fullName: 'Kim' }));
    expect(one).toMatchObject({ created: true, remoteId: remoteIds(remote, 'contact').get('k1') });
    expect(unwrap(await engine.upsertMany('contact', [{ id: 'k2', fullName: 'Lee' }]))).toMatchObject({
      created: 1,
    });
    expect(remote.records('contact').map((record) => record.input)).toEqual([
      { externalId: 'k1', name: 'Kim' },
      { externalId: 'k2', name: 'Lee' },
    ]);
  });

  it("upsertOne's failure is the call's error: an invalid record, or the remote refusing it", async () => {
    const remote = createMemoryRemote({
      reject: (_, input) =>
        (input as { name?: string }).name === 'bad'
          ? new IntegrationError('VALIDATION_ERROR', 'name is bad', { field: 'name' })
          : undefined,
    });
    const { engine } = setup({ remote });
    const invalid = await engine.upsertOne('company', { externalId: 'c1', name: '' });
    expect(invalid.success || invalid.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'name' });
    const refused = await engine.upsertOne('company', { externalId: 'c1', name: 'bad' });
    expect(refused.success || refused.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      message: 'name is bad',
    });
  });

  it('lists its object types in declaration order, frozen', () => {
    const { engine } = setup();
    expect(engine.objectTypes).toEqual(['company', 'person']);
    expect(Object.isFrozen(engine.objectTypes)).toBe(true);
  });
});

describe('createSyncEngine: nothing rejects', () => {
  it('a remote that throws fails the records with OPERATION_FAILED and keeps them in the outbox', async () => {
    const { engine, remote, store } = setup();
    remote.failNext('upsert', { kind: 'throw' });
    const result = await engine.upsertMany('company', companies(3));
    expect(unwrap(result)).toMatchObject({ created: 0, failed: 3 });
    expect(unwrap(result).failures[0]?.error).toMatchObject({ code: 'OPERATION_FAILED' });
    // A throw may have come after the write: the outbox keeps them for recovery.
    expect(await outboxOf(store, 'company')).toEqual(['c0', 'c1', 'c2']);
    // A find that throws during a create-update sync, and upsertOne with a throwing remote, resolve too.
    const other = setup({ remote: createMemoryRemote({ capability: 'create-update' }) });
    other.remote.failNext('find', { kind: 'throw' });
    const found = unwrap(await other.engine.upsertMany('company', companies(2)));
    expect(found).toMatchObject({ failed: 2 });
    remote.failNext('upsert', { kind: 'throw' });
    const one = await engine.upsertOne('company', { externalId: 'c9', name: 'Nine' });
    expect(one.success || one.error).toMatchObject({ code: 'OPERATION_FAILED' });
  });

  it.each([
    'mappings.getMany',
    'syncState.outboxPut',
    'commitMappings',
    'syncState.startRun',
    'syncState.finishRun',
    'syncState.acquireLease',
    'syncState.releaseLease',
    'syncState.outboxList',
  ])('a store whose %s throws resolves to a typed result', async (path) => {
    const store = createMemoryStore();
    const [holder, method] = path.includes('.') ? path.split('.') : [undefined, path];
    const target = (holder ? store[holder as keyof typeof store] : store) as unknown as Record<
      string,
      () => unknown
    >;
    vi.spyOn(target, method!).mockImplementation(() => {
      throw new Error('disk on fire');
    });
    // A lease that could not be released is held until it lapses: the next calls answer CONFLICT at once.
    const { engine } = setup({ store, lease: { waitMs: 0 } });
    for (const run of [
      () => engine.upsertMany('company', companies(3)),
      () => engine.upsertOne('company', companies(1)[0]!),
      () => engine.recover(),
    ]) {
      const result = await run();
      // Either a typed failure, or a report whose failures are typed: never a rejection.
      if (!result.success) expect(result.error).toBeInstanceOf(IntegrationError);
      else if ('failures' in result.data) {
        for (const failure of result.data.failures) expect(failure.error).toBeInstanceOf(IntegrationError);
      }
    }
  });

  it('a store that throws on commit fails the records but keeps the outbox, and the run log says so', async () => {
    const store = createMemoryStore();
    vi.spyOn(store, 'commitMappings').mockImplementationOnce(() => {
      throw new Error('disk on fire');
    });
    const { engine } = setup({ store });
    const report = unwrap(await engine.upsertMany('company', companies(2)));
    expect(report).toMatchObject({ created: 0, failed: 2 });
    expect(report.failures[0]?.error).toMatchObject({ code: 'OPERATION_FAILED' });
    expect(await outboxOf(store, 'company')).toEqual(['c0', 'c1']);
  });

  it('a caller whose async iterable rejects gets the records read before synced and a typed error', async () => {
    const { engine, remote } = setup();
    async function* records() {
      yield* companies(3);
      throw new Error('cursor lost');
    }
    const result = await engine.upsertMany('company', records());
    expect(result.success || result.error).toMatchObject({ code: 'OPERATION_FAILED', field: 'records' });
    expect(remoteIds(remote, 'company').size).toBe(3);
  });
});

describe('createSyncEngine: a failure that stops the run', () => {
  const quotaSpent = () =>
    new IntegrationError('RATE_LIMIT', 'The daily quota is spent', {
      retryable: false,
      retryAfterMs: 3_600_000,
    });

  it('stops reading records at the first failure the remote says stops the run, and answers it typed', async () => {
    const remote = createMemoryRemote({ maxBatchSize: 10 });
    let quota = 3; // calls the remote answers before its quota is spent
    const upsert = remote.upsert!.bind(remote);
    remote.upsert = async (type, items) => (quota-- > 0 ? upsert(type, items) : err(quotaSpent()));
    remote.stopsRun = (error) => error.code === 'RATE_LIMIT' && !error.retryable;
    const { engine, store } = setup({ remote, concurrency: 1 });
    let pulled = 0;
    function* source() {
      for (const company of companies(100)) {
        pulled++;
        yield company;
      }
    }
    const result = await engine.upsertMany('company', source());
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error).toMatchObject({ code: 'RATE_LIMIT', retryable: false, retryAfterMs: 3_600_000 });
    expect(result.error.message).toMatch(
      /stopped after 40 of the records read \(30 created, 0 updated, 0 unchanged, 10 failed\)/,
    );
    // Not every record was read: the run stopped at once, it did not fail the other 60 one by one.
    expect(pulled).toBeLessThanOrEqual(50);
    expect(remote.records('company')).toHaveLength(30);
    const [run] = await runsOf(store, 'company');
    expect(run).toMatchObject({ status: 'failed', lastErrorCode: 'RATE_LIMIT' });

    // The quota back: the next run writes the rest, and what was written is not written again.
    quota = Number.POSITIVE_INFINITY;
    expect(unwrap(await engine.upsertMany('company', companies(100)))).toMatchObject({
      created: 70,
      unchanged: 30,
      failed: 0,
    });
    expect(remote.records('company')).toHaveLength(100);
  });

  it('a stopsRun that throws stops nothing: each record fails on its own', async () => {
    const remote = createMemoryRemote({ maxBatchSize: 10 });
    remote.failNext('upsert', { kind: 'error', error: quotaSpent() });
    remote.stopsRun = () => {
      throw new Error('classifier bug');
    };
    const { engine } = setup({ remote });
    expect(unwrap(await engine.upsertMany('company', companies(30)))).toMatchObject({
      created: 20,
      failed: 10,
    });
  });
});

describe('createSyncEngine: the run log', () => {
  it('ends a clean run succeeded with its counts', async () => {
    const { engine, store } = setup();
    unwrap(await engine.upsertMany('company', companies(4)));
    unwrap(await engine.upsertMany('company', [...companies(2, ' (changed)'), ...companies(3, '', 2)]));
    const [last, first] = await runsOf(store, 'company');
    expect(first).toMatchObject({
      status: 'succeeded',
      counts: { created: 4, updated: 0, unchanged: 0, failed: 0 },
      lastErrorCode: null,
    });
    expect(last).toMatchObject({
      status: 'succeeded',
      counts: { created: 1, updated: 2, unchanged: 2, failed: 0 },
      lastErrorCode: null,
    });
    expect(last!.finishedAt).not.toBeNull();
  });

  it('ends a run with a failed record failed, with the code of its last failure', async () => {
    const { engine, store, remote } = setup();
    remote.failNext('upsert', {
      kind: 'error',
      error: new IntegrationError('RATE_LIMIT', 'slow down', { retryable: true }),
    });
    const report = unwrap(
      await engine.upsertMany('company', [...companies(2), { externalId: 'x', name: '' }]),
    );
    expect(report).toMatchObject({ created: 0, failed: 3 });
    const [run] = await runsOf(store, 'company');
    expect(run).toMatchObject({
      status: 'failed',
      counts: { created: 0, updated: 0, unchanged: 0, failed: 3 },
      lastErrorCode: 'RATE_LIMIT',
    });
  });

  it('ends a run whose source failed as failed, with the counts of what was read and the error code', async () => {
    const { engine, store } = setup();
    function* records() {
      yield* companies(2);
      throw new Error('cursor lost');
    }
    expect((await engine.upsertMany('company', records())).success).toBe(false);
    const [run] = await runsOf(store, 'company');
    expect(run).toMatchObject({
      status: 'failed',
      counts: { created: 2, failed: 0 },
      lastErrorCode: 'OPERATION_FAILED',
    });
  });

  it('logs runs per type', async () => {
    const { engine, store } = setup();
    unwrap(await engine.upsertMany('company', companies(1)));
    unwrap(await engine.upsertMany('person', [{ externalId: 'p1', name: 'Ann' }]));
    expect(await runsOf(store, 'company')).toHaveLength(1);
    expect(await runsOf(store, 'person')).toHaveLength(1);
    expect(unwrap(await store.mappings.count(scope('person')))).toBe(1);
  });
});
