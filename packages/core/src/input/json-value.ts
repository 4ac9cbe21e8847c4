// A caller's data, copied once into plain JSON before it is validated and sent: validation and serialization then
// read a value no getter, Proxy trap or later mutation can change or make throw, and whatever JSON cannot carry
// faithfully is refused by field instead of being dropped silently (a Symbol) or crashing the call (a BigInt, a
// cycle).

import type { FieldIssue, IntegrationError } from '../result/errors.ts';
import { type ApiResult, err, ok } from '../result/result.ts';
import {
  fieldPath,
  invalidInput,
  isArraySafe,
  isObjectLike,
  readArray,
  readOwnFields,
  readProperty,
  UNREADABLE,
} from './caller-input.ts';

/** A value JSON can carry. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Options of {@link toJsonValue}. */
export interface JsonValueOptions {
  /** What the value is called in errors; nested fields are named after it (`[3].name.firstName`). Default `''`. */
  field?: string;
  /** Deepest nesting accepted. Default 64. */
  maxDepth?: number;
}

const named = (path: string) => (path === '' ? '(root)' : path);

/**
 * A plain JSON copy of `value`, read once, with JSON's rules (`toJSON` is called, `undefined` properties are
 * left out), except that what JSON would drop or break on is a `VALIDATION_ERROR` naming the field: a Symbol,
 * a function, a BigInt, `NaN` or an infinity, `undefined` at the top or in an array, a cycle, nesting deeper
 * than `maxDepth`, and anything whose getter, `toJSON` or Proxy trap throws.
 * @example
 * const body = toJsonValue(input, { field: 'input' });
 * if (!body.success) return body;
 */
export function toJsonValue(value: unknown, options: JsonValueOptions = {}): ApiResult<JsonValue> {
  const maxDepth = options.maxDepth ?? 64;
  const ancestors = new Set<object>();

  function copy(
    input: unknown,
    path: string,
    key: string,
    depth: number,
  ): JsonValue | IntegrationError | undefined {
    let current = input;
    if (isObjectLike(current)) {
      const toJSON = readProperty(current, 'toJSON', fieldPath(path, 'toJSON'));
      if (!toJSON.success) return toJSON.error;
      if (typeof toJSON.data === 'function') {
        try {
          current = (toJSON.data as (key: string) => unknown).call(current, key);
        } catch {
          return invalidInput(named(path), 'could not be converted to JSON (its toJSON threw)');
        }
      }
    }
    switch (typeof current) {
      case 'string':
      case 'boolean':
        return current;
      case 'number':
        return Number.isFinite(current) ? current : invalidInput(named(path), 'must be a finite number');
      case 'undefined':
        return undefined;
      case 'bigint':
      case 'symbol':
      case 'function':
        return invalidInput(named(path), `cannot be sent as JSON (a ${typeof current})`);
    }
    if (current === null) return null;
    const object = current as object;
    if (ancestors.has(object)) return invalidInput(named(path), 'must not contain itself (a cycle)');
    if (depth >= maxDepth) return invalidInput(named(path), `must not be nested more than ${maxDepth} deep`);
    ancestors.add(object);
    try {
      return isArraySafe(object) ? copyArray(object, path, depth) : copyObject(object, path, depth);
    } finally {
      ancestors.delete(object);
    }
  }

  function copyArray(array: readonly unknown[], path: string, depth: number): JsonValue | IntegrationError {
    const items = readArray(array, path);
    if (!items.success) return items.error;
    const out: JsonValue[] = [];
    for (const [index, item] of items.data.entries()) {
      const at = fieldPath(path, index);
      const copied = copy(item, at, String(index), depth + 1);
      if (copied === undefined) return invalidInput(at, 'must not be undefined');
      if (isError(copied)) return copied;
      out.push(copied);
    }
    return out;
  }

  function copyObject(object: object, path: string, depth: number): JsonValue | IntegrationError {
    const issues: FieldIssue[] = [];
    const fields = readOwnFields(object, path, issues);
    if (!fields || issues.length > 0) return invalidInput(named(path), UNREADABLE, issues);
    const out: { [key: string]: JsonValue } = {};
    for (const [key, item] of Object.entries(fields)) {
      const copied = copy(item, fieldPath(path, key), key, depth + 1);
      if (copied === undefined) continue;
      if (isError(copied)) return copied;
      // defineProperty: a key named __proto__ stays a plain key instead of setting the prototype.
      Object.defineProperty(out, key, {
        value: copied,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }

  const root = options.field ?? '';
  const result = copy(value, root, '', 0);
  if (result === undefined) return err(invalidInput(named(root), 'is required'));
  return isError(result) ? err(result) : ok(result);
}

// Copies are plain objects, arrays and primitives: only an error is an IntegrationError instance here.
const isError = (value: unknown): value is IntegrationError =>
  typeof value === 'object' && value !== null && value instanceof Error;
