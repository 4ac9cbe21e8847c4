// A schema written by the previous release (0.1.0, schema version 2: one API key column, a CHECK on the sync
// mode) opens under this one with nothing lost: every configuration (its key still decrypting with the same
// secret key), mapping, checkpoint, run, outbox entry and seen id. The dump and what 0.1.0 answered for it were
// made by test-fixtures/make-release-0.1.0.ts at that release's commit.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  createConfigStore,
  type Mapping,
  type OutboxEntry,
  resolveIntegrationConfig,
  type StoredIntegrationConfig,
  type SyncRun,
} from '@patchbay/core';
import postgres from 'postgres';
import { expect, it } from 'vitest';
import { describePostgres, randomSchema, TEST_URL, useFreshStores } from '../test-support/postgres.ts';
import { LATEST_VERSION } from './migrations.ts';

type OldConfigRow = Omit<StoredIntegrationConfig, 'secrets'> & { apiKeyCiphertext: string | null };
interface Expected {
  schema: string;
  secretKey: string;
  apiKeys: Record<string, string>;
  configRows: Record<string, OldConfigRow>;
  mappings: Record<string, Mapping[]>;
  checkpoints: Record<string, string>;
  runs: Record<string, SyncRun[]>;
  outbox: Record<string, OutboxEntry[]>;
  seenIds: string[];
}

const fixture = (name: string) => fileURLToPath(new URL(`../test-fixtures/${name}`, import.meta.url));
const expected = JSON.parse(readFileSync(fixture('release-0.1.0.expected.json'), 'utf8')) as Expected;
const dump = readFileSync(fixture('release-0.1.0.sql'), 'utf8');
const scopeOf = (key: string) => {
  const [integration = '', objectType = ''] = key.split('/');
  return { integration, objectType };
};

describePostgres('a schema written by 0.1.0 (schema version 2)', () => {
  const { open, admin } = useFreshStores();

  // The dump loaded under a fresh schema name, on a connection of its own: the dump empties its search_path.
  // Lines starting with a backslash are psql commands (\restrict), not SQL.
  async function loadDump(): Promise<string> {
    const schema = randomSchema();
    const sql = dump
      .split('\n')
      .filter((line) => !line.startsWith('\\'))
      .join('\n')
      .replaceAll(expected.schema, schema);
    const loader = postgres(TEST_URL, { max: 1, onnotice: () => {} });
    try {
      await loader.unsafe(sql);
    } finally {
      await loader.end({ timeout: 5 });
    }
    return schema;
  }

  // Every row of every table of the schema, and its columns and constraints, as plain data.
  async function snapshot(schema: string) {
    const db = admin();
    const tables = await db<{ name: string }[]>`
      select table_name as name from information_schema.tables where table_schema = ${schema} order by 1`;
    const rows: Record<string, unknown[]> = {};
    for (const { name } of tables)
      rows[name] = await db.unsafe(`select * from "${schema}"."${name}" order by 1, 2`);
    const columns = await db`
      select table_name, column_name, data_type, is_nullable, column_default from information_schema.columns
      where table_schema = ${schema} order by table_name, ordinal_position`;
    const constraints = await db`
      select conrelid::regclass::text as rel, conname, pg_get_constraintdef(oid) as def from pg_constraint
      where connamespace = ${schema}::regnamespace order by 1, 2`;
    return { rows, columns, constraints };
  }

  it('opens at the current version with every configuration intact, its key in secrets.apiKey', async () => {
    const schema = await loadDump();
    const store = open({ schema });
    expect(await store.ready()).toEqual({ success: true, data: { schemaVersion: LATEST_VERSION } });
    expect(LATEST_VERSION).toBe(3);
    for (const [integration, old] of Object.entries(expected.configRows)) {
      const { apiKeyCiphertext, ...rest } = old;
      // The ciphertext moved unchanged: byte for byte what 0.1.0 wrote.
      expect(await store.configs.get(integration)).toEqual({
        success: true,
        data: { ...rest, secrets: apiKeyCiphertext === null ? {} : { apiKey: apiKeyCiphertext } },
      });
    }
    const versions = await admin()<{ version: number }[]>`
      select version from ${admin()(schema)}.schema_migrations order by version`;
    expect(versions.map((row) => row.version)).toEqual([1, 2, 3]);
  });

  it('decrypts every API key with the same secret key, through apiKey and secrets.apiKey', async () => {
    const store = open({ schema: await loadDump() });
    const configs = createConfigStore({ rows: store.configs, secretKey: expected.secretKey });
    for (const integration of Object.keys(expected.configRows)) {
      const read = await configs.getConfig(integration);
      if (!read.success || !read.data) throw new Error(`${integration}: not readable`);
      const plain = expected.apiKeys[integration];
      if (plain === undefined) {
        expect(read.data.apiKey).toBeNull();
        expect(read.data.secrets).toEqual({});
      } else {
        expect(read.data.apiKey?.reveal()).toBe(plain);
        expect(read.data.secrets.apiKey?.reveal()).toBe(plain);
      }
    }
    const resolved = await resolveIntegrationConfig({
      integration: 'twenty-crm',
      store: configs,
      env: {},
      envPrefix: 'TWENTY_CRM',
    });
    if (!resolved.success) throw resolved.error;
    expect(resolved.data.config).toMatchObject({ enabled: true, syncMode: 'direct_crm' });
    expect(resolved.data.config.apiKey?.reveal()).toBe(expected.apiKeys['twenty-crm']);
    expect(resolved.data.origins.apiKey).toBe('database');
  });

  it('keeps every mapping, checkpoint, run, outbox entry and seen id', async () => {
    const schema = await loadDump();
    const store = open({ schema });
    for (const [key, mappings] of Object.entries(expected.mappings)) {
      const all: Mapping[] = [];
      for await (const page of store.mappings.iterate(scopeOf(key))) {
        if (!page.success) throw page.error;
        all.push(...page.data);
      }
      expect(all).toEqual(mappings);
    }
    for (const [name, value] of Object.entries(expected.checkpoints)) {
      expect(await store.syncState.getCheckpoint(name)).toEqual({ success: true, data: value });
    }
    for (const [name, runs] of Object.entries(expected.runs)) {
      expect(await store.syncState.listRuns(name)).toEqual({ success: true, data: runs });
    }
    for (const [key, entries] of Object.entries(expected.outbox)) {
      expect(await store.syncState.outboxList(scopeOf(key))).toEqual({ success: true, data: entries });
    }
    const seen = await admin()<{ key: string }[]>`select key from ${admin()(schema)}.seen_ids order by key`;
    expect(seen.map((row) => row.key)).toEqual([...expected.seenIds].sort());
    for (const key of expected.seenIds) {
      expect(await store.seenIds.markSeen(key, { ttlMs: 60_000 })).toEqual({ success: true, data: false });
    }
    // The sequences carried over too: a new run and outbox entry take the next numbers, without a clash.
    expect((await store.syncState.startRun('twenty-crm')).success).toBe(true);
    const scope = scopeOf('twenty-crm/person');
    expect(
      await store.syncState.outboxPut(scope, [
        { externalId: 'new', operation: 'create', contentHash: null, createdAt: 1 },
      ]),
    ).toEqual({ success: true, data: undefined });
  });

  it('takes new writes after the migration: a secret merged beside the migrated key, a mode 0.1.0 refused', async () => {
    const store = open({ schema: await loadDump() });
    const configs = createConfigStore({ rows: store.configs, secretKey: expected.secretKey });
    const updated = await configs.updateConfig(
      'billing-erp',
      { secrets: { clientSecret: 'cs_0123456789' }, syncMode: 'mirror' },
      'admin',
    );
    if (!updated.success) throw updated.error;
    expect(updated.data.apiKey?.reveal()).toBe(expected.apiKeys['billing-erp']);
    expect(updated.data.secrets.clientSecret?.reveal()).toBe('cs_0123456789');
    expect(updated.data.syncMode).toBe('mirror');
  });

  it('opens a second time as a no-op: the schema and every row stay as the first open left them', async () => {
    const schema = await loadDump();
    const first = open({ schema });
    expect(await first.ready()).toEqual({ success: true, data: { schemaVersion: LATEST_VERSION } });
    await first.close();
    const afterFirst = await snapshot(schema);
    const again = open({ schema });
    expect(await again.ready()).toEqual({ success: true, data: { schemaVersion: LATEST_VERSION } });
    expect(await again.configs.exists('twenty-crm')).toEqual({ success: true, data: true });
    expect(await snapshot(schema)).toEqual(afterFirst);
  });
});
