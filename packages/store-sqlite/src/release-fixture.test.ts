// A database written by the previous release (0.1.0, schema version 2: one API key column, a CHECK on the sync
// mode) opens under this one with nothing lost: core's release-fixture contract, run on a copy of the fixture.
// The fixture and what 0.1.0 answered for it were made by test-fixtures/make-release-0.1.0.ts at that release's
// commit.
import { copyFileSync, readFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { describeReleaseFixtureContract, type ReleaseFixtureExpected } from '@patchbay/core/testing';
import { afterAll } from 'vitest';
import { removeTempDbs, tempDbPath } from '../test-support/temp-db.ts';
import { SQLITE_SCHEMA_VERSION } from './migrations.ts';
import { createSqliteStore } from './sqlite-store.ts';

afterAll(removeTempDbs);

const fixture = (name: string) => fileURLToPath(new URL(`../test-fixtures/${name}`, import.meta.url));
const expected = JSON.parse(
  readFileSync(fixture('release-0.1.0.expected.json'), 'utf8'),
) as ReleaseFixtureExpected;

// A read-only connection beside the store's, closed before it returns.
function read<T>(path: string, query: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return query(db);
  } finally {
    db.close();
  }
}

const firstColumn = (path: string, sql: string) =>
  read(path, (db) =>
    db
      .prepare(sql)
      .all()
      .map((row) => Object.values(row)[0]),
  );

// Every row of every table, and the schema, as plain data.
const snapshot = (path: string) =>
  read(path, (db) => {
    const schema = db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all();
    const rows = Object.fromEntries(
      schema
        .filter((entry) => entry.type === 'table' && !String(entry.name).startsWith('sqlite_'))
        .map((entry) => [
          entry.name,
          db.prepare(`SELECT * FROM "${String(entry.name)}" ORDER BY 1, 2`).all(),
        ]),
    );
    return { schema, rows };
  });

describeReleaseFixtureContract({
  release: '0.1.0',
  expected,
  releaseVersion: 2,
  latestVersion: 4,
  storeLatestVersion: SQLITE_SCHEMA_VERSION,
  // The fixture copied, so the committed file is never migrated.
  load: async () => {
    const path = tempDbPath('release-0.1.0.db');
    copyFileSync(fixture('release-0.1.0.db'), path);
    return {
      open: async () => createSqliteStore({ path }),
      appliedVersions: async () =>
        firstColumn(path, 'SELECT version FROM schema_migrations ORDER BY version') as number[],
      seenIdKeys: async () => firstColumn(path, 'SELECT key FROM seen_ids ORDER BY key') as string[],
      snapshot: async () => snapshot(path),
    };
  },
});
