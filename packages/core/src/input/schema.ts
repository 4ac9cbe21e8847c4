import type { StandardSchemaV1 } from '@standard-schema/spec';
import { type FieldIssue, IntegrationError } from '../result/errors.ts';
import { isArraySafe } from './caller-input.ts';

/**
 * The outcome of validating a value against a Standard Schema (zod, zod/mini, valibot, arktype…). A failure
 * caused by the schema itself rather than the value (not a Standard Schema, threw or rejected while
 * validating, answered something that is no Standard Schema result) also carries `error`: `VALIDATION_ERROR`
 * or `OPERATION_FAILED` with `field: 'schema'`.
 */
export type SchemaValidation<T> =
  | { success: true; value: T }
  | { success: false; issues: FieldIssue[]; summary: string; error?: IntegrationError };

const MAX_LISTED_ISSUES = 5;

/**
 * Validates `value` with any Standard Schema, sync or async, and names every failing field by its path.
 * Messages never include the offending value (it may be personal data or a secret). Never throws or rejects:
 * a schema that misbehaves is a failure with `error` set (see {@link SchemaValidation}).
 * @example const checked = await validateSchema(PersonSchema, body);
 */
export async function validateSchema<S extends StandardSchemaV1>(
  schema: S,
  value: unknown,
): Promise<SchemaValidation<StandardSchemaV1.InferOutput<S>>> {
  const standard = readStandard(schema);
  if (!standard) {
    return schemaFailure('VALIDATION_ERROR', 'must be a Standard Schema (zod, valibot, arktype…)');
  }
  let result: unknown;
  try {
    result = standard.validate(value);
    if (result instanceof Promise) result = await result;
  } catch (error) {
    // Only the error's name: its message could quote the value.
    return schemaFailure('OPERATION_FAILED', `threw while validating (${errorName(error)})`);
  }
  const read = readStandardResult(result);
  if (read === undefined) {
    return schemaFailure('OPERATION_FAILED', 'answered something that is not a Standard Schema result');
  }
  if ('value' in read) return { success: true, value: read.value as StandardSchemaV1.InferOutput<S> };
  const issues = read.issues.map(({ field, message }) => ({ field, message }));
  return { success: false, issues, summary: summarize(issues) };
}

/** A Standard Schema issue read safely: its dotted field, its path segments and its message, all as text. */
export interface ReadIssue extends FieldIssue {
  segments: string[];
}

/**
 * A Standard Schema result read once and checked: `{ value }`, `{ issues }` with each issue's path and message
 * as text, or undefined when it has neither shape (or reading it throws).
 */
export function readStandardResult(
  result: unknown,
): { value: unknown } | { issues: ReadIssue[] } | undefined {
  try {
    if (typeof result !== 'object' || result === null) return undefined;
    const { issues } = result as { issues?: unknown };
    if (issues === undefined) return { value: (result as { value?: unknown }).value };
    if (!isArraySafe(issues)) return undefined;
    const read: ReadIssue[] = [];
    for (const issue of Array.from(issues)) {
      const checked = readIssue(issue);
      if (checked === undefined) return undefined;
      read.push(checked);
    }
    return { issues: read };
  } catch {
    return undefined;
  }
}

// Throws when a getter or trap of the issue does: the caller turns that into "not a Standard Schema result".
function readIssue(issue: unknown): ReadIssue | undefined {
  if (typeof issue !== 'object' || issue === null) return undefined;
  const { message, path } = issue as { message?: unknown; path?: unknown };
  if (typeof message !== 'string') return undefined;
  if (path !== undefined && !isArraySafe(path)) return undefined;
  const segments = path === undefined ? [] : Array.from(path, segmentText);
  return { field: segments.length === 0 ? '(root)' : segments.join('.'), message, segments };
}

function segmentText(segment: unknown): string {
  const key = typeof segment === 'object' && segment !== null ? (segment as { key?: unknown }).key : segment;
  // String() never throws for a symbol, a number or a string; a key of another kind is no valid path.
  if (typeof key === 'string' || typeof key === 'number' || typeof key === 'symbol') return String(key);
  throw new TypeError('not a path segment');
}

/** The path segments of a Standard Schema issue as strings (`['data', 'people', '0']`). */
export function issuePathSegments(issue: StandardSchemaV1.Issue): string[] {
  return readIssueSafely(issue)?.segments ?? [];
}

/** A dotted path for a Standard Schema issue (`data.people.0.name`), `(root)` when it has none. */
export function issuePath(issue: StandardSchemaV1.Issue): string {
  return readIssueSafely(issue)?.field ?? '(root)';
}

function readIssueSafely(issue: unknown): ReadIssue | undefined {
  try {
    return readIssue(issue);
  } catch {
    return undefined;
  }
}

function readStandard(schema: unknown): { validate: (value: unknown) => unknown } | undefined {
  if ((typeof schema !== 'object' && typeof schema !== 'function') || schema === null) return undefined;
  try {
    const standard = (schema as { '~standard'?: unknown })['~standard'];
    if ((typeof standard !== 'object' && typeof standard !== 'function') || standard === null)
      return undefined;
    const { validate } = standard as { validate?: unknown };
    if (typeof validate !== 'function') return undefined;
    return { validate: (value) => validate.call(standard, value) };
  } catch {
    return undefined;
  }
}

function errorName(error: unknown): string {
  try {
    if (error instanceof Error && typeof error.name === 'string') return error.name;
  } catch {
    // A Proxy or a throwing getter: say only what kind of value it was.
  }
  return typeof error;
}

function summarize(issues: readonly FieldIssue[]): string {
  const listed = issues.slice(0, MAX_LISTED_ISSUES).map((i) => `${i.field}: ${i.message}`);
  if (issues.length > MAX_LISTED_ISSUES) listed.push(`and ${issues.length - MAX_LISTED_ISSUES} more`);
  return listed.join('; ');
}

function schemaFailure(
  code: 'VALIDATION_ERROR' | 'OPERATION_FAILED',
  message: string,
): { success: false; issues: FieldIssue[]; summary: string; error: IntegrationError } {
  const issues = [{ field: 'schema', message }];
  const summary = summarize(issues);
  const error = new IntegrationError(code, `Invalid schema: ${summary}`, {
    field: 'schema',
    issues,
    retryable: false,
  });
  return { success: false, issues, summary, error };
}
