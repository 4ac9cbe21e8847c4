import type { z } from 'zod/mini';
import { type FieldIssue, type IntegrationError, issuesError } from '../result/errors.ts';
import { readFields, readOwnFields, UNREADABLE } from './caller-input.ts';

/**
 * Validates a factory's options synchronously and returns the parsed value, or throws `CONFIG_ERROR`
 * listing every invalid field by name (never by value: options carry credentials). Throws nothing else: a
 * getter or Proxy trap that throws while zod reads the value names the options (`(root)` or the prefix), and a
 * `schema` that is not a zod schema is a `CONFIG_ERROR` naming `schema`.
 * @example const options = parseOptions(schema, input, { label: 'CRM client options' });
 */
export function parseOptions<S extends z.ZodMiniType>(
  schema: S,
  value: unknown,
  options: { label: string; prefix?: string },
): z.output<S> {
  const { label, prefix } = readOwnOptions(options);
  const parsed = parseField(schema, value, prefix);
  if (parsed.issues.length > 0) throw optionsError(label, parsed.issues);
  return parsed.data as z.output<S>;
}

/**
 * Like {@link parseOptions} for an options object already read into `raw` (see `readFields`), one field of
 * `schema`'s shape at a time: a getter that throws deep inside one option (`auth.token`) is reported under that
 * option while the others are still checked, and every issue is listed.
 * @example const base = parseOptionFields(clientOptionsSchema, raw, { label: 'client options' });
 */
export function parseOptionFields<S extends z.ZodMiniObject>(
  schema: S,
  raw: Record<string, unknown>,
  options: { label: string },
): z.output<S> {
  const out: Record<string, unknown> = {};
  const issues: FieldIssue[] = [];
  for (const [key, field] of Object.entries(schema.def.shape)) {
    const parsed = parseField(field as z.ZodMiniType, raw[key], `${key}.`);
    if (parsed.issues.length > 0) issues.push(...parsed.issues);
    else out[key] = parsed.data;
  }
  if (issues.length > 0) throw optionsError(options.label, issues);
  return out as z.output<S>;
}

/**
 * A `CONFIG_ERROR` for a factory's options called `label` (`Invalid <label>: <field>: <message>; …`), listing
 * every issue by field, never by value.
 * @example throw optionsError('client options', [{ field: 'fetch', message: 'must be a function' }]);
 */
export function optionsError(label: string, issues: FieldIssue[], cause?: unknown): IntegrationError {
  return issuesError('CONFIG_ERROR', label, issues, { listed: issues.length, cause });
}

// One safeParse, its issues named under `prefix` (`retry.`); a getter or Proxy trap of the caller's that throws
// while zod reads the value is one issue naming the prefix itself (`retry`, or `(root)`).
function parseField(
  schema: unknown,
  value: unknown,
  prefix: string,
): { data?: unknown; issues: FieldIssue[] } {
  const safeParse = readSafeParse(schema);
  if (!safeParse) return { issues: [{ field: 'schema', message: 'must be a zod schema' }] };
  const root = prefix.replace(/\.$/, '') || '(root)';
  // Inside the try too: zod formats an issue's message lazily, and with its full locale loaded (any
  // `import 'zod'` in the process) the formatting reads the value again, where a Proxy's trap can throw.
  try {
    const result = safeParse(value) as SafeParseResult;
    if (result.success) return { data: result.data, issues: [] };
    return {
      issues: result.error.issues.map((issue) => ({
        field: issue.path.length === 0 ? root : `${prefix}${issue.path.map(String).join('.')}`,
        message: String(issue.message),
      })),
    };
  } catch {
    return { issues: [{ field: root, message: UNREADABLE }] };
  }
}

type SafeParseResult =
  | { success: true; data: unknown }
  | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };

function readSafeParse(schema: unknown): ((value: unknown) => unknown) | undefined {
  if (typeof schema !== 'object' || schema === null) return undefined;
  try {
    const { safeParse } = schema as { safeParse?: unknown };
    return typeof safeParse === 'function' ? (value) => safeParse.call(schema, value) : undefined;
  } catch {
    return undefined;
  }
}

// The label, prefix and optional flag of the caller's (a library author's) own options, read so that they
// cannot throw: a wrong one costs the message its wording, never the CONFIG_ERROR.
function readOwnOptions(options: unknown): { label: string; prefix: string; optional: boolean } {
  const read = readFields(options, ['label', 'prefix', 'optional'], '', []) ?? {};
  return {
    label: typeof read.label === 'string' ? read.label : 'options',
    prefix: typeof read.prefix === 'string' ? read.prefix : '',
    optional: read.optional === true,
  };
}

/**
 * A plain copy of a factory's options object, each own enumerable property read once, so destructuring it
 * cannot throw: anything but an object, or a property whose getter or Proxy trap throws, is a `CONFIG_ERROR`
 * naming the field. `undefined` is `{}` when `optional`.
 * @example const plain = optionsObject(options, { label: 'CRM client options' });
 */
export function optionsObject(
  value: unknown,
  options: { label: string; optional?: boolean },
): Record<string, unknown> {
  const { label, optional } = readOwnOptions(options);
  if (value === undefined && optional) return {};
  const issues: FieldIssue[] = [];
  const copy = readOwnFields(value, '', issues);
  if (!copy || issues.length > 0) throw optionsError(label, issues);
  return copy;
}
