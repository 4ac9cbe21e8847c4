import type { DatabaseSync } from 'node:sqlite';
import { IntegrationError } from '@patchbay/core';
import { inTransaction } from './transaction.ts';

/** One schema change, applied once, in version order, inside the opening transaction. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

// STRICT tables refuse a value of the wrong type instead of storing it anyway. Mappings are WITHOUT ROWID:
// the composite text key is the table, so lookups and upserts touch one b-tree instead of two.
const INITIAL_SCHEMA = `
CREATE TABLE mappings (
  integration TEXT NOT NULL,
  object_type TEXT NOT NULL,
  external_id TEXT NOT NULL,
  remote_id TEXT NOT NULL,
  content_hash TEXT,
  synced_at INTEGER NOT NULL,
  PRIMARY KEY (integration, object_type, external_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE integration_configs (
  integration TEXT PRIMARY KEY,
  base_url TEXT,
  api_key_ciphertext TEXT,
  enabled INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
  sync_mode TEXT NOT NULL DEFAULT 'disabled' CHECK (sync_mode IN ('disabled', 'platform', 'direct_crm')),
  settings TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings)),
  created_by TEXT,
  updated_by TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE sync_checkpoints (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE sync_runs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  created INTEGER NOT NULL DEFAULT 0,
  updated INTEGER NOT NULL DEFAULT 0,
  unchanged INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  last_error_code TEXT
) STRICT;
CREATE INDEX sync_runs_newest ON sync_runs (name, started_at DESC, seq DESC);

CREATE TABLE sync_leases (
  name TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  token TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;

CREATE TABLE sync_outbox (
  seq INTEGER PRIMARY KEY,
  integration TEXT NOT NULL,
  object_type TEXT NOT NULL,
  external_id TEXT NOT NULL,
  operation TEXT NOT NULL,
  content_hash TEXT,
  created_at INTEGER NOT NULL,
  UNIQUE (integration, object_type, external_id)
) STRICT;
CREATE INDEX sync_outbox_oldest ON sync_outbox (integration, object_type, created_at, seq);
`;

// Webhook replay protection: a key per accepted delivery, kept until it expires. WITHOUT ROWID: the key is the
// table; the expiry index lets each call prune what has lapsed without a scan.
const SEEN_IDS = `
CREATE TABLE seen_ids (
  key TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX seen_ids_expiry ON seen_ids (expires_at);
`;

// Configurations for any connector: every credential in `secrets` (name → ciphertext, each encrypted on its own),
// and `sync_mode` free (each connector declares its modes). SQLite cannot drop a CHECK or a column in place, so
// the table is rebuilt (the documented 12-step way; nothing references it) inside the migration transaction:
// a crash leaves the old table as it was. The API key's ciphertext moves unchanged to `secrets.apiKey`, so it
// still decrypts with the same secret key.
const CONFIG_SECRETS = `
CREATE TABLE integration_configs_v3 (
  integration TEXT PRIMARY KEY,
  base_url TEXT,
  secrets TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(secrets) AND json_type(secrets) = 'object'),
  enabled INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
  sync_mode TEXT NOT NULL DEFAULT 'disabled',
  settings TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings)),
  created_by TEXT,
  updated_by TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
INSERT INTO integration_configs_v3
  (integration, base_url, secrets, enabled, sync_mode, settings, created_by, updated_by, created_at, updated_at)
SELECT integration, base_url,
  CASE WHEN api_key_ciphertext IS NULL OR api_key_ciphertext = '' THEN '{}'
    ELSE json_object('apiKey', api_key_ciphertext) END,
  enabled, sync_mode, settings, created_by, updated_by, created_at, updated_at
FROM integration_configs;
DROP TABLE integration_configs;
ALTER TABLE integration_configs_v3 RENAME TO integration_configs;
`;

// Durable message queues (QueueStore): one row per message, `seq` (the rowid) its enqueue order. The unique key
// makes enqueue idempotent per id; the order index lets a claim walk a queue oldest first and skip messages that
// are not available (claimed or delayed) without reading their rows.
const QUEUE = `
CREATE TABLE queue_messages (
  seq INTEGER PRIMARY KEY,
  queue TEXT NOT NULL,
  id TEXT NOT NULL,
  payload TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  enqueued_at INTEGER NOT NULL,
  available_at INTEGER NOT NULL,
  owner TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  UNIQUE (queue, id)
) STRICT;
CREATE INDEX queue_messages_order ON queue_messages (queue, seq, available_at);
`;

/** Every migration this release knows, oldest first. Append only: never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial schema', sql: INITIAL_SCHEMA },
  { version: 2, name: 'seen ids', sql: SEEN_IDS },
  { version: 3, name: 'config secrets', sql: CONFIG_SECRETS },
  { version: 4, name: 'queue', sql: QUEUE },
];

/** The schema version this release writes. */
export const SQLITE_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Brings the database up to the newest known version, in ONE `BEGIN IMMEDIATE` transaction: two processes
 * opening a new file at once serialize here, and the second finds the work done. Throws `CONFIG_ERROR` when
 * the file was written by a newer release (its schema may mean something this one cannot read).
 */
export function migrate(
  db: DatabaseSync,
  options: { migrations?: readonly Migration[]; now?: () => number } = {},
): { from: number; to: number } {
  const migrations = options.migrations ?? MIGRATIONS;
  const now = options.now ?? Date.now;
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  return inTransaction(db, () => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at INTEGER NOT NULL
    ) STRICT`);
    const row = db.prepare('SELECT max(version) AS version FROM schema_migrations').get() as {
      version: number | null;
    };
    const from = row.version ?? 0;
    if (from > latest) {
      throw new IntegrationError(
        'CONFIG_ERROR',
        `The SQLite database has schema version ${from}, newer than this @patchbay/store-sqlite knows ` +
          `(${latest}): upgrade the package, or open a database written by this version`,
        { field: 'path', retryable: false },
      );
    }
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (migration.version <= from) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, now());
    }
    return { from, to: Math.max(from, latest) };
  });
}
