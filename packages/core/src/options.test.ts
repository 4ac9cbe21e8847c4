import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { parseOptions } from './options.ts';

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
