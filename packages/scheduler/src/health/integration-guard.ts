// The per-tenant switch and the circuit breaker, checked before any job of an integration runs. A tenant whose
// integration is switched off, or an integration whose breaker is open, ends its job at once with a result
// saying so (`{ skipped: 'disabled' | 'circuit-open' }`): the queue sees a success, so a switched-off tenant
// neither fills the dead letters nor counts towards alerts, and the next tick tries again. The breaker's state
// lives in a CircuitStateStore so every process sees the same one (seed 003: 5 consecutive failures open it,
// after 5 minutes one run, in whichever process claims it first, probes again while the others keep skipping).
import type { CircuitPolicy, CircuitStateStore, JsonValue } from '@patchbay/core';
import type { JobContext, JobHandler } from '../scheduler.ts';

/** Seed 003's breaker: 5 consecutive failures disable the integration, which is retried after 5 minutes. */
export const DEFAULT_BREAKER_POLICY: CircuitPolicy = Object.freeze({
  failureThreshold: 5,
  cooldownMs: 300_000,
});

/** Where an integration's breaker lives and how it trips. */
export interface GuardBreaker {
  /** Shared state (core's memory store in one process, a Redis one across processes). */
  store: CircuitStateStore;
  /** Default {@link DEFAULT_BREAKER_POLICY}. */
  policy?: CircuitPolicy;
  /** The breaker's key in the store. Default the integration's id (what `createHealth` reads). */
  key?: string;
}

/** Options of {@link withIntegrationGuard}. */
export interface IntegrationGuardOptions<Data> {
  /** The integration's id, e.g. `'twenty'`. */
  integration: string;
  /**
   * Whether the tenant's integration is on; `tenant` is {@link IntegrationGuardOptions.tenantOf}'s answer. A
   * throw or rejection counts as off: when in doubt, a switched-off tenant must not be synced.
   */
  isEnabled?: (tenant: string | null, job: JobContext<Data>) => boolean | Promise<boolean>;
  /** The job's tenant. Default the job data's `tenant` string, else null. */
  tenantOf?: (job: JobContext<Data>) => string | null;
  /** The breaker; without it only the switch is checked. */
  breaker?: GuardBreaker;
  /** The clock (epoch ms). Default `Date.now`. */
  now?: () => number;
}

const defaultTenantOf = (job: JobContext<unknown>): string | null => {
  const data = job.data;
  if (typeof data !== 'object' || data === null) return null;
  const tenant = (data as { tenant?: unknown }).tenant;
  return typeof tenant === 'string' ? tenant : null;
};

/**
 * Wraps a job handler with the per-tenant switch and the integration's breaker: a disabled tenant's job, or any
 * job while the breaker is open, returns `{ skipped: … }` without calling `handler`; otherwise the handler runs
 * and its outcome is recorded in the breaker (a failure is passed on unchanged, so retries and dead letters work
 * as without the guard).
 * @example scheduler.define('twenty-sync', withIntegrationGuard(sync, { integration: 'twenty', isEnabled, breaker: { store } }));
 */
export function withIntegrationGuard<Data = JsonValue>(
  handler: JobHandler<Data>,
  options: IntegrationGuardOptions<Data>,
): JobHandler<Data> {
  const { integration, isEnabled, breaker } = options;
  const tenantOf = options.tenantOf ?? (defaultTenantOf as (job: JobContext<Data>) => string | null);
  const now = options.now ?? Date.now;
  const policy = breaker?.policy ?? DEFAULT_BREAKER_POLICY;
  const key = breaker?.key ?? integration;

  const enabled = async (job: JobContext<Data>): Promise<boolean> => {
    if (!isEnabled) return true;
    try {
      return (await isEnabled(tenantOf(job), job)) === true;
    } catch {
      return false;
    }
  };

  // A store that cannot answer does not stop the work: the breaker protects the API, not the store.
  const record = async (outcome: 'success' | 'failure'): Promise<void> => {
    if (!breaker) return;
    try {
      if (outcome === 'success') await breaker.store.recordSuccess(key, policy, now());
      else await breaker.store.recordFailure(key, policy, now());
    } catch {
      // A store is not supposed to reject; one that does is ignored rather than failing the job.
    }
  };

  const release = async (probeAt: number): Promise<void> => {
    try {
      await breaker?.store.releaseProbe(key, probeAt);
    } catch {
      // The claim lapses after one cooldown anyway.
    }
  };

  // Open: skip. Past the cooldown: only the run that claims the fleet's one probe goes, the others skip until its
  // outcome is recorded. `probeAt` is the claim to hand back when the run ends without a verdict.
  const admit = async (): Promise<{ admitted: boolean; probeAt?: number }> => {
    if (!breaker) return { admitted: true };
    try {
      const claim = await breaker.store.claimProbe(key, policy, now());
      if (!claim.success) return { admitted: true };
      if (!claim.data.granted) return { admitted: false };
      return { admitted: true, probeAt: claim.data.snapshot.probeAt };
    } catch {
      // Unreadable state: run, as a closed breaker would.
      return { admitted: true };
    }
  };

  return async (job) => {
    if (!(await enabled(job))) return { skipped: 'disabled', integration };
    const admission = await admit();
    if (!admission.admitted) return { skipped: 'circuit-open', integration };
    let value: unknown;
    try {
      value = await handler(job);
    } catch (thrown) {
      // A run stopped by close() says nothing about the integration; its probe, if it held one, goes back.
      if (!job.signal.aborted) await record('failure');
      else if (admission.probeAt !== undefined) await release(admission.probeAt);
      throw thrown;
    }
    await record(isFailedResult(value) ? 'failure' : 'success');
    return value;
  };
}

function isFailedResult(value: unknown): boolean {
  try {
    return typeof value === 'object' && value !== null && (value as { success?: unknown }).success === false;
  } catch {
    return false;
  }
}
