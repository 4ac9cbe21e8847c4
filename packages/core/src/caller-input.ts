// Reading what a JavaScript caller passed, whatever it is: a Proxy whose traps throw, a getter that throws, an
// object without a prototype, a Symbol or a BigInt. Nothing here lets such a value throw past it, and no
// message quotes a value (it may be personal data or a secret): errors name the field.

import { type FieldIssue, IntegrationError } from './errors.ts';
import { type ApiResult, err, ok } from './result.ts';

/** The kind of a value for a message, without reading it (it may be a Proxy, a secret or personal data). */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  const type = typeof value;
  if (type !== 'object') return type === 'undefined' ? 'undefined' : `a ${type}`;
  try {
    // Array.isArray throws on a revoked Proxy.
    return Array.isArray(value) ? 'an array' : 'an object';
  } catch {
    return 'an object';
  }
}

/**
 * A `VALIDATION_ERROR` naming `field` (first of `issues` when given), its message listing at most five issues.
 * @example return err(invalidInput('options.signal', 'must be an AbortSignal'));
 */
export function invalidInput(field: string, message: string, issues?: FieldIssue[]): IntegrationError {
  const all = issues && issues.length > 0 ? issues : [{ field, message }];
  const listed = all.slice(0, 5).map((issue) => `${issue.field}: ${issue.message}`);
  if (all.length > 5) listed.push(`and ${all.length - 5} more`);
  return new IntegrationError('VALIDATION_ERROR', `Invalid input: ${listed.join('; ')}`, {
    field: all[0]?.field ?? field,
    issues: all,
    retryable: false,
  });
}

/** True for an object or a function (something properties can be read from), without reading it. */
export const isObjectLike = (value: unknown): value is object =>
  (typeof value === 'object' && value !== null) || typeof value === 'function';

/**
 * `value[key]`, or a `VALIDATION_ERROR` naming `field` when reading it throws (a getter, a Proxy trap).
 * @example const id = readProperty(record, 'externalId', 'records.3.externalId');
 */
export function readProperty(value: object, key: PropertyKey, field: string): ApiResult<unknown> {
  try {
    return ok((value as Record<PropertyKey, unknown>)[key]);
  } catch {
    return err(invalidInput(field, 'could not be read (its getter or Proxy threw)'));
  }
}

/** True when `value` is an array (a Proxy of one too), false when it is not or cannot be inspected. */
export function isArraySafe(value: unknown): value is readonly unknown[] {
  try {
    return Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * Copies an array a caller passed, reading its length and every element once: a `VALIDATION_ERROR` naming
 * `field` (or `field.<index>`) when it is not an array, is longer than `maxLength`, or an element cannot be read.
 * @example const entries = readArray(input, 'entries', { maxLength: 1_000_000 });
 */
export function readArray(
  value: unknown,
  field: string,
  options: { maxLength?: number } = {},
): ApiResult<unknown[]> {
  if (!isArraySafe(value)) return err(invalidInput(field, `must be an array, not ${describeType(value)}`));
  const length = readProperty(value, 'length', `${field}.length`);
  if (!length.success) return length;
  const maxLength = options.maxLength ?? 2 ** 32 - 1;
  if (!Number.isSafeInteger(length.data) || (length.data as number) < 0) {
    return err(invalidInput(`${field}.length`, 'must be a non-negative integer'));
  }
  if ((length.data as number) > maxLength) {
    return err(invalidInput(field, `must hold at most ${maxLength} items`));
  }
  const copy = new Array<unknown>(length.data as number);
  for (let index = 0; index < copy.length; index++) {
    const item = readProperty(value, index, `${field}.${index}`);
    if (!item.success) return item;
    copy[index] = item.data;
  }
  return ok(copy);
}

/**
 * Reads the listed properties of an options object a caller passed, once each, into a plain object: `undefined`
 * is no options; anything but a plain object, or a property whose read throws, is a `VALIDATION_ERROR` naming
 * the field (`options`, `options.signal`). Properties not listed are never read.
 * @example const read = readOptions(options, ['signal', 'depth']); if (!read.success) return read;
 */
export function readOptions<K extends string>(
  value: unknown,
  keys: readonly K[],
  field = 'options',
): ApiResult<{ [P in K]?: unknown }> {
  const out: { [P in K]?: unknown } = {};
  if (value === undefined) return ok(out);
  if (typeof value !== 'object' || value === null || isArraySafe(value)) {
    return err(invalidInput(field, `must be an object, not ${describeType(value)}`));
  }
  for (const key of keys) {
    const read = readProperty(value, key, `${field}.${key}`);
    if (!read.success) return read;
    if (read.data !== undefined) out[key] = read.data;
  }
  return ok(out);
}

/**
 * Checks an optional `signal` read from options: `undefined` or an `AbortSignal`.
 * @example const signal = readSignal(read.data.signal, 'options.signal'); if (!signal.success) return signal;
 */
export function readSignal(value: unknown, field: string): ApiResult<AbortSignal | undefined> {
  if (value === undefined) return ok(undefined);
  try {
    if (value instanceof AbortSignal) return ok(value);
  } catch {
    // A Proxy whose getPrototypeOf trap throws: not a signal.
  }
  return err(invalidInput(field, 'must be an AbortSignal'));
}

/**
 * Checks an optional callback read from options: `undefined` or a function.
 * @example const onChunk = readCallback(read.data.onChunk, 'options.onChunk');
 */
export function readCallback<F extends (...args: never[]) => unknown>(
  value: unknown,
  field: string,
): ApiResult<F | undefined> {
  if (value === undefined || typeof value === 'function') return ok(value as F | undefined);
  return err(invalidInput(field, `must be a function, not ${describeType(value)}`));
}
