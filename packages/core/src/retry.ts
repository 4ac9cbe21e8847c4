import * as z from 'zod/mini';
import { invalidInput, readOptions } from './caller-input.ts';

// A timer's longest delay: setTimeout fires at once past it.
const delayMs = z.number().check(z.minimum(0), z.maximum(2_147_483_647));

/** Retry policy of the HTTP client (and of `withRetry`). */
export const retryOptionsSchema = z.object({
  /** Retries after the first attempt (so `retries: 3` makes at most 4 attempts). */
  retries: z._default(z.int().check(z.minimum(0), z.maximum(20)), 3),
  /** Delay before the first retry; doubled for each further one. */
  initialDelayMs: z._default(delayMs, 1_000),
  /** Ceiling of the computed backoff. */
  maxDelayMs: z._default(delayMs, 30_000),
  /**
   * Longest server-requested wait (Retry-After, X-RateLimit-Reset) the client honours by itself, and holds
   * its rate limiter for. A longer one is not waited on: the call ends with `RATE_LIMIT` and `retryAfterMs`.
   */
  maxRetryAfterMs: z._default(delayMs, 60_000),
  /** Statuses worth another attempt. */
  statusCodes: z._default(z.array(z.int()), [408, 429, 500, 502, 503, 504]),
  /** Full jitter (a uniform draw in [0, delay]) or none. */
  jitter: z._default(z.enum(['full', 'none']), 'full'),
});

export type RetryOptions = z.input<typeof retryOptionsSchema>;
export type ResolvedRetryOptions = z.output<typeof retryOptionsSchema>;

/**
 * The defaults: 3 retries, 1 s initial backoff doubling up to 30 s, full jitter. Frozen, status list included:
 * every client falls back on this one object, so no caller may change it for the others.
 */
export const DEFAULT_RETRY_OPTIONS: Readonly<ResolvedRetryOptions> = (() => {
  const parsed = retryOptionsSchema.parse({});
  return Object.freeze({ ...parsed, statusCodes: Object.freeze(parsed.statusCodes) as number[] });
})();

/**
 * The exponential delay before retry number `retry` (1-based), before jitter:
 * `min(maxDelayMs, initialDelayMs * 2^(retry-1))`.
 */
export function backoffCeiling(
  retry: number,
  options: Pick<ResolvedRetryOptions, 'initialDelayMs' | 'maxDelayMs'>,
) {
  return Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** Math.max(0, retry - 1));
}

/**
 * The delay before retry number `retry` with full jitter: uniform in [0, backoffCeiling]. Throws only a
 * `VALIDATION_ERROR` naming the argument: `retry` that is not a finite number ≥ 0, options whose delays are
 * not finite numbers ≥ 0 or whose jitter is not 'full' or 'none', a `random` that is not a function, throws,
 * or answers something outside [0, 1].
 * @example backoffDelay(2, DEFAULT_RETRY_OPTIONS) // somewhere in [0, 2000]
 */
export function backoffDelay(
  retry: number,
  options: Pick<ResolvedRetryOptions, 'initialDelayMs' | 'maxDelayMs' | 'jitter'>,
  random: () => number = Math.random,
): number {
  if (!isDelay(retry)) throw invalidInput('retry', 'must be a finite number ≥ 0');
  const read = readOptions(options, ['initialDelayMs', 'maxDelayMs', 'jitter']);
  if (!read.success) throw read.error;
  if (options === undefined) throw invalidInput('options', 'must be an object');
  const { initialDelayMs, maxDelayMs, jitter } = read.data;
  if (!isDelay(initialDelayMs)) throw invalidInput('options.initialDelayMs', 'must be a finite number ≥ 0');
  if (!isDelay(maxDelayMs)) throw invalidInput('options.maxDelayMs', 'must be a finite number ≥ 0');
  if (jitter !== 'full' && jitter !== 'none')
    throw invalidInput('options.jitter', "must be 'full' or 'none'");
  const ceiling = backoffCeiling(retry, { initialDelayMs, maxDelayMs });
  if (jitter === 'none') return ceiling;
  if (typeof random !== 'function') throw invalidInput('random', 'must be a function');
  let draw: unknown;
  try {
    draw = random();
  } catch {
    throw invalidInput('random', 'threw');
  }
  if (typeof draw !== 'number' || !(draw >= 0 && draw <= 1))
    throw invalidInput('random', 'must answer a number in [0, 1]');
  return draw * ceiling;
}

const isDelay = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;
