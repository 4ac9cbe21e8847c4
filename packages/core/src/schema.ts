import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { FieldIssue } from './errors.ts';

/** The outcome of validating a value against a Standard Schema (zod, zod/mini, valibot, arktype…). */
export type SchemaValidation<T> =
  | { success: true; value: T }
  | { success: false; issues: FieldIssue[]; summary: string };

const MAX_LISTED_ISSUES = 5;

/**
 * Validates `value` with any Standard Schema, sync or async, and names every failing field by its path.
 * Messages never include the offending value (it may be personal data or a secret).
 * @example const checked = await validateSchema(PersonSchema, body);
 */
export async function validateSchema<S extends StandardSchemaV1>(
  schema: S,
  value: unknown,
): Promise<SchemaValidation<StandardSchemaV1.InferOutput<S>>> {
  let result = schema['~standard'].validate(value);
  if (result instanceof Promise) result = await result;
  if (!result.issues) return { success: true, value: result.value as StandardSchemaV1.InferOutput<S> };
  const issues = result.issues.map((issue) => ({ field: issuePath(issue), message: issue.message }));
  const listed = issues.slice(0, MAX_LISTED_ISSUES).map((i) => `${i.field}: ${i.message}`);
  if (issues.length > MAX_LISTED_ISSUES) listed.push(`and ${issues.length - MAX_LISTED_ISSUES} more`);
  return { success: false, issues, summary: listed.join('; ') };
}

/** The path segments of a Standard Schema issue as strings (`['data', 'people', '0']`). */
export function issuePathSegments(issue: StandardSchemaV1.Issue): string[] {
  return (issue.path ?? []).map((segment) =>
    String(typeof segment === 'object' && segment !== null ? segment.key : segment),
  );
}

/** A dotted path for a Standard Schema issue (`data.people.0.name`), `(root)` when it has none. */
export function issuePath(issue: StandardSchemaV1.Issue): string {
  const segments = issuePathSegments(issue);
  return segments.length === 0 ? '(root)' : segments.join('.');
}
