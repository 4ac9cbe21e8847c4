// SyncRemote is a contract of types: what a connector must give the engine, by capability. These tests pin its
// shape and the rule the engine enforces on it (an upsert, or both create and update).
import { type IntegrationError, ok } from '@patchbay/core';
import { createMemoryStore } from '@patchbay/core/store';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { OBJECTS } from '../test-support/fixtures.ts';
import { createSyncEngine } from './engine.ts';
import type { RemoteMatch, SyncRemote, SyncWriteOutcome, SyncWriteResult } from './sync-remote.ts';

const find: SyncRemote['find'] = async () => ok(new Map<string, RemoteMatch>());
const written: SyncRemote['create'] = async (_type, items) =>
  ok(new Map(items.map((item) => [item.externalId, { remoteId: `r-${item.externalId}`, created: true }])));

describe('SyncRemote', () => {
  it('types an outcome as a remote id or an error, and a batch result as a map by external id', () => {
    expectTypeOf<SyncWriteOutcome>().toEqualTypeOf<
      { remoteId: string; created?: boolean } | { error: IntegrationError }
    >();
    expectTypeOf<SyncWriteResult>().toEqualTypeOf<Map<string, SyncWriteOutcome>>();
    expectTypeOf<SyncRemote['stopsRun']>().toEqualTypeOf<
      ((error: IntegrationError) => boolean) | undefined
    >();
  });

  it('is accepted with an upsert, or with create and update; refused with neither or half', () => {
    const engine = (remote: SyncRemote) =>
      createSyncEngine({ integration: 'acme', objects: OBJECTS, store: createMemoryStore(), remote });
    expect(() => engine({ maxBatchSize: 10, find, upsert: written })).not.toThrow();
    expect(() => engine({ maxBatchSize: 10, find, create: written, update: written })).not.toThrow();
    for (const remote of [
      { maxBatchSize: 10, find },
      { maxBatchSize: 10, find, create: written },
    ]) {
      expect(() => engine(remote)).toThrow(
        expect.objectContaining({ code: 'CONFIG_ERROR', field: 'remote' }),
      );
    }
  });

  it('takes stopsRun as a function only', () => {
    const remote = { maxBatchSize: 10, find, upsert: written, stopsRun: 'yes' } as unknown as SyncRemote;
    expect(() =>
      createSyncEngine({ integration: 'acme', objects: OBJECTS, store: createMemoryStore(), remote }),
    ).toThrow(expect.objectContaining({ code: 'CONFIG_ERROR', field: 'remote.stopsRun' }));
  });
});
