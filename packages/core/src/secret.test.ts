import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
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
