// Reading what a JavaScript caller passed, whatever it is: a Proxy whose traps throw, a getter that throws, an
// object without a prototype, a Symbol or a BigInt. Nothing here lets such a value throw past it, and no
// message quotes a value (it may be personal data or a secret): errors name the field.

import { type FieldIssue, type IntegrationError, issuesError } from '../result/errors.ts';
import { type ApiResult, err, ok } from '../result/result.ts';

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
  return issuesError(
    'VALIDATION_ERROR',
    'input',
    issues && issues.length > 0 ? issues : [{ field, message }],
  );
}

/** The message for a field whose getter or Proxy trap threw (the value itself is never quoted). */
export const UNREADABLE = 'could not be read (a getter or Proxy threw)';

/** The name of `key` inside the field `at` (`options.signal`); an empty `at` names the key alone. */
export const fieldPath = (at: string, key: string | number): string =>
  at === '' ? String(key) : `${at}.${key}`;

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
    return err(invalidInput(field, UNREADABLE));
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

/** True for an object that is not an array (a Proxy of one counts), without reading it. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !isArraySafe(value);
}

/**
 * Reads the listed fields of an object a caller passed, once each, into a plain object (`undefined` values left
 * out, as absent), for checks that list every issue: an issue naming `at` (`(root)` when empty) when it is not a
 * non-array object, and one naming the field for each read that throws. Properties not listed are never read.
 * @example const fields = readFields(entry, ['externalId', 'remoteId'], 'entries.3', issues);
 */
export function readFields<K extends string>(
  value: unknown,
  keys: readonly K[],
  at: string,
  issues: FieldIssue[],
): { [P in K]?: unknown } | undefined {
  return copyFields(value, keys, at, issues, false);
}

/**
 * A plain copy of every own enumerable field of an object a caller passed, each read once (an `undefined` value
 * kept): issues as {@link readFields}, and one naming `at` when its keys cannot be listed.
 * @example const copy = readOwnFields(options, '', issues);
 */
export function readOwnFields(
  value: unknown,
  at: string,
  issues: FieldIssue[],
): Record<string, unknown> | undefined {
  let keys: string[] = [];
  try {
    if (isPlainObject(value)) keys = Object.keys(value);
  } catch {
    issues.push({ field: at || '(root)', message: UNREADABLE });
    return undefined;
  }
  return copyFields(value, keys, at, issues, true);
}

function copyFields<K extends string>(
  value: unknown,
  keys: readonly K[],
  at: string,
  issues: FieldIssue[],
  keepUndefined: boolean,
): { [P in K]?: unknown } | undefined {
  if (!isPlainObject(value)) {
    issues.push({ field: at || '(root)', message: `must be an object, not ${describeType(value)}` });
    return undefined;
  }
  const out: { [P in K]?: unknown } = {};
  for (const key of keys) {
    let read: unknown;
    try {
      read = value[key];
    } catch {
      issues.push({ field: fieldPath(at, key), message: UNREADABLE });
      continue;
    }
    // defineProperty: a key named __proto__ stays a plain key instead of setting the prototype.
    if (read !== undefined || keepUndefined) {
      Object.defineProperty(out, key, { value: read, enumerable: true, writable: true, configurable: true });
    }
  }
  return out;
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
  const length = readProperty(value, 'length', fieldPath(field, 'length'));
  if (!length.success) return length;
  const maxLength = options.maxLength ?? 2 ** 32 - 1;
  if (!Number.isSafeInteger(length.data) || (length.data as number) < 0) {
    return err(invalidInput(fieldPath(field, 'length'), 'must be a non-negative integer'));
  }
  if ((length.data as number) > maxLength) {
    return err(invalidInput(field, `must hold at most ${maxLength} items`));
  }
  const copy = new Array<unknown>(length.data as number);
  for (let index = 0; index < copy.length; index++) {
    const item = readProperty(value, index, fieldPath(field, index));
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
  if (value === undefined) return ok({});
  const issues: FieldIssue[] = [];
  const read = readFields(value, keys, field, issues);
  return read && issues.length === 0 ? ok(read) : err(invalidInput(field, UNREADABLE, issues));
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
