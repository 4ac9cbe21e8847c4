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
 * @throws RangeError when `limit` or `windowMs` is not a positive number.
 */
export function createWindowRateLimiter(options: WindowRateLimiterOptions): WindowRateLimiter {
  const { limit, windowMs } = options;
  const now = options.now ?? (() => Date.now());
  if (!(Number.isInteger(limit) && limit > 0)) throw new RangeError('limit must be a positive integer');
  if (!(Number.isFinite(windowMs) && windowMs > 0))
    throw new RangeError('windowMs must be a positive number');
  let windows = new Map<string, { used: number; resetAt: number }>();

  return {
    take(key) {
      const at = now();
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

/**
 * The headers a decision answers with: `X-RateLimit-Limit`, `-Remaining` and `-Reset` (epoch seconds) always,
 * and `Retry-After` (seconds) when denied.
 * @example new Response(body, { status: 429, headers: rateLimitHeaders(decision) });
 */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  const headers: Record<string, string> = {
    'X-RateLimit-Limit': String(decision.limit),
    'X-RateLimit-Remaining': String(decision.remaining),
    'X-RateLimit-Reset': String(decision.resetAtSeconds),
  };
  if (!decision.allowed) headers['Retry-After'] = String(decision.retryAfterSeconds);
  return headers;
}
