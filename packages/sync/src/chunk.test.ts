import { err, IntegrationError, invalidInput, stableHash } from '@patchbay/core';
import { createMemoryStore } from '@patchbay/core/store';
import { withThrowingGetter } from '@patchbay/core/testing';
import { describe, expect, it, vi } from 'vitest';
import {
  type Company,
  companies,
  companyObject,
  OBJECTS,
  remoteIds,
  testContext,
  unwrap,
} from '../test-support/fixtures.ts';
import { syncChunk } from './chunk.ts';
import { UnreadableRecord } from './record-source.ts';
import { createReport } from './report.ts';
import type { SyncObject } from './sync-object.ts';
import { createMemoryRemote } from './testing/memory-remote.ts';

function chunkWith(overrides: Parameters<typeof testContext>[0] = {}) {
  const built = testContext(overrides);
  const builder = createReport('company', 'enabled', 100);
  return {
    ...built,
    builder,
    run: (records: unknown[], first = 0, type = 'company') =>
      syncChunk(built.context, type, records, first, builder),
  };
}

describe('syncChunk', () => {
  it('writes the last occurrence of an id in a chunk, once', async () => {
    const { run, builder, remote } = chunkWith();
    await run([
      { externalId: 'c1', name: 'First' },
      { externalId: 'c2', name: 'Other' },
      { externalId: 'c1', name: 'Last' },
    ]);
    expect(builder.report).toMatchObject({ created: 2, failed: 0 });
    expect(remote.records('company')).toEqual([
      expect.objectContaining({
        externalId: 'c1',
        input: expect.objectContaining({ name: 'Last' }),
        writes: 1,
      }),
      expect.objectContaining({ externalId: 'c2', writes: 1 }),
    ]);
  });

  it('fails the records it cannot read or validate, by external id or position, and writes the others', async () => {
    const { run, builder, remote } = chunkWith();
    await run(
      [
        { externalId: 'c0', name: 'Fine' },
        new UnreadableRecord(invalidInput('records.11', 'could not be read')),
        { externalId: 'c2', name: '' },
        null,
        withThrowingGetter({ externalId: 'c4', name: 'Trap' }, 'name'),
        { externalId: 'c5', name: 'Also fine' },
      ],
      10,
    );
    expect(builder.report).toMatchObject({ created: 2, failed: 4 });
    expect(builder.report.failures.map((failure) => [failure.externalId, failure.error.field])).toEqual([
      ['#11', 'records.11'],
      ['c2', 'name'],
      ['#13', '(root)'],
      ['c4', 'name'],
    ]);
    expect([...remoteIds(remote, 'company').keys()]).toEqual(['c0', 'c5']);
  });

  it('skips records whose hash is unchanged, and sends only the changed ones', async () => {
    const { context, remote } = testContext();
    const first = createReport('company', 'enabled', 100);
    await syncChunk(context, 'company', companies(4), 0, first);
    expect(first.report).toMatchObject({ created: 4 });
    const upsert = vi.spyOn(context.remote, 'upsert');
    const second = createReport('company', 'enabled', 100);
    await syncChunk(context, 'company', [...companies(3), { externalId: 'c3', name: 'Changed' }], 0, second);
    expect(second.report).toMatchObject({ created: 0, updated: 1, unchanged: 3 });
    expect(upsert).toHaveBeenCalledTimes(1);
    expect(upsert.mock.calls[0]?.[1].map((item) => item.externalId)).toEqual(['c3']);
    expect(remote.records('company').map((record) => record.writes)).toEqual([1, 1, 1, 2]);
  });

  it('hashes exactly what is sent: the mapping holds the hash of the input', async () => {
    const store = createMemoryStore();
    const { run } = chunkWith({ store });
    await run(companies(1));
    const mapping = unwrap(
      await store.mappings.getMany({ integration: 'acme-crm', objectType: 'company' }, ['c0']),
    );
    expect(mapping.get('c0')?.contentHash).toBe(
      await stableHash({ externalId: 'c0', name: 'Company 0', website: null }),
    );
  });

  it('looks records up only when the remote cannot upsert', async () => {
    const upsert = chunkWith();
    await upsert.run(companies(3));
    expect(upsert.remote.calls.find).toBe(0);
    const createUpdate = chunkWith({ remote: createMemoryRemote({ capability: 'create-update' }) });
    await createUpdate.run(companies(3));
    expect(createUpdate.remote.calls).toMatchObject({ find: 1, create: 1 });
  });

  it("fails the chunk's records with the store's error when they cannot be resolved", async () => {
    const store = createMemoryStore();
    vi.spyOn(store.mappings, 'getMany').mockResolvedValue(
      err(new IntegrationError('OPERATION_FAILED', 'database is locked', { retryable: true })),
    );
    const { run, builder, remote } = chunkWith({ store });
    await run([...companies(2), { externalId: 'bad', name: '' }]);
    expect(builder.report).toMatchObject({ created: 0, failed: 3 });
    expect(builder.report.failures.map((failure) => failure.error.message)).toEqual([
      expect.stringContaining('Invalid company bad'),
      'database is locked',
      'database is locked',
    ]);
    expect(remote.calls.upsert).toBe(0);
  });

  it("fails only the record whose mapping threw (the connector's toInput or parents), and writes the others", async () => {
    const fragile: SyncObject<Company> = {
      ...(companyObject as SyncObject<Company>),
      toInput: (record) => {
        const { externalId, name } = record as Company;
        if (name === 'Boom') throw new Error('connector bug');
        return { externalId, name, website: null };
      },
    };
    const { run, builder, remote } = chunkWith({
      objects: { ...OBJECTS, company: fragile } as typeof OBJECTS,
    });
    await run([...companies(2), { externalId: 'c9', name: 'Boom' }, ...companies(2, '', 2)]);
    expect(builder.report).toMatchObject({ created: 4, failed: 1 });
    expect(builder.report.failures).toEqual([
      { externalId: 'c9', error: expect.objectContaining({ code: 'OPERATION_FAILED' }) },
    ]);
    expect(remoteIds(remote, 'company').size).toBe(4);
  });

  it('keeps the counts exact when a mapping throws while other chunks are in flight', async () => {
    const fragile: SyncObject<Company> = {
      ...(companyObject as SyncObject<Company>),
      parents: (record) => {
        if ((record as Company).name === 'Boom') throw new Error('connector bug');
        return [];
      },
    };
    const { context } = testContext({ objects: { ...OBJECTS, company: fragile } as typeof OBJECTS });
    const builder = createReport('company', 'enabled', 100);
    await Promise.all([
      syncChunk(context, 'company', [...companies(3), { externalId: 'x', name: 'Boom' }], 0, builder),
      syncChunk(context, 'company', companies(4, '', 10), 4, builder),
      syncChunk(context, 'company', companies(4, '', 20), 8, builder),
    ]);
    expect(builder.accounted()).toBe(12);
    expect(builder.report).toMatchObject({ created: 11, failed: 1 });
  });
});
