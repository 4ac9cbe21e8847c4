import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { defineConnector } from '../connector/define-connector.ts';
import { isArraySafe } from '../input/caller-input.ts';
import { IntegrationError } from '../result/errors.ts';
import { type ApiResult, err } from '../result/result.ts';
import { Secret } from '../secrets/secret.ts';
import { createMemoryStore } from '../store/memory-store.ts';
import { hostileValues, throwingProxy, withThrowingGetter } from '../testing/hostile-values.ts';
import { outcome } from '../testing/outcomes.ts';
import { watchProcessFailures } from '../testing/process-failures.ts';
import { type ConfigStore, createConfigStore } from './config-store.ts';
import { resolveIntegrationConfig } from './integration-config.ts';

const SECRET_KEY = 'integration-config-test-key-000';
const DB_KEY = 'db_key_0123456789abcdef';
const ENV_KEY = 'env_key_0123456789abcdef';

const configStore = (): ConfigStore =>
  createConfigStore({ rows: createMemoryStore().configs, secretKey: SECRET_KEY });

const fullEnv = {
  TWENTY_CRM_BASE_URL: 'https://env.example.com',
  TWENTY_CRM_API_KEY: ENV_KEY,
  TWENTY_CRM_ENABLED: 'true',
  TWENTY_CRM_SYNC_MODE: 'platform',
};

const resolve = (store: ConfigStore | undefined, env: Record<string, string | undefined>) =>
  resolveIntegrationConfig({ integration: 'twenty-crm', store, env, envPrefix: 'TWENTY_CRM' });

describe('resolveIntegrationConfig', () => {
  it('reads everything from env when there is no store', async () => {
    const result = await resolve(undefined, fullEnv);
    if (!result.success) throw result.error;
    const { config, origins } = result.data;
    expect(config).toMatchObject({
      integration: 'twenty-crm',
      baseUrl: 'https://env.example.com',
      enabled: true,
      syncMode: 'platform',
      settings: {},
    });
    expect(config.apiKey).toBeInstanceOf(Secret);
    expect(config.apiKey?.reveal()).toBe(ENV_KEY);
    expect(origins).toEqual({
      baseUrl: 'env',
      apiKey: 'env',
      enabled: 'env',
      syncMode: 'env',
      settings: 'defaults',
    });
  });

  it('falls back to disabled and enabled=false when nothing is configured, without failing', async () => {
    const result = await resolve(configStore(), {});
    if (!result.success) throw result.error;
    expect(result.data.config).toEqual({
      integration: 'twenty-crm',
      credentials: {},
      enabled: false,
      syncMode: 'disabled',
      settings: {},
    });
    expect(result.data.origins).toEqual({ enabled: 'defaults', syncMode: 'defaults', settings: 'defaults' });
  });

  it('takes each field from the database row first, then env, then defaults', async () => {
    const store = configStore();
    await store.createConfig(
      'twenty-crm',
      { baseUrl: 'https://db.example.com', syncMode: 'direct_crm' },
      'u',
    );
    const result = await resolve(store, fullEnv);
    if (!result.success) throw result.error;
    expect(result.data.config.baseUrl).toBe('https://db.example.com');
    expect(result.data.config.apiKey?.reveal()).toBe(ENV_KEY);
    expect(result.data.config.syncMode).toBe('direct_crm');
    // The row exists, so its enabled (false by default) wins over env's true.
    expect(result.data.config.enabled).toBe(false);
    expect(result.data.origins).toMatchObject({
      baseUrl: 'database',
      apiKey: 'env',
      syncMode: 'database',
      enabled: 'database',
    });
  });

  it('lets a disabled database row win over TWENTY_CRM_ENABLED=true', async () => {
    const store = configStore();
    await store.createConfig('twenty-crm', { enabled: false, apiKey: DB_KEY }, 'u');
    const result = await resolve(store, fullEnv);
    if (!result.success) throw result.error;
    expect(result.data.config.enabled).toBe(false);
    expect(result.data.origins.enabled).toBe('database');
    expect(result.data.config.apiKey?.reveal()).toBe(DB_KEY);
    expect(result.data.origins.apiKey).toBe('database');
  });

  it('uses the given defaults below env, above the built-in ones', async () => {
    const result = await resolveIntegrationConfig({
      integration: 'twenty-crm',
      env: { TWENTY_CRM_SYNC_MODE: 'platform' },
      envPrefix: 'TWENTY_CRM',
      defaults: {
        baseUrl: 'http://localhost:3000',
        syncMode: 'direct_crm',
        settings: { pageSize: 60 },
        enabled: undefined,
      },
    });
    if (!result.success) throw result.error;
    expect(result.data.config).toMatchObject({
      baseUrl: 'http://localhost:3000',
      syncMode: 'platform',
      settings: { pageSize: 60 },
      enabled: false,
    });
    expect(result.data.origins).toMatchObject({ baseUrl: 'defaults', syncMode: 'env' });
  });

  it('takes settings from the row when it has some, else from the defaults', async () => {
    const store = configStore();
    await store.createConfig('twenty-crm', {}, 'u');
    const defaults = { settings: { from: 'defaults' } };
    const options = { integration: 'twenty-crm', store, env: {}, envPrefix: 'TWENTY_CRM', defaults };
    const empty = await resolveIntegrationConfig(options);
    expect(empty.success && empty.data.config.settings).toEqual({ from: 'defaults' });
    await store.updateConfig('twenty-crm', { settings: { from: 'database' } }, 'u');
    const set = await resolveIntegrationConfig(options);
    expect(set.success && set.data.config.settings).toEqual({ from: 'database' });
  });

  it('names every bad field with where it came from, never its value', async () => {
    const result = await resolve(undefined, {
      TWENTY_CRM_BASE_URL: 'ftp://env.example.com',
      TWENTY_CRM_API_KEY: ENV_KEY,
      TWENTY_CRM_ENABLED: 'perhaps',
      TWENTY_CRM_SYNC_MODE: ' sideways',
    });
    if (result.success) throw new Error('expected a failure');
    const error = result.error;
    expect(error.code).toBe('CONFIG_ERROR');
    expect(error.issues?.map((issue) => issue.field).sort()).toEqual(['baseUrl', 'enabled', 'syncMode']);
    expect(error.message).toContain('baseUrl (from env TWENTY_CRM_BASE_URL): must be an http(s) URL');
    expect(error.message).toContain('enabled (from env TWENTY_CRM_ENABLED)');
    expect(error.message).toContain(
      'syncMode (from env TWENTY_CRM_SYNC_MODE): must be a non-empty string of at most 100 characters',
    );
    for (const value of ['ftp://', 'perhaps', 'sideways', ENV_KEY])
      expect(error.message).not.toContain(value);
  });

  it('requires a base URL and an API key once enabled, saying where they were looked for', async () => {
    const result = await resolve(configStore(), { TWENTY_CRM_ENABLED: '1' });
    if (result.success) throw new Error('expected a failure');
    expect(result.error.issues?.map((issue) => issue.field).sort()).toEqual(['apiKey', 'baseUrl']);
    expect(result.error.message).toContain(
      "baseUrl (not set; looked in database row 'twenty-crm', env TWENTY_CRM_BASE_URL, defaults): required when the integration is enabled",
    );
    expect(result.error.message).toContain('env TWENTY_CRM_API_KEY');
  });

  it('reports bad fields and missing required ones together', async () => {
    const result = await resolve(undefined, { TWENTY_CRM_ENABLED: 'yes', TWENTY_CRM_SYNC_MODE: 'nope ' });
    expect(result.success === false && result.error.issues?.map((i) => i.field).sort()).toEqual([
      'apiKey',
      'baseUrl',
      'syncMode',
    ]);
  });

  it('names the database row as the origin of a bad stored value', async () => {
    const rows = createMemoryStore().configs;
    await rows.create('twenty-crm', { baseUrl: 'not a url', enabled: true }, null);
    const store = createConfigStore({ rows, secretKey: SECRET_KEY });
    const result = await resolve(store, fullEnv);
    if (result.success) throw new Error('expected a failure');
    expect(result.error.message).toContain(
      "baseUrl (from database row 'twenty-crm'): must be an http(s) URL",
    );
  });

  it('returns a database failure instead of falling back to env', async () => {
    const failure = err(new IntegrationError('OPERATION_FAILED', 'database is down', { retryable: true }));
    const store: ConfigStore = {
      getConfig: async () => failure,
      createConfig: async () => failure,
      updateConfig: async () => failure,
      exists: async () => failure,
    };
    expect(await resolve(store, fullEnv)).toBe(failure);
  });

  it('returns CONFIG_ERROR when the stored key does not decrypt', async () => {
    const rows = createMemoryStore().configs;
    await createConfigStore({ rows, secretKey: SECRET_KEY }).createConfig(
      'twenty-crm',
      { apiKey: DB_KEY },
      null,
    );
    const wrongKey = createConfigStore({ rows, secretKey: 'another-secret-key-0000000' });
    const result = await resolve(wrongKey, fullEnv);
    expect(result.success === false && result.error.code).toBe('CONFIG_ERROR');
    expect(result.success === false && result.error.field).toBe('secrets.apiKey');
  });

  it('never prints the API key of the resolved configuration', async () => {
    const store = configStore();
    await store.createConfig(
      'twenty-crm',
      { apiKey: DB_KEY, baseUrl: 'https://db.example.com', enabled: true },
      null,
    );
    const result = await resolve(store, fullEnv);
    if (!result.success) throw result.error;
    for (const output of [
      JSON.stringify(result.data),
      inspect(result.data, { depth: 10 }),
      `${result.data.config.apiKey}`,
    ]) {
      expect(output).not.toContain(DB_KEY);
      expect(output).not.toContain(ENV_KEY);
    }
  });
});

describe('resolveIntegrationConfig with a connector', () => {
  const crm = defineConnector({
    id: 'acme-crm',
    envPrefix: 'ACME_CRM',
    credentials: { apiKey: { secret: true }, workspaceId: { secret: false, required: false } },
    modes: ['disabled', 'direct_crm', 'platform'],
  });

  it('names its variables after the connector, checks its modes, and keeps apiKey beside credentials', async () => {
    const env = {
      ACME_CRM_BASE_URL: 'https://acme.example',
      ACME_CRM_API_KEY: ENV_KEY,
      ACME_CRM_WORKSPACE_ID: 'ws-1',
      ACME_CRM_ENABLED: '1',
      ACME_CRM_SYNC_MODE: 'platform',
    };
    const result = await resolveIntegrationConfig({ connector: crm, store: configStore(), env });
    if (!result.success) throw result.error;
    expect(result.data.config).toMatchObject({
      integration: 'acme-crm',
      baseUrl: 'https://acme.example',
      enabled: true,
      syncMode: 'platform',
      credentials: { workspaceId: 'ws-1' },
    });
    expect(result.data.config.apiKey?.reveal()).toBe(ENV_KEY);
    expect(result.data.config.credentials.apiKey).toBe(result.data.config.apiKey);
    const bad = await resolveIntegrationConfig({ connector: crm, env: { ACME_CRM_SYNC_MODE: 'sideways' } });
    expect(bad.success || bad.error.message).toContain(
      'syncMode (from env ACME_CRM_SYNC_MODE): must be one of disabled, direct_crm, platform',
    );
  });

  it('reads another prefix when given one, and another row when given an integration', async () => {
    const store = configStore();
    await store.createConfig('acme-eu', { apiKey: DB_KEY }, null);
    const result = await resolveIntegrationConfig({
      connector: crm,
      integration: 'acme-eu',
      envPrefix: 'ACME_EU',
      store,
      env: { ACME_EU_BASE_URL: 'https://eu.acme.example', ACME_CRM_BASE_URL: 'https://acme.example' },
      defaults: { apiKey: 'ignored-default-key' },
    });
    if (!result.success) throw result.error;
    expect(result.data.config).toMatchObject({ integration: 'acme-eu', baseUrl: 'https://eu.acme.example' });
    expect(result.data.config.apiKey?.reveal()).toBe(DB_KEY);
  });

  it('refuses something that is not a connector, naming it', async () => {
    const result = await resolveIntegrationConfig({ connector: { ...crm }, env: {} } as never);
    expect(result.success || result.error).toMatchObject({ code: 'CONFIG_ERROR', field: 'connector' });
  });
});

describe('hostile input: resolves to a typed failure naming the field, never rejects', () => {
  const base = { integration: 'twenty-crm', env: fullEnv, envPrefix: 'TWENTY_CRM' };
  const notObjects = hostileValues().filter(
    ([, value]) => typeof value !== 'object' || value === null || isArraySafe(value),
  );

  const failureOf = async (options: unknown) => {
    const watch = watchProcessFailures();
    const settled = await outcome(() => resolveIntegrationConfig(options as never));
    expect(await watch.stop()).toEqual([]);
    expect(settled.resolved).toBe(true);
    const result = (settled.resolved ? settled.value : undefined) as ApiResult<unknown>;
    if (result.success) throw new Error('expected a failure');
    expect(result.error).toBeInstanceOf(IntegrationError);
    for (const secret of [ENV_KEY, DB_KEY, SECRET_KEY])
      expect(JSON.stringify(result.error)).not.toContain(secret);
    return result.error;
  };

  it.each(notObjects)('options %s', async (_, value) => {
    expect(await failureOf(value)).toMatchObject({ code: 'CONFIG_ERROR', field: 'options' });
  });

  it.each(hostileValues().filter(([, value]) => typeof value !== 'string'))(
    'integration %s',
    async (_, value) => {
      expect(await failureOf({ ...base, integration: value })).toMatchObject({
        code: 'CONFIG_ERROR',
        field: 'integration',
      });
    },
  );

  it.each(hostileValues().filter(([, value]) => typeof value !== 'string' || value === ''))(
    'envPrefix %s',
    async (_, value) => {
      expect(await failureOf({ ...base, envPrefix: value })).toMatchObject({
        code: 'CONFIG_ERROR',
        field: 'envPrefix',
      });
    },
  );

  it.each([...notObjects, ['a Proxy whose traps throw', throwingProxy()]])('env %s', async (_, value) => {
    expect(await failureOf({ ...base, env: value })).toMatchObject({ code: 'CONFIG_ERROR', field: 'env' });
  });

  it('env whose variable getter throws', async () => {
    const env = withThrowingGetter({ ...fullEnv }, 'TWENTY_CRM_API_KEY');
    expect(await failureOf({ ...base, env })).toMatchObject({
      code: 'CONFIG_ERROR',
      field: 'env.TWENTY_CRM_API_KEY',
    });
  });

  it.each(hostileValues().filter(([, value]) => value !== undefined))('store %s', async (_, value) => {
    expect(await failureOf({ ...base, store: value })).toMatchObject({
      code: 'CONFIG_ERROR',
      field: expect.stringMatching(/^store/),
    });
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error(DB_KEY);
      },
    ],
    ['rejects', () => Promise.reject(new Error(DB_KEY))],
    ['answers nothing', () => undefined],
    ['answers a number', () => 42],
    ['answers a failure without an IntegrationError', () => ({ success: false, error: DB_KEY })],
    ['answers data that is a Proxy whose traps throw', () => ({ success: true, data: throwingProxy() })],
    [
      'answers data whose settings are a Proxy',
      () => ({ success: true, data: { settings: throwingProxy() } }),
    ],
  ])('a store whose getConfig %s is OPERATION_FAILED', async (_, getConfig) => {
    expect(await failureOf({ ...base, store: { getConfig } })).toMatchObject({
      code: 'OPERATION_FAILED',
      field: 'store',
    });
  });

  it.each(hostileValues().filter(([, value]) => value !== undefined))('defaults %s', async (_, value) => {
    const watch = watchProcessFailures();
    const result = await resolveIntegrationConfig({ ...base, defaults: value as never });
    expect(await watch.stop()).toEqual([]);
    // An object is read for its five known fields; what they hold is the schema's to judge.
    if (!result.success)
      expect(result.error.field).toMatch(/^(defaults|settings|syncMode|enabled|baseUrl|apiKey)/);
    if (!result.success) expect(result.error.code).toBe('CONFIG_ERROR');
  });

  it('defaults whose field getter throws', async () => {
    const defaults = withThrowingGetter({}, 'syncMode');
    expect(await failureOf({ ...base, defaults })).toMatchObject({
      code: 'CONFIG_ERROR',
      field: 'defaults.syncMode',
    });
  });
});
