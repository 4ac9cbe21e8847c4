import { describe, expect, it } from 'vitest';
import { utf8 } from '../encoding/encoding.ts';
import { IntegrationError } from '../result/errors.ts';
import { Secret } from '../secrets/secret.ts';
import { hmacKeyBytes, signHmac, verifyHmacSignature } from './hmac.ts';

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

  it('never throws: an empty secret is false, and hmacKeyBytes names it as CONFIG_ERROR', async () => {
    expect(await verifyHmacSignature({ secret: new Secret(''), payload: DATA, signature: SHA256_HEX })).toBe(
      false,
    );
    expect(hmacKeyBytes(new Secret(''))).toMatchObject({
      success: false,
      error: { code: 'CONFIG_ERROR', field: 'secret' },
    });
    expect(hmacKeyBytes(KEY)).toEqual({ success: true, data: utf8(KEY) });
  });

  it('verifies a payload given as bytes or an ArrayBuffer, and a secret from another copy of Secret', async () => {
    const foreignSecret = { reveal: () => KEY, toString: () => '[REDACTED]' };
    expect(
      await verifyHmacSignature({
        secret: foreignSecret as unknown as Secret,
        payload: DATA,
        signature: SHA256_HEX,
      }),
    ).toBe(true);
    expect(
      await verifyHmacSignature({ secret: KEY, payload: utf8(DATA).buffer, signature: SHA256_HEX }),
    ).toBe(true);
  });
});

// Whatever a caller passes, verifyHmacSignature resolves to a boolean and fails closed (false); it never
// rejects, and never accepts a signature made with a key it was not given (e.g. zero bytes for `secret: 32`).
describe('verifyHmacSignature against hostile input', () => {
  const valid = { secret: KEY, payload: DATA, signature: SHA256_HEX };
  const throwing = new Proxy(
    {},
    {
      get() {
        throw new Error('trap');
      },
    },
  );
  const zeroKeySignature = async (length: number) =>
    signHmac({ secret: new Uint8Array(length), payload: DATA });

  const cases: [string, () => unknown][] = [
    ['no options', async () => undefined],
    ['null options', async () => null],
    ['a number as options', async () => 42],
    ['options whose getters throw', () => throwing],
    ['an empty secret', async () => ({ ...valid, secret: '' })],
    [
      'a number secret (not a 32-byte zero key)',
      async () => ({ ...valid, secret: 32, signature: await zeroKeySignature(32) }),
    ],
    ['a null secret', async () => ({ ...valid, secret: null })],
    ['an undefined secret', async () => ({ ...valid, secret: undefined })],
    ['an object secret', async () => ({ ...valid, secret: {} })],
    ['an array secret', async () => ({ ...valid, secret: [1, 2, 3] })],
    [
      'a secret whose reveal throws',
      async () => ({
        ...valid,
        secret: {
          reveal: () => {
            throw new Error('x');
          },
        },
      }),
    ],
    ['a secret that is a Proxy', async () => ({ ...valid, secret: throwing })],
    ['an empty Uint8Array secret', async () => ({ ...valid, secret: new Uint8Array(0) })],
    ['a null payload', async () => ({ ...valid, payload: null })],
    ['a number payload', async () => ({ ...valid, payload: 42 })],
    ['an object payload', async () => ({ ...valid, payload: { a: 1 } })],
    ['a null signature', async () => ({ ...valid, signature: null })],
    ['an array signature', async () => ({ ...valid, signature: [SHA256_HEX] })],
    ['a number signature', async () => ({ ...valid, signature: 42 })],
    ['an unknown algorithm', async () => ({ ...valid, algorithm: 'MD5' })],
    ['an algorithm that is not a string', async () => ({ ...valid, algorithm: 256 })],
    ['an inherited algorithm name', async () => ({ ...valid, algorithm: 'toString' })],
    ['an unknown encoding', async () => ({ ...valid, encoding: 'base32' })],
  ];

  it.each(cases)('%s resolves to false', async (_label, build) => {
    // Not awaited when synchronous: awaiting the Proxy itself would trip on its `then` trap first.
    const built = build();
    const options = built instanceof Promise ? await built : built;
    await expect(verifyHmacSignature(options as never)).resolves.toBe(false);
  });

  it('still verifies the valid delivery the hostile cases are built from', async () => {
    expect(await verifyHmacSignature(valid)).toBe(true);
  });
});

describe('signHmac against hostile input', () => {
  it.each([
    ['a number secret', { secret: 32, payload: DATA }, 'CONFIG_ERROR', 'secret'],
    ['a null secret', { secret: null, payload: DATA }, 'CONFIG_ERROR', 'secret'],
    ['an unknown algorithm', { secret: KEY, payload: DATA, algorithm: 'MD5' }, 'CONFIG_ERROR', 'algorithm'],
    ['a null payload', { secret: KEY, payload: null }, 'VALIDATION_ERROR', 'payload'],
  ])('%s is a typed IntegrationError, never a zero-byte key', async (_label, options, code, field) => {
    const error = await signHmac(options as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrationError);
    expect(error).toMatchObject({ code, field });
  });
});
