import { type ApiResult, err, invalidInput, ok, toJsonValue } from '@patchbay/core';
import type * as z from 'zod/mini';

/**
 * A caller's argument read once into plain JSON (getters, Proxies and cycles refused by field) and checked with
 * `schema`: a `VALIDATION_ERROR` naming every failing field (`inputs.3.properties.email`), never its value.
 * `undefined` reads as `{}` when `optional`.
 */
export function readInput<S extends z.ZodMiniType>(
  value: unknown,
  field: string,
  schema: S,
  options: { optional?: boolean } = {},
): ApiResult<z.output<S>> {
  if (value === undefined && options.optional) value = {};
  const json = toJsonValue(value, { field });
  if (!json.success) return json;
  const parsed = schema.safeParse(json.data);
  if (parsed.success) return ok(parsed.data as z.output<S>);
  const issues = parsed.error.issues.slice(0, 20).map((issue) => ({
    field: [field, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  return err(invalidInput(issues[0]?.field ?? field, issues[0]?.message ?? 'is not valid', issues));
}
