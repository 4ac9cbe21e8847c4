import { IntegrationError } from './errors.ts';
import { type ApiResult, err, ok } from './result.ts';

/**
 * A signal that aborts when the caller's signal aborts or after `timeoutMs`, whichever comes first.
 * @example await fetch(url, { signal: timeoutSignal({ timeoutMs: 5_000, signal }) });
 */
export function timeoutSignal(options: { timeoutMs: number; signal?: AbortSignal }): AbortSignal {
  const timer = AbortSignal.timeout(options.timeoutMs);
  return options.signal ? AbortSignal.any([options.signal, timer]) : timer;
}

/**
 * Runs `operation` with a deadline composed with the caller's signal: a deadline is `TIMEOUT`
 * (retryable), a caller abort is `ABORTED` (not retryable). For work outside the HTTP client.
 * @example const result = await withTimeout((signal) => db.query(sql, { signal }), { timeoutMs: 2_000 });
 */
export async function withTimeout<T>(
  operation: (signal: AbortSignal) => Promise<T>,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<ApiResult<T>> {
  if (options.signal?.aborted) return err(abortedError());
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const deadline = new Promise<ApiResult<T>>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new DOMException('Timed out', 'TimeoutError'));
      resolve(err(new IntegrationError('TIMEOUT', `Operation timed out after ${options.timeoutMs} ms`)));
    }, options.timeoutMs);
    onAbort = () => resolve(err(abortedError()));
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([operation(signal).then((value) => ok(value)), deadline]);
  } catch (error) {
    if (options.signal?.aborted) return err(abortedError());
    return err(
      new IntegrationError('OPERATION_FAILED', 'Operation failed', {
        cause: error instanceof Error ? new Error(error.message) : undefined,
      }),
    );
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
  }
}

/** The error for a call the caller cancelled. */
export const abortedError = (message = 'The operation was aborted by the caller'): IntegrationError =>
  new IntegrationError('ABORTED', message, { retryable: false });
