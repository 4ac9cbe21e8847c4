// A caller's argument read once into plain JSON, then checked with a zod schema: what a connector's operations
// take (a request body, a search, options) is read the same way in every connector.

import type * as z from 'zod/mini';
import { type ApiResult, err, ok } from '../result/result.ts';
import { invalidInput } from './caller-input.ts';
import { toJsonValue } from './json-value.ts';

/**
 * A caller's argument read into plain JSON and checked with `schema`: `VALIDATION_ERROR` naming each failing field.
 *
 * Getters, Proxies and cycles are refused by field; no message quotes a value; `undefined` reads as `{}` when
 * `optional`.
 * @example const read = readJsonInput(input, 'input', createSchema); if (!read.success) return read;
 */
export function readJsonInput<S extends z.ZodMiniType>(
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
  // 20 issues say enough; a huge invalid array must not build a huge error.
  const issues = parsed.error.issues.slice(0, 20).map((issue) => ({
    field: [field, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  return err(invalidInput(issues[0]?.field ?? field, issues[0]?.message ?? 'is not valid', issues));
}
