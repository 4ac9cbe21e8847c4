import { describe, expect, expectTypeOf, it } from 'vitest';
import * as z from 'zod/mini';
import { IntegrationError } from '../result/errors.ts';
import { Secret } from '../secrets/secret.ts';
import { hostileValues, throwingProxy, withThrowingGetter } from '../testing/hostile-values.ts';
import { type ConnectorConfig, defineConnector, isConnector } from './define-connector.ts';

const thrownBy = (run: () => unknown): IntegrationError => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(IntegrationError);
    return error as IntegrationError;
  }
  throw new Error('expected a throw');
};

const acme = () =>
  defineConnector({
    id: 'acme-crm',
    envPrefix: 'ACME_CRM',
    credentials: {
      apiKey: { secret: true, description: 'Settings → API' },
      projectId: { secret: false, required: false },
      clientSecret: { secret: true, env: 'OAUTH_SECRET', required: false },
    },
    settings: z.object({ pageSize: z._default(z.int(), 100) }),
    modes: ['disabled', 'mirror', 'two_way'],
    defaultMode: 'mirror',
  });

describe('defineConnector', () => {
  it('applies the defaults and names every variable after the prefix', () => {
    const connector = acme();
    expect(connector).toMatchObject({
      id: 'acme-crm',
      envPrefix: 'ACME_CRM',
      displayName: 'acme-crm',
      baseUrl: { required: true },
      credentials: {
        apiKey: { secret: true, env: 'API_KEY', required: true, description: 'Settings → API' },
        projectId: { secret: false, env: 'PROJECT_ID', required: false },
        clientSecret: { secret: true, env: 'OAUTH_SECRET', required: false },
      },
      modes: ['disabled', 'mirror', 'two_way'],
      defaultMode: 'mirror',
      env: {
        baseUrl: 'ACME_CRM_BASE_URL',
        enabled: 'ACME_CRM_ENABLED',
        syncMode: 'ACME_CRM_SYNC_MODE',
        credentials: {
          apiKey: 'ACME_CRM_API_KEY',
          projectId: 'ACME_CRM_PROJECT_ID',
          clientSecret: 'ACME_CRM_OAUTH_SECRET',
        },
      },
    });
    expect(connector.testConnection).toBeUndefined();
    expect(isConnector(connector)).toBe(true);
  });

  it('is frozen all the way down', () => {
    const connector = acme();
    for (const part of [
      connector,
      connector.credentials,
      connector.credentials.apiKey,
      connector.env,
      connector.modes,
    ]) {
      expect(Object.isFrozen(part)).toBe(true);
    }
  });

  it('types credentials, settings and modes from the definition', () => {
    const connector = acme();
    type Config = Parameters<NonNullable<typeof connector.testConnection>>[0];
    expectTypeOf<Config['credentials']['apiKey']>().toEqualTypeOf<Secret | undefined>();
    expectTypeOf<Config['credentials']['projectId']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Config['settings']>().toEqualTypeOf<{ pageSize: number }>();
    expectTypeOf<Config['syncMode']>().toEqualTypeOf<'disabled' | 'mirror' | 'two_way'>();
    expectTypeOf(connector.defaultMode).toEqualTypeOf<'disabled' | 'mirror' | 'two_way'>();
  });

  it('defaults to any mode with disabled as the default, and takes a default base URL', () => {
    const connector = defineConnector({
      id: 'hosted',
      envPrefix: 'HOSTED',
      baseUrl: { default: ' https://api.hosted.example ', required: false },
      credentials: {},
    });
    expect(connector.modes).toBeUndefined();
    expect(connector.defaultMode).toBe('disabled');
    expect(connector.baseUrl).toEqual({ required: false, default: 'https://api.hosted.example' });
    expectTypeOf<ConnectorConfig['syncMode']>().toEqualTypeOf<string>();
  });

  it('guards the connection test: it never throws and its message never holds a secret credential', async () => {
    const key = 'acme_live_0123456789abcdef';
    const connector = defineConnector({
      id: 'acme',
      envPrefix: 'ACME',
      credentials: { apiKey: { secret: true } },
      testConnection: async (config) => {
        if (config.baseUrl === 'https://throws.example')
          throw new Error(`bad key ${config.credentials.apiKey?.reveal()}`);
        return {
          ok: false,
          latencyMs: 3,
          message: `key ${config.credentials.apiKey?.reveal()} refused`,
          details: { status: 401 },
        };
      },
    });
    const config = {
      integration: 'acme',
      baseUrl: 'https://acme.example',
      credentials: { apiKey: new Secret(key) },
      enabled: true,
      syncMode: 'disabled',
      settings: {},
    };
    const refused = await connector.testConnection?.(config);
    expect(refused).toEqual({
      ok: false,
      latencyMs: 3,
      message: 'key [REDACTED] refused',
      details: { status: 401 },
    });
    const thrown = await connector.testConnection?.({ ...config, baseUrl: 'https://throws.example' });
    expect(thrown).toMatchObject({
      ok: false,
      message: 'The connection test failed unexpectedly',
      details: { code: 'OPERATION_FAILED' },
    });
    expect(JSON.stringify(thrown)).not.toContain(key);
  });

  it('throws one CONFIG_ERROR naming every bad field of the definition', () => {
    const error = thrownBy(() =>
      defineConnector({
        id: 'Acme CRM',
        envPrefix: 'acme',
        credentials: {
          apiKey: { secret: 'yes' as never },
          baseUrl: { secret: false },
          'api-key': { secret: true },
          token: { secret: true, env: 'API_KEY' },
          other: { secret: true, env: 'ENABLED' },
        },
        settings: { parse: () => ({}) } as never,
        modes: ['mirror', 'mirror'],
        defaultMode: 'two_way' as never,
        testConnection: 'no' as never,
      }),
    );
    expect(error.code).toBe('CONFIG_ERROR');
    expect(error.issues?.map((issue) => issue.field).sort()).toEqual([
      'credentials.apiKey.secret',
      'envPrefix',
      'id',
      'settings',
      'testConnection',
    ]);
    const names = thrownBy(() =>
      defineConnector({
        id: 'acme',
        envPrefix: 'ACME',
        credentials: {
          baseUrl: { secret: false },
          'api-key': { secret: true },
          apiKey: { secret: true },
          token: { secret: true, env: 'API_KEY' },
          other: { secret: true, env: 'ENABLED' },
        },
        modes: ['mirror', 'mirror'],
        defaultMode: 'two_way' as never,
      }),
    );
    expect(names.issues).toEqual([
      { field: 'credentials', message: 'the name "baseUrl" is a field of every configuration' },
      {
        field: 'credentials',
        message: expect.stringContaining('the name "api-key" is not letters, digits and _'),
      },
      { field: 'credentials.token.env', message: 'API_KEY is already the variable of apiKey' },
      { field: 'credentials.other.env', message: 'ENABLED is already the variable of enabled' },
      { field: 'modes', message: "must include 'disabled' (the mode that syncs nothing)" },
      { field: 'modes', message: 'must not repeat a mode' },
      { field: 'defaultMode', message: 'must be one of modes' },
    ]);
  });

  it('refuses unknown fields instead of ignoring them (settingsSchema is not settings)', () => {
    const error = thrownBy(() =>
      defineConnector({
        id: 'acme',
        envPrefix: 'ACME',
        credentials: {},
        settingsSchema: z.object({}),
      } as never),
    );
    expect(error.code).toBe('CONFIG_ERROR');
    expect(error.message).toContain('settingsSchema');
    const typo = thrownBy(() =>
      defineConnector({
        id: 'acme',
        envPrefix: 'ACME',
        credentials: { apiKey: { secret: true, requried: false } },
      } as never),
    );
    expect(typo.issues).toEqual([{ field: 'credentials.apiKey', message: 'unknown field(s): requried' }]);
  });

  it.each([
    ...hostileValues(),
    [
      'a definition whose getter throws',
      withThrowingGetter({ id: 'a', envPrefix: 'A', credentials: {} }, 'id'),
    ],
    ['credentials that are a Proxy', { id: 'a', envPrefix: 'A', credentials: throwingProxy() }],
  ])('definition %s throws only a CONFIG_ERROR', (_, definition) => {
    expect(thrownBy(() => defineConnector(definition as never)).code).toBe('CONFIG_ERROR');
  });
});

describe('isConnector', () => {
  it('is true only for what defineConnector made: not a copy, not a Proxy, not anything else', () => {
    const connector = acme();
    expect(isConnector(connector)).toBe(true);
    expect(isConnector({ ...connector })).toBe(false);
    expect(isConnector(new Proxy(connector, {}))).toBe(false);
    for (const [, value] of hostileValues()) expect(isConnector(value)).toBe(false);
  });
});
