import { type IntegrationError, isIntegrationError } from '@patchbay/core';
import { createMemoryStore } from '@patchbay/core/store';
import { hostileValues, throwingProxy, thrownBy, withThrowingGetter } from '@patchbay/core/testing';
import { describe, expect, it } from 'vitest';
import { companies, companyObject, INTEGRATION, OBJECTS, setup, unwrap } from '../test-support/fixtures.ts';
import { createSyncEngine } from './engine.ts';
import { parseEngineOptions, type SyncEngineOptions, syncEngineOptionSchemas } from './options.ts';
import type { SyncRemote } from './sync-remote.ts';
import { createMemoryRemote } from './testing/memory-remote.ts';

const valid = (): SyncEngineOptions<typeof OBJECTS> => ({
  integration: INTEGRATION,
  store: createMemoryStore(),
  remote: createMemoryRemote(),
  objects: OBJECTS,
});

/** What creating an engine threw, checked to be a CONFIG_ERROR whose every issue is under `field`. */
function configError(options: unknown, field?: string): IntegrationError {
  const thrown = thrownBy(() => createSyncEngine(options as SyncEngineOptions<typeof OBJECTS>));
  expect(isIntegrationError(thrown), String(thrown)).toBe(true);
  const error = thrown as IntegrationError;
  expect(error.code).toBe('CONFIG_ERROR');
  if (field !== undefined) {
    expect(error.field === field || error.field?.startsWith(`${field}.`), error.message).toBe(true);
    for (const issue of error.issues ?? []) {
      expect(issue.field === field || issue.field.startsWith(`${field}.`), issue.field).toBe(true);
    }
  }
  return error;
}

const FIELDS = [
  'integration',
  'store',
  'remote',
  'objects',
  'batchSize',
  'concurrency',
  'cache',
  'lease',
  'mode',
  'onProgress',
  'maxReportedFailures',
  'now',
] as const;

describe('parseEngineOptions: hostile options', () => {
  it.each(hostileValues())('refuses %s as the options with a CONFIG_ERROR', (_, value) => {
    configError(value);
  });

  it('refuses options that are a Proxy whose traps throw', () => {
    configError(throwingProxy(valid()));
  });

  describe.each(FIELDS)('%s', (field) => {
    it.each(hostileValues())(
      'takes %s only as a valid value, else throws a CONFIG_ERROR naming it',
      (_, value) => {
        const thrown = thrownBy(() => createSyncEngine({ ...valid(), [field]: value }));
        // Some of these are valid for some fields (undefined for an optional one, {} for cache): then no throw.
        if (thrown !== undefined) configError({ ...valid(), [field]: value }, field);
      },
    );

    it('names it when its getter throws', () => {
      configError(withThrowingGetter(valid(), field), field);
    });
  });

  it.each([
    ['integration', { integration: ' ' }],
    ['integration', { integration: 'x'.repeat(201) }],
    ['store', { store: {} }],
    ['store', { store: throwingProxy(createMemoryStore()) }],
    ['remote', { remote: { maxBatchSize: 10, find: async () => undefined } }],
    ['remote', { remote: throwingProxy(createMemoryRemote()) }],
    ['remote.maxBatchSize', { remote: { ...createMemoryRemote(), maxBatchSize: 0 } }],
    ['remote.maxBatchSize', { remote: { ...createMemoryRemote(), maxBatchSize: 10_001 } }],
    ['remote.maxBatchSize', { remote: { ...createMemoryRemote(), maxBatchSize: 2.5 } }],
    ['remote.find', { remote: { ...createMemoryRemote(), find: 'find' } }],
    // A getter that throws inside an option is reported under that option.
    ['remote', { remote: withThrowingGetter(createMemoryRemote(), 'upsert') }],
    ['objects', { objects: {} }],
    ['objects.company', { objects: { company: null } }],
    ['objects.company.fields', { objects: { company: { ...companyObject, fields: [] } } }],
    ['objects.company.schema', { objects: { company: { ...companyObject, schema: {} } } }],
    ['objects', { objects: { company: withThrowingGetter(companyObject, 'toInput') } }],
    ['objects.company.parents', { objects: { company: { ...companyObject, parents: [] } } }],
    ['batchSize', { batchSize: 0 }],
    ['batchSize', { batchSize: 1.5 }],
    ['concurrency', { concurrency: 0 }],
    ['concurrency', { concurrency: 33 }],
    ['cache.ttlMs', { cache: { ttlMs: -1 } }],
    ['cache.maxEntries', { cache: { maxEntries: Number.POSITIVE_INFINITY } }],
    ['lease', { lease: true }],
    ['lease.ttlMs', { lease: { ttlMs: 2_999 } }],
    ['lease.waitMs', { lease: { waitMs: -1 } }],
    ['lease.owner', { lease: { owner: '  ' } }],
    ['mode', { mode: '' }],
    ['onProgress', { onProgress: 'log' }],
    ['maxReportedFailures', { maxReportedFailures: -1 }],
    ['now', { now: 0 }],
  ])('refuses a bad %s', (field, override) => {
    configError({ ...valid(), ...override }, field);
  });

  it('names every bad field at once, and never a value', () => {
    const secret = `sk_live_${'s'.repeat(200)}`;
    const error = configError({ ...valid(), integration: secret, batchSize: -5, mode: '' });
    expect(error.issues?.map((issue) => issue.field).sort()).toEqual(['batchSize', 'integration', 'mode']);
    expect(error.message).not.toContain('sk_live');
    expect(JSON.stringify(error)).not.toContain('sk_live');
  });
});

describe('parseEngineOptions: the remote', () => {
  const bare = (methods: Partial<SyncRemote>): SyncRemote => ({
    maxBatchSize: 10,
    find: (async () => undefined) as unknown as SyncRemote['find'],
    ...methods,
  });
  const write = async () => undefined;

  it.each([
    ['neither upsert nor create and update', bare({})],
    ['create without update', bare({ create: write as never })],
    ['update without create', bare({ update: write as never })],
  ])('refuses a remote with %s', (_, remote) => {
    const error = configError({ ...valid(), remote }, 'remote');
    expect(error.message).toContain('must have upsert, or both create and update');
  });

  it('takes a remote with upsert, or with create and update', () => {
    expect(thrownBy(() => createSyncEngine({ ...valid(), remote: bare({ upsert: write as never }) }))).toBe(
      undefined,
    );
    expect(
      thrownBy(() =>
        createSyncEngine({ ...valid(), remote: bare({ create: write as never, update: write as never }) }),
      ),
    ).toBe(undefined);
  });

  it("caps batchSize at the remote's maxBatchSize, which is also its default", async () => {
    expect(
      parseEngineOptions({ ...valid(), remote: createMemoryRemote({ maxBatchSize: 7 }) }).batchSize,
    ).toBe(7);
    expect(
      parseEngineOptions({ ...valid(), remote: createMemoryRemote({ maxBatchSize: 7 }), batchSize: 500 })
        .batchSize,
    ).toBe(7);
    expect(
      parseEngineOptions({ ...valid(), remote: createMemoryRemote({ maxBatchSize: 7 }), batchSize: 3 })
        .batchSize,
    ).toBe(3);
    // The memory remote refuses a call over its limit: a capped engine never sends one.
    const { engine, remote } = setup({ remote: createMemoryRemote({ maxBatchSize: 7 }), batchSize: 500 });
    expect(unwrap(await engine.upsertMany('company', companies(30)))).toMatchObject({
      created: 30,
      failed: 0,
    });
    expect(remote.calls.upsert).toBe(5);
  });

  it('fills in the defaults', () => {
    const parsed = parseEngineOptions(valid());
    expect(parsed).toMatchObject({
      concurrency: 2,
      cache: { ttlMs: 300_000, maxEntries: 10_000 },
      lease: {},
      mode: 'enabled',
      maxReportedFailures: 100,
    });
    expect(parsed.now()).toBeGreaterThan(0);
  });

  it("calls the remote's methods with the remote as this, read once", async () => {
    const records = new Map<string, string>();
    class ClassRemote {
      maxBatchSize = 10;
      prefix = 'id-';
      async find() {
        return { success: true as const, data: new Map() };
      }
      async upsert(_: string, items: readonly { externalId: string }[]) {
        const out = new Map<string, { remoteId: string }>();
        for (const item of items) {
          records.set(item.externalId, this.prefix + item.externalId);
          out.set(item.externalId, { remoteId: this.prefix + item.externalId });
        }
        return { success: true as const, data: out };
      }
    }
    const remote = new ClassRemote();
    const engine = createSyncEngine({ ...valid(), remote });
    remote.upsert = async () => {
      throw new Error('replaced after creation: never called');
    };
    expect(unwrap(await engine.upsertMany('company', companies(2)))).toMatchObject({ created: 2 });
    expect([...records.values()]).toEqual(['id-c0', 'id-c1']);
  });

  it('guards the store: a store method that throws is a typed failure, not a rejection', async () => {
    const store = createMemoryStore();
    const parsed = parseEngineOptions({ ...valid(), store });
    store.mappings.getMany = () => {
      throw new Error('disk on fire');
    };
    const result = await parsed.store.mappings.getMany({ integration: INTEGRATION, objectType: 'company' }, [
      'a',
    ]);
    expect(result.success || result.error).toMatchObject({ code: 'OPERATION_FAILED' });
  });

  it('guards the remote: a remote method that throws or rejects is a typed failure', async () => {
    const remote = createMemoryRemote();
    remote.find = () => {
      throw new Error('bug');
    };
    remote.upsert = () => Promise.reject(new Error('bug'));
    const parsed = parseEngineOptions({ ...valid(), remote });
    const found = await parsed.remote.find('company', ['a']);
    expect(found.success || found.error).toMatchObject({ code: 'OPERATION_FAILED' });
    const written = await parsed.remote.upsert!('company', []);
    expect(written.success || written.error).toMatchObject({ code: 'OPERATION_FAILED' });
  });
});

describe('syncEngineOptionSchemas', () => {
  it("checks a connector front's pass-through options exactly as the engine does", () => {
    const schemas = syncEngineOptionSchemas;
    expect(schemas.store.safeParse(createMemoryStore()).success).toBe(true);
    expect(schemas.store.safeParse({}).success).toBe(false);
    expect(schemas.concurrency.safeParse(undefined)).toMatchObject({ success: true, data: 2 });
    expect(schemas.concurrency.safeParse(33).success).toBe(false);
    expect(schemas.cacheTtlMs.safeParse(undefined)).toMatchObject({ success: true, data: 300_000 });
    expect(schemas.cacheMaxEntries.safeParse(-1).success).toBe(false);
    expect(schemas.lease.safeParse(false).success).toBe(true);
    expect(schemas.lease.safeParse({ ttlMs: 1_000 }).success).toBe(false);
    expect(schemas.onProgress.safeParse('log').success).toBe(false);
    expect(schemas.maxReportedFailures.safeParse(undefined)).toMatchObject({ success: true, data: 100 });
  });
});
