import type { StandardSchemaV1 } from '@standard-schema/spec';
import {
  describeType,
  invalidInput,
  isArraySafe,
  isObjectLike,
  readArray,
  readOptions,
  readProperty,
} from '../input/caller-input.ts';
import { type ReadIssue, readStandardResult } from '../input/schema.ts';
import { scrubSecrets } from '../logging/redact.ts';
import { type FieldIssue, IntegrationError, reviseError } from '../result/errors.ts';
import { type ApiResult, err, ok } from '../result/result.ts';
import { revealSecret, Secret } from '../secrets/secret.ts';

/** One place configuration values come from, e.g. a database row, the environment or hard-coded defaults. */
export interface ConfigSource {
  /** Short name reported in `origins`, e.g. 'database', 'env', 'defaults'. */
  name: string;
  /** Field → value; null or undefined when the source has nothing (e.g. no database row yet). */
  values: Record<string, unknown> | null | undefined;
  /**
   * Where a field lives in this source, for error messages (e.g. 'env CRM_API_KEY'). Return
   * undefined when this source has no place for the field.
   */
  describe?: (field: string) => string | undefined;
}

/** A validated configuration and the name of the source that supplied each of its fields. */
export interface ResolvedConfig<T> {
  config: T;
  origins: Record<string, string>;
}

// Empty strings count as unset: an env var set to '' or a blank admin-UI field means "not configured".
const isAbsent = (value: unknown): boolean => value === undefined || value === null || value === '';

/** A source as read once from the caller: its entries copied, its `describe` unable to throw. */
interface CheckedSource {
  name: string;
  entries: [field: string, value: unknown][];
  describe?: (field: string) => string | undefined;
}

/**
 * Merges `sources` field by field (the first source with a value wins), validates the result with a
 * Standard Schema (zod, zod/mini, valibot, …) and reports every invalid field as a CONFIG_ERROR, naming
 * where its value came from but never the value itself. Never throws or rejects: options of the wrong kind
 * (a `schema` that is not a Standard Schema, `sources` that are not an array of `{ name, values, describe? }`,
 * a value whose getter throws) are a CONFIG_ERROR naming the field (`sources.1.values.apiKey`), and so is a
 * schema that throws or answers something that is not a Standard Schema result.
 * @example
 * const result = await resolveConfig({
 *   schema: crmSchema,
 *   sources: [
 *     { name: 'database', values: row },
 *     envSource(env, { baseUrl: 'CRM_BASE_URL', apiKey: 'CRM_API_KEY' }),
 *     { name: 'defaults', values: { syncMode: 'disabled' } },
 *   ],
 * });
 */
export async function resolveConfig<S extends StandardSchemaV1>(options: {
  schema: S;
  sources: ConfigSource[];
}): Promise<ApiResult<ResolvedConfig<StandardSchemaV1.InferOutput<S>>>> {
  const read = readResolveOptions(options);
  if (!read.success) return read;
  const { validate, sources } = read.data;
  const merged: Record<string, unknown> = {};
  const supplier = new Map<string, CheckedSource>();
  for (const source of sources) {
    for (const [field, value] of source.entries) {
      // '__proto__' would replace the merged object's prototype instead of setting a field.
      if (field === '__proto__' || supplier.has(field) || isAbsent(value)) continue;
      merged[field] = value;
      supplier.set(field, source);
    }
  }

  let answer: unknown;
  try {
    answer = validate(merged);
    if (answer instanceof Promise) answer = await answer;
  } catch (error) {
    // Only the error's name: its message or cause could quote a value, and values may be secrets.
    return err(
      new IntegrationError('CONFIG_ERROR', `Configuration schema threw while validating (${kindOf(error)})`, {
        field: 'schema',
      }),
    );
  }
  const result = readStandardResult(answer);
  if (result === undefined) {
    return err(
      new IntegrationError(
        'CONFIG_ERROR',
        'Configuration schema answered something that is not a Standard Schema result',
        { field: 'schema' },
      ),
    );
  }

  if ('issues' in result) {
    const issues = result.issues.map((issue) => toFieldIssue(issue, merged, supplier, sources));
    const summary = issues.map((issue) => issue.message).join('; ');
    const noun = issues.length === 1 ? 'field' : 'fields';
    return err(
      new IntegrationError('CONFIG_ERROR', `Invalid configuration (${issues.length} ${noun}): ${summary}`, {
        field: issues[0]?.field ?? '(root)',
        issues,
      }),
    );
  }

  const config = result.value as StandardSchemaV1.InferOutput<S>;
  // Only fields the config kept: extra columns of a database row, stripped by the schema, are noise.
  const kept = isPlainObject(config) ? config : merged;
  const origins: Record<string, string> = {};
  for (const [field, source] of supplier) if (hasOwnSafe(kept, field)) origins[field] = source.name;
  return ok({ config, origins });
}

/**
 * A ConfigSource reading `mapping`'s variables (field → variable name) from an env object. Pass the
 * environment in; core never reads `process`. Throws `CONFIG_ERROR` naming the argument (`env`,
 * `env.CRM_API_KEY`, `mapping.apiKey`, `name`) when one is of the wrong kind or cannot be read.
 * @example envSource(process.env, { baseUrl: 'CRM_BASE_URL', apiKey: 'CRM_API_KEY' })
 */
export function envSource(
  env: Record<string, string | undefined>,
  mapping: Record<string, string>,
  name = 'env',
): ConfigSource {
  if (typeof name !== 'string') throw configError('name', 'must be a string');
  const fields = readEntries(mapping, 'mapping');
  if (!fields.success) throw reviseError(fields.error, { code: 'CONFIG_ERROR' });
  const variables = new Map<string, string>();
  for (const [field, variable] of fields.data) {
    if (typeof variable !== 'string')
      throw configError(`mapping.${field}`, 'must be a variable name (a string)');
    variables.set(field, variable);
  }
  if (typeof env !== 'object' || env === null || isArraySafe(env)) {
    throw configError('env', `must be an object, not ${describeType(env)}`);
  }
  const values: Record<string, unknown> = {};
  for (const [field, variable] of variables) {
    let present: boolean;
    try {
      present = Object.hasOwn(env, variable);
    } catch {
      throw configError('env', 'could not be read (its Proxy threw)');
    }
    if (!present) continue;
    const value = readProperty(env, variable, `env.${variable}`);
    if (!value.success) throw reviseError(value.error, { code: 'CONFIG_ERROR' });
    defineField(values, field, value.data);
  }
  return {
    name,
    values,
    describe: (field) => (variables.has(field) ? `${name} ${variables.get(field)}` : undefined),
  };
}

// The options of resolveConfig, read once: the schema's validate function and every source checked and copied.
function readResolveOptions(
  options: unknown,
): ApiResult<{ validate: (value: unknown) => unknown; sources: CheckedSource[] }> {
  if (options === undefined) return err(configError('options', 'must be an object with schema and sources'));
  const read = readOptions(options, ['schema', 'sources']);
  if (!read.success) return err(reviseError(read.error, { code: 'CONFIG_ERROR' }));
  const validate = readValidate(read.data.schema);
  if (!validate) return err(configError('schema', 'must be a Standard Schema (zod, valibot, arktype…)'));
  const list = readArray(read.data.sources, 'sources');
  if (!list.success) return err(reviseError(list.error, { code: 'CONFIG_ERROR' }));
  const sources: CheckedSource[] = [];
  for (const [index, source] of list.data.entries()) {
    const checked = readSource(source, `sources.${index}`);
    if (!checked.success) return err(reviseError(checked.error, { code: 'CONFIG_ERROR' }));
    sources.push(checked.data);
  }
  return ok({ validate, sources });
}

function readSource(source: unknown, field: string): ApiResult<CheckedSource> {
  if (source === undefined) return err(invalidInput(field, 'must be an object, not undefined'));
  const read = readOptions(source, ['name', 'values', 'describe'], field);
  if (!read.success) return read;
  const { name, values, describe } = read.data;
  if (typeof name !== 'string') return err(invalidInput(`${field}.name`, 'must be a string'));
  if (describe !== undefined && typeof describe !== 'function') {
    return err(invalidInput(`${field}.describe`, 'must be a function'));
  }
  const entries = values === undefined || values === null ? ok([]) : readEntries(values, `${field}.values`);
  if (!entries.success) return entries;
  const checked: CheckedSource = { name, entries: entries.data };
  if (describe) {
    // A describe that throws or answers something else only costs the error message its detail.
    checked.describe = (key) => {
      try {
        const where: unknown = describe.call(source, key);
        return typeof where === 'string' ? where : undefined;
      } catch {
        return undefined;
      }
    };
  }
  return ok(checked);
}

// The own enumerable string-keyed entries of a caller's object, each read once.
function readEntries(value: unknown, field: string): ApiResult<[string, unknown][]> {
  if (typeof value !== 'object' || value === null || isArraySafe(value)) {
    return err(invalidInput(field, `must be an object, not ${describeType(value)}`));
  }
  let keys: string[];
  try {
    keys = Object.keys(value);
  } catch {
    return err(invalidInput(field, 'could not be read (its Proxy threw)'));
  }
  const entries: [string, unknown][] = [];
  for (const key of keys) {
    const read = readProperty(value, key, `${field}.${key}`);
    if (!read.success) return read;
    entries.push([key, read.data]);
  }
  return ok(entries);
}

function readValidate(schema: unknown): ((value: unknown) => unknown) | undefined {
  if (!isObjectLike(schema)) return undefined;
  try {
    const standard = (schema as { '~standard'?: unknown })['~standard'];
    if (!isObjectLike(standard)) return undefined;
    const { validate } = standard as { validate?: unknown };
    return typeof validate === 'function' ? (value) => validate.call(standard, value) : undefined;
  } catch {
    return undefined;
  }
}

const configError = (field: string, message: string): IntegrationError =>
  reviseError(invalidInput(field, message), { code: 'CONFIG_ERROR' });

// defineProperty: a field named __proto__ stays a plain key instead of setting the prototype.
function defineField(target: Record<string, unknown>, field: string, value: unknown): void {
  Object.defineProperty(target, field, { value, enumerable: true, writable: true, configurable: true });
}

function kindOf(error: unknown): string {
  try {
    if (error instanceof Error && typeof error.name === 'string') return error.name;
  } catch {
    // A Proxy or a throwing getter: say only what kind of value it was.
  }
  return typeof error;
}

function hasOwnSafe(value: object, key: string): boolean {
  try {
    return Object.hasOwn(value, key);
  } catch {
    return false;
  }
}

function toFieldIssue(
  issue: ReadIssue,
  merged: Record<string, unknown>,
  supplier: ReadonlyMap<string, CheckedSource>,
  sources: readonly CheckedSource[],
): FieldIssue {
  const { segments: path, field } = issue;
  const top = path[0];
  if (top === undefined) {
    return { field, message: `${field}: ${Object.values(merged).reduce(hideValue, issue.message)}` };
  }

  const source = supplier.get(top);
  if (source) {
    const where = source.describe?.(top) ?? source.name;
    const message = hideValue(issue.message, valueAt(merged, path));
    return { field, message: `${field} (from ${where}): ${message}` };
  }

  // Nothing supplied the field: say where it could have been set, and call a generic complaint "Required".
  const places = sources.flatMap((s) => (s.describe ? (s.describe(top) ?? []) : [s.name]));
  const where = places.length > 0 ? `not set; looked in ${places.join(', ')}` : 'not set';
  const message = path.length === 1 && isGenericMessage(issue.message) ? 'Required' : issue.message;
  return { field, message: `${field} (${where}): ${message}` };
}

// zod/mini ships no locale, so every default message is "Invalid input"; full zod and valibot say
// "... received undefined" for a missing value.
const isGenericMessage = (message: string): boolean =>
  /^invalid input$/i.test(message.trim()) || /received:? undefined/i.test(message);

// Some libraries (valibot, custom error maps) quote the input in their messages; values may be secrets.
function hideValue(message: string, value: unknown): string {
  if (typeof value !== 'string' && !(value instanceof Secret)) return message;
  const raw = revealSecret(value);
  return scrubSecrets(message, [raw, JSON.stringify(raw)]);
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let current = root;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !hasOwnSafe(current, key)) return undefined;
    try {
      current = (current as Record<string, unknown>)[key];
    } catch {
      return undefined;
    }
  }
  return current;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !isArraySafe(value);
