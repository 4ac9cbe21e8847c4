import type { RateLimiter } from './rate-limiter.ts';

/**
 * True when `value` has a limiter's `acquire` and `observe` methods (a caller's own `RateLimiter` given in place
 * of options); false, never a throw, when a getter or Proxy trap throws while it is inspected.
 * @example const limiter = isRateLimiter(options.rateLimit) ? options.rateLimit : createRateLimiter(defaults);
 */
export function isRateLimiter(value: unknown): value is RateLimiter {
  try {
    return (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as RateLimiter).acquire === 'function' &&
      typeof (value as RateLimiter).observe === 'function'
    );
  } catch {
    return false;
  }
}
