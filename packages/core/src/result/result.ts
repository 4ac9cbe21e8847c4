import { IntegrationError, isIntegrationError } from './errors.ts';

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

/** Narrows to the success branch; false for anything that is not an ApiResult. */
export const isOk = <T>(result: ApiResult<T>): result is { success: true; data: T } =>
  inspect(result)?.success === true;

/** Narrows to the failure branch; false for anything that is not an ApiResult. */
export const isErr = <T>(result: ApiResult<T>): result is { success: false; error: IntegrationError } =>
  inspect(result)?.success === false;

/**
 * Transforms the data of a successful result; a failure passes through unchanged. A `map` that throws gives a
 * failed result (its IntegrationError as is, anything else `OPERATION_FAILED` with `field: 'map'`), and a
 * `result` that is not an ApiResult or a `map` that is not a function a `VALIDATION_ERROR` naming it.
 */
export function mapResult<T, U>(result: ApiResult<T>, map: (data: T) => U): ApiResult<U> {
  const read = inspect(result);
  if (read === undefined) return err(notAResult('result'));
  if (!read.success) return result as ApiResult<never>;
  if (typeof map !== 'function') return err(invalidArgument('map', 'must be a function'));
  try {
    return { success: true, data: map(read.data as T) };
  } catch (error) {
    if (isIntegrationError(error)) return err(error);
    return err(
      new IntegrationError('OPERATION_FAILED', 'mapResult: the map function threw', {
        field: 'map',
        retryable: false,
        cause: isErrorSafe(error) ? error : undefined,
      }),
    );
  }
}

/**
 * Returns the data or throws the IntegrationError, for code that prefers exceptions. Anything that is not an
 * ApiResult throws a `VALIDATION_ERROR` naming `result`: only IntegrationErrors are thrown.
 * @example const people = unwrap(await client.get('/rest/people', { schema }));
 */
export function unwrap<T>(result: ApiResult<T>): T {
  const read = inspect(result);
  if (read === undefined) throw notAResult('result');
  if (read.success) return read.data as T;
  throw read.error;
}

// The branch of a caller's result, read once; undefined when it is not an ApiResult (or reading it throws).
function inspect(
  result: unknown,
): { success: true; data: unknown } | { success: false; error: IntegrationError } | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  try {
    const { success } = result as { success?: unknown };
    if (success === true) return { success, data: (result as { data?: unknown }).data };
    if (success !== false) return undefined;
    const { error } = result as { error?: unknown };
    return isIntegrationError(error) ? { success, error } : undefined;
  } catch {
    return undefined;
  }
}

function isErrorSafe(value: unknown): value is Error {
  try {
    return value instanceof Error;
  } catch {
    return false;
  }
}

const invalidArgument = (field: string, message: string): IntegrationError =>
  new IntegrationError('VALIDATION_ERROR', `Invalid input: ${field}: ${message}`, {
    field,
    issues: [{ field, message }],
    retryable: false,
  });

const notAResult = (field: string): IntegrationError =>
  invalidArgument(field, 'must be an ApiResult ({ success: true, data } or { success: false, error })');
