// Byte/text conversions on web-standard APIs only, so the core runs where Buffer does not exist. A value of the
// wrong type is refused with a VALIDATION_ERROR naming the argument (`text`, `bytes`) by the encoders, and is
// "not hex" / "not base64" (undefined) for the decoders: never a TypeError, never a silent `'undefined'`.

import { IntegrationError } from '../result/errors.ts';

const encoder = new TextEncoder();

/** UTF-8 bytes of a string; anything else throws `VALIDATION_ERROR` (field `text`). */
export const utf8 = (text: string): Uint8Array<ArrayBuffer> => {
  if (typeof text !== 'string') throw wrongType('text', 'must be a string');
  return encoder.encode(text);
};

// %TypedArray%.prototype's own getters check the internal slots: unlike `instanceof` or `.length` they read
// nothing a Proxy or a swapped prototype could intercept, and they never throw for a typed array.
const typedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
const getter = (key: PropertyKey) =>
  Object.getOwnPropertyDescriptor(typedArrayPrototype, key)?.get as (this: unknown) => unknown;
const typedArrayTag = getter(Symbol.toStringTag);
const typedArrayLength = getter('length') as (this: Uint8Array) => number;

// The length of a Uint8Array (a Buffer too), or a VALIDATION_ERROR naming `bytes` for anything else.
function byteLength(bytes: unknown): number {
  if (typedArrayTag.call(bytes) !== 'Uint8Array') throw wrongType('bytes', 'must be a Uint8Array');
  return typedArrayLength.call(bytes as Uint8Array);
}

const wrongType = (field: string, message: string): IntegrationError =>
  new IntegrationError('VALIDATION_ERROR', `Invalid input: ${field}: ${message}`, {
    field,
    issues: [{ field, message }],
    retryable: false,
  });

// Character codes of the hex digits, indexed by nibble.
const HEX_DIGITS = Array.from('0123456789abcdef', (digit) => digit.charCodeAt(0));
// Bytes per String.fromCharCode call, well under engines' argument limits.
const HEX_CHUNK = 4_096;

/** Lower-case hex of bytes; anything but a Uint8Array throws `VALIDATION_ERROR` (field `bytes`). */
export function toHex(bytes: Uint8Array): string {
  const length = byteLength(bytes);
  // Built from character codes in one call per chunk, not appended pair by pair: appending makes a rope of
  // about 30 nodes (~880 bytes for a SHA-256) that stays in memory as long as the hash does, and the sync
  // keeps one hash per record it remembers. The flat string is ~100 bytes.
  let out = '';
  for (let start = 0; start < length; start += HEX_CHUNK) {
    const end = Math.min(length, start + HEX_CHUNK);
    const codes = new Array<number>((end - start) * 2);
    for (let i = start, j = 0; i < end; i++, j += 2) {
      const byte = bytes[i] as number;
      codes[j] = HEX_DIGITS[byte >> 4] as number;
      codes[j + 1] = HEX_DIGITS[byte & 15] as number;
    }
    out += String.fromCharCode(...codes);
  }
  return out;
}

/** Bytes of a hex string, or undefined when it is not hex (or not a string). */
export function fromHex(hex: string): Uint8Array<ArrayBuffer> | undefined {
  if (typeof hex !== 'string' || hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Standard base64 of bytes; anything but a Uint8Array throws `VALIDATION_ERROR` (field `bytes`). */
export function toBase64(bytes: Uint8Array): string {
  const length = byteLength(bytes);
  let binary = '';
  for (let i = 0; i < length; i++) binary += String.fromCharCode(bytes[i] as number);
  return btoa(binary);
}

/** Unpadded base64url (RFC 4648 §5) of bytes: safe in URLs, file names and dotted tokens. Throws like `toBase64`. */
export const toBase64Url = (bytes: Uint8Array): string =>
  toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** Bytes of a base64 (or base64url) string, or undefined when it is not base64 (or not a string). */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (typeof text !== 'string') return undefined;
  const normalized = text.replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(normalized)) return undefined;
  try {
    const binary = atob(normalized);
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}
