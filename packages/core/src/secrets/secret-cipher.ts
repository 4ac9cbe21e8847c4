// Encryption of secrets at rest (API keys in a config table) on Web Crypto only, so it runs unchanged in
// Node, Bun, Deno and edge runtimes.
import { fromBase64, toBase64Url, utf8 } from '../encoding/encoding.ts';
import { IntegrationError } from '../result/errors.ts';
import { type ApiResult, err, ok } from '../result/result.ts';
import { Secret } from './secret.ts';

/** Options of {@link createSecretCipher}. */
export interface SecretCipherOptions {
  /**
   * Key material, at least 16 characters; a 256-bit AES key is derived from it with HKDF-SHA-256. Use a
   * random value (e.g. `openssl rand -base64 32`), not a password: HKDF is not a password hash.
   */
  key: string | Secret;
}

/** Encrypts and decrypts short secrets as `v1.<base64url iv>.<base64url ciphertext+tag>` (AES-256-GCM). */
export interface SecretCipher {
  /**
   * Encrypts with a fresh random 12-byte IV: the same input never gives the same output twice. Anything but a
   * string rejects with a `VALIDATION_ERROR` (field `plain`), an IntegrationError that never quotes it.
   */
  encrypt(plain: string): Promise<string>;
  /**
   * The plain text as a Secret, or `CONFIG_ERROR` (field `ciphertext`) when the key does not match, the text
   * was altered or is not a ciphertext at all. Never rejects.
   */
  decrypt(ciphertext: string): Promise<ApiResult<Secret>>;
}

/** The shortest key material accepted, in characters. */
export const MIN_SECRET_KEY_LENGTH = 16;

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Fixed salt and info: the derived key must be the same on every start, and the key material is meant to
// be random already, so HKDF only has to stretch it to 256 bits and bind it to this one purpose.
const HKDF_SALT = utf8('patchbay/secret-cipher');
const HKDF_INFO = utf8('patchbay secret-cipher v1 aes-256-gcm');
const DECRYPT_FAILED = 'The secret key does not decrypt the stored API key';

/**
 * An AES-256-GCM cipher for secrets at rest (e.g. the API keys in a config table), keyed by HKDF-SHA-256
 * from `key`. Throws `CONFIG_ERROR` (field `key`) when the key material is not a string or Secret of at least 16
 * characters, or cannot be read (options that are not an object, a getter that throws).
 * @example
 * const cipher = createSecretCipher({ key: process.env.PATCHBAY_SECRET_KEY! });
 * const stored = await cipher.encrypt(apiKey);            // 'v1.…'
 * const result = await cipher.decrypt(stored);            // ApiResult<Secret>
 */
export function createSecretCipher(options: SecretCipherOptions): SecretCipher {
  const material = readKeyMaterial(options);
  if (material === undefined) {
    const message = `must be a string or Secret of at least ${MIN_SECRET_KEY_LENGTH} characters`;
    throw new IntegrationError('CONFIG_ERROR', `Invalid secret cipher options: key: ${message}`, {
      field: 'key',
      issues: [{ field: 'key', message }],
      retryable: false,
    });
  }
  // Derived once, lazily: the factory stays synchronous and a cipher that is never used costs nothing.
  let derived: Promise<CryptoKey> | undefined;
  const aesKey = (): Promise<CryptoKey> => {
    derived ??= deriveKey(material);
    return derived;
  };

  return {
    async encrypt(plain) {
      if (typeof plain !== 'string') {
        throw new IntegrationError('VALIDATION_ERROR', 'Invalid input: plain: must be a string', {
          field: 'plain',
          issues: [{ field: 'plain', message: 'must be a string' }],
          retryable: false,
        });
      }
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await aesKey(), utf8(plain));
      return `${VERSION}.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(sealed))}`;
    },

    async decrypt(ciphertext) {
      const parts = typeof ciphertext === 'string' ? ciphertext.split('.') : [];
      const iv = parts.length === 3 && parts[0] === VERSION ? fromBase64(parts[1]!) : undefined;
      const sealed = iv ? fromBase64(parts[2]!) : undefined;
      if (!iv || iv.length !== IV_BYTES || !sealed || sealed.length < TAG_BYTES) {
        return err(
          new IntegrationError('CONFIG_ERROR', `${DECRYPT_FAILED} (not a v1 ciphertext)`, {
            field: 'ciphertext',
          }),
        );
      }
      try {
        const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, await aesKey(), sealed);
        return ok(new Secret(new TextDecoder('utf-8', { fatal: true }).decode(plain)));
      } catch {
        // The GCM tag check fails alike for a wrong key and for altered bytes; nothing else to say, and
        // the runtime's own error carries no information worth keeping.
        return err(
          new IntegrationError('CONFIG_ERROR', `${DECRYPT_FAILED} (wrong key, or the value was altered)`, {
            field: 'ciphertext',
          }),
        );
      }
    },
  };
}

// The key material, or undefined when it is missing, of the wrong kind, too short or unreadable.
function readKeyMaterial(options: unknown): string | undefined {
  if (typeof options !== 'object' || options === null) return undefined;
  let key: unknown;
  try {
    key = (options as { key?: unknown }).key;
  } catch {
    return undefined;
  }
  const material = key instanceof Secret ? key.reveal() : key;
  return typeof material === 'string' && material.length >= MIN_SECRET_KEY_LENGTH ? material : undefined;
}

async function deriveKey(material: string): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', utf8(material), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: HKDF_SALT, info: HKDF_INFO },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}
