import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64Url } from '../encoding/encoding.ts';
import { IntegrationError } from '../result/errors.ts';
import type { ApiResult } from '../result/result.ts';
import { hostileValues, throwingProxy, withThrowingGetter } from '../testing/hostile-values.ts';
import { outcome, thrownBy } from '../testing/outcomes.ts';
import { watchProcessFailures } from '../testing/process-failures.ts';
import { Secret } from './secret.ts';
import { createSecretCipher } from './secret-cipher.ts';

const KEY = 'kkkkkkkk-0123456789abcdef';
const API_KEY = 'tw_live_0123456789abcdefSECRET';

function expectConfigError<T>(result: ApiResult<T>): IntegrationError {
  if (result.success) throw new Error('expected a failed result');
  expect(result.error).toBeInstanceOf(IntegrationError);
  expect(result.error.code).toBe('CONFIG_ERROR');
  expect(result.error.message).toMatch(/^The secret key does not decrypt the stored API key/);
  return result.error;
}

describe('createSecretCipher', () => {
  it('round-trips a value, returning it as a Secret', async () => {
    const cipher = createSecretCipher({ key: KEY });
    const result = await cipher.decrypt(await cipher.encrypt(API_KEY));
    if (!result.success) throw result.error;
    expect(result.data).toBeInstanceOf(Secret);
    expect(result.data.reveal()).toBe(API_KEY);
  });

  it('round-trips the empty string and non-ASCII text', async () => {
    const cipher = createSecretCipher({ key: KEY });
    for (const value of ['', 'Grüße, 世界 😀']) {
      const result = await cipher.decrypt(await cipher.encrypt(value));
      expect(result.success && result.data.reveal()).toBe(value);
    }
  });

  it('writes v1.<12-byte iv>.<ciphertext + 16-byte tag> in unpadded base64url', async () => {
    const text = await createSecretCipher({ key: KEY }).encrypt(API_KEY);
    const [version, iv, sealed, ...rest] = text.split('.');
    expect(version).toBe('v1');
    expect(rest).toEqual([]);
    expect(iv).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(sealed).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(fromBase64(iv!)).toHaveLength(12);
    expect(fromBase64(sealed!)).toHaveLength(API_KEY.length + 16);
    expect(text).not.toContain(API_KEY);
  });

  it('uses a fresh IV every time: the same value encrypts differently', async () => {
    const cipher = createSecretCipher({ key: KEY });
    const texts = new Set(await Promise.all(Array.from({ length: 20 }, () => cipher.encrypt(API_KEY))));
    expect(texts.size).toBe(20);
    const ivs = new Set([...texts].map((text) => text.split('.')[1]));
    expect(ivs.size).toBe(20);
  });

  it('derives the same key on every start: another cipher with the same key material decrypts', async () => {
    const text = await createSecretCipher({ key: KEY }).encrypt(API_KEY);
    const result = await createSecretCipher({ key: new Secret(KEY) }).decrypt(text);
    expect(result.success && result.data.reveal()).toBe(API_KEY);
  });

  it('refuses a wrong key with CONFIG_ERROR, never garbage', async () => {
    const text = await createSecretCipher({ key: KEY }).encrypt(API_KEY);
    const other = `${KEY.slice(0, -1)}X`;
    const error = expectConfigError(await createSecretCipher({ key: other }).decrypt(text));
    expect(error.message).toContain('wrong key');
  });

  it('refuses every single-bit flip of the IV, the ciphertext and the tag', async () => {
    const cipher = createSecretCipher({ key: KEY });
    const text = await cipher.encrypt('short-key');
    const [, ivText, sealedText] = text.split('.');
    const iv = fromBase64(ivText!)!;
    const sealed = fromBase64(sealedText!)!;
    for (let byte = 0; byte < iv.length + sealed.length; byte++) {
      const flippedIv = iv.slice();
      const flippedSealed = sealed.slice();
      if (byte < iv.length) flippedIv[byte]! ^= 1;
      else flippedSealed[byte - iv.length]! ^= 0x80;
      const tampered = `v1.${toBase64Url(flippedIv)}.${toBase64Url(flippedSealed)}`;
      expectConfigError(await cipher.decrypt(tampered));
    }
  });

  it.each([
    ['an empty string', ''],
    ['plain text', API_KEY],
    ['an unknown version', 'v2.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA'],
    ['a missing part', 'v1.AAAAAAAAAAAAAAAA'],
    ['an extra part', 'v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AA'],
    ['a short IV', 'v1.AAAA.AAAAAAAAAAAAAAAAAAAAAA'],
    ['no room for the tag', 'v1.AAAAAAAAAAAAAAAA.AAAA'],
    ['characters outside base64url', 'v1.AAAAAAAAAAAAAAAA.AAAAAAAA!AAAAAAAAAAAAA'],
  ])('refuses %s with CONFIG_ERROR', async (_label, text) => {
    const error = expectConfigError(await createSecretCipher({ key: KEY }).decrypt(text));
    expect(error.message).not.toContain(API_KEY);
  });

  it('puts neither the key nor the plain text in any error', async () => {
    const text = await createSecretCipher({ key: KEY }).encrypt(API_KEY);
    const error = expectConfigError(await createSecretCipher({ key: `${KEY}-other` }).decrypt(text));
    const printed = [error.message, error.stack ?? '', JSON.stringify(error), inspect(error, { depth: 10 })];
    for (const output of printed) {
      expect(output).not.toContain(KEY);
      expect(output).not.toContain(API_KEY);
    }
  });

  it.each([
    ['empty', ''],
    ['15 characters', 'x'.repeat(15)],
  ])('throws CONFIG_ERROR naming the field when the key is %s', (_label, key) => {
    for (const value of [key, new Secret(key)]) {
      let thrown: unknown;
      try {
        createSecretCipher({ key: value });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(IntegrationError);
      expect((thrown as IntegrationError).code).toBe('CONFIG_ERROR');
      expect((thrown as IntegrationError).field).toBe('key');
      expect((thrown as IntegrationError).message).toContain('at least 16 characters');
      if (key) expect((thrown as IntegrationError).message).not.toContain(key);
    }
  });

  it('accepts a key of exactly 16 characters', async () => {
    const cipher = createSecretCipher({ key: 'x'.repeat(16) });
    const result = await cipher.decrypt(await cipher.encrypt(API_KEY));
    expect(result.success).toBe(true);
  });
});

describe('hostile input', () => {
  it.each([
    ...hostileValues(),
    ['a short key', { key: 'short' }],
    ['a Proxy key', { key: throwingProxy() }],
    ['a getter that throws', withThrowingGetter({}, 'key')],
    ['a look-alike Secret', { key: Object.create(Secret.prototype) }],
  ])('createSecretCipher(%s) throws only a CONFIG_ERROR naming key', (_, options) => {
    const thrown = thrownBy(() => createSecretCipher(options as { key: string }));
    expect(thrown).toBeInstanceOf(IntegrationError);
    expect(thrown).toMatchObject({ code: 'CONFIG_ERROR', field: 'key' });
  });

  it.each(hostileValues())(
    'createSecretCipher({ key: %s }) throws only a CONFIG_ERROR naming key',
    (_, key) => {
      const thrown = thrownBy(() => createSecretCipher({ key: key as string }));
      expect(thrown).toMatchObject({ code: 'CONFIG_ERROR', field: 'key' });
    },
  );

  it('never quotes the key', () => {
    const almost = 'fifteen-chars!!';
    const thrown = thrownBy(() => createSecretCipher({ key: almost }));
    expect(JSON.stringify(thrown)).not.toContain(almost);
    expect(String((thrown as Error).stack)).not.toContain(almost);
  });

  it.each(hostileValues().filter(([, value]) => typeof value !== 'string'))(
    'encrypt(%s) rejects only with a VALIDATION_ERROR naming plain, leaving nothing behind',
    async (_, value) => {
      const watch = watchProcessFailures();
      const settled = await outcome(() => createSecretCipher({ key: KEY }).encrypt(value as string));
      expect(await watch.stop()).toEqual([]);
      expect(settled.resolved).toBe(false);
      const reason = settled.resolved ? undefined : settled.reason;
      expect(reason).toBeInstanceOf(IntegrationError);
      expect(reason).toMatchObject({ code: 'VALIDATION_ERROR', field: 'plain' });
    },
  );

  it.each(hostileValues())('decrypt(%s) resolves to a CONFIG_ERROR naming ciphertext', async (_, value) => {
    const watch = watchProcessFailures();
    const result = await createSecretCipher({ key: KEY }).decrypt(value as string);
    expect(await watch.stop()).toEqual([]);
    expect(expectConfigError(result).field).toBe('ciphertext');
  });
});
