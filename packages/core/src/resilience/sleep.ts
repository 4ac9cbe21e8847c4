import { invalidInput, readOptions } from '../input/caller-input.ts';
import { readAbortSignal } from './abort-signal.ts';

/** A timer's longest delay: setTimeout fires at once past it. */
const MAX_SLEEP_MS = 2_147_483_647;

/**
 * Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. Arguments of the wrong kind
 * (an `ms` that is not a finite number from 0 to 2 147 483 647, options that are not an object, a signal that
 * is not an AbortSignal) reject with a `VALIDATION_ERROR` naming `ms`, `options` or `options.signal`: it never
 * throws, and nothing it schedules can throw later.
 * @example await sleep(250, { signal });
 */
export function sleep(ms: number, options: { signal?: AbortSignal } = {}): Promise<void> {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > MAX_SLEEP_MS) {
    return Promise.reject(invalidInput('ms', `must be a finite number from 0 to ${MAX_SLEEP_MS}`));
  }
  const read = readOptions(options, ['signal']);
  if (!read.success) return Promise.reject(read.error);
  const checked = readAbortSignal(read.data.signal, 'options.signal');
  if (!checked.success) return Promise.reject(checked.error);
  const signal = checked.data;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
