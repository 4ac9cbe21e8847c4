import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { IntegrationError } from '../result/errors.ts';
import { Secret } from '../secrets/secret.ts';
import {
  codeVerifier,
  endpointUrl,
  readClock,
  readOAuthOptions,
  redirectUri,
  secretText,
} from './options.ts';

describe('readOAuthOptions', () => {
  const schema = z.strictObject({ url: endpointUrl, secret: secretText });

  it('parses a caller object into checked options, secrets as Secrets', () => {
    const read = readOAuthOptions(
      schema,
      { url: ' https://a.test/x ', secret: 's3cr3t' },
      'test options',
      'CONFIG_ERROR',
    );
    expect(read.success).toBe(true);
    if (!read.success) return;
    expect(read.data.url).toBe('https://a.test/x');
    expect(read.data.secret).toBeInstanceOf(Secret);
  });

  it('lists every bad field under the given code, never quoting a value', () => {
    const read = readOAuthOptions(
      schema,
      { url: 'https://a.test/#f', secret: '' },
      'test options',
      'VALIDATION_ERROR',
    );
    expect(read.success).toBe(false);
    if (read.success) return;
    expect(read.error.code).toBe('VALIDATION_ERROR');
    expect(read.error.issues?.map((issue) => issue.field).sort()).toEqual(['secret', 'url']);
    expect(read.error.message).toContain('Invalid test options');
  });

  it('turns getters and Proxy traps that throw into an error naming the field', () => {
    const getter = Object.defineProperty({ url: 'https://a.test' }, 'secret', {
      enumerable: true,
      get() {
        throw new Error('trap');
      },
    });
    const read = readOAuthOptions(schema, getter, 'test options', 'CONFIG_ERROR');
    expect(!read.success && read.error.field).toBe('secret');
    const proxy = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('trap');
        },
      },
    );
    expect(readOAuthOptions(schema, proxy, 'test options', 'CONFIG_ERROR').success).toBe(false);
    expect(readOAuthOptions(schema, null, 'test options', 'CONFIG_ERROR').success).toBe(false);
  });
});

describe('option rules', () => {
  it('takes absolute redirect URIs without fragments', () => {
    expect(redirectUri.safeParse('https://app.test/cb').success).toBe(true);
    expect(redirectUri.safeParse('com.example.app:/cb').success).toBe(true);
    expect(redirectUri.safeParse('/cb').success).toBe(false);
    expect(redirectUri.safeParse('https://app.test/cb#x').success).toBe(false);
  });

  it('takes code verifiers of RFC 7636 only', () => {
    expect(codeVerifier.safeParse('a'.repeat(43)).success).toBe(true);
    expect(codeVerifier.safeParse(new Secret('a'.repeat(43))).success).toBe(true);
    expect(codeVerifier.safeParse('a'.repeat(42)).success).toBe(false);
  });
});

describe('readClock', () => {
  it('answers the time, and throws CONFIG_ERROR for a clock that throws or is not a time', () => {
    expect(readClock(() => 5)).toBe(5);
    for (const clock of [
      () => Number.NaN,
      () => '5' as never,
      () => {
        throw new Error('x');
      },
    ]) {
      let thrown: unknown;
      try {
        readClock(clock);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(IntegrationError);
      expect((thrown as IntegrationError).field).toBe('clock');
    }
  });
});
