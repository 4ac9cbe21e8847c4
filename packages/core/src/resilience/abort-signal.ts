// Whether a caller's value is a real AbortSignal. `instanceof` is not enough: `Object.create(AbortSignal.prototype)`
// passes it and then throws on `.aborted` or in `AbortSignal.any`, and a Proxy's getPrototypeOf trap may throw.
// The platform's own `aborted` getter checks the internal slot instead, without reading the value.

import { invalidInput } from '../input/caller-input.ts';
import { type ApiResult, err, ok } from '../result/result.ts';

const abortedGetter = Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted')?.get;

/** True for a genuine AbortSignal; false for anything else, including look-alikes and Proxies. Never throws. */
export function isAbortSignal(value: unknown): value is AbortSignal {
  if (typeof value !== 'object' || value === null) return false;
  try {
    if (abortedGetter) {
      abortedGetter.call(value);
      return true;
    }
    return value instanceof AbortSignal;
  } catch {
    return false;
  }
}

/**
 * Checks an optional signal a caller passed: `undefined`, or a genuine AbortSignal; anything else is a
 * `VALIDATION_ERROR` naming `field`.
 * @example const signal = readAbortSignal(read.data.signal, 'options.signal'); if (!signal.success) return signal;
 */
export function readAbortSignal(value: unknown, field: string): ApiResult<AbortSignal | undefined> {
  if (value === undefined || isAbortSignal(value)) return ok(value);
  return err(invalidInput(field, 'must be an AbortSignal'));
}
