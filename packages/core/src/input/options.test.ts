import { afterAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { IntegrationError } from '../result/errors.ts';
import { hostileValues, throwingProxy, withThrowingGetter } from '../testing/hostile-values.ts';
import { optionsObject, parseOptionFields, parseOptions } from './options.ts';

const schema = z.object({
  baseUrl: z.url(),
  apiKey: z.string().check(z.minLength(8)),
  retries: z._default(z.int(), 3),
});

describe('parseOptions', () => {
  it('returns the parsed value with defaults', () => {
    expect(
      parseOptions(schema, { baseUrl: 'https://x.test', apiKey: '12345678' }, { label: 'options' }),
    ).toEqual({
      baseUrl: 'https://x.test',
      apiKey: '12345678',
      retries: 3,
    });
  });

  it('throws CONFIG_ERROR naming every bad field, with the prefix, never the value', () => {
    let thrown: unknown;
    try {
      parseOptions(
        schema,
        { baseUrl: 'nope', apiKey: 'sk_shrt' },
        { label: 'client options', prefix: 'twenty.' },
      );
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'CONFIG_ERROR', field: 'twenty.baseUrl', retryable: false });
    const error = thrown as { issues: { field: string }[]; message: string };
    expect(error.issues.map((i) => i.field)).toEqual(['twenty.baseUrl', 'twenty.apiKey']);
    expect(error.message).toContain('Invalid client options');
    expect(error.message).not.toContain('sk_shrt');
  });
});

const thrownBy = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('parseOptions with values no typed caller would pass', () => {
  it.each(hostileValues())('throws only CONFIG_ERROR for %s, never a TypeError', (_, value) => {
    const thrown = thrownBy(() => parseOptions(schema, value, { label: 'options' }));
    expect(thrown).toMatchObject({ name: 'IntegrationError', code: 'CONFIG_ERROR' });
  });

  it('names the options by their prefix when a getter throws while they are read', () => {
    // With zod's default messages (a module that loads zod's English ones makes the single-parse path name the root).
    z.config({ localeError: undefined });
    const thrown = thrownBy(() =>
      parseOptions(schema, withThrowingGetter({}, 'apiKey'), { label: 'options', prefix: 'twenty.' }),
    );
    expect(thrown).toMatchObject({ code: 'CONFIG_ERROR', field: 'twenty' });
    expect(
      thrownBy(() => parseOptions(schema, { baseUrl: throwingProxy() }, { label: 'options' })),
    ).toMatchObject({ code: 'CONFIG_ERROR', field: 'baseUrl' });
  });
});

describe('optionsObject', () => {
  it('copies own enumerable properties once; undefined is {} when optional', () => {
    const secret = { reveal: () => 'x' };
    const copy = optionsObject({ a: 1, secret }, { label: 'options' });
    expect(copy).toEqual({ a: 1, secret });
    expect(copy.secret).toBe(secret);
    expect(optionsObject(undefined, { label: 'options', optional: true })).toEqual({});
  });

  it.each([
    ['undefined', undefined, '(root)'],
    ['null', null, '(root)'],
    ['a string', 'x', '(root)'],
    ['an array', [], '(root)'],
    ['a throwing Proxy', throwingProxy(), '(root)'],
    ['a throwing getter', withThrowingGetter({ a: 1 }, 'apiKey'), 'apiKey'],
  ])('throws CONFIG_ERROR for %s naming the field', (_, value, field) => {
    expect(thrownBy(() => optionsObject(value, { label: 'options' }))).toMatchObject({
      code: 'CONFIG_ERROR',
      field,
    });
  });
});

describe('parseOptions and optionsObject given hostile arguments of their own', () => {
  it.each(hostileValues())('parseOptions with its own options %s throws only CONFIG_ERROR', (_, value) => {
    const thrown = thrownBy(() => parseOptions(schema, { baseUrl: 42 }, value as { label: string }));
    expect(thrown).toBeInstanceOf(IntegrationError);
    expect(thrown).toMatchObject({ code: 'CONFIG_ERROR', field: 'baseUrl' });
  });

  it.each(hostileValues())(
    'parseOptions with the schema %s throws only CONFIG_ERROR naming schema',
    (_, value) => {
      const thrown = thrownBy(() => parseOptions(value as typeof schema, {}, { label: 'options' }));
      expect(thrown).toBeInstanceOf(IntegrationError);
      expect(thrown).toMatchObject({ code: 'CONFIG_ERROR', field: 'schema' });
    },
  );

  it.each(hostileValues())('optionsObject with its own options %s throws only CONFIG_ERROR', (_, value) => {
    const thrown = thrownBy(() => optionsObject(null, value as { label: string }));
    expect(thrown).toBeInstanceOf(IntegrationError);
    expect(thrown).toMatchObject({ code: 'CONFIG_ERROR', field: '(root)' });
  });
});

describe('options parsing when zod formats issue messages lazily', () => {
  // zod's messages are process-wide: put back the default ones for the test files that run after this one.
  afterAll(() => {
    z.config({ localeError: undefined });
  });

  it('a throwing Proxy read again while an issue message is formatted is a CONFIG_ERROR, never a raw throw', async () => {
    // Loading full zod installs its English messages, which read the input while formatting.
    const zod = await import('zod');
    zod.config(zod.locales.en());
    const schema = z.object({ count: z.int() });
    let thrown: unknown;
    try {
      parseOptions(schema, { count: throwingProxy() }, { label: 'test options' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ name: 'IntegrationError', code: 'CONFIG_ERROR' });
    // Field by field, the issue names the option.
    let byField: unknown;
    try {
      parseOptionFields(schema, { count: throwingProxy() }, { label: 'test options' });
    } catch (error) {
      byField = error;
    }
    expect(byField).toMatchObject({ name: 'IntegrationError', code: 'CONFIG_ERROR', field: 'count' });
  });
});
