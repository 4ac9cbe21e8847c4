// HMAC on Web Crypto only, so signing and verification run unchanged in Node, Bun, Deno and edge runtimes.

import { fromBase64, fromHex, toBase64, toHex, utf8 } from '../encoding/encoding.ts';
import { describeType } from '../input/caller-input.ts';
import { IntegrationError, isIntegrationError } from '../result/errors.ts';
import { type ApiResult, err, ok } from '../result/result.ts';
import type { Secret } from '../secrets/secret.ts';

/** Hash functions the HMAC helpers accept. */
export type HmacAlgorithm = 'SHA-256' | 'SHA-1' | 'SHA-512';

/** How a signature is written as text. */
export type HmacEncoding = 'hex' | 'base64';

/** A key given as text (used as its UTF-8 bytes) or as raw bytes (e.g. a decoded `whsec_` secret). */
export type HmacSecret = string | Secret | Uint8Array;

/** Options of {@link signHmac}. */
export interface SignHmacOptions {
  secret: HmacSecret;
  /** Signed exactly as given; a string is signed as its UTF-8 bytes. */
  payload: string | Uint8Array | ArrayBuffer;
  /** Defaults to `SHA-256`. */
  algorithm?: HmacAlgorithm;
  /** Defaults to `hex` (lower case). */
  encoding?: HmacEncoding;
}

/** Options of {@link verifyHmacSignature}. */
export interface VerifyHmacSignatureOptions extends SignHmacOptions {
  /** The signature the sender sent, in `encoding`; hex is read case-insensitively. */
  signature: string;
}

const DIGEST_BYTES: Record<HmacAlgorithm, number> = { 'SHA-1': 20, 'SHA-256': 32, 'SHA-512': 64 };

/**
 * The key bytes of an HMAC secret: a non-empty string (its UTF-8 bytes), `Secret`, or `Uint8Array`. Anything
 * else, or an empty one (an unset env var), is a `CONFIG_ERROR` on `secret` that never quotes the value.
 * Check a configured secret at startup with it: the verifiers refuse every delivery while it is broken.
 * @example const key = hmacKeyBytes(process.env.WEBHOOK_SECRET); if (!key.success) throw key.error;
 */
export function hmacKeyBytes(secret: unknown): ApiResult<Uint8Array<ArrayBuffer>> {
  let bytes: Uint8Array<ArrayBuffer> | undefined;
  try {
    if (typeof secret === 'string') bytes = utf8(secret);
    // A copy: a caller's later change to its array must not change the key.
    else if (secret instanceof Uint8Array) bytes = new Uint8Array(secret);
    else if (typeof (secret as { reveal?: unknown } | null)?.reveal === 'function') {
      // A Secret, also one from another copy of this package (instanceof would miss it).
      const revealed: unknown = (secret as { reveal: () => unknown }).reveal();
      if (typeof revealed === 'string') bytes = utf8(revealed);
    }
  } catch {
    bytes = undefined;
  }
  if (bytes === undefined) {
    return err(
      new IntegrationError(
        'CONFIG_ERROR',
        `The HMAC secret must be a non-empty string, Secret or Uint8Array, not ${describeType(secret)}.`,
        { field: 'secret', retryable: false },
      ),
    );
  }
  // Web Crypto rejects zero-length HMAC keys with a runtime-specific DataError; an empty secret is always a
  // misconfiguration (an unset env var), so name it the same way everywhere.
  if (bytes.length === 0) {
    return err(
      new IntegrationError('CONFIG_ERROR', 'The HMAC secret is empty.', {
        field: 'secret',
        retryable: false,
      }),
    );
  }
  return ok(bytes);
}

/** The raw HMAC of `payload` under `key` (internal: the verifiers compare it themselves). */
export async function hmacDigest(
  key: Uint8Array<ArrayBuffer>,
  payload: Uint8Array<ArrayBuffer>,
  algorithm: HmacAlgorithm = 'SHA-256',
): Promise<Uint8Array<ArrayBuffer>> {
  const imported = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: algorithm }, false, [
    'sign',
  ]);
  return new Uint8Array(await crypto.subtle.sign('HMAC', imported, payload));
}

/** True when two byte strings are equal, in time that depends on their length only (internal). */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= (a[i] as number) ^ (b[i] as number);
  return difference === 0;
}

/**
 * HMAC of `payload` under `secret`, as lower-case hex or standard base64.
 * Throws an IntegrationError: `CONFIG_ERROR` for a secret that is empty or not a string, Secret or bytes, or
 * an unknown algorithm or encoding; `VALIDATION_ERROR` for a payload that is not a string or bytes.
 * @example
 * const signature = await signHmac({ secret, payload: `${timestamp}:${body}` }); // hex SHA-256 of `timestamp:body`
 */
export async function signHmac(options: SignHmacOptions): Promise<string> {
  const read = readHmacOptions(options);
  if (!read.success) throw read.error;
  const { key, payload, algorithm, encoding } = read.data;
  const mac = await hmacDigest(key, payload, algorithm);
  return encoding === 'base64' ? toBase64(mac) : toHex(mac);
}

/**
 * True when `signature` is the HMAC of `payload` under `secret`, compared in constant time. Never throws and
 * fails closed: false for a signature that does not match, does not decode or has the wrong length, and for
 * options that cannot verify anything (an empty or non-string secret, a payload that is not text or bytes, an
 * unknown algorithm). Check the secret itself at startup with {@link hmacKeyBytes}.
 * @example
 * const valid = await verifyHmacSignature({ secret, payload: rawBody, signature: header, encoding: 'base64' });
 */
export async function verifyHmacSignature(options: VerifyHmacSignatureOptions): Promise<boolean> {
  try {
    const read = readHmacOptions(options);
    if (!read.success) return false;
    const { key, payload, algorithm, encoding } = read.data;
    const signature: unknown = (options as { signature?: unknown }).signature;
    if (typeof signature !== 'string') return false;
    const provided = encoding === 'base64' ? fromBase64(signature) : fromHex(signature);
    if (provided === undefined || provided.length !== DIGEST_BYTES[algorithm]) return false;
    return timingSafeEqual(provided, await hmacDigest(key, payload, algorithm));
  } catch {
    return false;
  }
}

// Reads the options once (a getter or Proxy may throw) and checks every one of them.
function readHmacOptions(options: unknown): ApiResult<{
  key: Uint8Array<ArrayBuffer>;
  payload: Uint8Array<ArrayBuffer>;
  algorithm: HmacAlgorithm;
  encoding: HmacEncoding;
}> {
  if (typeof options !== 'object' || options === null) {
    return err(
      new IntegrationError('VALIDATION_ERROR', 'HMAC options must be an object.', {
        field: 'options',
        retryable: false,
      }),
    );
  }
  try {
    const { secret, payload, algorithm = 'SHA-256', encoding = 'hex' } = options as Record<string, unknown>;
    const key = hmacKeyBytes(secret);
    if (!key.success) return key;
    if (typeof algorithm !== 'string' || !Object.hasOwn(DIGEST_BYTES, algorithm)) {
      return err(configError('algorithm', 'must be SHA-256, SHA-1 or SHA-512'));
    }
    if (encoding !== 'hex' && encoding !== 'base64')
      return err(configError('encoding', 'must be hex or base64'));
    let bytes: Uint8Array<ArrayBuffer>;
    if (typeof payload === 'string') bytes = utf8(payload);
    else if (payload instanceof Uint8Array) bytes = new Uint8Array(payload);
    else if (payload instanceof ArrayBuffer) bytes = new Uint8Array(payload.slice(0));
    else {
      return err(
        new IntegrationError(
          'VALIDATION_ERROR',
          'The HMAC payload must be a string, Uint8Array or ArrayBuffer.',
          {
            field: 'payload',
            retryable: false,
          },
        ),
      );
    }
    return ok({ key: key.data, payload: bytes, algorithm: algorithm as HmacAlgorithm, encoding });
  } catch (error) {
    return err(
      isIntegrationError(error)
        ? error
        : new IntegrationError('VALIDATION_ERROR', 'HMAC options could not be read.', {
            field: 'options',
            retryable: false,
          }),
    );
  }
}

const configError = (field: string, problem: string): IntegrationError =>
  new IntegrationError('CONFIG_ERROR', `The HMAC ${field} ${problem}.`, { field, retryable: false });
