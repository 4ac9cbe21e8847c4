import { describe, expect, it } from 'vitest';
import { createConfigStore } from '../config/config-store.ts';
import { IntegrationError } from '../result/errors.ts';
import { Secret } from '../secrets/secret.ts';
import { createMemoryStore } from '../store/memory-store.ts';
import { throwingProxy, withThrowingGetter } from '../testing/hostile-values.ts';
import {
  createFromConnectorOptions,
  requireConnectorCredentials,
  resolveConnectorFromOptions,
  splitConnectorOptions,
} from './connector-options.ts';
import { defineConnector } from './define-connector.ts';

const KEY = 'acme_key_0123456789abcdef';
const DB_KEY = 'acme_db_key_0123456789abcd';

const acme = defineConnector({
  id: 'acme',
  envPrefix: 'ACME',
  displayName: 'Acme',
  baseUrl: { default: 'https://api.acme.example' },
  credentials: {
    apiKey: { secret: true, required: false },
    projectId: { secret: false, env: 'PROJECT', required: false },
  },
});

describe('resolveConnectorFromOptions', () => {
  it('resolves { env, store, defaults } through resolveConnectorConfig, the database row first', async () => {
    const store = createConfigStore({
      rows: createMemoryStore().configs,
      secretKey: 'connector-options-test-key-01',
    });
    await store.createConfig('acme', { secrets: { apiKey: DB_KEY } });
    const resolved = await resolveConnectorFromOptions(acme, {
      env: { ACME_API_KEY: KEY, ACME_PROJECT: '7' },
      store,
      defaults: { baseUrl: 'https://defaults.acme.example' },
    });
    if (!resolved.success) throw resolved.error;
    const { config, origins } = resolved.data;
    expect(config.credentials.apiKey).toBeInstanceOf(Secret);
    expect(config.credentials.apiKey?.reveal()).toBe(DB_KEY);
    expect(config.credentials.projectId).toBe('7');
    expect(config.baseUrl).toBe('https://defaults.acme.example');
    expect(origins).toMatchObject({ apiKey: 'database', projectId: 'env' });
  });

  it('reads the environment through mapEnv, and leaves the caller’s env unchanged', async () => {
    const env = { OTHER_KEY: KEY };
    const resolved = await resolveConnectorFromOptions(
      acme,
      { env },
      { mapEnv: (given) => ({ ...given, ACME_API_KEY: given.OTHER_KEY }) },
    );
    expect(resolved.success && resolved.data.config.credentials.apiKey?.reveal()).toBe(KEY);
    expect(env).toEqual({ OTHER_KEY: KEY });
  });

  it.each([
    ['no options', () => undefined, 'env'],
    ['env missing', () => ({}), 'env'],
    ['env not an object', () => ({ env: 'ACME_API_KEY=x' }), 'env'],
    ['env an array', () => ({ env: [] }), 'env'],
    ['a throwing getter', () => withThrowingGetter({ env: {} }, 'env'), 'options'],
    ['a throwing Proxy', () => throwingProxy({}), 'options'],
    ['a store without getConfig', () => ({ env: {}, store: {} }), 'store'],
  ])('answers %s with a CONFIG_ERROR naming the field, never a throw', async (_label, options, field) => {
    const resolved = await resolveConnectorFromOptions(acme, options());
    expect(resolved).toMatchObject({ success: false, error: { code: 'CONFIG_ERROR' } });
    expect(!resolved.success && resolved.error.field?.startsWith(field)).toBe(true);
  });

  it('answers an env mapEnv cannot read with a CONFIG_ERROR naming env', async () => {
    const resolved = await resolveConnectorFromOptions(
      acme,
      { env: throwingProxy({}) },
      { mapEnv: (env) => ({ ...env }) },
    );
    expect(resolved).toMatchObject({ success: false, error: { code: 'CONFIG_ERROR', field: 'env' } });
  });
});

describe('splitConnectorOptions', () => {
  it('picks the listed fields and passes the rest on, undefined ones included', () => {
    const split = splitConnectorOptions({ env: {}, store: undefined, timeoutMs: 5, fetch: undefined }, [
      'env',
      'store',
    ]);
    expect(split).toEqual({
      success: true,
      data: { picked: { env: {} }, rest: { timeoutMs: 5, fetch: undefined } },
    });
  });

  it.each([
    ['undefined', () => undefined],
    ['null', () => null],
    ['a string', () => 'env'],
    ['a Proxy whose ownKeys throws', () => throwingProxy({})],
    ['a throwing getter', () => withThrowingGetter({ timeoutMs: 1 }, 'timeoutMs')],
  ])('answers %s with a CONFIG_ERROR naming options', (_label, options) => {
    expect(splitConnectorOptions(options(), ['env'])).toMatchObject({
      success: false,
      error: { code: 'CONFIG_ERROR', field: 'options' },
    });
  });
});

describe('requireConnectorCredentials', () => {
  it('answers the named credentials when every one is set', async () => {
    const resolved = await resolveConnectorFromOptions(acme, {
      env: { ACME_API_KEY: KEY, ACME_PROJECT: '7' },
    });
    if (!resolved.success) throw resolved.error;
    const required = requireConnectorCredentials(acme, resolved.data.config, ['apiKey', 'projectId']);
    if (!required.success) throw required.error;
    expect(required.data.apiKey.reveal()).toBe(KEY);
    expect(required.data.projectId).toBe('7');
  });

  it.each([
    [{ ACME_PROJECT: '7' }, 'apiKey', 'ACME_API_KEY'],
    [{ ACME_API_KEY: KEY }, 'projectId', 'ACME_PROJECT'],
  ])('names what is configured nowhere (%j), its variable and the row', async (env, field, variable) => {
    const resolved = await resolveConnectorFromOptions(acme, { env });
    if (!resolved.success) throw resolved.error;
    const required = requireConnectorCredentials(acme, resolved.data.config, ['apiKey', 'projectId']);
    expect(required).toMatchObject({
      success: false,
      error: { code: 'CONFIG_ERROR', field, retryable: false },
    });
    expect(!required.success && required.error.message).toBe(
      `Acme ${field} is not configured: set ${variable} or save it in the 'acme' configuration`,
    );
    expect(JSON.stringify(required)).not.toContain(KEY);
  });
});

describe('createFromConnectorOptions', () => {
  const build = (
    config: { baseUrl?: string },
    credentials: { apiKey: Secret; projectId: string },
    rest: Record<string, unknown>,
  ) => ({ baseUrl: config.baseUrl, key: credentials.apiKey.reveal(), project: credentials.projectId, rest });
  const settings = { require: ['apiKey', 'projectId'] as const, build };

  it('builds from the resolved configuration, the required credentials and the other options', async () => {
    const created = await createFromConnectorOptions(
      acme,
      { env: { ACME_API_KEY: KEY, ACME_PROJECT: '7' }, timeoutMs: 5 },
      settings,
    );
    expect(created).toEqual({
      success: true,
      data: { baseUrl: 'https://api.acme.example', key: KEY, project: '7', rest: { timeoutMs: 5 } },
    });
  });

  it('reads the store from storeKey, and the environment through mapEnv', async () => {
    const config = createConfigStore({
      rows: createMemoryStore().configs,
      secretKey: 'connector-options-test-key-02',
    });
    await config.createConfig('acme', { secrets: { apiKey: DB_KEY } });
    const created = await createFromConnectorOptions(
      acme,
      { env: { PROJECT: '9' }, config, store: 'the client’s own' },
      { ...settings, storeKey: 'config', mapEnv: (env) => ({ ACME_PROJECT: env.PROJECT }) },
    );
    expect(created).toMatchObject({
      success: true,
      data: { key: DB_KEY, project: '9', rest: { store: 'the client’s own' } },
    });
  });

  it('names a credential configured nowhere before building anything', async () => {
    let built = false;
    const created = await createFromConnectorOptions(
      acme,
      { env: { ACME_API_KEY: KEY } },
      {
        ...settings,
        build: (...args) => {
          built = true;
          return build(...args);
        },
      },
    );
    expect(created).toMatchObject({ success: false, error: { code: 'CONFIG_ERROR', field: 'projectId' } });
    expect(!created.success && created.error.message).toContain('ACME_PROJECT');
    expect(built).toBe(false);
  });

  it('answers what build throws: an IntegrationError as is, anything else as a CONFIG_ERROR naming options', async () => {
    const env = { ACME_API_KEY: KEY, ACME_PROJECT: '7' };
    const refused = new IntegrationError('CONFIG_ERROR', 'timeoutMs: must be positive', {
      field: 'timeoutMs',
    });
    const typed = await createFromConnectorOptions(
      acme,
      { env },
      {
        ...settings,
        build: () => {
          throw refused;
        },
      },
    );
    expect(typed).toEqual({ success: false, error: refused });
    const other = await createFromConnectorOptions(
      acme,
      { env },
      {
        ...settings,
        build: () => {
          throw new TypeError(KEY);
        },
      },
    );
    expect(other).toMatchObject({ success: false, error: { code: 'CONFIG_ERROR', field: 'options' } });
    expect(JSON.stringify(other)).not.toContain(KEY);
  });

  it.each([
    ['undefined', () => undefined, 'options'],
    ['a throwing Proxy', () => throwingProxy({}), 'options'],
    ['no env', () => ({}), 'env'],
  ])('answers %s with a CONFIG_ERROR, never a throw', async (_label, options, field) => {
    expect(await createFromConnectorOptions(acme, options(), settings)).toMatchObject({
      success: false,
      error: { code: 'CONFIG_ERROR', field },
    });
  });
});
