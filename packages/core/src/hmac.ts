// HMAC on Web Crypto only, so signing and verification run unchanged in Node, Bun, Deno and edge runtimes.
import { fromBase64, fromHex, toBase64, toHex, utf8 } from './encoding.ts';
import { IntegrationError } from './errors.ts';
import { revealSecret, type Secret } from './secret.ts';

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
  payload: string | Uint8Array;
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

// Copies into a fresh ArrayBuffer-backed array: Web Crypto's types (and some runtimes) refuse views over
// a SharedArrayBuffer, and a copy also keeps a caller's later mutation out of the key.
const toBytes = (value: string | Uint8Array): Uint8Array<ArrayBuffer> =>
  typeof value === 'string' ? utf8(value) : new Uint8Array(value);

async function importHmacKey(
  secret: HmacSecret,
  algorithm: HmacAlgorithm,
  usage: 'sign' | 'verify',
): Promise<CryptoKey> {
  const keyBytes = toBytes(secret instanceof Uint8Array ? secret : revealSecret(secret));
  // Web Crypto rejects zero-length HMAC keys with a runtime-specific DataError; an empty secret is always a
  // misconfiguration (an unset env var), so name it the same way everywhere.
  if (keyBytes.length === 0) {
    throw new IntegrationError('CONFIG_ERROR', 'The HMAC secret is empty.', { field: 'secret' });
  }
  return crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: algorithm }, false, [usage]);
}

/**
 * HMAC of `payload` under `secret`, as lower-case hex or standard base64.
 * Throws an IntegrationError `CONFIG_ERROR` when the secret is empty.
 * @example
 * const signature = await signHmac({ secret, payload: `${timestamp}:${body}` }); // Twenty-style hex SHA-256
 */
export async function signHmac(options: SignHmacOptions): Promise<string> {
  const algorithm = options.algorithm ?? 'SHA-256';
  const key = await importHmacKey(options.secret, algorithm, 'sign');
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, toBytes(options.payload)));
  return (options.encoding ?? 'hex') === 'base64' ? toBase64(mac) : toHex(mac);
}

/**
 * True when `signature` is the HMAC of `payload` under `secret`, compared in constant time.
 * A signature that does not decode or has the wrong length is false. Throws an IntegrationError
 * `CONFIG_ERROR` when the secret is empty, so a missing secret is not mistaken for a forged request.
 * @example
 * const valid = await verifyHmacSignature({ secret, payload: rawBody, signature: header, encoding: 'base64' });
 */
export async function verifyHmacSignature(options: VerifyHmacSignatureOptions): Promise<boolean> {
  const algorithm = options.algorithm ?? 'SHA-256';
  // Import first so an empty secret is reported even when the signature is garbage.
  const key = await importHmacKey(options.secret, algorithm, 'verify');
  const provided =
    (options.encoding ?? 'hex') === 'base64' ? fromBase64(options.signature) : fromHex(options.signature);
  if (provided === undefined || provided.length !== DIGEST_BYTES[algorithm]) return false;
  // subtle.verify compares in constant time; comparing encoded strings with === would leak timing.
  return crypto.subtle.verify('HMAC', key, provided, toBytes(options.payload));
}
