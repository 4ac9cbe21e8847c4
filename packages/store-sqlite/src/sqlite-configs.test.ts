// Configuration on a real SQLite file: precedence through resolveIntegrationConfig, field-named errors,
// and an API key that is neither readable in the table nor printable from the resolved config.

import { DatabaseSync } from 'node:sqlite';
import { inspect } from 'node:util';
import { createConfigStore, resolveIntegrationConfig } from '@patchbay/core';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeTempDbs, tempDbPath } from '../test-support/temp-db.ts';
import { createSqliteStore } from './sqlite-store.ts';

afterAll(removeTempDbs);

const SECRET_KEY = 'sqlite-config-test-secret-key-0001';
const DB_API_KEY = 'tw_live_DATABASE_0123456789abcdef';
const ENV_API_KEY = 'tw_live_ENVIRONMENT_0123456789abcdef';
const env = {
  TWENTY_CRM_BASE_URL: 'https://env.example.com',
  TWENTY_CRM_API_KEY: ENV_API_KEY,
  TWENTY_CRM_ENABLED: 'true',
  TWENTY_CRM_SYNC_MODE: 'platform',
};

let path: string;
let store: ReturnType<typeof createSqliteStore>;
beforeEach(() => {
  path = tempDbPath();
  store = createSqliteStore({ path });
});
afterEach(() => store.close());

const configsOf = (s = store) => createConfigStore({ rows: s.configs, secretKey: SECRET_KEY });
const resolve = (environment: Record<string, string | undefined> = env) =>
  resolveIntegrationConfig({
    integration: 'twenty-crm',
    store: configsOf(),
    env: environment,
    envPrefix: 'TWENTY_CRM',
  });

describe('integration configuration on SQLite', () => {
  it('reads env and defaults while the database has no row', async () => {
    const result = await resolve();
    if (!result.success) throw result.error;
    expect(result.data.config).toMatchObject({
      baseUrl: 'https://env.example.com',
      enabled: true,
      syncMode: 'platform',
    });
    expect(result.data.config.apiKey?.reveal()).toBe(ENV_API_KEY);
    expect(result.data.origins).toMatchObject({
      baseUrl: 'env',
      apiKey: 'env',
      enabled: 'env',
      syncMode: 'env',
    });
  });

  it('prefers the database row field by field, its enabled=false over env true included', async () => {
    const created = await configsOf().createConfig(
      'twenty-crm',
      { baseUrl: 'https://db.example.com', apiKey: DB_API_KEY, enabled: false },
      'admin',
    );
    if (!created.success) throw created.error;
    const result = await resolve();
    if (!result.success) throw result.error;
    expect(result.data.config).toMatchObject({
      baseUrl: 'https://db.example.com',
      enabled: false,
      syncMode: 'disabled',
    });
    expect(result.data.config.apiKey?.reveal()).toBe(DB_API_KEY);
    expect(result.data.origins).toEqual({
      baseUrl: 'database',
      apiKey: 'database',
      enabled: 'database',
      syncMode: 'database',
      settings: 'defaults',
    });
  });

  it('falls through to env for fields the row leaves empty', async () => {
    await configsOf().createConfig('twenty-crm', { enabled: true, syncMode: 'direct_crm' }, 'admin');
    const result = await resolve();
    if (!result.success) throw result.error;
    expect(result.data.config.baseUrl).toBe('https://env.example.com');
    expect(result.data.config.apiKey?.reveal()).toBe(ENV_API_KEY);
    expect(result.data.origins).toMatchObject({
      baseUrl: 'env',
      apiKey: 'env',
      enabled: 'database',
      syncMode: 'database',
    });
  });

  it('survives a restart: a new store on the same file reads and decrypts the same configuration', async () => {
    await configsOf().createConfig(
      'twenty-crm',
      { apiKey: DB_API_KEY, baseUrl: 'https://db.example.com' },
      'admin',
    );
    await store.close();
    store = createSqliteStore({ path });
    const read = await configsOf().getConfig('twenty-crm');
    expect(read.success && read.data?.apiKey?.reveal()).toBe(DB_API_KEY);
  });

  it('names every bad field with its origin, from env and from the database', async () => {
    // A row written around the validating service (by hand, or an older release) with a bad URL.
    await store.configs.create('twenty-crm', { baseUrl: 'not-a-url', enabled: true }, null);
    const result = await resolve({ TWENTY_CRM_SYNC_MODE: 'sideways', TWENTY_CRM_ENABLED: 'maybe' });
    if (result.success) throw new Error('expected a failure');
    expect(result.error.code).toBe('CONFIG_ERROR');
    const fields = result.error.issues?.map((issue) => issue.field).sort();
    // enabled comes from the row (valid), so env's "maybe" is never read; syncMode too: the row has one.
    expect(fields).toEqual(['apiKey', 'baseUrl']);
    expect(result.error.message).toContain(
      "baseUrl (from database row 'twenty-crm'): must be an http(s) URL",
    );
    expect(result.error.message).toContain('apiKey (not set; looked in');
    expect(result.error.message).not.toContain('not-a-url');
  });

  it('names each invalid env variable when there is no row', async () => {
    const result = await resolve({
      TWENTY_CRM_BASE_URL: 'mailto:someone@example.com',
      TWENTY_CRM_API_KEY: ENV_API_KEY,
      TWENTY_CRM_ENABLED: 'maybe',
      TWENTY_CRM_SYNC_MODE: ' sideways',
    });
    if (result.success) throw new Error('expected a failure');
    expect(result.error.issues?.map((issue) => issue.field).sort()).toEqual([
      'baseUrl',
      'enabled',
      'syncMode',
    ]);
    for (const variable of ['TWENTY_CRM_BASE_URL', 'TWENTY_CRM_ENABLED', 'TWENTY_CRM_SYNC_MODE']) {
      expect(result.error.message).toContain(`from env ${variable}`);
    }
    for (const value of ['mailto:', 'maybe', 'sideways', ENV_API_KEY])
      expect(result.error.message).not.toContain(value);
  });

  it('refuses invalid input to createConfig by field name, writing nothing', async () => {
    const result = await configsOf().createConfig(
      'twenty-crm',
      { baseUrl: 'ftp://x.example', apiKey: '', syncMode: 'always ' },
      'admin',
    );
    expect(result.success === false && result.error.code).toBe('VALIDATION_ERROR');
    expect(result.success === false && result.error.issues?.map((i) => i.field).sort()).toEqual([
      'apiKey',
      'baseUrl',
      'syncMode',
    ]);
    expect(await store.configs.exists('twenty-crm')).toEqual({ success: true, data: false });
  });

  it('stores the API key encrypted: the raw column holds a v1 ciphertext, never the key', async () => {
    await configsOf().createConfig(
      'twenty-crm',
      { apiKey: DB_API_KEY, baseUrl: 'https://db.example.com' },
      'admin',
    );
    const raw = new DatabaseSync(path, { readOnly: true });
    const row = raw.prepare('SELECT * FROM integration_configs WHERE integration = ?').get('twenty-crm');
    raw.close();
    const secrets = JSON.parse(String(row?.secrets)) as Record<string, string>;
    expect(Object.keys(secrets)).toEqual(['apiKey']);
    expect(secrets.apiKey).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(JSON.stringify(row)).not.toContain(DB_API_KEY);
    // Nor anywhere in the file, the WAL included (the page may not be checkpointed yet).
    const { readFileSync, existsSync } = await import('node:fs');
    for (const file of [path, `${path}-wal`]) {
      if (existsSync(file)) expect(readFileSync(file).includes(Buffer.from(DB_API_KEY))).toBe(false);
    }
  });

  it('never prints the key: JSON.stringify and inspect of the resolved config show [REDACTED]', async () => {
    await configsOf().createConfig(
      'twenty-crm',
      { apiKey: DB_API_KEY, baseUrl: 'https://db.example.com', enabled: true },
      'admin',
    );
    const result = await resolve();
    if (!result.success) throw result.error;
    const printed = [
      JSON.stringify(result.data),
      inspect(result.data, { depth: 20 }),
      String(result.data.config.apiKey),
    ];
    for (const output of printed) {
      expect(output).not.toContain(DB_API_KEY);
      expect(output).toContain('[REDACTED]');
    }
    const read = await configsOf().getConfig('twenty-crm');
    expect(JSON.stringify(read)).not.toContain(DB_API_KEY);
    expect(inspect(read, { depth: 20 })).not.toContain(DB_API_KEY);
  });

  it('answers CONFIG_ERROR when the secret key changed since the key was stored', async () => {
    await configsOf().createConfig('twenty-crm', { apiKey: DB_API_KEY }, 'admin');
    const rotated = createConfigStore({
      rows: store.configs,
      secretKey: 'a-completely-different-secret-key',
    });
    const result = await resolveIntegrationConfig({
      integration: 'twenty-crm',
      store: rotated,
      env,
      envPrefix: 'TWENTY_CRM',
    });
    if (result.success) throw new Error('expected a failure');
    expect(result.error.code).toBe('CONFIG_ERROR');
    expect(result.error.message).toContain('The secret key does not decrypt the stored API key');
    expect(JSON.stringify(result.error)).not.toContain(DB_API_KEY);
  });
});

describe('config rows on SQLite', () => {
  it('round-trips nested settings and booleans through the JSON and integer columns', async () => {
    const settings = { objects: ['person'], nested: { n: 1.5, flag: false, none: null }, text: 'é"\'' };
    const created = await store.configs.create('crm', { settings, enabled: true }, 'u');
    expect(created.success && created.data.settings).toEqual(settings);
    const read = await store.configs.get('crm');
    expect(read.success && read.data).toMatchObject({ settings, enabled: true });
  });

  it('refuses a value the table would refuse with a VALIDATION_ERROR naming it, before writing', async () => {
    const result = await store.configs.create('crm', { syncMode: '' }, 'u');
    expect(result.success === false && result.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      field: 'input.syncMode',
    });
    expect(await store.configs.exists('crm')).toEqual({ success: true, data: false });
  });

  it('merges secrets into the JSON column in one statement: other names are kept, null removes one', async () => {
    await store.configs.create('crm', { secrets: { apiKey: 'v1.a.a', clientSecret: 'v1.b.b' } }, 'u');
    const updated = await store.configs.update(
      'crm',
      { secrets: { clientSecret: null, tokenSet: 'v1.c.c' } },
      'u',
    );
    expect(updated.success && updated.data.secrets).toEqual({ apiKey: 'v1.a.a', tokenSet: 'v1.c.c' });
    const raw = new DatabaseSync(path, { readOnly: true });
    const row = raw.prepare('SELECT secrets FROM integration_configs WHERE integration = ?').get('crm');
    raw.close();
    expect(JSON.parse(String(row?.secrets))).toEqual({ apiKey: 'v1.a.a', tokenSet: 'v1.c.c' });
  });

  it('keeps a mode no CHECK knows: the connector decides which modes exist', async () => {
    const created = await store.configs.create('crm', { syncMode: 'webhook_only' }, 'u');
    expect(created.success && created.data.syncMode).toBe('webhook_only');
  });
});
