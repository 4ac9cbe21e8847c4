import * as z from 'zod/mini';
import { parseOptions } from '../input/options.ts';
import { IntegrationError, isIntegrationError } from '../result/errors.ts';
import { type ApiResult, err } from '../result/result.ts';
import type { CircuitProbeClaim, CircuitSnapshot, CircuitStateStore } from './circuit-state-store.ts';

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
  /**
   * Shares the breaker's state with every process using the same store and `key` (e.g. `@patchbay/store-redis`'s
   * `createRedisCircuitStateStore`): failures anywhere count toward the threshold, an open breaker refuses calls
   * everywhere. Decisions stay synchronous on the state last read, refreshed at most once a second; `execute`
   * reads a stale state before deciding, claims the fleet's one half-open probe from the store (so after a
   * cooldown one process probes, not every one), and waits for its outcome to be recorded; `tryAcquire`, being
   * synchronous, decides on this process's state. A failing store leaves the breaker deciding on what it last
   * knew. Default: none, the state lives in this breaker only.
   */
  store?: CircuitStateStore;
  /** The breaker's name in `store`; share it to share the state. Default `'default'`. */
  key?: string;
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
  store: z.optional(
    z.custom<CircuitStateStore>(
      (value: unknown) =>
        typeof value === 'object' &&
        value !== null &&
        ['recordFailure', 'recordSuccess', 'claimProbe', 'releaseProbe', 'read', 'reset'].every((name) =>
          isFunction((value as Record<string, unknown>)[name]),
        ),
      {
        error:
          'must be a CircuitStateStore (recordFailure, recordSuccess, claimProbe, releaseProbe, read and reset functions)',
      },
    ),
  ),
  key: z.optional(z.string({ error: 'must be a string' })),
});

// How stale the state read from a shared store may get before the next decision refreshes it.
const STORE_SYNC_MS = 1_000;

const isSnapshot = (value: unknown): value is CircuitSnapshot => {
  if (typeof value !== 'object' || value === null) return false;
  const { failures, openedAt, probeAt } = value as Record<string, unknown>;
  const time = (at: unknown) => at === undefined || (typeof at === 'number' && Number.isFinite(at));
  return typeof failures === 'number' && Number.isFinite(failures) && time(openedAt) && time(probeAt);
};

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
  const { onStateChange, store } = parsed;
  const key = parsed.key ?? 'default';
  const policy = { failureThreshold, cooldownMs };

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

  // --- Shared state (only with a store). Every record and read goes to the store in order, numbered; its answer
  // is the fleet's state and replaces what this breaker decided on its own, with two exceptions: an answer
  // overtaken by a newer request only ever opens (a stale "closed" would undo what this breaker just did), and a
  // half-open breaker with its probe out stays so unless the store opened again after it. ---
  let sent = 0;
  let adopted = 0;
  let syncedAt = Number.NEGATIVE_INFINITY;
  let reading: Promise<void> | undefined;

  const adopt = (snapshot: CircuitSnapshot, seq: number): void => {
    if (seq <= adopted) return;
    adopted = seq;
    const latest = seq === sent;
    if (snapshot.openedAt !== undefined) {
      const newer = snapshot.openedAt > openedAt;
      if (phase === 'closed' || newer || (phase === 'open' && latest && snapshot.openedAt !== openedAt)) {
        failures = snapshot.failures;
        openedAt = snapshot.openedAt;
        probeSince = undefined;
        transition('open');
      }
    } else if (latest) {
      failures = snapshot.failures;
      if (phase !== 'closed') {
        probeSince = undefined;
        transition('closed');
      }
    }
  };

  const share = (call: (shared: CircuitStateStore) => Promise<ApiResult<CircuitSnapshot>>): Promise<void> => {
    if (!store) return Promise.resolve();
    const seq = ++sent;
    syncedAt = now();
    // A store that throws, rejects or answers nonsense leaves the breaker on its own counts.
    return Promise.resolve()
      .then(() => call(store))
      .then(
        (result: unknown) => {
          const answer = result as ApiResult<unknown> | null | undefined;
          if (answer?.success === true && isSnapshot(answer.data)) adopt(answer.data, seq);
        },
        () => {},
      );
  };

  const refresh = (): Promise<void> | undefined => {
    if (!store) return undefined;
    if (reading) return reading;
    if (now() - syncedAt < STORE_SYNC_MS) return undefined;
    const read = share((shared) => shared.read(key)).finally(() => {
      reading = undefined;
    });
    reading = read;
    return read;
  };

  // The shared probe: a store that fails or answers nonsense leaves the decision to this breaker (undefined).
  const claimShared = async (at: number): Promise<CircuitProbeClaim | undefined> => {
    if (!store) return undefined;
    try {
      const answer = (await store.claimProbe(key, policy, at)) as ApiResult<unknown> | null | undefined;
      if (answer?.success !== true) return undefined;
      const claim = answer.data as { granted?: unknown; snapshot?: unknown } | null;
      if (typeof claim?.granted !== 'boolean' || !isSnapshot(claim.snapshot)) return undefined;
      return { granted: claim.granted, snapshot: claim.snapshot };
    } catch {
      return undefined;
    }
  };

  const releaseShared = async (probeAt: number): Promise<void> => {
    try {
      await store?.releaseProbe(key, probeAt);
    } catch {
      // The claim lapses after one cooldown anyway.
    }
  };

  const recordSuccess = (): Promise<void> => {
    const at = now();
    const shared = share((s) => s.recordSuccess(key, policy, at));
    // A late success while open came from a call sent before the breaker opened: the cooldown still holds.
    if (phase === 'open') return shared;
    failures = 0;
    probeSince = undefined;
    transition('closed');
    return shared;
  };

  const recordFailure = (): Promise<void> => {
    const at = now();
    const shared = share((s) => s.recordFailure(key, policy, at));
    if (phase === 'open') return shared;
    if (phase === 'half-open') {
      open();
      return shared;
    }
    failures += 1;
    if (failures >= failureThreshold) open();
    return shared;
  };

  const breaker: CircuitBreaker = {
    get state(): CircuitState {
      void refresh();
      if (phase === 'open' && now() - openedAt >= cooldownMs) return 'half-open';
      return phase;
    },
    tryAcquire() {
      void refresh();
      const permit = acquire();
      return permit.allowed ? { allowed: true } : permit;
    },
    recordSuccess: () => void recordSuccess(),
    recordFailure: () => void recordFailure(),
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
      // Without a store nothing is awaited, so the timing of a breaker of its own is what it always was.
      const stale = refresh();
      if (stale) await stale;
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
      // With a store, the probe this process would send must also be the fleet's one probe.
      let claimedAt: number | undefined;
      if (store && permit.probe !== undefined) {
        const at = now();
        const claim = await claimShared(at);
        if (claim && !claim.granted) {
          // Someone else's probe is out: wait for its answer as if it were ours (same lease), and adopt the state.
          if (permit.probe === probeCount && phase === 'half-open') probeSince = claim.snapshot.probeAt ?? at;
          const leaseLeft = (claim.snapshot.probeAt ?? at) + cooldownMs - at;
          const openLeft = (claim.snapshot.openedAt ?? at) + cooldownMs - at;
          const retryAfterMs = Math.max(
            1,
            Math.ceil(openLeft > 0 ? openLeft : Math.min(PROBE_BUSY_RETRY_MS, leaseLeft)),
          );
          return err(
            new IntegrationError('CIRCUIT_OPEN', `Circuit breaker is open; retry in ${retryAfterMs} ms`, {
              retryAfterMs,
              retryable: true,
            }),
          );
        }
        if (claim?.granted) claimedAt = claim.snapshot.probeAt;
      }
      // A non-retryable failure or a throw says nothing about the service's health: it is not counted,
      // but a probe that ends that way must hand its slot back so the next caller can probe.
      const releaseProbe = (): void => {
        if (permit.probe === probeCount && phase === 'half-open') probeSince = undefined;
        if (store && claimedAt !== undefined) void releaseShared(claimedAt);
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
      let recorded: Promise<void> | undefined;
      if (result.success) recorded = recordSuccess();
      else if (result.error.retryable) recorded = recordFailure();
      else releaseProbe();
      if (store && recorded) await recorded;
      return result;
    },
    reset() {
      void share((shared) => shared.reset(key));
      failures = 0;
      probeSince = undefined;
      transition('closed');
    },
  };
  return breaker;
}
