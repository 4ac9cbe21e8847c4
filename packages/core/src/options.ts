import type { z } from 'zod/mini';
import { describeType, isArraySafe, readProperty } from './caller-input.ts';
import { type FieldIssue, IntegrationError } from './errors.ts';

/**
 * Validates a factory's options synchronously and returns the parsed value, or throws `CONFIG_ERROR`
 * listing every invalid field by name (never by value: options carry credentials). Throws nothing else: a
 * getter or Proxy trap that throws while zod reads the value names the options (`(root)` or the prefix), and a
 * `schema` that is not a zod schema is a `CONFIG_ERROR` naming `schema`.
 * @example const options = parseOptions(schema, input, { label: 'Twenty client options' });
 */
export function parseOptions<S extends z.ZodMiniType>(
  schema: S,
  value: unknown,
  options: { label: string; prefix?: string },
): z.output<S> {
  const { label, prefix } = readLabel(options, ['label', 'prefix']);
  const safeParse = readSafeParse(schema);
  if (!safeParse) throw configError(label, [{ field: 'schema', message: 'must be a zod schema' }]);
  let result: ReturnType<S['safeParse']>;
  try {
    result = safeParse(value) as ReturnType<S['safeParse']>;
  } catch {
    // A getter or Proxy trap of the caller's threw while zod read it.
    throw configError(label, [{ field: prefix.replace(/\.$/, '') || '(root)', message: UNREADABLE }]);
  }
  if (result.success) return result.data as z.output<S>;
  const issues = result.error.issues.map((issue) => ({
    field: `${prefix}${issue.path.map(String).join('.')}` || '(root)',
    message: issue.message,
  }));
  throw configError(label, issues);
}

// The label and prefix of the caller's (a library author's) own options, read so that they cannot throw: a
// wrong one costs the message its wording, never the CONFIG_ERROR.
function readLabel(
  options: unknown,
  keys: readonly ('label' | 'prefix')[],
): { label: string; prefix: string } {
  const out = { label: 'options', prefix: '' };
  if (typeof options !== 'object' || options === null) return out;
  for (const key of keys) {
    try {
      const value = (options as Record<string, unknown>)[key];
      if (typeof value === 'string') out[key] = value;
    } catch {
      // Left at its default.
    }
  }
  return out;
}

function readSafeParse(schema: unknown): ((value: unknown) => unknown) | undefined {
  if (typeof schema !== 'object' || schema === null) return undefined;
  try {
    const { safeParse } = schema as { safeParse?: unknown };
    return typeof safeParse === 'function' ? (value) => safeParse.call(schema, value) : undefined;
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
  const { label } = readLabel(options, ['label']);
  if (value === undefined && readOptional(options)) return {};
  if (typeof value !== 'object' || value === null || isArraySafe(value)) {
    throw configError(label, [{ field: '(root)', message: `must be an object, not ${describeType(value)}` }]);
  }
  let keys: string[];
  try {
    keys = Object.keys(value);
  } catch {
    throw configError(label, [{ field: '(root)', message: UNREADABLE }]);
  }
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    const read = readProperty(value, key, key);
    if (!read.success) throw configError(label, [{ field: key, message: UNREADABLE }]);
    Object.defineProperty(copy, key, {
      value: read.data,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

function readOptional(options: unknown): boolean {
  try {
    return (
      typeof options === 'object' && options !== null && (options as { optional?: unknown }).optional === true
    );
  } catch {
    return false;
  }
}
