import { type ApiResult, err, IntegrationError, ok, readJsonInput, readSignal } from '@patchbay/core';
import type * as z from 'zod/mini';

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
  const read = readJsonInput(rest, 'options', schema, { optional: true });
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
