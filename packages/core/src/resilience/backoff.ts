import { invalidInput, readOptions } from '../input/caller-input.ts';

/**
 * The one backoff vocabulary of Patchbay, shared by the HTTP client's `retry` and by `withRetry`: the delay
 * before retry n is `initialDelayMs` doubled n−1 times, at most `maxDelayMs`, drawn uniformly below that
 * ceiling (full jitter) or taken as it is.
 */
export interface BackoffOptions {
  /** Delay before the first retry; doubled for each further one. */
  initialDelayMs: number;
  /** Ceiling of the computed delay. */
  maxDelayMs: number;
  /** Full jitter (a uniform draw in [0, delay]) or none. */
  jitter: 'full' | 'none';
}

/**
 * The exponential delay before retry number `retry` (1-based), before jitter:
 * `min(maxDelayMs, initialDelayMs * 2^(retry-1))`.
 * @example backoffCeiling(3, { initialDelayMs: 1000, maxDelayMs: 30_000 }) // 4000
 */
export function backoffCeiling(
  retry: number,
  options: Pick<BackoffOptions, 'initialDelayMs' | 'maxDelayMs'>,
) {
  return Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** Math.max(0, retry - 1));
}

/**
 * The delay before retry number `retry` for options already validated (the client's parsed `retry`,
 * `withRetry`'s checked options): the ceiling, drawn below with full jitter.
 */
export function drawBackoff(
  retry: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const ceiling = backoffCeiling(retry, options);
  return options.jitter === 'none' ? ceiling : random() * ceiling;
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
  options: BackoffOptions,
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
