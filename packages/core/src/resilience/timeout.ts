import { describeType, invalidInput, readOptions } from '../input/caller-input.ts';
import { IntegrationError } from '../result/errors.ts';
import { type ApiResult, err, ok } from '../result/result.ts';
import { readAbortSignal } from './abort-signal.ts';

/** A timer's longest delay: setTimeout fires at once past it. */
const MAX_TIMEOUT_MS = 2_147_483_647;

interface TimeoutOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

// The options of both functions, read once: a VALIDATION_ERROR naming the field for anything else.
function readTimeoutOptions(options: unknown): ApiResult<TimeoutOptions> {
  if (options === undefined) return err(invalidInput('options', 'must be an object with timeoutMs'));
  const read = readOptions(options, ['timeoutMs', 'signal']);
  if (!read.success) return read;
  const { timeoutMs } = read.data;
  if (
    typeof timeoutMs !== 'number' ||
    !Number.isFinite(timeoutMs) ||
    timeoutMs < 0 ||
    timeoutMs > MAX_TIMEOUT_MS
  ) {
    return err(invalidInput('options.timeoutMs', `must be a finite number from 0 to ${MAX_TIMEOUT_MS}`));
  }
  const signal = readAbortSignal(read.data.signal, 'options.signal');
  if (!signal.success) return signal;
  return ok(signal.data === undefined ? { timeoutMs } : { timeoutMs, signal: signal.data });
}

/**
 * A signal that aborts when the caller's signal aborts or after `timeoutMs`, whichever comes first. Options of
 * the wrong kind throw a `VALIDATION_ERROR` naming the field (`options.timeoutMs`, `options.signal`).
 * @example await fetch(url, { signal: timeoutSignal({ timeoutMs: 5_000, signal }) });
 */
export function timeoutSignal(options: { timeoutMs: number; signal?: AbortSignal }): AbortSignal {
  const checked = readTimeoutOptions(options);
  if (!checked.success) throw checked.error;
  const { timeoutMs, signal } = checked.data;
  const timer = AbortSignal.timeout(timeoutMs);
  if (!signal) return timer;
  const composed = compose(signal, timer);
  if (!composed.success) throw composed.error;
  return composed.data;
}

// AbortSignal.any checks more than the `aborted` getter does (Node takes a Proxy of a signal for one there):
// what it refuses is refused as the caller's signal.
function compose(callerSignal: AbortSignal, other: AbortSignal): ApiResult<AbortSignal> {
  try {
    return ok(AbortSignal.any([callerSignal, other]));
  } catch {
    return err(invalidInput('options.signal', 'must be an AbortSignal'));
  }
}

/**
 * Runs `operation` with a deadline composed with the caller's signal: a deadline is `TIMEOUT`
 * (retryable), a caller abort is `ABORTED` (not retryable), an operation that throws or rejects
 * `OPERATION_FAILED`. Never rejects: arguments of the wrong kind are a
 * `VALIDATION_ERROR` naming `operation`, `options`, `options.timeoutMs` or `options.signal`.
 * For work outside the HTTP client.
 * @example const result = await withTimeout((signal) => db.query(sql, { signal }), { timeoutMs: 2_000 });
 */
export async function withTimeout<T>(
  operation: (signal: AbortSignal) => Promise<T>,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<ApiResult<T>> {
  if (typeof operation !== 'function') {
    return err(invalidInput('operation', `must be a function, not ${describeType(operation)}`));
  }
  const checked = readTimeoutOptions(options);
  if (!checked.success) return checked;
  const { timeoutMs, signal: callerSignal } = checked.data;
  if (callerSignal?.aborted) return err(abortedError());
  const controller = new AbortController();
  let signal = controller.signal;
  if (callerSignal) {
    const composed = compose(callerSignal, controller.signal);
    if (!composed.success) return composed;
    signal = composed.data;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const deadline = new Promise<ApiResult<T>>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new DOMException('Timed out', 'TimeoutError'));
      resolve(err(new IntegrationError('TIMEOUT', `Operation timed out after ${timeoutMs} ms`)));
    }, timeoutMs);
    onAbort = () => resolve(err(abortedError()));
    callerSignal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    // A constructor, not `operation(signal).then`: a synchronous throw or a value that is no promise is
    // settled here like any rejection, and the race below has handled it either way.
    const work = new Promise<T>((resolve) => resolve(operation(signal)));
    return await Promise.race([work.then((value) => ok(value)), deadline]);
  } catch (error) {
    if (callerSignal?.aborted) return err(abortedError());
    return err(
      new IntegrationError('OPERATION_FAILED', 'Operation failed', {
        cause: plainCause(error),
      }),
    );
  } finally {
    clearTimeout(timer);
    if (onAbort) callerSignal?.removeEventListener('abort', onAbort);
  }
}

// Only the message of an Error, copied: the original may carry a request, a body or a getter that throws.
function plainCause(error: unknown): Error | undefined {
  try {
    if (!(error instanceof Error)) return undefined;
    const { message } = error;
    return new Error(typeof message === 'string' ? message : '');
  } catch {
    return undefined;
  }
}

/** The error for a call the caller cancelled. */
export const abortedError = (message = 'The operation was aborted by the caller'): IntegrationError =>
  new IntegrationError('ABORTED', message, { retryable: false });
