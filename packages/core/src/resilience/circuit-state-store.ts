// A circuit breaker shared by many processes needs one thing from storage: its failure count and when it opened,
// changed atomically by "a call failed" and "a call succeeded" under the breaker's policy. The store applies the
// transitions itself (a Lua script in Redis), so two processes recording at once never lose a count or open the
// breaker twice. The memory store here serves one process and tests; the contract suite
// (`@patchbay/core/testing`) holds adapters to the same behaviour.
import { IntegrationError } from '../result/errors.ts';
import { type ApiResult, err, ok } from '../result/result.ts';
import type { CircuitState } from './circuit-breaker.ts';

/** A shared breaker's state: consecutive failures counted while closed, and when it opened (absent while closed). */
export interface CircuitSnapshot {
  failures: number;
  /** Epoch ms. Open until `openedAt + cooldownMs`, half-open (a probe may go) after. */
  openedAt?: number;
  /**
   * Epoch ms at which the one probe of the half-open breaker was claimed ({@link CircuitStateStore.claimProbe});
   * absent when none is out. A claim lapses after one cooldown, so a prober that died frees the slot.
   */
  probeAt?: number;
}

/** The answer to {@link CircuitStateStore.claimProbe}: whether the caller may call, and the state after. */
export interface CircuitProbeClaim {
  /** True when closed (no probe needed) or when this caller now holds the half-open breaker's one probe. */
  granted: boolean;
  snapshot: CircuitSnapshot;
}

/** The breaker's policy, sent with every record so the store applies it atomically. */
export interface CircuitPolicy {
  /** Consecutive failures that open the breaker. */
  failureThreshold: number;
  /** How long it stays open before a probe may go. */
  cooldownMs: number;
}

/**
 * Where a circuit breaker's state lives when several processes share it (`createCircuitBreaker({ store, key })`).
 * Every method is atomic, answers the state after it, never throws or rejects, and refuses bad arguments with a
 * `VALIDATION_ERROR` naming `key`, `policy.failureThreshold`, `policy.cooldownMs` or `now`. Times are the
 * caller's epoch ms.
 */
export interface CircuitStateStore {
  /**
   * A call failed at `now`. Closed: counts it, and opens at `failureThreshold` (`openedAt = now`). Open within the
   * cooldown: nothing (a late answer to a call sent before it opened). Open past the cooldown (the probe failed):
   * opens again from `now`.
   */
  recordFailure(key: string, policy: CircuitPolicy, now: number): Promise<ApiResult<CircuitSnapshot>>;
  /**
   * A call succeeded at `now`. Closed, or open past the cooldown (the probe succeeded): closed with no failures.
   * Open within the cooldown: nothing (a late answer).
   */
  recordSuccess(key: string, policy: CircuitPolicy, now: number): Promise<ApiResult<CircuitSnapshot>>;
  /**
   * Asks to call at `now`. Closed: granted, nothing written. Open within the cooldown: refused. Open past it: the
   * first caller is granted the one probe (`probeAt = now`) and every other is refused until that probe's outcome
   * is recorded, it is released, or one cooldown passes, so a fleet sends one probe, not one per process.
   */
  claimProbe(key: string, policy: CircuitPolicy, now: number): Promise<ApiResult<CircuitProbeClaim>>;
  /**
   * Hands back the probe claimed at `probeAt` when it ended without telling anything about the service (the
   * caller aborted, the error was not the service's); a claim made since by someone else is left alone.
   */
  releaseProbe(key: string, probeAt: number): Promise<ApiResult<CircuitSnapshot>>;
  /** The state as stored: `{ failures: 0 }` for a breaker never recorded. */
  read(key: string): Promise<ApiResult<CircuitSnapshot>>;
  /** Back to closed with no failures. */
  reset(key: string): Promise<ApiResult<CircuitSnapshot>>;
}

/** Longest breaker key a store accepts. */
export const MAX_CIRCUIT_KEY_LENGTH = 1_024;

/**
 * What a snapshot means at `now` under `cooldownMs`: `closed`, `open`, or `half-open` once the cooldown has
 * passed (for a status page reading the store directly).
 * @example circuitStateAt((await store.read('crm')).data, 300_000, Date.now()); // 'open'
 */
export function circuitStateAt(snapshot: CircuitSnapshot, cooldownMs: number, now: number): CircuitState {
  if (snapshot.openedAt === undefined) return 'closed';
  return now - snapshot.openedAt >= cooldownMs ? 'half-open' : 'open';
}

/**
 * The transition every store applies, as a pure function (adapters that cannot run JavaScript atomically, like
 * Redis, implement the same rules in their own language; the contract suite checks they agree).
 * @example const next = applyCircuitRecord(current, 'failure', policy, now);
 */
export function applyCircuitRecord(
  snapshot: CircuitSnapshot,
  outcome: 'success' | 'failure',
  policy: CircuitPolicy,
  now: number,
): CircuitSnapshot {
  if (snapshot.openedAt !== undefined) {
    // Within the cooldown, answers to calls sent before the breaker opened change nothing.
    if (now - snapshot.openedAt < policy.cooldownMs) return snapshot;
    // Past it, any answer is the probe's (or as good as one): it settles the breaker and frees the probe slot.
    return outcome === 'failure' ? { failures: snapshot.failures, openedAt: now } : { failures: 0 };
  }
  if (outcome === 'success') return { failures: 0 };
  const failures = snapshot.failures + 1;
  return failures >= policy.failureThreshold ? { failures, openedAt: now } : { failures };
}

/**
 * The probe claim every store applies, as a pure function (see {@link CircuitStateStore.claimProbe}).
 * @example const { granted, snapshot: next } = applyCircuitProbeClaim(current, policy, now);
 */
export function applyCircuitProbeClaim(
  snapshot: CircuitSnapshot,
  policy: CircuitPolicy,
  now: number,
): CircuitProbeClaim {
  if (snapshot.openedAt === undefined) return { granted: true, snapshot };
  if (now - snapshot.openedAt < policy.cooldownMs) return { granted: false, snapshot };
  if (snapshot.probeAt !== undefined && now - snapshot.probeAt < policy.cooldownMs) {
    return { granted: false, snapshot };
  }
  return {
    granted: true,
    snapshot: { failures: snapshot.failures, openedAt: snapshot.openedAt, probeAt: now },
  };
}

/**
 * Frees the probe claimed at `probeAt`, as every store does (see {@link CircuitStateStore.releaseProbe}).
 * @example const next = applyCircuitProbeRelease(current, probeAt);
 */
export function applyCircuitProbeRelease(snapshot: CircuitSnapshot, probeAt: number): CircuitSnapshot {
  if (snapshot.probeAt !== probeAt || snapshot.openedAt === undefined) return snapshot;
  return { failures: snapshot.failures, openedAt: snapshot.openedAt };
}

const invalid = (field: string, message: string): IntegrationError =>
  new IntegrationError('VALIDATION_ERROR', `Invalid input: ${field}: ${message}`, {
    field,
    issues: [{ field, message }],
    retryable: false,
  });

/**
 * Checks a breaker key: 1 to 1 024 characters of well-formed text without NUL (`VALIDATION_ERROR` naming `key`).
 * @example const checked = validateCircuitKey(key); if (!checked.success) return checked;
 */
export function validateCircuitKey(key: unknown): ApiResult<string> {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_CIRCUIT_KEY_LENGTH) {
    return err(invalid('key', `must be a string of 1 to ${MAX_CIRCUIT_KEY_LENGTH} characters`));
  }
  if (key.includes('\u0000') || !key.isWellFormed()) {
    return err(invalid('key', 'must be well-formed text without NUL characters'));
  }
  return ok(key);
}

/**
 * Checks a record's arguments, read once into plain copies: the key, a `failureThreshold` that is a whole
 * number ≥ 1, a `cooldownMs` that is a finite number ≥ 0, a finite `now`.
 * @example const checked = validateCircuitRecord(key, policy, now); if (!checked.success) return checked;
 */
export function validateCircuitRecord(
  key: unknown,
  policy: unknown,
  now: unknown,
): ApiResult<{ key: string; policy: CircuitPolicy; now: number }> {
  const checkedKey = validateCircuitKey(key);
  if (!checkedKey.success) return checkedKey;
  if (typeof policy !== 'object' || policy === null) return err(invalid('policy', 'must be an object'));
  let failureThreshold: unknown;
  let cooldownMs: unknown;
  try {
    ({ failureThreshold, cooldownMs } = policy as Record<string, unknown>);
  } catch {
    return err(invalid('policy', 'could not be read (a getter or Proxy threw)'));
  }
  if (!Number.isSafeInteger(failureThreshold) || (failureThreshold as number) < 1) {
    return err(invalid('policy.failureThreshold', 'must be a whole number ≥ 1'));
  }
  if (typeof cooldownMs !== 'number' || !Number.isFinite(cooldownMs) || cooldownMs < 0) {
    return err(invalid('policy.cooldownMs', 'must be a finite number ≥ 0'));
  }
  if (typeof now !== 'number' || !Number.isFinite(now)) {
    return err(invalid('now', 'must be a finite number (epoch ms)'));
  }
  return ok({
    key: checkedKey.data,
    policy: { failureThreshold: failureThreshold as number, cooldownMs },
    now,
  });
}

/**
 * Checks a probe release's arguments: the key, and a finite `probeAt` (`VALIDATION_ERROR` naming it).
 * @example const checked = validateCircuitRelease(key, probeAt); if (!checked.success) return checked;
 */
export function validateCircuitRelease(
  key: unknown,
  probeAt: unknown,
): ApiResult<{ key: string; probeAt: number }> {
  const checkedKey = validateCircuitKey(key);
  if (!checkedKey.success) return checkedKey;
  if (typeof probeAt !== 'number' || !Number.isFinite(probeAt)) {
    return err(invalid('probeAt', 'must be a finite number (epoch ms)'));
  }
  return ok({ key: checkedKey.data, probeAt });
}

/**
 * A circuit state store in this process's memory: for tests and for one process (a breaker without a store
 * keeps the same state itself). Share `@patchbay/store-redis`'s between processes.
 * @example const breaker = createCircuitBreaker({ store: createMemoryCircuitStateStore(), key: 'crm' });
 */
export function createMemoryCircuitStateStore(): CircuitStateStore {
  const states = new Map<string, CircuitSnapshot>();
  const record = async (key: unknown, policy: unknown, now: unknown, outcome: 'success' | 'failure') => {
    const checked = validateCircuitRecord(key, policy, now);
    if (!checked.success) return checked;
    const current = states.get(checked.data.key) ?? { failures: 0 };
    const next = applyCircuitRecord(current, outcome, checked.data.policy, checked.data.now);
    if (next.failures === 0 && next.openedAt === undefined) states.delete(checked.data.key);
    else states.set(checked.data.key, next);
    return ok({ ...next });
  };
  return {
    recordFailure: (key, policy, now) => record(key, policy, now, 'failure'),
    recordSuccess: (key, policy, now) => record(key, policy, now, 'success'),
    async claimProbe(key, policy, now) {
      const checked = validateCircuitRecord(key, policy, now);
      if (!checked.success) return checked;
      const current = states.get(checked.data.key) ?? { failures: 0 };
      const claim = applyCircuitProbeClaim(current, checked.data.policy, checked.data.now);
      if (claim.snapshot !== current) states.set(checked.data.key, claim.snapshot);
      return ok({ granted: claim.granted, snapshot: { ...claim.snapshot } });
    },
    async releaseProbe(key, probeAt) {
      const checked = validateCircuitRelease(key, probeAt);
      if (!checked.success) return checked;
      const current = states.get(checked.data.key) ?? { failures: 0 };
      const next = applyCircuitProbeRelease(current, checked.data.probeAt);
      if (next !== current) states.set(checked.data.key, next);
      return ok({ ...next });
    },
    async read(key) {
      const checked = validateCircuitKey(key);
      if (!checked.success) return checked;
      return ok({ ...(states.get(checked.data) ?? { failures: 0 }) });
    },
    async reset(key) {
      const checked = validateCircuitKey(key);
      if (!checked.success) return checked;
      states.delete(checked.data);
      return ok({ failures: 0 });
    },
  };
}
