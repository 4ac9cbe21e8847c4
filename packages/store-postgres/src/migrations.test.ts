import { expect, it } from 'vitest';
import { describePostgres, randomSchema, useFreshStores } from '../test-support/postgres.ts';
import { LATEST_VERSION, MIGRATIONS, type Migration, migrate } from './migrations.ts';

describePostgres('migrations', () => {
  const { open, admin } = useFreshStores();

  it('creates the schema and every table on open, recording the version', async () => {
    const schema = randomSchema();
    const store = open({ schema });
    expect(await store.ready()).toEqual({ success: true, data: { schemaVersion: LATEST_VERSION } });
    const tables = await admin()<{ table_name: string }[]>`
      select table_name from information_schema.tables where table_schema = ${schema} order by table_name`;
    expect(tables.map((t) => t.table_name)).toEqual([
      'checkpoints',
      'configs',
      'leases',
      'mappings',
      'outbox',
      'queue_messages',
      'runs',
      'schema_migrations',
      'seen_ids',
    ]);
    const versions = await admin()`select version, name from ${admin()(schema)}.schema_migrations`;
    expect(versions).toEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
  });

  it('lets many stores open the same new schema at once: one migrates, the others wait and find it done', async () => {
    const schema = randomSchema();
    const stores = Array.from({ length: 6 }, () => open({ schema, poolSize: 1 }));
    const results = await Promise.all(stores.map((store) => store.ready()));
    expect(results).toEqual(stores.map(() => ({ success: true, data: { schemaVersion: LATEST_VERSION } })));
    const [row] = await admin()<{ n: number }[]>`
      select count(*)::int as n from ${admin()(schema)}.schema_migrations`;
    expect(row?.n).toBe(MIGRATIONS.length);
  });

  it('applies only the versions a schema lacks', async () => {
    const schema = randomSchema();
    await open({ schema }).ready();
    const next: Migration = {
      version: LATEST_VERSION + 1,
      name: 'add a column',
      statements: (s) => [`alter table "${s}".checkpoints add column note text`],
    };
    expect(await migrate(admin(), schema, [...MIGRATIONS, next])).toBe(LATEST_VERSION + 1);
    // Run again: nothing left to apply (the alter would fail if it ran twice).
    expect(await migrate(admin(), schema, [...MIGRATIONS, next])).toBe(LATEST_VERSION + 1);
  });

  it('brings a schema at version 1 (the first release) to seen_ids, keeping its data', async () => {
    const schema = randomSchema();
    // Version 1 as the first release left it; the store opened below tracks the schema for dropping.
    await migrate(admin(), schema, MIGRATIONS.slice(0, 1));
    await admin().unsafe(
      `insert into "${schema}".checkpoints (name, value, updated_at) values ('people', 'c1', now())`,
    );
    const store = open({ schema });
    expect(await store.ready()).toEqual({ success: true, data: { schemaVersion: LATEST_VERSION } });
    expect(await store.syncState.getCheckpoint('people')).toEqual({ success: true, data: 'c1' });
    expect(await store.seenIds.markSeen('standard-webhooks:msg_1', { ttlMs: 60_000 })).toEqual({
      success: true,
      data: true,
    });
    const indexes = await admin()<{ indexname: string }[]>`
      select indexname from pg_indexes where schemaname = ${schema} and tablename = 'seen_ids' order by indexname`;
    expect(indexes.map((i) => i.indexname)).toEqual(['seen_ids_by_expiry', 'seen_ids_pkey']);
  });

  it('brings a schema at version 2 to per-name secrets: the key ciphertext moves unchanged, the mode CHECK goes', async () => {
    const schema = randomSchema();
    await migrate(admin(), schema, MIGRATIONS.slice(0, 2));
    const insert = (integration: string, key: string | null, mode: string) =>
      admin().unsafe(
        `insert into "${schema}".configs (integration, base_url, api_key_ciphertext, enabled, sync_mode, settings,
           created_by, updated_by, created_at, updated_at)
         values ($1, 'https://a.example', $2, true, $3, '{"n":1}', 'u1', 'u2', now(), now())`,
        [integration, key, mode],
      );
    await insert('with-key', 'v1.iv.ct', 'platform');
    await insert('without-key', null, 'disabled');
    await insert('empty-key', '', 'direct_crm');
    await expect(insert('other', null, 'mirror')).rejects.toThrow(/check constraint/);

    const store = open({ schema });
    expect(await store.ready()).toEqual({ success: true, data: { schemaVersion: LATEST_VERSION } });
    expect(await store.configs.get('with-key')).toMatchObject({
      success: true,
      data: { secrets: { apiKey: 'v1.iv.ct' }, syncMode: 'platform', settings: { n: 1 }, enabled: true },
    });
    expect(await store.configs.get('without-key')).toMatchObject({ success: true, data: { secrets: {} } });
    expect(await store.configs.get('empty-key')).toMatchObject({ success: true, data: { secrets: {} } });
    expect(await store.configs.create('mirror', { syncMode: 'mirror' }, null)).toMatchObject({
      success: true,
    });
    const columns = await admin()<{ column_name: string }[]>`
      select column_name from information_schema.columns where table_schema = ${schema} and table_name = 'configs'`;
    expect(columns.map((c) => c.column_name)).not.toContain('api_key_ciphertext');
    const checks = await admin()<{ def: string }[]>`
      select pg_get_constraintdef(oid) as def from pg_constraint
      where conrelid = ${`"${schema}".configs`}::regclass and contype = 'c'`;
    expect(checks.map((c) => c.def)).toEqual(["CHECK ((jsonb_typeof(secrets) = 'object'::text))"]);
  });

  it('brings a schema at version 3 to the queue table, keeping its data', async () => {
    const schema = randomSchema();
    await migrate(admin(), schema, MIGRATIONS.slice(0, 3));
    await admin().unsafe(
      `insert into "${schema}".seen_ids (key, expires_at) values ('k', now() + interval '1 hour')`,
    );
    const store = open({ schema });
    expect(await store.ready()).toEqual({ success: true, data: { schemaVersion: LATEST_VERSION } });
    expect(await store.seenIds.markSeen('k', { ttlMs: 60_000 })).toEqual({ success: true, data: false });
    expect(await store.queue.enqueue('events', [{ id: 'a', payload: '{}' }])).toEqual({
      success: true,
      data: { added: 1 },
    });
    const indexes = await admin()<{ indexname: string }[]>`
      select indexname from pg_indexes where schemaname = ${schema} and tablename = 'queue_messages'
      order by indexname`;
    expect(indexes.map((i) => i.indexname)).toEqual(['queue_messages_order', 'queue_messages_pkey']);
  });

  it('refuses a schema migrated by a newer release, as CONFIG_ERROR', async () => {
    const schema = randomSchema();
    await open({ schema }).ready();
    await admin().unsafe(`insert into "${schema}".schema_migrations (version, name) values (999, 'future')`);
    const result = await open({ schema }).ready();
    expect(result).toMatchObject({ success: false, error: { code: 'CONFIG_ERROR', retryable: false } });
    if (!result.success) expect(result.error.message).toContain('version 999');
  });
});
