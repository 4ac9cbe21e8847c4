import pRetry, { AbortError } from 'p-retry';
import { IntegrationError, isIntegrationError } from './errors.ts';
import { type ApiResult, err } from './result.ts';
import { sleep } from './sleep.ts';
import { abortedError } from './timeout.ts';

/** Options of `withRetry`. */
export interface WithRetryOptions {
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  /** Delay before the first retry, doubled each time. Default 100 ms. */
  minDelayMs?: number;
  /** Ceiling of the delay. Default 5 000 ms. */
  maxDelayMs?: number;
  /**
   * Longest `error.retryAfterMs` (a server's Retry-After) honoured before the next attempt; a failure asking
   * for longer is returned at once, hint included, rather than retried early or waited on for days.
   * Default 60 000 ms.
   */
  maxRetryAfterMs?: number;
  /** Which failures to retry. Default: the error's own `retryable`. */
  shouldRetry?: (error: IntegrationError, attempt: number) => boolean;
  /** Called after each failed attempt that will be retried. */
  onRetry?: (error: IntegrationError, attempt: number) => void;
  signal?: AbortSignal;
}

const MAX_TIMER_MS = 2_147_483_647;

/**
 * Retries an ApiResult-returning operation (not HTTP: the client retries its own requests) with
 * exponential, randomized backoff on p-retry, until it succeeds, fails for good, or runs out of tries. A
 * failure's `retryAfterMs` sets the next wait (up to `maxRetryAfterMs`). Never throws: bad arguments are a
 * `VALIDATION_ERROR` naming the field.
 * @example const result = await withRetry(() => sync.upsertPerson(p), { retries: 3, minDelayMs: 100 });
 */
export async function withRetry<T>(
  operation: (attempt: number) => Promise<ApiResult<T>>,
  options: WithRetryOptions = {},
): Promise<ApiResult<T>> {
  const checked = checkOptions(operation, options);
  if (checked instanceof IntegrationError) return err(checked);
  const { signal, maxRetryAfterMs, onRetry } = checked;
  const shouldRetry = checked.shouldRetry ?? ((error: IntegrationError) => error.retryable);
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
        let retry: boolean;
        try {
          retry = shouldRetry(last.error, attempt) === true;
        } catch {
          retry = false;
        }
        const waitMs = last.error.retryAfterMs;
        if (!retry || (waitMs !== undefined && waitMs > maxRetryAfterMs)) throw new AbortError(last.error);
        throw last.error;
      },
      {
        retries: checked.retries,
        minTimeout: checked.minDelayMs,
        maxTimeout: checked.maxDelayMs,
        factor: 2,
        randomize: true,
        signal,
        onFailedAttempt: async ({ error, attemptNumber, retriesLeft, retryDelay }) => {
          if (retriesLeft <= 0 || !isIntegrationError(error)) return;
          try {
            onRetry?.(error, attemptNumber);
          } catch {
            // An observer that throws does not change the outcome.
          }
          // The server's wait, where longer than the backoff p-retry is about to sleep.
          const extra = (error.retryAfterMs ?? 0) - retryDelay;
          if (extra > 0) await sleep(Math.min(extra, MAX_TIMER_MS), { signal });
        },
      },
    );
  } catch (error) {
    if (signal?.aborted) return err(abortedError());
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

interface CheckedOptions {
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
  shouldRetry?: (error: IntegrationError, attempt: number) => boolean;
  onRetry?: (error: IntegrationError, attempt: number) => void;
  signal?: AbortSignal;
}

const invalid = (field: string, message: string) =>
  new IntegrationError('VALIDATION_ERROR', `withRetry: ${field}: ${message}`, {
    field,
    issues: [{ field, message }],
    retryable: false,
  });

function checkOptions(operation: unknown, options: unknown): CheckedOptions | IntegrationError {
  if (typeof operation !== 'function') return invalid('operation', 'must be a function');
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    return invalid('options', 'must be an object');
  }
  const read: Record<string, unknown> = {};
  for (const key of [
    'retries',
    'minDelayMs',
    'maxDelayMs',
    'maxRetryAfterMs',
    'shouldRetry',
    'onRetry',
    'signal',
  ]) {
    try {
      read[key] = (options as Record<string, unknown>)[key];
    } catch {
      return invalid(`options.${key}`, 'could not be read');
    }
  }
  const number = (key: string, fallback: number, check: (n: number) => boolean, rule: string) => {
    const value = read[key] ?? fallback;
    return typeof value === 'number' && check(value) ? value : invalid(`options.${key}`, rule);
  };
  const retries = number(
    'retries',
    3,
    (n) => Number.isInteger(n) && n >= 0 && n <= 100,
    'must be an integer 0–100',
  );
  const minDelayMs = number(
    'minDelayMs',
    100,
    (n) => Number.isFinite(n) && n >= 0,
    'must be a finite number ≥ 0',
  );
  const maxDelayMs = number(
    'maxDelayMs',
    5_000,
    (n) => Number.isFinite(n) && n >= 0,
    'must be a finite number ≥ 0',
  );
  const maxRetryAfterMs = number(
    'maxRetryAfterMs',
    60_000,
    (n) => Number.isFinite(n) && n >= 0,
    'must be a finite number ≥ 0',
  );
  for (const value of [retries, minDelayMs, maxDelayMs, maxRetryAfterMs]) {
    if (value instanceof IntegrationError) return value;
  }
  for (const key of ['shouldRetry', 'onRetry']) {
    if (read[key] !== undefined && typeof read[key] !== 'function')
      return invalid(`options.${key}`, 'must be a function');
  }
  if (read.signal !== undefined && !(read.signal instanceof AbortSignal)) {
    return invalid('options.signal', 'must be an AbortSignal');
  }
  return {
    retries: retries as number,
    minDelayMs: minDelayMs as number,
    maxDelayMs: Math.max(minDelayMs as number, maxDelayMs as number),
    maxRetryAfterMs: maxRetryAfterMs as number,
    shouldRetry: read.shouldRetry as CheckedOptions['shouldRetry'],
    onRetry: read.onRetry as CheckedOptions['onRetry'],
    signal: read.signal as AbortSignal | undefined,
  };
}
