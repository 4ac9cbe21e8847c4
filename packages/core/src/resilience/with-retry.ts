import { IntegrationError, isIntegrationError } from '../result/errors.ts';
import { type ApiResult, err } from '../result/result.ts';
import { type BackoffOptions, drawBackoff } from './backoff.ts';
import { sleep } from './sleep.ts';
import { abortedError } from './timeout.ts';

/** Options of `withRetry`. */
export interface WithRetryOptions {
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  /**
   * Delay before the first retry, doubled for each further one (full jitter), as in the HTTP client's `retry`.
   * Default 100 ms.
   */
  initialDelayMs?: number;
  /** @deprecated Use `initialDelayMs`: the same option under its earlier name. */
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
 * Retries an ApiResult-returning operation (not HTTP: the client retries its own requests) with the same
 * exponential, full-jitter backoff as the HTTP client (backoff.ts), until it succeeds, fails for good, or runs
 * out of tries. A failure's `retryAfterMs` is the next wait instead (up to `maxRetryAfterMs`). Never throws:
 * bad arguments are a `VALIDATION_ERROR` naming the field.
 * @example const result = await withRetry(() => sync.upsertPerson(p), { retries: 3, initialDelayMs: 100 });
 */
export async function withRetry<T>(
  operation: (attempt: number) => Promise<ApiResult<T>>,
  options: WithRetryOptions = {},
): Promise<ApiResult<T>> {
  const checked = checkOptions(operation, options);
  if (checked instanceof IntegrationError) return err(checked);
  const { signal, retries, maxRetryAfterMs, onRetry } = checked;
  const shouldRetry = checked.shouldRetry ?? ((error: IntegrationError) => error.retryable);
  const backoff: BackoffOptions = {
    initialDelayMs: checked.initialDelayMs,
    maxDelayMs: checked.maxDelayMs,
    jitter: 'full',
  };
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) return err(abortedError());
    let result: ApiResult<T>;
    try {
      result = await operation(attempt);
    } catch (error) {
      // The operation broke its contract (it should return a failure): a bug, not worth retrying.
      if (signal?.aborted) return err(abortedError());
      return err(isIntegrationError(error) ? error : operationFailed(error));
    }
    if (signal?.aborted) return err(abortedError());
    const failure = failureOf(result);
    if (failure === 'not a result') return err(operationFailed(undefined));
    if (failure === undefined || attempt > retries) return result;
    let retry: boolean;
    try {
      retry = shouldRetry(failure, attempt) === true;
    } catch {
      retry = false;
    }
    const waitMs = retryAfterOf(failure);
    if (!retry || (waitMs !== undefined && waitMs > maxRetryAfterMs)) return result;
    try {
      onRetry?.(failure, attempt);
    } catch {
      // An observer that throws does not change the outcome.
    }
    try {
      await sleep(Math.min(waitMs ?? drawBackoff(attempt, backoff), MAX_TIMER_MS), { signal });
    } catch {
      return err(abortedError());
    }
  }
}

// The failure of a result, undefined for a success, or 'not a result' when the operation answered something
// else (it should return an ApiResult): read once, a Proxy's throwing trap included.
function failureOf(result: unknown): IntegrationError | undefined | 'not a result' {
  try {
    if (typeof result !== 'object' || result === null) return 'not a result';
    const { success, error } = result as { success?: unknown; error?: unknown };
    if (success === true) return undefined;
    return success === false && isIntegrationError(error) ? error : 'not a result';
  } catch {
    return 'not a result';
  }
}

function retryAfterOf(error: IntegrationError): number | undefined {
  const waitMs = error.retryAfterMs;
  return typeof waitMs === 'number' && Number.isFinite(waitMs) && waitMs >= 0 ? waitMs : undefined;
}

function operationFailed(error: unknown): IntegrationError {
  return new IntegrationError(
    'OPERATION_FAILED',
    error === undefined ? 'Operation did not return an ApiResult' : 'Operation failed',
    {
      retryable: false,
      cause: error instanceof Error ? new Error(error.message) : undefined,
    },
  );
}

interface CheckedOptions {
  retries: number;
  initialDelayMs: number;
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
    'initialDelayMs',
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
  if (read.initialDelayMs !== undefined && read.minDelayMs !== undefined) {
    return invalid('options.minDelayMs', 'pass initialDelayMs or minDelayMs (its earlier name), not both');
  }
  const initialKey = read.minDelayMs !== undefined ? 'minDelayMs' : 'initialDelayMs';
  const initialDelayMs = number(
    initialKey,
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
  for (const value of [retries, initialDelayMs, maxDelayMs, maxRetryAfterMs]) {
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
    initialDelayMs: initialDelayMs as number,
    maxDelayMs: Math.max(initialDelayMs as number, maxDelayMs as number),
    maxRetryAfterMs: maxRetryAfterMs as number,
    shouldRetry: read.shouldRetry as CheckedOptions['shouldRetry'],
    onRetry: read.onRetry as CheckedOptions['onRetry'],
    signal: read.signal as AbortSignal | undefined,
  };
}
