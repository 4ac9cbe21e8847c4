import * as z from 'zod/mini';
import { parseOptions } from '../input/options.ts';
import { IntegrationError, isIntegrationError } from '../result/errors.ts';
import { type ApiResult, err } from '../result/result.ts';

/** Where a circuit breaker stands: `closed` lets calls through, `open` refuses them, `half-open` admits one probe. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** Options of {@link createCircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the breaker. Default 5. */
  failureThreshold?: number;
  /** How long an open breaker refuses calls before it admits a probe. Default 300_000 (5 minutes). */
  cooldownMs?: number;
  /** Clock in epoch ms; inject one in tests. Default `Date.now`. */
  now?: () => number;
  /** Called after every transition. Whatever it throws is ignored. */
  onStateChange?: (change: { from: CircuitState; to: CircuitState }) => void;
}

/**
 * Stops calling a failing service for a while, then lets one probe test whether it is back.
 * @example
 * const permit = breaker.tryAcquire();
 * if (!permit.allowed) return err(new IntegrationError('CIRCUIT_OPEN', 'open', { retryAfterMs: permit.retryAfterMs }));
 */
export interface CircuitBreaker {
  /** The state now: an open breaker whose cooldown has passed reads `half-open`. */
  readonly state: CircuitState;
  /**
   * Asks to send one attempt. While open: `{ allowed: false, retryAfterMs }`. After the cooldown exactly one
   * probe is allowed at a time; others are refused until it reports.
   */
  tryAcquire(): { allowed: true } | { allowed: false; retryAfterMs: number };
  /** Reports a successful attempt: closes a half-open breaker and resets the failure count. */
  recordSuccess(): void;
  /** Reports a failed attempt: opens at the threshold; a failed probe re-opens for a fresh cooldown. */
  recordFailure(): void;
  /**
   * Hands back an allowed attempt that ended without telling anything about the service (the caller aborted):
   * nothing is counted, and an outstanding probe frees its slot for the next caller.
   */
  release(): void;
  /**
   * Runs an ApiResult-returning operation under the breaker. Refused → `CIRCUIT_OPEN` error (retryable, with
   * `retryAfterMs`). A failure whose `error.retryable` is false (404, validation…) is not counted. Never
   * rejects: an operation that throws, or returns something other than an ApiResult, is `OPERATION_FAILED`
   * (not counted either); one that is not a function is `VALIDATION_ERROR`.
   */
  execute<T>(operation: () => Promise<ApiResult<T>>): Promise<ApiResult<T>>;
  /** Back to closed with no failures counted. */
  reset(): void;
}

const DEFAULT_FAILURE_THRESHOLD = 5;
const DEFAULT_COOLDOWN_MS = 300_000;
// A caller refused because a probe is out should come back soon: the probe usually answers within a request
// time, and waiting the whole cooldown would keep the service idle long after it recovered.
const PROBE_BUSY_RETRY_MS = 1_000;

const isFunction = (value: unknown): boolean => typeof value === 'function';
const isApiResult = (value: unknown): value is ApiResult<unknown> =>
  typeof value === 'object' &&
  value !== null &&
  ((value as { success?: unknown }).success === true ||
    ((value as { success?: unknown }).success === false &&
      isIntegrationError((value as { error?: unknown }).error)));

const circuitBreakerOptionsSchema = z.object({
  failureThreshold: z.optional(
    z.int({ error: 'must be an integer ≥ 1' }).check(z.minimum(1, 'must be an integer ≥ 1')),
  ),
  cooldownMs: z.optional(
    z.number({ error: 'must be a finite number ≥ 0' }).check(z.minimum(0, 'must be a finite number ≥ 0')),
  ),
  now: z.optional(z.custom<() => number>(isFunction, { error: 'must be a function' })),
  onStateChange: z.optional(
    z.custom<NonNullable<CircuitBreakerOptions['onStateChange']>>(isFunction, {
      error: 'must be a function',
    }),
  ),
});

// `probe` numbers the probe this permit is, so only that caller can hand the slot back.
type Permit = { allowed: true; probe?: number } | { allowed: false; retryAfterMs: number };

/**
 * Creates a consecutive-failure circuit breaker.
 * @example
 * const breaker = createCircuitBreaker({ failureThreshold: 3, cooldownMs: 30_000 });
 * const result = await breaker.execute(() => client.get('/rest/people'));
 */
export function createCircuitBreaker(options: CircuitBreakerOptions = {}): CircuitBreaker {
  const parsed = parseOptions(circuitBreakerOptionsSchema, options, { label: 'circuit breaker options' });
  const failureThreshold = parsed.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD;
  const cooldownMs = parsed.cooldownMs ?? DEFAULT_COOLDOWN_MS;
  const now = parsed.now ?? (() => Date.now());
  const { onStateChange } = parsed;

  // `phase` is the stored state; `state` derives half-open from it once the cooldown has passed.
  let phase: CircuitState = 'closed';
  let failures = 0;
  let openedAt = 0;
  // When the outstanding probe was admitted. A caller that never reports (crash, dropped promise) must not
  // wedge the breaker, so the probe slot frees itself after one cooldown.
  let probeSince: number | undefined;
  let probeCount = 0;

  const transition = (to: CircuitState): void => {
    const from = phase;
    if (from === to) return;
    phase = to;
    try {
      onStateChange?.({ from, to });
    } catch {
      // An observer must not break the call path; the state is already updated.
    }
  };

  const open = (): void => {
    openedAt = now();
    probeSince = undefined;
    transition('open');
  };

  const acquire = (): Permit => {
    if (phase === 'closed') return { allowed: true };
    const t = now();
    if (phase === 'open') {
      const left = openedAt + cooldownMs - t;
      if (left > 0) return { allowed: false, retryAfterMs: Math.ceil(left) };
      probeSince = t;
      transition('half-open');
      return { allowed: true, probe: ++probeCount };
    }
    if (probeSince !== undefined) {
      const leaseLeft = probeSince + cooldownMs - t;
      if (leaseLeft > 0) {
        return {
          allowed: false,
          retryAfterMs: Math.max(1, Math.ceil(Math.min(PROBE_BUSY_RETRY_MS, leaseLeft))),
        };
      }
    }
    probeSince = t;
    return { allowed: true, probe: ++probeCount };
  };

  const recordSuccess = (): void => {
    // A late success while open came from a call sent before the breaker opened: the cooldown still holds.
    if (phase === 'open') return;
    failures = 0;
    probeSince = undefined;
    transition('closed');
  };

  const recordFailure = (): void => {
    if (phase === 'open') return;
    if (phase === 'half-open') {
      open();
      return;
    }
    failures += 1;
    if (failures >= failureThreshold) open();
  };

  const breaker: CircuitBreaker = {
    get state(): CircuitState {
      if (phase === 'open' && now() - openedAt >= cooldownMs) return 'half-open';
      return phase;
    },
    tryAcquire() {
      const permit = acquire();
      return permit.allowed ? { allowed: true } : permit;
    },
    recordSuccess,
    recordFailure,
    release() {
      if (phase === 'half-open') probeSince = undefined;
    },
    async execute<T>(operation: () => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
      if (typeof operation !== 'function') {
        return err(
          new IntegrationError('VALIDATION_ERROR', 'operation: must be a function returning an ApiResult', {
            field: 'operation',
            retryable: false,
          }),
        );
      }
      const permit = acquire();
      if (!permit.allowed) {
        return err(
          new IntegrationError(
            'CIRCUIT_OPEN',
            `Circuit breaker is open; retry in ${permit.retryAfterMs} ms`,
            {
              retryAfterMs: permit.retryAfterMs,
              retryable: true,
            },
          ),
        );
      }
      // A non-retryable failure or a throw says nothing about the service's health: it is not counted,
      // but a probe that ends that way must hand its slot back so the next caller can probe.
      const releaseProbe = (): void => {
        if (permit.probe === probeCount && phase === 'half-open') probeSince = undefined;
      };
      let result: ApiResult<T>;
      try {
        result = await operation();
        if (!isApiResult(result)) throw new TypeError('the operation did not return an ApiResult');
      } catch (error) {
        releaseProbe();
        // Only the name: whatever the operation threw may hold anything, credentials included.
        const name = error instanceof Error ? error.name : typeof error;
        return err(
          new IntegrationError(
            'OPERATION_FAILED',
            `The operation run by the circuit breaker failed (${name})`,
            {
              retryable: false,
            },
          ),
        );
      }
      if (result.success) recordSuccess();
      else if (result.error.retryable) recordFailure();
      else releaseProbe();
      return result;
    },
    reset() {
      failures = 0;
      probeSince = undefined;
      transition('closed');
    },
  };
  return breaker;
}
