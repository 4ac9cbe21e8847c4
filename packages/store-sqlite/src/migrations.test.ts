import { DatabaseSync } from 'node:sqlite';
import { IntegrationError } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate, SQLITE_SCHEMA_VERSION } from './migrations.ts';

const tables = (db: DatabaseSync) =>
  db
    .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .all()
    .map((row) => row.name);

// Whether a transaction is still open: BEGIN fails inside one. (`db.isTransaction` says it directly, but only
// from Node 22.16; the oldest supported Node is 22.13.)
const inTransaction = (db: DatabaseSync) => {
  try {
    db.exec('BEGIN');
    db.exec('ROLLBACK');
    return false;
  } catch {
    return true;
  }
};

describe('migrate', () => {
  it('brings a version-1 database (the first release) to the seen_ids table, keeping its data', () => {
    const db = new DatabaseSync(':memory:');
    migrate(db, { migrations: MIGRATIONS.slice(0, 1) });
    db.prepare(
      `INSERT INTO mappings (integration, object_type, external_id, remote_id, content_hash, synced_at)
       VALUES ('twenty-crm', 'person', 'e1', 'r1', NULL, 1)`,
    ).run();
    expect(migrate(db)).toEqual({ from: 1, to: SQLITE_SCHEMA_VERSION });
    expect(tables(db)).toContain('seen_ids');
    expect(db.prepare('SELECT count(*) AS n FROM mappings').get()).toEqual({ n: 1 });
    expect(
      db
        .prepare(
          `SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'seen_ids' AND sql IS NOT NULL`,
        )
        .all(),
    ).toEqual([{ name: 'seen_ids_expiry' }]);
  });

  it('brings a version-2 database to per-name secrets: the API key ciphertext moves unchanged, the mode CHECK goes', () => {
    const db = new DatabaseSync(':memory:');
    migrate(db, { migrations: MIGRATIONS.slice(0, 2) });
    const insert = db.prepare(
      `INSERT INTO integration_configs (integration, base_url, api_key_ciphertext, enabled, sync_mode, settings,
         created_by, updated_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    insert.run('with-key', 'https://a.example', 'v1.iv.ct', 1, 'platform', '{"n":1}', 'u1', 'u2', 1, 2);
    insert.run('without-key', null, null, 0, 'disabled', '{}', null, null, 3, 4);
    insert.run('empty-key', null, '', 0, 'direct_crm', '{}', null, null, 5, 6);
    // Version 2 refused any other mode.
    expect(() => insert.run('other', null, null, 0, 'mirror', '{}', null, null, 7, 8)).toThrow(/CHECK/);

    expect(migrate(db, { now: () => 99 })).toEqual({ from: 2, to: SQLITE_SCHEMA_VERSION });
    expect(db.prepare('SELECT * FROM integration_configs ORDER BY created_at').all()).toEqual([
      {
        integration: 'with-key',
        base_url: 'https://a.example',
        secrets: '{"apiKey":"v1.iv.ct"}',
        enabled: 1,
        sync_mode: 'platform',
        settings: '{"n":1}',
        created_by: 'u1',
        updated_by: 'u2',
        created_at: 1,
        updated_at: 2,
      },
      expect.objectContaining({ integration: 'without-key', secrets: '{}', sync_mode: 'disabled' }),
      expect.objectContaining({ integration: 'empty-key', secrets: '{}', sync_mode: 'direct_crm' }),
    ]);
    db.prepare(
      `INSERT INTO integration_configs (integration, sync_mode, created_at, updated_at) VALUES ('other', 'mirror', 7, 8)`,
    ).run();
    expect(() =>
      db
        .prepare(
          `INSERT INTO integration_configs (integration, secrets, created_at, updated_at) VALUES ('x', '[]', 1, 1)`,
        )
        .run(),
    ).toThrow(/CHECK/);
    const columns = db
      .prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid')
      .all('integration_configs')
      .map((row) => row.name);
    expect(columns).not.toContain('api_key_ciphertext');
    expect(db.prepare('SELECT version, name FROM schema_migrations WHERE version = 3').get()).toEqual({
      version: 3,
      name: 'config secrets',
    });
    expect(tables(db)).not.toContain('integration_configs_v3');
  });

  it('brings a version-3 database to the queue table, keeping its data', () => {
    const db = new DatabaseSync(':memory:');
    migrate(db, { migrations: MIGRATIONS.slice(0, 3) });
    db.prepare(`INSERT INTO seen_ids (key, expires_at) VALUES ('k', 1)`).run();
    expect(tables(db)).not.toContain('queue_messages');
    expect(migrate(db, { now: () => 7 })).toEqual({ from: 3, to: SQLITE_SCHEMA_VERSION });
    expect(
      db.prepare('SELECT version, name, applied_at FROM schema_migrations WHERE version = 4').get(),
    ).toEqual({
      version: 4,
      name: 'queue',
      applied_at: 7,
    });
    expect(db.prepare('SELECT count(*) AS n FROM seen_ids').get()).toEqual({ n: 1 });
    expect(
      db
        .prepare(
          `SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'queue_messages' AND sql IS NOT NULL`,
        )
        .all(),
    ).toEqual([{ name: 'queue_messages_order' }]);
    // STRICT: a payload that is not text, or a count that is not an integer, is refused.
    expect(() =>
      db
        .prepare(
          `INSERT INTO queue_messages (queue, id, payload, bytes, enqueued_at, available_at) VALUES ('q', 'a', 'p', 1.5, 1, 1)`,
        )
        .run(),
    ).toThrow(/cannot store REAL/);
  });

  it('numbers migrations 1, 2, 3… without gaps, newest last', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SQLITE_SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('creates every table on an empty database and records each version with its time', () => {
    const db = new DatabaseSync(':memory:');
    expect(migrate(db, { now: () => 42 })).toEqual({ from: 0, to: SQLITE_SCHEMA_VERSION });
    expect(tables(db)).toEqual([
      'integration_configs',
      'mappings',
      'queue_messages',
      'schema_migrations',
      'seen_ids',
      'sync_checkpoints',
      'sync_leases',
      'sync_outbox',
      'sync_runs',
    ]);
    expect(db.prepare('SELECT version, applied_at FROM schema_migrations').all()).toEqual([
      { version: 1, applied_at: 42 },
      { version: 2, applied_at: 42 },
      { version: 3, applied_at: 42 },
      { version: 4, applied_at: 42 },
    ]);
  });

  it('is idempotent: a second run applies nothing', () => {
    const db = new DatabaseSync(':memory:');
    migrate(db);
    expect(migrate(db)).toEqual({ from: SQLITE_SCHEMA_VERSION, to: SQLITE_SCHEMA_VERSION });
    expect(db.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: MIGRATIONS.length });
  });

  it('applies only the versions above the current one, in order', () => {
    const db = new DatabaseSync(':memory:');
    const first = [{ version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER)' }];
    migrate(db, { migrations: first });
    const later = [
      ...first,
      { version: 3, name: 'three', sql: 'ALTER TABLE a ADD COLUMN z INTEGER' },
      { version: 2, name: 'two', sql: 'ALTER TABLE a ADD COLUMN y INTEGER' },
    ];
    expect(migrate(db, { migrations: later })).toEqual({ from: 1, to: 3 });
    expect(
      db
        .prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid')
        .all('a')
        .map((r) => r.name),
    ).toEqual(['x', 'y', 'z']);
  });

  it('rolls a failing migration back entirely, recording nothing', () => {
    const db = new DatabaseSync(':memory:');
    const broken = [
      { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER)' },
      { version: 2, name: 'two', sql: 'CREATE TABLE b (y INTEGER); THIS IS NOT SQL' },
    ];
    expect(() => migrate(db, { migrations: broken })).toThrow();
    expect(tables(db)).toEqual([]);
    expect(inTransaction(db)).toBe(false);
  });

  it('throws CONFIG_ERROR for a database from a newer release, changing nothing', () => {
    const db = new DatabaseSync(':memory:');
    migrate(db);
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(SQLITE_SCHEMA_VERSION + 5, 'future', 0);
    let thrown: unknown;
    try {
      migrate(db);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(IntegrationError);
    expect((thrown as IntegrationError).code).toBe('CONFIG_ERROR');
    expect((thrown as IntegrationError).message).toContain(`schema version ${SQLITE_SCHEMA_VERSION + 5}`);
    expect(inTransaction(db)).toBe(false);
  });
});
