// A job's failure as the scheduler reads it: a failed ApiResult whose IntegrationError says whether another run
// is worth it. The jobs return these rather than throw, like every public async function of Patchbay.
import { type ApiResult, err, IntegrationError, isIntegrationError } from '@patchbay/core';

/** A failed result the scheduler retries with backoff (`retryable: true`), keeping the cause's code. */
export function retryableFailure(message: string, cause?: unknown): ApiResult<never> {
  const code = isIntegrationError(cause) ? cause.code : 'OPERATION_FAILED';
  const detail = isIntegrationError(cause) || cause instanceof Error ? `: ${cause.message}` : '';
  return err(new IntegrationError(code, `${message}${detail}`, { retryable: true, cause }));
}

/** A failed result the scheduler does not retry (it becomes a dead letter at once). */
export function permanentFailure(
  code: 'VALIDATION_ERROR' | 'CONFIG_ERROR',
  message: string,
): ApiResult<never> {
  return err(new IntegrationError(code, message, { retryable: false }));
}
