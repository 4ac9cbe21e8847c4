import { describe, expect, it } from 'vitest';
import { createConfigStore } from '../config/config-store.ts';
import { Secret } from '../secrets/secret.ts';
import { createMemoryStore } from '../store/memory-store.ts';
import { throwingProxy, withThrowingGetter } from '../testing/hostile-values.ts';
import {
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
