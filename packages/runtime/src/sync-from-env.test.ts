import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ConnectorConfig,
  createConfigStore,
  defineConnector,
  IntegrationError,
  revealSecret,
  type Secret,
} from '@patchbay/core';
import { createMemoryStore, type IntegrationStore } from '@patchbay/core/store';
import {
  hostileValues,
  throwingProxy,
  watchProcessFailures,
  withThrowingGetter,
} from '@patchbay/core/testing';
import { createSqliteStore } from '@patchbay/store-sqlite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { createSyncFromEnv, type SyncFromEnvOptions } from './sync-from-env.ts';

const SECRET = 'patchbay-test-secret-key-0123456789';
const API_KEY = 'ak_Vb6Nq3Wz8Lp2Kd5';

const acme = defineConnector({
  id: 'acme-crm',
  envPrefix: 'ACME_CRM',
  displayName: 'Acme CRM',
  credentials: { apiKey: { secret: true }, projectId: { secret: false, required: false } },
  settings: z.object({ pageSize: z._default(z.int(), 100) }),
  modes: ['disabled', 'mirror'],
});

/** A stand-in sync: what it was built from. */
interface FakeSync {
  config: ConnectorConfig;
  store: IntegrationStore;
}
const createSync = (config: ConnectorConfig, store: IntegrationStore): FakeSync => ({ config, store });

const dbUrl = () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'patchbay-runtime-env-')), 'patchbay.db')}`;
const build = (options: Partial<SyncFromEnvOptions<FakeSync>>) =>
  createSyncFromEnv({ connector: acme, createSync, env: {}, ...options } as SyncFromEnvOptions<FakeSync>);

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('createSyncFromEnv', () => {
  it('is disabled by default on the database PATCHBAY_DATABASE_URL names, needing neither URL nor key', async () => {
    const built = await build({ env: { PATCHBAY_DATABASE_URL: 'memory:' } });
    if (!built.success) throw built.error;
    expect(built.data.config).toEqual({
      integration: 'acme-crm',
      credentials: {},
      enabled: false,
      syncMode: 'disabled',
      settings: { pageSize: 100 },
    });
    expect(built.data.sync.store).toBe(built.data.store);
    await built.data.store.close();
  });

  it("reads the connector's variables, naming where each value came from", async () => {
    const built = await build({
      env: {
        PATCHBAY_DATABASE_URL: 'memory:',
        ACME_CRM_BASE_URL: 'https://acme.example',
        ACME_CRM_API_KEY: API_KEY,
        ACME_CRM_PROJECT_ID: 'p-1',
        ACME_CRM_ENABLED: 'yes',
        ACME_CRM_SYNC_MODE: 'mirror',
      },
    });
    if (!built.success) throw built.error;
    expect(built.data.config).toMatchObject({
      baseUrl: 'https://acme.example',
      credentials: { projectId: 'p-1' },
      enabled: true,
      syncMode: 'mirror',
    });
    expect(built.data.config.credentials.apiKey?.toString()).toBe('[REDACTED]');
    expect(built.data.origins).toMatchObject({
      baseUrl: 'env',
      apiKey: 'env',
      enabled: 'env',
      settings: 'defaults',
    });
    await built.data.store.close();
  });

  it('lets the database row win over env, decrypted with PATCHBAY_SECRET_KEY', async () => {
    const url = dbUrl();
    const store = createSqliteStore({ path: url.slice('sqlite:'.length) });
    const configs = createConfigStore({ rows: store.configs, secretKey: SECRET });
    const saved = await configs.createConfig(
      'acme-crm',
      {
        baseUrl: 'https://db.example',
        apiKey: API_KEY,
        enabled: true,
        syncMode: 'mirror',
        settings: { pageSize: 7 },
      },
      'admin-1',
    );
    expect(saved.success).toBe(true);
    await store.close();

    const built = await build({
      env: {
        PATCHBAY_DATABASE_URL: url,
        PATCHBAY_SECRET_KEY: SECRET,
        ACME_CRM_BASE_URL: 'https://env.example',
        ACME_CRM_ENABLED: 'false',
      },
    });
    if (!built.success) throw built.error;
    expect(built.data.config).toMatchObject({
      baseUrl: 'https://db.example',
      enabled: true,
      syncMode: 'mirror',
      settings: { pageSize: 7 },
    });
    expect(revealSecret(built.data.config.credentials.apiKey as Secret)).toBe(API_KEY);
    expect(built.data.origins).toMatchObject({
      baseUrl: 'database',
      apiKey: 'database',
      enabled: 'database',
    });
    await built.data.store.close();
  });

  it('takes storeUrl and secretKey over the variables, and a given store over both', async () => {
    const given = createMemoryStore();
    await createConfigStore({ rows: given.configs, secretKey: SECRET }).createConfig(
      'acme-crm',
      { baseUrl: 'https://given.example', apiKey: API_KEY },
      null,
    );
    const built = await build({
      env: { PATCHBAY_DATABASE_URL: 'mysql://ignored', PATCHBAY_SECRET_KEY: 'too-short' },
      store: given,
      secretKey: SECRET,
    });
    if (!built.success) throw built.error;
    expect(built.data.store).toBe(given);
    expect(built.data.config.baseUrl).toBe('https://given.example');

    const fromUrl = await build({ env: { PATCHBAY_DATABASE_URL: 'mysql://ignored' }, storeUrl: 'memory:' });
    expect(fromUrl.success).toBe(true);
    const badUrl = await build({ env: { PATCHBAY_DATABASE_URL: 'memory:' }, storeUrl: 'mysql://u:pw@x/db' });
    expect(badUrl.success || badUrl.error).toMatchObject({ code: 'CONFIG_ERROR', field: 'storeUrl' });
  });

  it('names PATCHBAY_DATABASE_URL for a database it cannot open', async () => {
    const built = await build({ env: { PATCHBAY_DATABASE_URL: 'mysql://root:hunter2@db/app' } });
    expect(built.success || built.error).toMatchObject({
      code: 'CONFIG_ERROR',
      field: 'PATCHBAY_DATABASE_URL',
    });
    expect(JSON.stringify(built.success || built.error)).not.toContain('hunter2');
  });

  it('a stored configuration without a secret key is a CONFIG_ERROR naming the key; a given store stays open', async () => {
    const url = dbUrl();
    const store = createSqliteStore({ path: url.slice('sqlite:'.length) });
    await createConfigStore({ rows: store.configs, secretKey: SECRET }).createConfig(
      'acme-crm',
      { baseUrl: 'https://db.example', apiKey: API_KEY, enabled: true },
      null,
    );
    await store.close();
    const built = await build({ env: { PATCHBAY_DATABASE_URL: url } });
    expect(built.success || built.error).toMatchObject({
      code: 'CONFIG_ERROR',
      field: 'PATCHBAY_SECRET_KEY',
      message: expect.stringContaining('Acme CRM'),
    });
    const given = createMemoryStore();
    await createConfigStore({ rows: given.configs, secretKey: SECRET }).createConfig('acme-crm', {}, null);
    expect((await build({ store: given })).success).toBe(false);
    expect((await given.configs.exists('acme-crm')).success).toBe(true);
  });

  it('an invalid secret key is a CONFIG_ERROR naming where it came from', async () => {
    const fromEnv = await build({ env: { PATCHBAY_DATABASE_URL: 'memory:', PATCHBAY_SECRET_KEY: 'short' } });
    expect(fromEnv.success || fromEnv.error).toMatchObject({
      code: 'CONFIG_ERROR',
      field: 'PATCHBAY_SECRET_KEY',
    });
    const fromOption = await build({ storeUrl: 'memory:', secretKey: 'short' });
    expect(fromOption.success || fromOption.error).toMatchObject({
      code: 'CONFIG_ERROR',
      field: 'secretKey',
    });
  });

  it('names every bad setting with its variable, never its value', async () => {
    const built = await build({
      env: {
        PATCHBAY_DATABASE_URL: 'memory:',
        ACME_CRM_ENABLED: 'true',
        ACME_CRM_BASE_URL: 'ftp://nope',
        ACME_CRM_SYNC_MODE: 'sometimes',
      },
    });
    if (built.success) throw new Error('built');
    expect(built.error.code).toBe('CONFIG_ERROR');
    expect((built.error.issues ?? []).map((issue) => issue.field)).toEqual(
      expect.arrayContaining(['baseUrl', 'syncMode', 'apiKey']),
    );
    expect(built.error.message).toContain('ACME_CRM_BASE_URL');
    expect(built.error.message).not.toContain('sometimes');
  });

  it('closes the store it opened when createSync throws, passing on only an IntegrationError', async () => {
    let seen: IntegrationStore | undefined;
    const leaky = await build({
      storeUrl: 'memory:',
      createSync: (_, store) => {
        seen = store;
        throw new Error(`bad key ${API_KEY}`);
      },
    });
    expect(leaky.success || leaky.error).toMatchObject({
      code: 'CONFIG_ERROR',
      message: 'Could not build the sync',
    });
    expect(JSON.stringify(leaky.success || leaky.error)).not.toContain(API_KEY);
    expect((await seen?.configs.exists('acme-crm'))?.success).toBe(false);
    const typed = await build({
      storeUrl: 'memory:',
      createSync: () => {
        throw new IntegrationError('CONFIG_ERROR', 'mode mirror needs a project', { field: 'syncMode' });
      },
    });
    expect(typed.success || typed.error).toMatchObject({ field: 'syncMode' });
  });

  it('waits for an async createSync', async () => {
    const built = await build({
      storeUrl: 'memory:',
      createSync: async (config, store) => ({ config, store }),
    });
    expect(built.success && built.data.sync.config.integration).toBe('acme-crm');
  });

  it('reads process.env when no env is given', async () => {
    vi.stubEnv('PATCHBAY_DATABASE_URL', 'memory:');
    vi.stubEnv('ACME_CRM_SYNC_MODE', 'mirror');
    const built = await build({ env: undefined });
    expect(built.success && built.data.config.syncMode).toBe('mirror');
  });
});

describe('createSyncFromEnv with hostile options', () => {
  it.each(hostileValues())('options of %s resolve to CONFIG_ERROR', async (_, value) => {
    const watch = watchProcessFailures();
    const built = await createSyncFromEnv(value as never);
    expect(built.success || built.error.code).toBe('CONFIG_ERROR');
    expect(await watch.stop()).toEqual([]);
  });

  it.each([
    ['connector', { ...acme }],
    ['createSync', 'not a function'],
    ['store', { mappings: {} }],
    ['storeUrl', 42],
  ])('a bad %s is a CONFIG_ERROR naming it', async (field, value) => {
    const built = await build({ [field]: value });
    expect(built.success || built.error).toMatchObject({ code: 'CONFIG_ERROR', field });
  });

  it('names an env whose getter throws, and survives a store that throws', async () => {
    const env = withThrowingGetter({ PATCHBAY_DATABASE_URL: 'memory:' }, 'ACME_CRM_API_KEY');
    const built = await build({ env, store: createMemoryStore() });
    expect(built.success || built.error).toMatchObject({
      code: 'CONFIG_ERROR',
      field: 'env.ACME_CRM_API_KEY',
    });
    const proxyEnv = await build({ env: throwingProxy() as never });
    expect(proxyEnv.success || proxyEnv.error.code).toBe('CONFIG_ERROR');
    const broken = { ...createMemoryStore(), configs: throwingProxy() };
    const withBroken = await build({ store: broken as never });
    expect(withBroken.success || withBroken.error.name).toBe('IntegrationError');
  });
});
