import pRetry, { AbortError } from 'p-retry';
import { IntegrationError, isIntegrationError } from './errors.ts';
import { type ApiResult, err } from './result.ts';
import { abortedError } from './timeout.ts';

/** Options of `withRetry`. */
export interface WithRetryOptions {
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  /** Delay before the first retry, doubled each time. Default 100 ms. */
  minDelayMs?: number;
  /** Ceiling of the delay. Default 5 000 ms. */
  maxDelayMs?: number;
  /** Which failures to retry. Default: the error's own `retryable`. */
  shouldRetry?: (error: IntegrationError, attempt: number) => boolean;
  /** Called after each failed attempt that will be retried. */
  onRetry?: (error: IntegrationError, attempt: number) => void;
  signal?: AbortSignal;
}

/**
 * Retries an ApiResult-returning operation (not HTTP: the client retries its own requests) with
 * exponential, randomized backoff on p-retry, until it succeeds, fails for good, or runs out of tries.
 * @example const result = await withRetry(() => sync.upsertPerson(p), { retries: 3, minDelayMs: 100 });
 */
export async function withRetry<T>(
  operation: (attempt: number) => Promise<ApiResult<T>>,
  options: WithRetryOptions = {},
): Promise<ApiResult<T>> {
  const shouldRetry = options.shouldRetry ?? ((error: IntegrationError) => error.retryable);
  let last: ApiResult<T> | undefined;
  try {
    return await pRetry(
      async (attempt) => {
        last = undefined;
        try {
          last = await operation(attempt);
        } catch (error) {
          // The operation broke its contract (it should return a failure): a bug, not worth retrying.
          throw new AbortError(error instanceof Error ? error : String(error));
        }
        if (last.success) return last;
        if (!shouldRetry(last.error, attempt)) throw new AbortError(last.error);
        throw last.error;
      },
      {
        retries: options.retries ?? 3,
        minTimeout: options.minDelayMs ?? 100,
        maxTimeout: options.maxDelayMs ?? 5_000,
        factor: 2,
        randomize: true,
        signal: options.signal,
        onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
          if (retriesLeft > 0 && isIntegrationError(error)) options.onRetry?.(error, attemptNumber);
        },
      },
    );
  } catch (error) {
    if (options.signal?.aborted) return err(abortedError());
    if (last && !last.success) return last;
    if (isIntegrationError(error)) return err(error);
    return err(
      new IntegrationError('OPERATION_FAILED', 'Operation failed', {
        retryable: false,
        cause: error instanceof Error ? new Error(error.message) : undefined,
      }),
    );
  }
}
