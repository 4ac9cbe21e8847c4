import { describe, expect, it } from 'vitest';
import { utf8 } from './encoding.ts';
import { IntegrationError } from './errors.ts';
import { signHmac, verifyHmacSignature } from './hmac.ts';
import { Secret } from './secret.ts';

// RFC 4231 test case 2 (and its RFC 2202 SHA-1 twin): known answers computed outside this code.
const KEY = 'Jefe';
const DATA = 'what do ya want for nothing?';
const SHA256_HEX = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';
const SHA256_BASE64 = 'W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=';
const SHA1_HEX = 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79';
const SHA512_BASE64 =
  'Fkt6e/z4GeLjlfvnO1bgo4e9ZCIugx/WECcM1+olBVSXWL91wFqZSm0DT2X48Ob9yuqxo01Ka0tjbgcKOLznNw==';

describe('signHmac', () => {
  it('defaults to lower-case hex SHA-256', async () => {
    expect(await signHmac({ secret: KEY, payload: DATA })).toBe(SHA256_HEX);
  });

  it('signs base64, SHA-1 and SHA-512', async () => {
    expect(await signHmac({ secret: KEY, payload: DATA, encoding: 'base64' })).toBe(SHA256_BASE64);
    expect(await signHmac({ secret: KEY, payload: DATA, algorithm: 'SHA-1' })).toBe(SHA1_HEX);
    expect(await signHmac({ secret: KEY, payload: DATA, algorithm: 'SHA-512', encoding: 'base64' })).toBe(
      SHA512_BASE64,
    );
  });

  it('accepts the secret as a Secret or bytes and the payload as bytes', async () => {
    expect(await signHmac({ secret: new Secret(KEY), payload: DATA })).toBe(SHA256_HEX);
    expect(await signHmac({ secret: utf8(KEY), payload: utf8(DATA) })).toBe(SHA256_HEX);
  });

  it('rejects an empty secret with CONFIG_ERROR', async () => {
    const error = await signHmac({ secret: '', payload: DATA }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrationError);
    expect(error).toMatchObject({ code: 'CONFIG_ERROR', field: 'secret' });
  });
});

describe('verifyHmacSignature', () => {
  // Twenty signs `${timestamp}:${body}` with hex HMAC-SHA256.
  const secret = 'twenty-webhook-secret';
  const timestamp = '1735689600000';
  const body = '{"event":"person.created","record":{"id":"1"}}';
  const payload = `${timestamp}:${body}`;

  it('accepts a Twenty-style hex signature', async () => {
    const signature = await signHmac({ secret, payload });
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(await verifyHmacSignature({ secret, payload, signature })).toBe(true);
  });

  it('accepts a known base64 signature (HubSpot v3 style)', async () => {
    expect(
      await verifyHmacSignature({ secret: KEY, payload: DATA, signature: SHA256_BASE64, encoding: 'base64' }),
    ).toBe(true);
  });

  it('accepts upper-case hex (Exact Online style)', async () => {
    expect(
      await verifyHmacSignature({ secret: KEY, payload: DATA, signature: SHA256_HEX.toUpperCase() }),
    ).toBe(true);
  });

  it('rejects a tampered payload', async () => {
    const signature = await signHmac({ secret, payload });
    expect(await verifyHmacSignature({ secret, payload: `${timestamp}:${body} `, signature })).toBe(false);
    expect(
      await verifyHmacSignature({ secret, payload: `${Number(timestamp) + 1}:${body}`, signature }),
    ).toBe(false);
  });

  it('rejects a signature made with another secret', async () => {
    const signature = await signHmac({ secret: 'attacker-secret', payload });
    expect(await verifyHmacSignature({ secret, payload, signature })).toBe(false);
  });

  it('rejects a signature of another algorithm or encoding', async () => {
    expect(await verifyHmacSignature({ secret: KEY, payload: DATA, signature: SHA1_HEX })).toBe(false);
    expect(await verifyHmacSignature({ secret: KEY, payload: DATA, signature: SHA256_BASE64 })).toBe(false);
    expect(
      await verifyHmacSignature({ secret: KEY, payload: DATA, signature: SHA256_HEX, encoding: 'base64' }),
    ).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['not hex', 'zz'.repeat(32)],
    ['odd length', `${SHA256_HEX}a`],
    ['truncated', SHA256_HEX.slice(0, 62)],
    ['extended', `${SHA256_HEX}00`],
    ['with a scheme prefix', `sha256=${SHA256_HEX}`],
  ])('returns false for a %s hex signature', async (_label, signature) => {
    expect(await verifyHmacSignature({ secret: KEY, payload: DATA, signature })).toBe(false);
  });

  it.each([
    ['not base64', '!!!not-base64!!!'],
    ['truncated', SHA256_BASE64.slice(0, 20)],
    ['bad padding', `${SHA256_BASE64}==`],
  ])('returns false for a %s base64 signature', async (_label, signature) => {
    expect(await verifyHmacSignature({ secret: KEY, payload: DATA, signature, encoding: 'base64' })).toBe(
      false,
    );
  });

  it('verifies SHA-1 and SHA-512 signatures', async () => {
    expect(
      await verifyHmacSignature({ secret: KEY, payload: DATA, signature: SHA1_HEX, algorithm: 'SHA-1' }),
    ).toBe(true);
    expect(
      await verifyHmacSignature({
        secret: KEY,
        payload: DATA,
        signature: SHA512_BASE64,
        algorithm: 'SHA-512',
        encoding: 'base64',
      }),
    ).toBe(true);
  });

  it('throws CONFIG_ERROR for an empty secret instead of reporting a forged request', async () => {
    const error = await verifyHmacSignature({
      secret: new Secret(''),
      payload: DATA,
      signature: SHA256_HEX,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONFIG_ERROR', field: 'secret' });
  });
});
