import { EmulatorConfigError, functionOption, numberOption, readOptionsObject } from './options.ts';

/** Options of {@link createWindowRateLimiter}. */
export interface WindowRateLimiterOptions {
  /** Requests allowed per key and window, e.g. 100. */
  limit: number;
  /** Window length, e.g. 60_000. */
  windowMs: number;
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
}

/** The verdict on one request, with what the rate-limit headers should say. */
export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  /** Requests left in the current window after this one. */
  remaining: number;
  /** When the window ends, in epoch seconds (rounded up, so a client waiting until then is never early). */
  resetAtSeconds: number;
  /** Seconds to wait before the next allowed request: 0 when allowed, else at least 1. */
  retryAfterSeconds: number;
}

/** A server-side fixed-window rate limiter keyed by caller (API key, workspace…). */
export interface WindowRateLimiter {
  /** Counts one request against `key`'s window; a denied request does not use up budget. */
  take(key: string): RateLimitDecision;
  /** Forgets every window. */
  reset(): void;
}

/**
 * Creates a fixed-window limiter: each key's window starts at its first request and admits `limit` requests
 * until `windowMs` later. Twenty itself refills a token bucket per workspace (100 per second and 100 per
 * minute by default); a fixed window is the stricter reading of "100 a minute" and gives tests exact edges.
 * @example
 * const limiter = createWindowRateLimiter({ limit: 100, windowMs: 60_000 });
 * const decision = limiter.take(apiKey);
 * if (!decision.allowed) return new Response(null, { status: 429, headers: rateLimitHeaders(decision) });
 * @throws EmulatorConfigError (a RangeError) when `limit` is not a positive integer, `windowMs` not a positive
 * finite number or `now` not a function. `take` throws one for a key that is not a string or a clock reading
 * that is not finite.
 */
export function createWindowRateLimiter(options: WindowRateLimiterOptions): WindowRateLimiter {
  const { limit, windowMs, now } = readLimiterOptions(options);
  let windows = new Map<string, { used: number; resetAt: number }>();

  return {
    take(key) {
      const at = clockReading(now, key);
      let window = windows.get(key);
      if (!window || at >= window.resetAt) {
        window = { used: 0, resetAt: at + windowMs };
        windows.set(key, window);
      }
      const allowed = window.used < limit;
      if (allowed) window.used += 1;
      return {
        allowed,
        limit,
        remaining: limit - window.used,
        resetAtSeconds: Math.ceil(window.resetAt / 1000),
        retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((window.resetAt - at) / 1000)),
      };
    },
    reset() {
      windows = new Map();
    },
  };
}

/** A limiter's options read once and checked, shared by the kit's and the emulators' limiters. */
export function readLimiterOptions(options: unknown): { limit: number; windowMs: number; now: () => number } {
  if (options === undefined)
    throw new EmulatorConfigError('options', 'must be an object with limit and windowMs');
  const read = readOptionsObject(options, ['limit', 'windowMs', 'now'], 'options');
  const limit = numberOption(read.limit, 'limit', { min: 1, integer: true });
  const windowMs = numberOption(read.windowMs, 'windowMs', { min: Number.MIN_VALUE });
  const now = read.now === undefined ? () => Date.now() : functionOption<() => number>(read.now, 'now');
  return { limit, windowMs, now };
}

/** `now()` for one `take(key)`: a key that is not a string or a reading that is not finite is refused by name. */
export function clockReading(now: () => number, key: unknown): number {
  if (typeof key !== 'string') throw new EmulatorConfigError('key', 'must be a string');
  const at = now();
  if (typeof at !== 'number' || !Number.isFinite(at))
    throw new EmulatorConfigError('now', 'must return a finite number');
  return at;
}

/**
 * The headers a decision answers with: `X-RateLimit-Limit`, `-Remaining` and `-Reset` (epoch seconds) always,
 * and `Retry-After` (seconds) when denied. A decision that is not one throws an EmulatorConfigError naming it.
 * @example new Response(body, { status: 429, headers: rateLimitHeaders(decision) });
 */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  if (decision === undefined) throw new EmulatorConfigError('decision', 'must be a rate-limit decision');
  const read = readOptionsObject(
    decision,
    ['allowed', 'limit', 'remaining', 'resetAtSeconds', 'retryAfterSeconds'],
    'decision',
  );
  const number = (key: 'limit' | 'remaining' | 'resetAtSeconds' | 'retryAfterSeconds') =>
    String(numberOption(read[key], `decision.${key}`, { min: -Number.MAX_VALUE, max: Number.MAX_VALUE }));
  if (typeof read.allowed !== 'boolean')
    throw new EmulatorConfigError('decision.allowed', 'must be a boolean');
  const headers: Record<string, string> = {
    'X-RateLimit-Limit': number('limit'),
    'X-RateLimit-Remaining': number('remaining'),
    'X-RateLimit-Reset': number('resetAtSeconds'),
  };
  if (!read.allowed) headers['Retry-After'] = number('retryAfterSeconds');
  return headers;
}
