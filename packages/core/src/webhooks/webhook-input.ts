// What a webhook handler passes a verifier comes straight from a server framework, in whatever shape it has:
// Fetch Headers or Node's header record (with array values), a string or a Buffer for the body, a clock the
// caller wrote. Each reader turns one input into a value or a typed failure, and never throws, so every
// verifier built on them answers a result for any input and fails closed.

import { utf8 } from '../encoding/encoding.ts';
import { describeType, invalidInput, UNREADABLE } from '../input/caller-input.ts';
import { optionsError } from '../input/options.ts';
import type { IntegrationError } from '../result/errors.ts';
import { type ApiResult, err, ok } from '../result/result.ts';

/** Request headers as servers hand them over: Fetch `Headers`, Node's `IncomingHttpHeaders`, or a plain record. */
export type WebhookHeaders =
  | Headers
  | Readonly<Record<string, string | readonly string[] | null | undefined>>;

/** A raw request body exactly as received: text, or its bytes (a Buffer, Uint8Array or ArrayBuffer). */
export type WebhookBody = string | Uint8Array | ArrayBuffer;

const decoder = new TextDecoder();

/**
 * The value of header `name` (matched case-insensitively), or undefined when absent. Several values (an
 * array, or differently cased keys) are joined with `", "`, as Fetch's `Headers.get` joins repeated headers.
 * Headers that are not headers, or a value that is not text, are a `VALIDATION_ERROR` (field `headers` or
 * the header's name).
 * @example const id = readWebhookHeader(request.headers, 'webhook-id');
 */
export function readWebhookHeader(headers: unknown, name: string): ApiResult<string | undefined> {
  const wanted = name.toLowerCase();
  if (typeof headers !== 'object' || headers === null) {
    return err(
      invalidInput(
        'headers',
        `must be a Headers object or a record of header values, not ${describeType(headers)}`,
      ),
    );
  }
  try {
    const values: string[] = [];
    const get = (headers as { get?: unknown }).get;
    if (typeof get === 'function') {
      // Fetch Headers, or anything shaped like it (another realm's Headers, undici's).
      const value: unknown = get.call(headers, wanted);
      if (!collect(value, values)) return err(invalidInput(wanted, 'is not text'));
    } else {
      for (const key of Object.keys(headers)) {
        if (key.toLowerCase() !== wanted) continue;
        if (!collect((headers as Record<string, unknown>)[key], values)) {
          return err(invalidInput(wanted, 'is not text'));
        }
      }
    }
    return ok(values.length === 0 ? undefined : values.join(', '));
  } catch {
    return err(invalidInput('headers', UNREADABLE));
  }
}

/**
 * The raw body as bytes (what was signed) and as text. A string is taken as its UTF-8 bytes; bytes are copied
 * and decoded as UTF-8. Anything else (null, a number, a parsed object) is a `VALIDATION_ERROR` on `body`:
 * a signature covers the exact bytes sent, which a re-serialized object no longer is.
 * @example const body = readWebhookBody(await request.arrayBuffer());
 */
export function readWebhookBody(body: unknown): ApiResult<{ bytes: Uint8Array<ArrayBuffer>; text: string }> {
  try {
    if (typeof body === 'string') return ok({ bytes: utf8(body), text: body });
    let bytes: Uint8Array<ArrayBuffer> | undefined;
    if (ArrayBuffer.isView(body)) {
      bytes = new Uint8Array(body.byteLength);
      bytes.set(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
    } else if (body instanceof ArrayBuffer) {
      bytes = new Uint8Array(body.slice(0));
    }
    if (bytes !== undefined) return ok({ bytes, text: decoder.decode(bytes) });
  } catch {
    // A Proxy or a detached buffer: not a body we can read.
  }
  return err(
    invalidInput(
      'body',
      `must be the raw body as a string, Uint8Array or ArrayBuffer, not ${describeType(body)} ` +
        '(a parsed or re-serialized body no longer matches its signature)',
    ),
  );
}

/**
 * The current time in epoch milliseconds from a caller's `now` (default `Date.now`). A `now` that is not a
 * function, throws, or answers anything but a finite number is a `CONFIG_ERROR` on `now`: a broken clock
 * must refuse deliveries, not accept any timestamp.
 * @example const now = readWebhookClock(options.now); if (!now.success) return now;
 */
export function readWebhookClock(now: unknown): ApiResult<number> {
  if (now === undefined) return ok(Date.now());
  if (typeof now !== 'function')
    return err(verifierConfigError('now', `must be a function, not ${describeType(now)}`));
  let value: unknown;
  try {
    value = now();
  } catch (error) {
    return err(verifierConfigError('now', 'threw instead of returning the time', error));
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return err(verifierConfigError('now', 'must return the time as finite epoch milliseconds'));
  }
  return ok(value);
}

/**
 * A timestamp tolerance from options: `fallback` when undefined, else a finite number of zero or more.
 * NaN, Infinity, a negative number or a non-number are a `CONFIG_ERROR` naming `field`.
 * @example const tolerance = readWebhookTolerance(options.toleranceSeconds, 300, 'toleranceSeconds');
 */
export function readWebhookTolerance(value: unknown, fallback: number, field: string): ApiResult<number> {
  if (value === undefined) return ok(fallback);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    return err(verifierConfigError(field, 'must be a finite number of zero or more'));
  }
  return ok(value);
}

// Adds a header value to `values`; false when it is not text. null and undefined are "absent".
function collect(value: unknown, values: string[]): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') {
    values.push(value);
    return true;
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item !== 'string') return false;
      values.push(item);
    }
    return true;
  }
  return false;
}

/** A `CONFIG_ERROR` naming a webhook verifier's option `field` (`now`, `replay.ttlMs`). */
export const verifierConfigError = (field: string, problem: string, cause?: unknown): IntegrationError =>
  optionsError('webhook verifier options', [{ field, message: problem }], cause);
