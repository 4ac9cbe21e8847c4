import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { describePostgres, randomSchema, useFreshStores } from '../test-support/postgres.ts';
import { createPostgresStore } from './store.ts';

const scope = { integration: 'twenty-crm', objectType: 'person' };
const mapping = (externalId: string) => ({
  externalId,
  remoteId: `r-${externalId}`,
  contentHash: `h-${externalId}`,
  syncedAt: 1_700_000_000_000,
});
const inFlight = (externalId: string) => ({
  externalId,
  operation: 'create',
  contentHash: null,
  createdAt: 1,
});

describe('createPostgresStore options', () => {
  it('throws CONFIG_ERROR for invalid options, without the connection string', () => {
    expect(() => createPostgresStore({ connectionString: 'mysql://u:hunter2-secret@db/x' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', field: 'connectionString' }),
    );
    try {
      createPostgresStore({ connectionString: 'mysql://u:hunter2-secret@db/x' });
    } catch (error) {
      expect(JSON.stringify(error)).not.toContain('hunter2');
      expect(String(error)).not.toContain('hunter2');
    }
  });

  it('connects to nothing until used, and shows no password when inspected', async () => {
    const store = createPostgresStore({ connectionString: 'postgres://u:hunter2-secret@127.0.0.1:1/x' });
    expect(inspect(store, { depth: 10, showHidden: true })).not.toContain('hunter2');
    await store.close();
  });
});

describePostgres('store', () => {
  const { open, admin } = useFreshStores();

  it('commits mappings and clears their outbox entries together', async () => {
    const store = open();
    await store.syncState.outboxPut(scope, [inFlight('a'), inFlight('b'), inFlight('c')]);
    expect(await store.commitMappings(scope, [mapping('a'), mapping('b')])).toEqual({
      success: true,
      data: { written: 2 },
    });
    const outbox = await store.syncState.outboxList(scope);
    expect(outbox.success && outbox.data.map((e) => e.externalId)).toEqual(['c']);
    const mapped = await store.mappings.getMany(scope, ['a', 'b', 'c']);
    expect(mapped.success && [...mapped.data.keys()].sort()).toEqual(['a', 'b']);
  });

  it('writes neither the mappings nor the outbox deletion when any part fails', async () => {
    const schema = randomSchema();
    const store = open({ schema });
    await store.syncState.outboxPut(scope, [inFlight('a')]);
    // Make the outbox delete (the second statement of the transaction) fail.
    await admin().unsafe(`
      create function "${schema}".refuse() returns trigger language plpgsql as $$
        begin raise exception 'refused by test'; end $$;
      create trigger refuse before delete on "${schema}".outbox for each row execute function "${schema}".refuse();
    `);
    const result = await store.commitMappings(scope, [mapping('a')]);
    expect(result).toMatchObject({ success: false, error: { code: 'OPERATION_FAILED' } });
    expect(await store.mappings.count(scope)).toEqual({ success: true, data: 0 });
    const outbox = await store.syncState.outboxList(scope);
    expect(outbox.success && outbox.data.length).toBe(1);
  });

  it('connects and migrates on ready(), and fails every call after close()', async () => {
    const store = open();
    expect(await store.ready()).toMatchObject({ success: true });
    await store.close();
    await store.close();
    expect(await store.mappings.count(scope)).toMatchObject({
      success: false,
      error: { code: 'OPERATION_FAILED', retryable: false, message: 'PostgreSQL store is closed' },
    });
    expect(await store.ready()).toMatchObject({ success: false, error: { code: 'OPERATION_FAILED' } });
  });

  it('lets a call in flight finish when closed', async () => {
    const store = open();
    await store.ready();
    const pending = store.mappings.putMany(
      scope,
      Array.from({ length: 5_000 }, (_, i) => mapping(`m${i}`)),
    );
    await store.close();
    expect(await pending).toEqual({ success: true, data: { written: 5_000 } });
  });
});
