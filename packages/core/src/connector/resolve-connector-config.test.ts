import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { type ConfigStore, createConfigStore } from '../config/config-store.ts';
import { IntegrationError } from '../result/errors.ts';
import { type ApiResult, err } from '../result/result.ts';
import { Secret } from '../secrets/secret.ts';
import { createMemoryStore } from '../store/memory-store.ts';
import { hostileValues, throwingProxy, withThrowingGetter } from '../testing/hostile-values.ts';
import { outcome } from '../testing/outcomes.ts';
import { watchProcessFailures } from '../testing/process-failures.ts';
import { defineConnector } from './define-connector.ts';
import { resolveConnectorConfig } from './resolve-connector-config.ts';

const SECRET_KEY = 'connector-config-test-key-0123';
const DB_KEY = 'db_key_0123456789abcdef';
const ENV_KEY = 'env_key_0123456789abcdef';
const ENV_CLIENT_SECRET = 'env_client_secret_0123456789';

const acme = defineConnector({
  id: 'acme',
  envPrefix: 'ACME',
  credentials: {
    apiKey: { secret: true },
    projectId: { secret: false },
    clientSecret: { secret: true, env: 'OAUTH_SECRET', required: false },
  },
  settings: z.object({
    pageSize: z._default(z.int().check(z.positive()), 100),
    region: z.optional(z.string()),
  }),
  modes: ['disabled', 'mirror', 'two_way'],
  defaultMode: 'disabled',
});

const configStore = (): ConfigStore =>
  createConfigStore({ rows: createMemoryStore().configs, secretKey: SECRET_KEY });
const fullEnv = {
  ACME_BASE_URL: 'https://env.acme.example',
  ACME_API_KEY: ENV_KEY,
  ACME_PROJECT_ID: 'env-project',
  ACME_OAUTH_SECRET: ENV_CLIENT_SECRET,
  ACME_ENABLED: 'true',
  ACME_SYNC_MODE: 'mirror',
};

describe('resolveConnectorConfig', () => {
  it('reads every variable named after the connector when there is no store', async () => {
    const result = await resolveConnectorConfig({ connector: acme, env: fullEnv });
    if (!result.success) throw result.error;
    const { config, origins } = result.data;
    expect(config).toMatchObject({
      integration: 'acme',
      baseUrl: 'https://env.acme.example',
      enabled: true,
      syncMode: 'mirror',
      settings: { pageSize: 100 },
      credentials: { projectId: 'env-project' },
    });
    expect(config.credentials.apiKey).toBeInstanceOf(Secret);
    expect(config.credentials.apiKey?.reveal()).toBe(ENV_KEY);
    expect(config.credentials.clientSecret?.reveal()).toBe(ENV_CLIENT_SECRET);
    expect(origins).toEqual({
      baseUrl: 'env',
      apiKey: 'env',
      projectId: 'env',
      clientSecret: 'env',
      enabled: 'env',
      syncMode: 'env',
      settings: 'defaults',
    });
  });

  it('takes each field from the row first (its secrets decrypted), then env, then defaults', async () => {
    const store = configStore();
    await store.createConfig(
      'acme',
      {
        baseUrl: 'https://db.acme.example',
        secrets: { apiKey: DB_KEY, projectId: 'db-project' },
        syncMode: 'two_way',
        settings: { region: 'eu' },
      },
      'u',
    );
    const result = await resolveConnectorConfig({ connector: acme, store, env: fullEnv });
    if (!result.success) throw result.error;
    const { config, origins } = result.data;
    expect(config.credentials.apiKey?.reveal()).toBe(DB_KEY);
    // A credential that is not secret comes out as a plain string, even from the encrypted row.
    expect(config.credentials.projectId).toBe('db-project');
    expect(config.credentials.clientSecret?.reveal()).toBe(ENV_CLIENT_SECRET);
    expect(config).toMatchObject({
      baseUrl: 'https://db.acme.example',
      syncMode: 'two_way',
      enabled: false,
      settings: { pageSize: 100, region: 'eu' },
    });
    expect(origins).toMatchObject({
      apiKey: 'database',
      projectId: 'database',
      clientSecret: 'env',
      enabled: 'database',
      settings: 'database',
    });
  });

  it('uses the caller defaults, then the connector own defaults (base URL, mode)', async () => {
    const hosted = defineConnector({
      id: 'hosted',
      envPrefix: 'HOSTED',
      baseUrl: { default: 'https://api.hosted.example' },
      credentials: { token: { secret: true } },
      modes: ['disabled', 'push'],
      defaultMode: 'push',
    });
    const plain = await resolveConnectorConfig({ connector: hosted, env: {} });
    expect(plain.success && plain.data.config).toEqual({
      integration: 'hosted',
      baseUrl: 'https://api.hosted.example',
      credentials: {},
      enabled: false,
      syncMode: 'push',
      settings: {},
    });
    const withDefaults = await resolveConnectorConfig({
      connector: hosted,
      integration: 'hosted-eu',
      env: {},
      defaults: {
        baseUrl: 'https://eu.hosted.example',
        credentials: { token: 'default-token' },
        enabled: true,
      },
    });
    if (!withDefaults.success) throw withDefaults.error;
    expect(withDefaults.data.config).toMatchObject({
      integration: 'hosted-eu',
      baseUrl: 'https://eu.hosted.example',
      enabled: true,
    });
    expect(withDefaults.data.config.credentials.token?.reveal()).toBe('default-token');
    expect(withDefaults.data.origins).toMatchObject({ token: 'defaults', baseUrl: 'defaults' });
  });

  it('names every bad field with where it came from, never its value', async () => {
    const store = configStore();
    await store.createConfig(
      'acme',
      { enabled: true, settings: { pageSize: -5 }, secrets: { apiKey: DB_KEY } },
      'u',
    );
    const env = { ACME_SYNC_MODE: 'sideways', ACME_BASE_URL: 'ftp://acme.example' };
    const result = await resolveConnectorConfig({ connector: acme, store, env });
    if (result.success) throw new Error('expected a failure');
    const { error } = result;
    expect(error.code).toBe('CONFIG_ERROR');
    // The row holds a mode ('disabled'), so the variable's is not read.
    expect(error.issues?.map((issue) => issue.field).sort()).toEqual([
      'baseUrl',
      'projectId',
      'settings.pageSize',
    ]);
    expect(error.message).toContain('baseUrl (from env ACME_BASE_URL): must be an http(s) URL');
    expect(error.message).toContain("settings.pageSize (from database row 'acme')");
    expect(error.message).toContain(
      "projectId (not set; looked in database row 'acme', env ACME_PROJECT_ID, defaults): required when the integration is enabled",
    );
    const fromEnv = await resolveConnectorConfig({ connector: acme, env });
    expect(fromEnv.success || fromEnv.error.message).toContain(
      'syncMode (from env ACME_SYNC_MODE): must be one of disabled, mirror, two_way',
    );
    for (const shown of [JSON.stringify(error), JSON.stringify(fromEnv)]) {
      for (const value of ['sideways', 'ftp://', DB_KEY]) expect(shown).not.toContain(value);
    }
  });

  it('returns a database failure, or a secret that does not decrypt, instead of falling back to env', async () => {
    const failure = err(new IntegrationError('OPERATION_FAILED', 'database is down', { retryable: true }));
    const down: ConfigStore = {
      getConfig: async () => failure,
      createConfig: async () => failure,
      updateConfig: async () => failure,
      exists: async () => failure,
    };
    expect(await resolveConnectorConfig({ connector: acme, store: down, env: fullEnv })).toBe(failure);
    const rows = createMemoryStore().configs;
    await createConfigStore({ rows, secretKey: SECRET_KEY }).createConfig(
      'acme',
      { secrets: { clientSecret: DB_KEY } },
      null,
    );
    const rotated = createConfigStore({ rows, secretKey: 'another-secret-key-000000' });
    const result = await resolveConnectorConfig({ connector: acme, store: rotated, env: fullEnv });
    expect(result.success || result.error).toMatchObject({
      code: 'CONFIG_ERROR',
      field: 'secrets.clientSecret',
    });
  });

  it('never prints a secret credential of the resolved configuration', async () => {
    const result = await resolveConnectorConfig({ connector: acme, env: fullEnv });
    if (!result.success) throw result.error;
    for (const shown of [JSON.stringify(result.data), inspect(result.data, { depth: 10 })]) {
      expect(shown).not.toContain(ENV_KEY);
      expect(shown).not.toContain(ENV_CLIENT_SECRET);
    }
  });
});

describe('hostile input: resolves to a typed failure naming the field, never rejects', () => {
  const failureOf = async (options: unknown) => {
    const watch = watchProcessFailures();
    const settled = await outcome(() => resolveConnectorConfig(options as never));
    expect(await watch.stop()).toEqual([]);
    expect(settled.resolved).toBe(true);
    const result = (settled.resolved ? settled.value : undefined) as ApiResult<unknown>;
    if (result.success) throw new Error('expected a failure');
    expect(result.error).toBeInstanceOf(IntegrationError);
    expect(JSON.stringify(result.error)).not.toContain(ENV_KEY);
    return result.error;
  };
  const base = { connector: acme, env: fullEnv };

  it.each(hostileValues().filter(([, value]) => value !== undefined || true))(
    'connector %s',
    async (_, value) => {
      expect(await failureOf({ ...base, connector: value })).toMatchObject({
        code: 'CONFIG_ERROR',
        field: 'connector',
      });
    },
  );

  it('a copy of a connector is not a connector', async () => {
    expect(await failureOf({ ...base, connector: { ...acme } })).toMatchObject({ field: 'connector' });
  });

  it.each([
    ['undefined', undefined],
    ['a Proxy whose traps throw', throwingProxy()],
    ['null', null],
  ])('options %s', async (_, options) => {
    expect(await failureOf(options)).toMatchObject({
      code: 'CONFIG_ERROR',
      field: expect.stringMatching(/^options/),
    });
  });

  it.each([
    ['a number', 42],
    ['an empty string', ''],
    ['a long name', 'x'.repeat(201)],
  ])('integration %s', async (_, value) => {
    expect(await failureOf({ ...base, integration: value })).toMatchObject({
      code: 'CONFIG_ERROR',
      field: 'integration',
    });
  });

  it.each([
    ['undefined', undefined],
    ['a string', 'ACME'],
    ['a Proxy whose traps throw', throwingProxy()],
  ])('env %s', async (_, env) => {
    expect(await failureOf({ ...base, env })).toMatchObject({ code: 'CONFIG_ERROR', field: 'env' });
  });

  it('env whose variable getter throws', async () => {
    const env = withThrowingGetter({ ...fullEnv }, 'ACME_OAUTH_SECRET');
    expect(await failureOf({ ...base, env })).toMatchObject({ field: 'env.ACME_OAUTH_SECRET' });
  });

  it.each([
    ['a number', 42],
    ['an object without getConfig', {}],
    ['a Proxy whose traps throw', throwingProxy()],
  ])('store %s', async (_, store) => {
    expect(await failureOf({ ...base, store })).toMatchObject({
      code: 'CONFIG_ERROR',
      field: expect.stringMatching(/^store/),
    });
  });

  it('a store whose getConfig throws is OPERATION_FAILED', async () => {
    const store = {
      getConfig: () => {
        throw new Error(ENV_KEY);
      },
    };
    expect(await failureOf({ ...base, store })).toMatchObject({ code: 'OPERATION_FAILED', field: 'store' });
  });

  it('defaults whose credential getter throws', async () => {
    const defaults = { credentials: withThrowingGetter({}, 'apiKey') };
    expect(await failureOf({ ...base, defaults })).toMatchObject({ field: 'defaults.credentials.apiKey' });
  });
});
