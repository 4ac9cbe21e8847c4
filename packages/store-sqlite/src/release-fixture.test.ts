// A database written by the previous release (0.1.0, schema version 2: one API key column, a CHECK on the sync
// mode) opens under this one with nothing lost: every configuration (its key still decrypting with the same
// secret key), mapping, checkpoint, run, outbox entry and seen id. The fixture and what 0.1.0 answered for it
// were made by test-fixtures/make-release-0.1.0.ts at that release's commit.
import { copyFileSync, readFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import {
  createConfigStore,
  type Mapping,
  type OutboxEntry,
  resolveIntegrationConfig,
  type StoredIntegrationConfig,
  type SyncRun,
} from '@patchbay/core';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDbs, tempDbPath } from '../test-support/temp-db.ts';
import { SQLITE_SCHEMA_VERSION } from './migrations.ts';
import { createSqliteStore } from './sqlite-store.ts';

afterAll(removeTempDbs);

type OldConfigRow = Omit<StoredIntegrationConfig, 'secrets'> & { apiKeyCiphertext: string | null };
interface Expected {
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
const scopeOf = (key: string) => {
  const [integration = '', objectType = ''] = key.split('/');
  return { integration, objectType };
};

// The fixture copied, so the committed file is never migrated.
function openCopy() {
  const path = tempDbPath('release-0.1.0.db');
  copyFileSync(fixture('release-0.1.0.db'), path);
  return { path, store: createSqliteStore({ path }) };
}

// Every row of every table, and the schema, as plain data.
function snapshot(path: string) {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
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
  } finally {
    db.close();
  }
}

describe('a database written by 0.1.0 (schema version 2)', () => {
  it('opens at the current version with every configuration intact, its key in secrets.apiKey', async () => {
    const { path, store } = openCopy();
    try {
      for (const [integration, old] of Object.entries(expected.configRows)) {
        const { apiKeyCiphertext, ...rest } = old;
        const row = await store.configs.get(integration);
        // The ciphertext moved unchanged: byte for byte what 0.1.0 wrote.
        expect(row).toEqual({
          success: true,
          data: { ...rest, secrets: apiKeyCiphertext === null ? {} : { apiKey: apiKeyCiphertext } },
        });
      }
      const db = new DatabaseSync(path, { readOnly: true });
      const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
      db.close();
      expect(versions.map((row) => row.version)).toEqual([1, 2, 3]);
      expect(SQLITE_SCHEMA_VERSION).toBe(3);
    } finally {
      await store.close();
    }
  });

  it('decrypts every API key with the same secret key, through apiKey and secrets.apiKey', async () => {
    const { store } = openCopy();
    try {
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
      // And the application reads the same configuration through the resolver, the key from the database.
      const resolved = await resolveIntegrationConfig({
        integration: 'twenty-crm',
        store: configs,
        env: {},
        envPrefix: 'TWENTY_CRM',
      });
      if (!resolved.success) throw resolved.error;
      expect(resolved.data.config).toMatchObject({
        enabled: true,
        syncMode: 'platform',
        baseUrl: 'https://crm.example.com',
      });
      expect(resolved.data.config.apiKey?.reveal()).toBe(expected.apiKeys['twenty-crm']);
      expect(resolved.data.origins.apiKey).toBe('database');
    } finally {
      await store.close();
    }
  });

  it('keeps every mapping, checkpoint, run, outbox entry and seen id', async () => {
    const { path, store } = openCopy();
    try {
      for (const [key, mappings] of Object.entries(expected.mappings)) {
        const pages: Mapping[] = [];
        for await (const page of store.mappings.iterate(scopeOf(key))) {
          if (!page.success) throw page.error;
          pages.push(...page.data);
        }
        expect(pages).toEqual(mappings);
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
      const db = new DatabaseSync(path, { readOnly: true });
      const seen = db.prepare('SELECT key FROM seen_ids ORDER BY key').all();
      db.close();
      expect(seen.map((row) => row.key)).toEqual([...expected.seenIds].sort());
      for (const key of expected.seenIds) {
        expect(await store.seenIds.markSeen(key, { ttlMs: 60_000 })).toEqual({ success: true, data: false });
      }
    } finally {
      await store.close();
    }
  });

  it('takes new writes after the migration: a secret merged beside the migrated key, a mode 0.1.0 refused', async () => {
    const { store } = openCopy();
    try {
      const configs = createConfigStore({ rows: store.configs, secretKey: expected.secretKey });
      const updated = await configs.updateConfig(
        'twenty-crm',
        { secrets: { webhookSecret: 'whsec_0123456789' }, syncMode: 'mirror' },
        'admin-3',
      );
      if (!updated.success) throw updated.error;
      expect(updated.data.apiKey?.reveal()).toBe(expected.apiKeys['twenty-crm']);
      expect(updated.data.secrets.webhookSecret?.reveal()).toBe('whsec_0123456789');
      expect(updated.data.syncMode).toBe('mirror');
    } finally {
      await store.close();
    }
  });

  it('opens a second time as a no-op: the schema and every row stay as the first open left them', async () => {
    const { path, store } = openCopy();
    await store.close();
    const afterFirst = snapshot(path);
    const again = createSqliteStore({ path });
    expect(await again.configs.exists('twenty-crm')).toEqual({ success: true, data: true });
    await again.close();
    expect(snapshot(path)).toEqual(afterFirst);
  });
});
