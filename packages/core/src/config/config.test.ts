import type { StandardSchemaV1 } from '@standard-schema/spec';
import { describe, expect, it } from 'vitest';
import * as zFull from 'zod';
import * as z from 'zod/mini';
import { isArraySafe } from '../input/caller-input.ts';
import { IntegrationError } from '../result/errors.ts';
import type { ApiResult } from '../result/result.ts';
import { Secret } from '../secrets/secret.ts';
import { hostileValues, throwingProxy, withThrowingGetter } from '../testing/hostile-values.ts';
import { outcome, thrownBy } from '../testing/outcomes.ts';
import { watchProcessFailures } from '../testing/process-failures.ts';
import { type ConfigSource, envSource, resolveConfig } from './config.ts';
import { booleanFromEnv, httpUrl, secretString } from './config-schemas.ts';

const twentySchema = z.object({
  enabled: booleanFromEnv,
  baseUrl: httpUrl,
  apiKey: secretString.check(z.refine((key) => key.reveal().length >= 16, 'must be at least 16 characters')),
  syncMode: z.enum(['disabled', 'platform', 'direct_crm']),
  retry: z.optional(z.object({ maxRetries: z.number().check(z.int(), z.minimum(0, 'must be 0 or more')) })),
});

const TWENTY_ENV = {
  enabled: 'TWENTY_CRM_ENABLED',
  baseUrl: 'TWENTY_CRM_BASE_URL',
  apiKey: 'TWENTY_CRM_API_KEY',
  syncMode: 'TWENTY_CRM_SYNC_MODE',
};

const API_KEY = 'tw_live_0123456789abcdef';
const defaults: ConfigSource = { name: 'defaults', values: { enabled: false, syncMode: 'disabled' } };

const sourcesFor = (database: Record<string, unknown> | null, env: Record<string, string | undefined>) => [
  { name: 'database', values: database },
  envSource(env, TWENTY_ENV),
  defaults,
];

function expectError<T>(result: ApiResult<T>): IntegrationError {
  if (result.success) throw new Error('expected a failed result');
  expect(result.error.code).toBe('CONFIG_ERROR');
  return result.error;
}

describe('resolveConfig precedence', () => {
  it('takes each field from the first source that has it: database > env > defaults', async () => {
    const result = await resolveConfig({
      schema: twentySchema,
      sources: sourcesFor(
        { baseUrl: 'https://db.example.com', apiKey: null },
        {
          TWENTY_CRM_BASE_URL: 'https://env.example.com',
          TWENTY_CRM_API_KEY: API_KEY,
          TWENTY_CRM_ENABLED: 'yes',
        },
      ),
    });
    if (!result.success) throw result.error;
    const { config, origins } = result.data;
    expect(config.baseUrl).toBe('https://db.example.com');
    expect(config.apiKey).toBeInstanceOf(Secret);
    expect(config.apiKey.reveal()).toBe(API_KEY);
    expect(config.enabled).toBe(true);
    expect(config.syncMode).toBe('disabled');
    expect(origins).toEqual({ baseUrl: 'database', apiKey: 'env', enabled: 'env', syncMode: 'defaults' });
  });

  it('lets the database override a default set in env and defaults', async () => {
    const result = await resolveConfig({
      schema: twentySchema,
      sources: sourcesFor(
        { syncMode: 'direct_crm', enabled: true },
        {
          TWENTY_CRM_SYNC_MODE: 'platform',
          TWENTY_CRM_BASE_URL: 'http://localhost:3000',
          TWENTY_CRM_API_KEY: API_KEY,
        },
      ),
    });
    if (!result.success) throw result.error;
    expect(result.data.config.syncMode).toBe('direct_crm');
    expect(result.data.origins.syncMode).toBe('database');
    expect(result.data.origins.enabled).toBe('database');
  });

  it('treats null, undefined and empty strings as absent so the next source is used', async () => {
    const result = await resolveConfig({
      schema: twentySchema,
      sources: sourcesFor(
        { baseUrl: '', apiKey: null, syncMode: undefined, enabled: '' },
        {
          TWENTY_CRM_BASE_URL: 'https://env.example.com',
          TWENTY_CRM_API_KEY: API_KEY,
          TWENTY_CRM_SYNC_MODE: '',
          TWENTY_CRM_ENABLED: undefined,
        },
      ),
    });
    if (!result.success) throw result.error;
    expect(result.data.config.baseUrl).toBe('https://env.example.com');
    expect(result.data.config.syncMode).toBe('disabled');
    expect(result.data.config.enabled).toBe(false);
    expect(result.data.origins).toEqual({
      baseUrl: 'env',
      apiKey: 'env',
      syncMode: 'defaults',
      enabled: 'defaults',
    });
  });

  it('skips a source whose values are null or undefined (e.g. no database row yet)', async () => {
    const result = await resolveConfig({
      schema: twentySchema,
      sources: [
        { name: 'database', values: null },
        { name: 'cache', values: undefined },
        envSource(
          { TWENTY_CRM_BASE_URL: 'https://env.example.com', TWENTY_CRM_API_KEY: API_KEY },
          TWENTY_ENV,
        ),
        defaults,
      ],
    });
    expect(result.success).toBe(true);
  });

  it('reports origins only for fields the validated config kept', async () => {
    const result = await resolveConfig({
      schema: twentySchema,
      sources: sourcesFor(
        { id: 7, createdAt: '2024-01-01', baseUrl: 'https://db.example.com', apiKey: API_KEY },
        { UNRELATED: 'x' },
      ),
    });
    if (!result.success) throw result.error;
    expect(result.data.origins).toEqual({
      baseUrl: 'database',
      apiKey: 'database',
      enabled: 'defaults',
      syncMode: 'defaults',
    });
    expect(result.data.config).not.toHaveProperty('id');
  });

  it('applies schema defaults to fields no source supplied, without an origin', async () => {
    const schema = z.object({ pageSize: z._default(z.number(), 50), name: z.string() });
    const result = await resolveConfig({ schema, sources: [{ name: 'database', values: { name: 'crm' } }] });
    if (!result.success) throw result.error;
    expect(result.data.config).toEqual({ pageSize: 50, name: 'crm' });
    expect(result.data.origins).toEqual({ name: 'database' });
  });
});

describe('resolveConfig errors', () => {
  it('names every invalid field with where its value came from, not just the first', async () => {
    const result = await resolveConfig({
      schema: twentySchema,
      sources: sourcesFor(
        { baseUrl: 'ftp://crm.example.com' },
        { TWENTY_CRM_ENABLED: 'maybe', TWENTY_CRM_SYNC_MODE: 'sometimes', TWENTY_CRM_API_KEY: API_KEY },
      ),
    });
    const error = expectError(result);
    expect(error.retryable).toBe(false);
    expect(error.field).toBe('enabled');
    expect(error.issues).toEqual([
      {
        field: 'enabled',
        message: 'enabled (from env TWENTY_CRM_ENABLED): must be one of true, false, 1, 0, yes, no',
      },
      { field: 'baseUrl', message: 'baseUrl (from database): must be an http(s) URL' },
      // zod's own wording: "Invalid input", or more once a module has loaded zod's English messages.
      {
        field: 'syncMode',
        message: expect.stringMatching(/^syncMode \(from env TWENTY_CRM_SYNC_MODE\): Invalid (input|option)/),
      },
    ]);
    expect(error.message).toBe(
      `Invalid configuration (3 fields): ${error.issues?.map((issue) => issue.message).join('; ')}`,
    );
  });

  it('names a missing required field and the places it could have been set', async () => {
    const result = await resolveConfig({
      schema: twentySchema,
      sources: sourcesFor({ baseUrl: 'https://db.example.com' }, {}),
    });
    const error = expectError(result);
    expect(error.field).toBe('apiKey');
    expect(error.issues).toEqual([
      {
        field: 'apiKey',
        message: 'apiKey (not set; looked in database, env TWENTY_CRM_API_KEY, defaults): Required',
      },
    ]);
    expect(error.message).toBe(
      'Invalid configuration (1 field): apiKey (not set; looked in database, env TWENTY_CRM_API_KEY, defaults): Required',
    );
  });

  it('says Required for a missing field with full zod too (its message mentions undefined)', async () => {
    const schema = zFull.object({ apiKey: zFull.string(), region: zFull.string() });
    const result = await resolveConfig({
      schema,
      sources: [envSource({ REGION: 'eu' }, { apiKey: 'API_KEY', region: 'REGION' })],
    });
    expect(expectError(result).issues).toEqual([
      { field: 'apiKey', message: 'apiKey (not set; looked in env API_KEY): Required' },
    ]);
  });

  it('keeps a custom message for a missing field and omits sources with no place for it', async () => {
    const schema = z
      .object({ syncMode: z.enum(['disabled', 'direct_crm']), apiKey: z.optional(z.string()) })
      .check(
        z.refine((c) => c.syncMode !== 'direct_crm' || c.apiKey !== undefined, {
          path: ['apiKey'],
          message: 'required when syncMode is direct_crm',
        }),
      );
    const result = await resolveConfig({
      schema,
      sources: [
        envSource({ SYNC_MODE: 'direct_crm' }, { syncMode: 'SYNC_MODE' }),
        { name: 'database', values: {} },
      ],
    });
    expect(expectError(result).issues).toEqual([
      {
        field: 'apiKey',
        message: 'apiKey (not set; looked in database): required when syncMode is direct_crm',
      },
    ]);
  });

  it('reports nested fields as dotted paths with the origin of their top-level field', async () => {
    const result = await resolveConfig({
      schema: twentySchema,
      sources: sourcesFor(
        { retry: { maxRetries: -1 } },
        { TWENTY_CRM_BASE_URL: 'https://x.io', TWENTY_CRM_API_KEY: API_KEY },
      ),
    });
    const error = expectError(result);
    expect(error.field).toBe('retry.maxRetries');
    expect(error.issues).toEqual([
      { field: 'retry.maxRetries', message: 'retry.maxRetries (from database): must be 0 or more' },
    ]);
  });

  it('reports an issue without a path as (root)', async () => {
    const schema = z
      .object({ min: z.number(), max: z.number() })
      .check(z.refine((c) => c.min <= c.max, 'min must not exceed max'));
    const result = await resolveConfig({
      schema,
      sources: [{ name: 'defaults', values: { min: 5, max: 1 } }],
    });
    const error = expectError(result);
    expect(error.field).toBe('(root)');
    expect(error.issues).toEqual([{ field: '(root)', message: '(root): min must not exceed max' }]);
  });

  it('never includes an invalid secret in the message, the JSON form or the stack', async () => {
    const shortKey = 'sk-TOO-SHORT-9';
    const result = await resolveConfig({
      schema: twentySchema,
      sources: sourcesFor({ baseUrl: 'https://db.example.com' }, { TWENTY_CRM_API_KEY: shortKey }),
    });
    const error = expectError(result);
    expect(error.issues).toEqual([
      { field: 'apiKey', message: 'apiKey (from env TWENTY_CRM_API_KEY): must be at least 16 characters' },
    ]);
    expect(error.message).not.toContain(shortKey);
    expect(JSON.stringify(error)).not.toContain(shortKey);
    expect(String(error.stack)).not.toContain(shortKey);
  });

  it('never includes a valid secret when another field is invalid', async () => {
    const result = await resolveConfig({
      schema: twentySchema,
      sources: sourcesFor({ apiKey: API_KEY }, { TWENTY_CRM_BASE_URL: 'not a url' }),
    });
    const error = expectError(result);
    expect(error.field).toBe('baseUrl');
    expect(JSON.stringify(error)).not.toContain(API_KEY);
    expect(String(error.stack)).not.toContain(API_KEY);
  });

  it('scrubs the value when a third-party schema quotes it in its message', async () => {
    const secret = 'hunter2-very-secret';
    const quoting: StandardSchemaV1<Record<string, unknown>> = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: (value) => {
          const token = (value as Record<string, unknown>).token;
          return {
            issues: [{ path: [{ key: 'token' }], message: `Expected a JWT but received "${String(token)}"` }],
          };
        },
      },
    };
    const result = await resolveConfig({
      schema: quoting,
      sources: [{ name: 'database', values: { token: secret } }],
    });
    const error = expectError(result);
    expect(error.issues).toEqual([
      { field: 'token', message: 'token (from database): Expected a JWT but received [REDACTED]' },
    ]);
    expect(JSON.stringify(error)).not.toContain(secret);
    expect(String(error.stack)).not.toContain(secret);
  });

  it('scrubs a Secret supplied by a source, too', async () => {
    const raw = 'raw-secret-value-123';
    const quoting: StandardSchemaV1<Record<string, unknown>> = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: () => ({ issues: [{ path: ['apiKey'], message: `rejected ${raw}` }] }),
      },
    };
    const result = await resolveConfig({
      schema: quoting,
      sources: [{ name: 'vault', values: { apiKey: new Secret(raw) } }],
    });
    expect(expectError(result).issues?.[0]?.message).toBe('apiKey (from vault): rejected [REDACTED]');
  });

  it('awaits an async schema', async () => {
    const asyncSchema: StandardSchemaV1<unknown, { region: string }> = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: async (value) => ({ value: { region: String((value as { region?: unknown }).region) } }),
      },
    };
    const result = await resolveConfig({
      schema: asyncSchema,
      sources: [{ name: 'env', values: { region: 'eu' } }],
    });
    if (!result.success) throw result.error;
    expect(result.data).toEqual({ config: { region: 'eu' }, origins: { region: 'env' } });
  });

  it('turns a throwing schema into a CONFIG_ERROR without its message (it could quote a value)', async () => {
    const secret = 'leaky-secret-value';
    const throwing: StandardSchemaV1<unknown, unknown> = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: () => {
          throw new TypeError(`cannot parse ${secret}`);
        },
      },
    };
    const result = await resolveConfig({
      schema: throwing,
      sources: [{ name: 'env', values: { key: secret } }],
    });
    const error = expectError(result);
    expect(error.message).toBe('Configuration schema threw while validating (TypeError)');
    expect(JSON.stringify(error)).not.toContain(secret);
  });
});

describe('envSource', () => {
  it('maps fields to variables, names itself env and describes each mapped field', () => {
    const source = envSource({ TWENTY_CRM_BASE_URL: 'https://x.io', OTHER: 'y' }, TWENTY_ENV);
    expect(source.name).toBe('env');
    expect(source.values).toEqual({ baseUrl: 'https://x.io' });
    expect(source.describe?.('apiKey')).toBe('env TWENTY_CRM_API_KEY');
    expect(source.describe?.('unknownField')).toBeUndefined();
    expect(source.describe?.('toString')).toBeUndefined();
  });

  it('takes a custom name used in origins and descriptions', async () => {
    const source = envSource({ KEY: API_KEY }, { apiKey: 'KEY' }, 'dotenv');
    expect(source.describe?.('apiKey')).toBe('dotenv KEY');
    const result = await resolveConfig({ schema: z.object({ apiKey: secretString }), sources: [source] });
    if (!result.success) throw result.error;
    expect(result.data.origins).toEqual({ apiKey: 'dotenv' });
  });
});

describe('hostile input: resolveConfig resolves to a CONFIG_ERROR naming the field, envSource throws only that', () => {
  const schema = z.object({ apiKey: z.optional(secretString) });
  const notObjects = hostileValues().filter(
    ([, value]) => typeof value !== 'object' || value === null || isArraySafe(value),
  );

  const resolved = async (options: unknown) => {
    const watch = watchProcessFailures();
    const settled = await outcome(() => resolveConfig(options as Parameters<typeof resolveConfig>[0]));
    expect(await watch.stop()).toEqual([]);
    expect(settled.resolved).toBe(true);
    const result = (settled.resolved ? settled.value : undefined) as ApiResult<unknown>;
    expect(JSON.stringify(result)).not.toContain(API_KEY);
    return result;
  };

  const failure = (result: ApiResult<unknown>) => {
    if (result.success) throw new Error('expected a failure');
    expect(result.error).toBeInstanceOf(IntegrationError);
    expect(result.error.code).toBe('CONFIG_ERROR');
    return result.error;
  };

  it.each(notObjects)('options %s', async (_, value) => {
    expect(failure(await resolved(value)).field).toBe('options');
  });

  it.each(hostileValues())('schema %s', async (_, value) => {
    expect(failure(await resolved({ schema: value, sources: [] })).field).toBe('schema');
  });

  it.each(hostileValues().filter(([, value]) => !isArraySafe(value)))('sources %s', async (_, value) => {
    expect(failure(await resolved({ schema, sources: value })).field).toMatch(/^sources/);
  });

  // A cyclic object ({ name: 'loop', self }) is a well-formed source with no values.
  it.each(hostileValues().filter(([label]) => label !== 'a cyclic object'))(
    'one source %s',
    async (_, value) => {
      const result = await resolved({
        schema,
        sources: [{ name: 'env', values: { apiKey: API_KEY } }, value],
      });
      expect(failure(result).field).toMatch(/^sources\.1/);
    },
  );

  it.each(hostileValues().filter(([, value]) => value !== null && value !== undefined))(
    'a source whose values are %s',
    async (_, value) => {
      const result = await resolved({ schema, sources: [{ name: 'db', values: value }] });
      // An object is read field by field; only its unreadable parts are refused.
      if (!result.success) expect(result.error.field).toMatch(/^(sources\.0\.values|apiKey|\(root\))/);
    },
  );

  it('names the value whose getter throws', async () => {
    const values = withThrowingGetter({ baseUrl: 'https://x.io' }, 'apiKey');
    const result = await resolved({ schema, sources: [{ name: 'db', values }] });
    expect(failure(result).field).toBe('sources.0.values.apiKey');
  });

  it.each([
    ['a name that is not a string', { name: 42, values: {} }, 'sources.0.name'],
    ['a describe that is not a function', { name: 'db', values: {}, describe: 'x' }, 'sources.0.describe'],
  ])('refuses a source with %s', async (_, source, field) => {
    expect(failure(await resolved({ schema, sources: [source] })).field).toBe(field);
  });

  it('survives a describe that throws or answers something else', async () => {
    const strict = z.object({ apiKey: secretString });
    for (const describe of [
      () => {
        throw new Error(API_KEY);
      },
      () => 42,
      () => throwingProxy(),
    ]) {
      const result = await resolved({ schema: strict, sources: [{ name: 'db', values: {}, describe }] });
      expect(failure(result).field).toBe('apiKey');
    }
  });

  it.each([
    ['nothing', () => undefined],
    ['a number', () => 42],
    ['issues that are not an array', () => ({ issues: 'bad' })],
    ['an issue without a message', () => ({ issues: [{ path: ['apiKey'] }] })],
    ['a Proxy whose traps throw', () => throwingProxy()],
  ])('a schema answering %s is a CONFIG_ERROR naming schema', async (_, validate) => {
    const hostile = { '~standard': { version: 1, vendor: 'hostile', validate } };
    const result = await resolved({
      schema: hostile,
      sources: [{ name: 'env', values: { apiKey: API_KEY } }],
    });
    expect(failure(result).field).toBe('schema');
  });

  it('a schema that rejects is a CONFIG_ERROR naming schema, never quoting it', async () => {
    const hostile = {
      '~standard': { version: 1, vendor: 'hostile', validate: () => Promise.reject(new Error(API_KEY)) },
    };
    const result = await resolved({
      schema: hostile,
      sources: [{ name: 'env', values: { apiKey: API_KEY } }],
    });
    expect(failure(result)).toMatchObject({ field: 'schema', message: expect.stringContaining('(Error)') });
  });

  it.each(notObjects)('envSource(%s) throws only a CONFIG_ERROR naming env', (_, value) => {
    const thrown = thrownBy(() => envSource(value as Record<string, string>, TWENTY_ENV));
    expect(thrown).toBeInstanceOf(IntegrationError);
    expect(thrown).toMatchObject({ code: 'CONFIG_ERROR', field: 'env' });
  });

  it.each([
    ['an env Proxy whose traps throw', () => envSource(throwingProxy(), TWENTY_ENV), 'env'],
    [
      'an env variable whose getter throws',
      () => envSource(withThrowingGetter({}, 'TWENTY_CRM_API_KEY'), TWENTY_ENV),
      'env.TWENTY_CRM_API_KEY',
    ],
    ['a mapping that is null', () => envSource({}, null as never), 'mapping'],
    ['a mapping Proxy whose traps throw', () => envSource({}, throwingProxy()), 'mapping'],
    ['a variable that is not a string', () => envSource({}, { apiKey: 42 as never }), 'mapping.apiKey'],
    ['a name that is not a string', () => envSource({}, TWENTY_ENV, Symbol('x') as never), 'name'],
  ])('envSource with %s throws only a CONFIG_ERROR naming it', (_, run, field) => {
    const thrown = thrownBy(run);
    expect(thrown).toBeInstanceOf(IntegrationError);
    expect(thrown).toMatchObject({ code: 'CONFIG_ERROR', field });
    expect(JSON.stringify(thrown)).not.toContain(API_KEY);
  });
});
