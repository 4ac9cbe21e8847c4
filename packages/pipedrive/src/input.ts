import {
  type ApiResult,
  err,
  IntegrationError,
  invalidInput,
  ok,
  readSignal,
  toJsonValue,
} from '@patchbay/core';
import type * as z from 'zod/mini';

/**
 * A caller's argument read once into plain JSON (getters, Proxies and cycles refused by field) and checked with
 * `schema`: a `VALIDATION_ERROR` naming every failing field (`input.emails.0.value`), never its value.
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

/** Options with an optional `signal`: the signal read apart (it is no JSON), the rest checked with `schema`. */
export function readOptions<S extends z.ZodMiniType>(
  options: unknown,
  schema: S,
): ApiResult<z.output<S> & { signal?: AbortSignal }> {
  let signal: AbortSignal | undefined;
  let rest: unknown = options;
  if (typeof options === 'object' && options !== null) {
    try {
      const read = readSignal((options as { signal?: unknown }).signal, 'options.signal');
      if (!read.success) return read;
      signal = read.data;
      if (signal !== undefined) {
        const { signal: _, ...others } = options as Record<string, unknown>;
        rest = others;
      }
    } catch {
      return err(
        new IntegrationError('VALIDATION_ERROR', 'options could not be read', {
          field: 'options',
          retryable: false,
        }),
      );
    }
  }
  const read = readInput(rest, 'options', schema, { optional: true });
  if (!read.success) return read;
  return ok({ ...(read.data as object), ...(signal ? { signal } : {}) } as z.output<S> & {
    signal?: AbortSignal;
  });
}

/** A record id as Pipedrive's v2 paths take it: a positive whole number (or its digits). */
export function readId(value: unknown, field = 'id'): ApiResult<string> {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return ok(String(value));
  if (typeof value === 'string' && /^[1-9]\d{0,15}$/.test(value)) return ok(value);
  return err(
    new IntegrationError('VALIDATION_ERROR', `${field} must be a positive whole number`, {
      field,
      retryable: false,
    }),
  );
}
