import type { z } from 'zod/mini';
import { describeType, isArraySafe, readProperty } from './caller-input.ts';
import { type FieldIssue, IntegrationError } from './errors.ts';

/**
 * Validates a factory's options synchronously and returns the parsed value, or throws `CONFIG_ERROR`
 * listing every invalid field by name (never by value: options carry credentials).
 * @example const options = parseOptions(schema, input, { label: 'Twenty client options' });
 */
export function parseOptions<S extends z.ZodMiniType>(
  schema: S,
  value: unknown,
  options: { label: string; prefix?: string },
): z.output<S> {
  const prefix = options.prefix ?? '';
  const result = safeParse(schema, value);
  if (result === undefined) {
    // A getter or Proxy trap of the caller's threw while zod read it.
    throw configError(options.label, [{ field: prefix.replace(/\.$/, '') || '(root)', message: UNREADABLE }]);
  }
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    field: `${prefix}${issue.path.map(String).join('.')}` || '(root)',
    message: issue.message,
  }));
  throw configError(options.label, issues);
}

function safeParse<S extends z.ZodMiniType>(schema: S, value: unknown) {
  try {
    return schema.safeParse(value);
  } catch {
    return undefined;
  }
}

const UNREADABLE = 'could not be read (a getter or Proxy threw)';

function configError(label: string, issues: FieldIssue[]): IntegrationError {
  const list = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
  return new IntegrationError('CONFIG_ERROR', `Invalid ${label}: ${list}`, {
    field: issues[0]?.field,
    issues,
    retryable: false,
  });
}

/**
 * A plain copy of a factory's options object, each own enumerable property read once, so destructuring it
 * cannot throw: anything but an object, or a property whose getter or Proxy trap throws, is a `CONFIG_ERROR`
 * naming the field. `undefined` is `{}` when `optional`.
 * @example const plain = optionsObject(options, { label: 'Twenty client options' });
 */
export function optionsObject(
  value: unknown,
  options: { label: string; optional?: boolean },
): Record<string, unknown> {
  if (value === undefined && options.optional) return {};
  if (typeof value !== 'object' || value === null || isArraySafe(value)) {
    throw configError(options.label, [
      { field: '(root)', message: `must be an object, not ${describeType(value)}` },
    ]);
  }
  let keys: string[];
  try {
    keys = Object.keys(value);
  } catch {
    throw configError(options.label, [{ field: '(root)', message: UNREADABLE }]);
  }
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    const read = readProperty(value, key, key);
    if (!read.success) throw configError(options.label, [{ field: key, message: UNREADABLE }]);
    Object.defineProperty(copy, key, {
      value: read.data,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}
