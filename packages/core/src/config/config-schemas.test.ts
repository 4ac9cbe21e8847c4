import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { Secret } from '../secrets/secret.ts';
import { booleanFromEnv, httpUrl, secretString } from './config-schemas.ts';

const firstMessage = (result: { error?: { issues: { message: string }[] } }) =>
  result.error?.issues[0]?.message;

describe('booleanFromEnv', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    ['Yes', true],
    ['false', false],
    ['False', false],
    ['0', false],
    ['no', false],
    ['NO', false],
    [true, true],
    [false, false],
  ])('reads %j as %s', (input, expected) => {
    expect(z.parse(booleanFromEnv, input)).toBe(expected);
  });

  it.each(['on', 'maybe', '2', ' true', 2, {}])(
    'rejects %j with a message listing the accepted words',
    (input) => {
      const result = booleanFromEnv.safeParse(input);
      expect(result.success).toBe(false);
      expect(firstMessage(result)).toBe('must be one of true, false, 1, 0, yes, no');
    },
  );

  it('keeps the generic message for a missing value so config resolution can say Required', () => {
    expect(firstMessage(booleanFromEnv.safeParse(undefined))).toBe('Invalid input');
  });

  // Read by hand instead of with z.stringbool (a codec, kept out of bundles): the same answer, issue for issue.
  it.each(['yes', 'No', '1', 'on', '', ' true', 2, null, undefined, {}])(
    'answers %j exactly as the z.stringbool union it replaces',
    (input) => {
      const stringbool = z.union(
        [z.boolean(), z.stringbool({ truthy: ['true', '1', 'yes'], falsy: ['false', '0', 'no'] })],
        {
          error: (issue) =>
            issue.input === undefined ? undefined : 'must be one of true, false, 1, 0, yes, no',
        },
      );
      expect(JSON.stringify(booleanFromEnv.safeParse(input))).toBe(
        JSON.stringify(stringbool.safeParse(input)),
      );
    },
  );
});

describe('httpUrl', () => {
  it.each(['https://api.twenty.com/rest', 'http://localhost:3000', 'http://10.0.0.5:8080/graphql'])(
    'accepts %s',
    (input) => {
      expect(z.parse(httpUrl, input)).toBe(input);
    },
  );

  it('trims surrounding whitespace', () => {
    expect(z.parse(httpUrl, '  https://crm.example.com \n')).toBe('https://crm.example.com');
  });

  it('drops inner tabs and newlines as the URL parser does, so the value kept is the one used', () => {
    expect(z.parse(httpUrl, 'https://crm.exa\tmple.com/re\nst')).toBe('https://crm.example.com/rest');
  });

  it.each([
    ['http://h/a b', 'must not contain spaces or control characters'],
    ['http://h/a\u0001b', 'must not contain spaces or control characters'],
  ])('rejects %j: %s', (input, message) => {
    const result = httpUrl.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([message]);
  });

  it.each(['ftp://x', 'not a url', 'mailto:a@b.c', 'http://', 42])(
    'rejects %j as not an http(s) URL',
    (input) => {
      const result = httpUrl.safeParse(input);
      expect(result.success).toBe(false);
      expect(firstMessage(result)).toBe('must be an http(s) URL');
    },
  );
});

describe('secretString', () => {
  it('wraps a non-empty string in a Secret that serializes as [REDACTED]', () => {
    const secret = z.parse(secretString, 'sk-live-1234567890');
    expect(secret).toBeInstanceOf(Secret);
    expect(secret.reveal()).toBe('sk-live-1234567890');
    expect(JSON.stringify({ apiKey: secret })).toBe('{"apiKey":"[REDACTED]"}');
    expect(String(secret)).toBe('[REDACTED]');
  });

  it('passes a Secret through unchanged', () => {
    const secret = new Secret('already-wrapped');
    expect(z.parse(secretString, secret)).toBe(secret);
  });

  it.each([
    ['', 'empty string'],
    [new Secret(''), 'empty Secret'],
    [12345, 'number'],
  ])('rejects %s (%s)', (input, _label) => {
    const result = secretString.safeParse(input);
    expect(result.success).toBe(false);
    expect(firstMessage(result)).toBe('must be a non-empty string');
  });

  it('keeps the generic message for a missing value', () => {
    expect(firstMessage(secretString.safeParse(undefined))).toBe('Invalid input');
  });
});
