import type { StandardSchemaV1 } from '@standard-schema/spec';
import { type FieldIssue, IntegrationError } from './errors.ts';
import { scrubSecrets } from './redact.ts';
import { type ApiResult, err, ok } from './result.ts';
import { issuePath, issuePathSegments } from './schema.ts';
import { revealSecret, Secret } from './secret.ts';

/** One place configuration values come from, e.g. a database row, the environment or hard-coded defaults. */
export interface ConfigSource {
  /** Short name reported in `origins`, e.g. 'database', 'env', 'defaults'. */
  name: string;
  /** Field → value; null or undefined when the source has nothing (e.g. no database row yet). */
  values: Record<string, unknown> | null | undefined;
  /**
   * Where a field lives in this source, for error messages (e.g. 'env TWENTY_CRM_API_KEY'). Return
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

/**
 * Merges `sources` field by field (the first source with a value wins), validates the result with a
 * Standard Schema (zod, zod/mini, valibot, …) and reports every invalid field as a CONFIG_ERROR, naming
 * where its value came from but never the value itself.
 * @example
 * const result = await resolveConfig({
 *   schema: twentySchema,
 *   sources: [
 *     { name: 'database', values: row },
 *     envSource(env, { baseUrl: 'TWENTY_CRM_BASE_URL', apiKey: 'TWENTY_CRM_API_KEY' }),
 *     { name: 'defaults', values: { syncMode: 'disabled' } },
 *   ],
 * });
 */
export async function resolveConfig<S extends StandardSchemaV1>(options: {
  schema: S;
  sources: ConfigSource[];
}): Promise<ApiResult<ResolvedConfig<StandardSchemaV1.InferOutput<S>>>> {
  const { schema, sources } = options;
  const merged: Record<string, unknown> = {};
  const supplier = new Map<string, ConfigSource>();
  for (const source of sources) {
    for (const [field, value] of Object.entries(source.values ?? {})) {
      // '__proto__' would replace the merged object's prototype instead of setting a field.
      if (field === '__proto__' || supplier.has(field) || isAbsent(value)) continue;
      merged[field] = value;
      supplier.set(field, source);
    }
  }

  let result: StandardSchemaV1.Result<StandardSchemaV1.InferOutput<S>>;
  try {
    result = await schema['~standard'].validate(merged);
  } catch (error) {
    // Only the error's name: its message or cause could quote a value, and values may be secrets.
    const kind = error instanceof Error ? error.name : typeof error;
    return err(new IntegrationError('CONFIG_ERROR', `Configuration schema threw while validating (${kind})`));
  }

  if (result.issues) {
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

  const config = result.value;
  // Only fields the config kept: extra columns of a database row, stripped by the schema, are noise.
  const kept = isPlainObject(config) ? config : merged;
  const origins: Record<string, string> = {};
  for (const [field, source] of supplier) if (Object.hasOwn(kept, field)) origins[field] = source.name;
  return ok({ config, origins });
}

/**
 * A ConfigSource reading `mapping`'s variables (field → variable name) from an env object. Pass the
 * environment in; core never reads `process`.
 * @example envSource(process.env, { baseUrl: 'TWENTY_CRM_BASE_URL', apiKey: 'TWENTY_CRM_API_KEY' })
 */
export function envSource(
  env: Record<string, string | undefined>,
  mapping: Record<string, string>,
  name = 'env',
): ConfigSource {
  const values: Record<string, unknown> = {};
  for (const [field, variable] of Object.entries(mapping)) {
    if (Object.hasOwn(env, variable)) values[field] = env[variable];
  }
  return {
    name,
    values,
    describe: (field) => (Object.hasOwn(mapping, field) ? `${name} ${mapping[field]}` : undefined),
  };
}

function toFieldIssue(
  issue: StandardSchemaV1.Issue,
  merged: Record<string, unknown>,
  supplier: ReadonlyMap<string, ConfigSource>,
  sources: readonly ConfigSource[],
): FieldIssue {
  const path = issuePathSegments(issue);
  const field = issuePath(issue);
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
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
