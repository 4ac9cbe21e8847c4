// A schema written by the previous release (0.1.0, schema version 2: one API key column, a CHECK on the sync
// mode) opens under this one with nothing lost: core's release-fixture contract, run on the dump loaded under a
// fresh schema name. The dump and what 0.1.0 answered for it were made by test-fixtures/make-release-0.1.0.ts at
// that release's commit.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeReleaseFixtureContract, type ReleaseFixtureExpected } from '@patchbay/core/testing';
import postgres from 'postgres';
import { expect } from 'vitest';
import { describePostgres, randomSchema, TEST_URL, useFreshStores } from '../test-support/postgres.ts';
import { LATEST_VERSION } from './migrations.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../test-fixtures/${name}`, import.meta.url));
// `schema`: the name the dump carries, replaced by a fresh one on every load.
type Expected = ReleaseFixtureExpected & { schema: string };
const expected = JSON.parse(readFileSync(fixture('release-0.1.0.expected.json'), 'utf8')) as Expected;
const dump = readFileSync(fixture('release-0.1.0.sql'), 'utf8');

describePostgres('release fixtures', () => {
  const stores = useFreshStores();

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
    const db = stores.admin();
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

  describeReleaseFixtureContract({
    release: '0.1.0',
    expected,
    releaseVersion: 2,
    latestVersion: 4,
    storeLatestVersion: LATEST_VERSION,
    load: async () => {
      const schema = await loadDump();
      const db = stores.admin();
      return {
        // Every open migrates (or finds nothing to migrate) before the contract's first call.
        open: async () => {
          const store = stores.open({ schema });
          expect(await store.ready()).toEqual({ success: true, data: { schemaVersion: LATEST_VERSION } });
          return store;
        },
        appliedVersions: async () => {
          const rows = await db<{ version: number }[]>`
            select version from ${db(schema)}.schema_migrations order by version`;
          return rows.map((row) => row.version);
        },
        seenIdKeys: async () => {
          const rows = await db<{ key: string }[]>`select key from ${db(schema)}.seen_ids order by key`;
          return rows.map((row) => row.key);
        },
        snapshot: () => snapshot(schema),
      };
    },
  });
});
