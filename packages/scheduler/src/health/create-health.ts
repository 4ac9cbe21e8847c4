// Health per integration, read from what every process shares: the run log and dead letters (the scheduler),
// the breaker state (a CircuitStateStore) and the rate-limit buckets (a RateLimitStore). Nothing is kept in this
// process, so any instance of an app answers the same snapshot.
import {
  type ApiResult,
  type CircuitPolicy,
  type CircuitState,
  type CircuitStateStore,
  circuitStateAt,
  IntegrationError,
  ok,
  type RateLimitBucket,
  type RateLimitStore,
} from '@patchbay/core';
import type { JobRun, Scheduler } from '../scheduler.ts';
import { DEFAULT_BREAKER_POLICY } from './integration-guard.ts';
import { type RunCounts, runStats } from './run-stats.ts';

/** An integration whose health is watched: its id and the job kinds that work for it. */
export interface HealthIntegration {
  /** e.g. `'twenty'`; also its breaker's key unless `breakerKey` says otherwise. */
  id: string;
  /** A name to show. Default the id. */
  label?: string;
  /** The job kinds (`define` names) of this integration. */
  jobNames: readonly string[];
  /** The breaker's key in the store (as given to `withIntegrationGuard`). Default `id`. */
  breakerKey?: string;
}

/** A rate-limit bucket to report, by the integration it belongs to. */
export interface HealthBucket {
  integration: string;
  /** The bucket's key in the store (the rate limiter's key). */
  key: string;
  bucket: RateLimitBucket;
}

/** Options of {@link createHealth}. */
export interface HealthOptions {
  scheduler: Pick<Scheduler, 'runs'>;
  integrations: readonly HealthIntegration[];
  /** The breakers' shared state and policy (default {@link DEFAULT_BREAKER_POLICY}). */
  breakers?: { store: CircuitStateStore; policy?: CircuitPolicy };
  /** The rate-limit buckets' shared state. */
  rateLimits?: { store: RateLimitStore; buckets: readonly HealthBucket[] };
  /** Window of the error rate. Default one hour. */
  windowMs?: number;
  /** Runs read per job kind. Default 200. */
  runLimit?: number;
  /** Recent runs kept per integration in the snapshot. Default 10. */
  recentRuns?: number;
  /** The clock (epoch ms). Default `Date.now`. */
  now?: () => number;
}

/** A breaker as the store holds it, read at the snapshot's time. */
export interface BreakerHealth {
  state: CircuitState;
  failures: number;
  openedAt: number | null;
  /** When a run may probe again (epoch ms), while open. */
  retryAt: number | null;
}

/** A rate-limit bucket's usage. */
export interface RateLimitHealth {
  key: string;
  tokens: number;
  capacity: number;
  /** Share of the capacity in use, 0 to 1. */
  usage: number;
  blockedUntil: number | null;
}

/** One integration's health. `status`: `down` while its breaker is open, `degraded` with failures within the window. */
export interface IntegrationHealth {
  id: string;
  label: string;
  status: 'ok' | 'degraded' | 'down' | 'unknown';
  breaker: BreakerHealth | null;
  lastSuccessAt: number | null;
  lastFailureAt: number | null;
  errorRate: number | null;
  failuresInWindow: number;
  counts: RunCounts;
  rateLimits: RateLimitHealth[];
  /** The newest runs of its job kinds, newest first. */
  recentRuns: JobRun[];
  /** What could not be read (a store or the run log failing), so a page can say so instead of lying. */
  problems: string[];
}

/** Health of every integration at one time. */
export interface HealthSnapshot {
  at: number;
  windowMs: number;
  integrations: IntegrationHealth[];
}

/** Reads the health of the watched integrations. */
export interface Health {
  /** The integrations' health now; fails only on a wrong option (a store failing is a `problems` entry). */
  snapshot(): Promise<ApiResult<HealthSnapshot>>;
  /** The integrations watched, as given. */
  readonly integrations: readonly HealthIntegration[];
}

/**
 * Creates the health reader of an app's integrations.
 * @example const health = createHealth({ scheduler, integrations: [{ id: 'twenty', jobNames: ['twenty-sync'] }], breakers: { store } });
 * @throws IntegrationError `CONFIG_ERROR` naming the field for a wrong option.
 */
export function createHealth(options: HealthOptions): Health {
  const config = (field: string, message: string) =>
    new IntegrationError('CONFIG_ERROR', `Invalid option: ${field}: ${message}`, { field, retryable: false });
  if (typeof options !== 'object' || options === null) throw config('options', 'must be an object');
  if (typeof options.scheduler?.runs !== 'function') throw config('scheduler', 'must be a scheduler');
  if (!Array.isArray(options.integrations)) throw config('integrations', 'must be an array');
  for (const integration of options.integrations) {
    if (typeof integration?.id !== 'string' || integration.id === '')
      throw config('integrations.id', 'must be a non-empty string');
    if (!Array.isArray(integration.jobNames)) throw config('integrations.jobNames', 'must be an array');
  }
  const windowMs = options.windowMs ?? 3_600_000;
  const runLimit = options.runLimit ?? 200;
  const recent = options.recentRuns ?? 10;
  const now = options.now ?? Date.now;
  const policy = options.breakers?.policy ?? DEFAULT_BREAKER_POLICY;
  const integrations = options.integrations.map((integration) => ({
    ...integration,
    jobNames: [...integration.jobNames],
  }));

  const readBreaker = async (key: string, at: number, problems: string[]): Promise<BreakerHealth | null> => {
    const store = options.breakers?.store;
    if (!store) return null;
    try {
      const read = await store.read(key);
      if (!read.success) {
        problems.push(`breaker: ${read.error.code}`);
        return null;
      }
      const state = circuitStateAt(read.data, policy.cooldownMs, at);
      const openedAt = read.data.openedAt ?? null;
      return {
        state,
        failures: read.data.failures,
        openedAt,
        retryAt: state === 'open' && openedAt !== null ? openedAt + policy.cooldownMs : null,
      };
    } catch {
      problems.push('breaker: the store failed');
      return null;
    }
  };

  const readBuckets = async (id: string, at: number, problems: string[]): Promise<RateLimitHealth[]> => {
    const limits = options.rateLimits;
    if (!limits) return [];
    const out: RateLimitHealth[] = [];
    for (const entry of limits.buckets.filter((bucket) => bucket.integration === id)) {
      try {
        const peeked = await limits.store.peek(entry.key, entry.bucket, at);
        const capacity = entry.bucket.capacity;
        const tokens = Math.max(0, Math.min(capacity, peeked.tokens));
        out.push({
          key: entry.key,
          tokens,
          capacity,
          usage: capacity > 0 ? 1 - tokens / capacity : 0,
          blockedUntil:
            peeked.blockedUntil !== undefined && peeked.blockedUntil > at ? peeked.blockedUntil : null,
        });
      } catch {
        problems.push(`rate limit ${entry.key}: the store failed`);
      }
    }
    return out;
  };

  const readRuns = async (jobNames: readonly string[], problems: string[]): Promise<JobRun[]> => {
    const all: JobRun[] = [];
    for (const name of jobNames) {
      const read = await options.scheduler.runs({ name, limit: runLimit });
      if (read.success) all.push(...read.data);
      else problems.push(`runs of ${name}: ${read.error.code}`);
    }
    return all.sort((a, b) => b.startedAt - a.startedAt);
  };

  const one = async (integration: HealthIntegration, at: number): Promise<IntegrationHealth> => {
    const problems: string[] = [];
    const [breaker, rateLimits, runs] = await Promise.all([
      readBreaker(integration.breakerKey ?? integration.id, at, problems),
      readBuckets(integration.id, at, problems),
      readRuns(integration.jobNames, problems),
    ]);
    const stats = runStats(runs, { now: at, windowMs });
    const finished = stats.counts.succeeded + stats.counts.failed + stats.counts.dead;
    const status: IntegrationHealth['status'] =
      breaker?.state === 'open'
        ? 'down'
        : stats.failuresInWindow > 0 || breaker?.state === 'half-open'
          ? 'degraded'
          : finished === 0 && breaker === null
            ? 'unknown'
            : 'ok';
    return {
      id: integration.id,
      label: integration.label ?? integration.id,
      status,
      breaker,
      lastSuccessAt: stats.lastSuccessAt,
      lastFailureAt: stats.lastFailureAt,
      errorRate: stats.errorRate,
      failuresInWindow: stats.failuresInWindow,
      counts: stats.counts,
      rateLimits,
      recentRuns: runs.slice(0, recent),
      problems,
    };
  };

  return {
    integrations,
    async snapshot() {
      const at = now();
      try {
        const healths = await Promise.all(integrations.map((integration) => one(integration, at)));
        return ok({ at, windowMs, integrations: healths });
      } catch (thrown) {
        return {
          success: false,
          error: new IntegrationError('OPERATION_FAILED', 'Health could not be read', {
            cause: thrown,
            retryable: true,
          }),
        };
      }
    },
  };
}
