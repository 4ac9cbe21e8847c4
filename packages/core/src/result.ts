import type { IntegrationError } from './errors.ts';

/**
 * What every Patchbay call returns: the data, or a typed error. Remote failures never throw.
 * @example
 * const result = await client.get('/rest/people', { schema });
 * if (result.success) use(result.data); else log(result.error.code);
 */
export type ApiResult<T> = { success: true; data: T } | { success: false; error: IntegrationError };

/** A successful result. */
export const ok = <T>(data: T): ApiResult<T> => ({ success: true, data });

/** A failed result. */
export const err = <T = never>(error: IntegrationError): ApiResult<T> => ({ success: false, error });

/** Narrows to the success branch. */
export const isOk = <T>(result: ApiResult<T>): result is { success: true; data: T } => result.success;

/** Narrows to the failure branch. */
export const isErr = <T>(result: ApiResult<T>): result is { success: false; error: IntegrationError } =>
  !result.success;

/** Transforms the data of a successful result; a failure passes through unchanged. */
export function mapResult<T, U>(result: ApiResult<T>, map: (data: T) => U): ApiResult<U> {
  return result.success ? { success: true, data: map(result.data) } : result;
}

/**
 * Returns the data or throws the IntegrationError, for code that prefers exceptions.
 * @example const people = unwrap(await client.get('/rest/people', { schema }));
 */
export function unwrap<T>(result: ApiResult<T>): T {
  if (result.success) return result.data;
  throw result.error;
}
