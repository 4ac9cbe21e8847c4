import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { IntegrationError } from '../result/errors.ts';
import { hostileValues } from '../testing/hostile-values.ts';
import { revealSecret, Secret, toSecret } from './secret.ts';

const VALUE = 'sk_live_51HxYzAbCdEf0123456789';

describe('Secret', () => {
  const secret = new Secret(VALUE);

  it('toString prints [REDACTED]', () => {
    expect(secret.toString()).toBe('[REDACTED]');
  });

  it('a template literal prints [REDACTED]', () => {
    expect(`Bearer ${secret}`).toBe('Bearer [REDACTED]');
  });

  it('String() and concatenation print [REDACTED]', () => {
    expect(String(secret)).toBe('[REDACTED]');
    expect(`key=${secret}`).toBe('key=[REDACTED]');
    expect(['key', secret].join('=')).toBe('key=[REDACTED]');
  });

  it('JSON.stringify prints [REDACTED], also nested in an object or array', () => {
    expect(JSON.stringify(secret)).toBe('"[REDACTED]"');
    const json = JSON.stringify({ config: { apiKey: secret, list: [secret] }, name: 'twenty' });
    expect(json).toBe('{"config":{"apiKey":"[REDACTED]","list":["[REDACTED]"]},"name":"twenty"}');
    expect(json).not.toContain(VALUE);
  });

  it('util.inspect prints Secret([REDACTED]), also nested', () => {
    expect(inspect(secret)).toBe('Secret([REDACTED])');
    const nested = inspect({ auth: { token: secret } }, { depth: 10, showHidden: true });
    expect(nested).toContain('Secret([REDACTED])');
    expect(nested).not.toContain(VALUE);
  });

  it('has no enumerable property holding the value', () => {
    expect(Object.keys(secret)).toEqual([]);
    expect(Object.values(secret)).not.toContain(VALUE);
    expect({ ...secret }).toEqual({});
  });

  it('reveal() returns the raw value', () => {
    expect(secret.reveal()).toBe(VALUE);
  });

  it('isEmpty tells whether the value is the empty string', () => {
    expect(new Secret('').isEmpty).toBe(true);
    expect(secret.isEmpty).toBe(false);
  });
});

describe('toSecret / revealSecret', () => {
  it('toSecret wraps a string', () => {
    const wrapped = toSecret(VALUE);
    expect(wrapped).toBeInstanceOf(Secret);
    expect(wrapped.reveal()).toBe(VALUE);
  });

  it('toSecret passes a Secret through as the same instance', () => {
    const secret = new Secret(VALUE);
    expect(toSecret(secret)).toBe(secret);
  });

  it('revealSecret returns the raw value of a string or a Secret', () => {
    expect(revealSecret(VALUE)).toBe(VALUE);
    expect(revealSecret(new Secret(VALUE))).toBe(VALUE);
  });
});

describe('hostile input', () => {
  const nonStrings = hostileValues().filter(([, value]) => typeof value !== 'string');

  it.each(nonStrings)('new Secret and toSecret of %s throw only CONFIG_ERROR naming value', (_, value) => {
    for (const make of [() => new Secret(value as string), () => toSecret(value as string)]) {
      let thrown: unknown;
      try {
        make();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(IntegrationError);
      expect(thrown).toMatchObject({ code: 'CONFIG_ERROR', field: 'value' });
    }
  });

  it.each(hostileValues())('revealSecret(%s) returns it as it is, without throwing', (_, value) => {
    expect(revealSecret(value as string)).toBe(value);
  });

  it.each(hostileValues())('%s is no Secret, and asking never throws', (_, value) => {
    expect(value instanceof Secret).toBe(false);
  });

  it('takes neither a look-alike made from its prototype nor a Proxy of a Secret for one', () => {
    const lookAlike = Object.create(Secret.prototype) as Secret;
    expect(lookAlike instanceof Secret).toBe(false);
    expect(revealSecret(lookAlike)).toBe(lookAlike);
    expect(new Proxy(new Secret(VALUE), {}) instanceof Secret).toBe(false);
  });

  it('keeps instanceof for its own instances and subclasses', () => {
    class Rotating extends Secret {}
    const rotating = new Rotating(VALUE);
    expect(rotating instanceof Secret).toBe(true);
    expect(rotating instanceof Rotating).toBe(true);
    expect(new Secret(VALUE) instanceof Rotating).toBe(false);
    expect(revealSecret(rotating)).toBe(VALUE);
  });

  it('never quotes the rejected value', () => {
    const value = { toString: () => VALUE };
    expect(() => new Secret(value as never)).toThrow(/must be a string/);
    try {
      new Secret(value as never);
    } catch (error) {
      expect(JSON.stringify(error)).not.toContain(VALUE);
      expect(String((error as Error).stack)).not.toContain(VALUE);
    }
  });
});
