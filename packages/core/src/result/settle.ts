// The last line of defence of a public async function: whatever escapes its own checks (a caller's callback
// or store that throws, a bug) comes back as a typed failure instead of a rejection that could end the process.

import { IntegrationError, isIntegrationError } from './errors.ts';
import { type ApiResult, err } from './result.ts';

/**
 * Runs `work` and returns its result; a throw or a rejection comes back as a failed result instead: an
 * `IntegrationError` as it is, anything else as `OPERATION_FAILED` (`retryable: false`) saying which operation
 * failed. The thrown value is kept as `cause` only when it is an `Error`.
 * @example get: (id, options) => settle('people.get', () => getOne(id, options)),
 */
export async function settle<T>(
  operation: string,
  work: () => Promise<ApiResult<T>> | ApiResult<T>,
): Promise<ApiResult<T>> {
  try {
    return await work();
  } catch (error) {
    return err(unexpectedFailure(operation, error));
  }
}

/** The typed error for something `operation` threw: an IntegrationError as it is, else `OPERATION_FAILED`. */
export function unexpectedFailure(operation: string, thrown: unknown): IntegrationError {
  let cause: Error | undefined;
  try {
    if (isIntegrationError(thrown)) return thrown;
    if (thrown instanceof Error) cause = thrown;
  } catch {
    // A Proxy whose traps throw: nothing of it is kept.
  }
  return new IntegrationError('OPERATION_FAILED', `${operation} failed unexpectedly`, {
    retryable: false,
    cause,
  });
}
