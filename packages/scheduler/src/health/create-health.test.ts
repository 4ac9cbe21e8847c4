import {
  createMemoryCircuitStateStore,
  createMemoryRateLimitStore,
  err,
  IntegrationError,
  ok,
} from '@patchbay/core';
import { createMemoryStore } from '@patchbay/core/store';
import { afterEach, describe, expect, it } from 'vitest';
import { createScheduler } from '../create-scheduler.ts';
import type { JobRun, Scheduler } from '../scheduler.ts';
import { createHealth } from './create-health.ts';
import { withIntegrationGuard } from './integration-guard.ts';

const NOW = 10_000_000;
const run = (over: Partial<JobRun>): JobRun => ({
  name: 'twenty-sync',
  jobId: 'j',
  scheduleId: null,
  attempt: 1,
  attempts: 3,
  startedAt: NOW - 1000,
  finishedAt: NOW - 900,
  outcome: 'succeeded',
  error: null,
  result: null,
  ...over,
});
const fakeScheduler = (runs: JobRun[]): Pick<Scheduler, 'runs'> => ({
  runs: async (options) => ok(runs.filter((r) => r.name === options?.name).slice(0, options?.limit ?? 50)),
});

describe('createHealth', () => {
  it('reports breaker state, last success, error rate, rate-limit usage and run counts', async () => {
    const breakers = createMemoryCircuitStateStore();
    const policy = { failureThreshold: 5, cooldownMs: 300_000 };
    for (let i = 0; i < 5; i += 1) await breakers.recordFailure('twenty', policy, NOW - 60_000);
    const limits = createMemoryRateLimitStore();
    const bucket = { capacity: 100, refillPerMs: 1e-12 };
    for (let i = 0; i < 25; i += 1) await limits.take('twenty-key', bucket, NOW);
    const health = createHealth({
      scheduler: fakeScheduler([
        run({ jobId: 'a', startedAt: NOW - 5000, finishedAt: NOW - 4000, result: { synced: 7 } }),
        run({ jobId: 'b', outcome: 'failed', error: { code: 'SERVER_ERROR', message: 'x' } }),
        run({ jobId: 'c', outcome: 'dead', startedAt: NOW - 500, finishedAt: NOW - 400 }),
        run({ jobId: 'd', startedAt: NOW - 7_200_000, finishedAt: NOW - 7_100_000 }),
        run({ jobId: 'e', result: { skipped: 'disabled' } }),
        run({ name: 'twenty-full', jobId: 'f', outcome: 'running', finishedAt: null, startedAt: NOW - 100 }),
        run({ name: 'other', jobId: 'g', outcome: 'dead' }),
      ]),
      integrations: [
        { id: 'twenty', jobNames: ['twenty-sync', 'twenty-full'] },
        { id: 'idle', jobNames: [] },
      ],
      breakers: { store: breakers, policy },
      rateLimits: { store: limits, buckets: [{ integration: 'twenty', key: 'twenty-key', bucket }] },
      now: () => NOW,
    });
    const snapshot = await health.snapshot();
    expect(snapshot.success).toBe(true);
    if (!snapshot.success) return;
    const [twenty, idle] = snapshot.data.integrations;
    expect(twenty).toMatchObject({
      id: 'twenty',
      status: 'down',
      breaker: { state: 'open', failures: 5, openedAt: NOW - 60_000, retryAt: NOW + 240_000 },
      lastSuccessAt: NOW - 4000,
      lastFailureAt: NOW - 400,
      counts: { succeeded: 2, failed: 1, dead: 1, running: 1, skipped: 1, interrupted: 0 },
      failuresInWindow: 2,
      rateLimits: [{ key: 'twenty-key', tokens: 75, capacity: 100, usage: 0.25, blockedUntil: null }],
      problems: [],
    });
    // 1 success and 2 failures within the hour; the run two hours ago and the skipped one are left out.
    expect(twenty?.errorRate).toBeCloseTo(2 / 3);
    expect(twenty?.recentRuns.map((r) => r.jobId)).toEqual(['f', 'c', 'b', 'e', 'a', 'd']);
    expect(idle).toMatchObject({ status: 'ok', breaker: { state: 'closed' }, errorRate: null });
  });

  it('says what it could not read instead of failing', async () => {
    const health = createHealth({
      scheduler: { runs: async () => err(new IntegrationError('NETWORK_ERROR', 'redis away')) },
      integrations: [{ id: 'twenty', jobNames: ['twenty-sync'] }],
      breakers: {
        store: { ...createMemoryCircuitStateStore(), read: () => Promise.reject(new Error('x')) },
      },
    });
    const snapshot = await health.snapshot();
    expect(snapshot.success && snapshot.data.integrations[0]?.problems).toEqual([
      'breaker: the store failed',
      'runs of twenty-sync: NETWORK_ERROR',
    ]);
  });

  it('refuses wrong options with a CONFIG_ERROR naming the field', () => {
    expect(() => createHealth({ integrations: [] } as never)).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', field: 'scheduler' }),
    );
    expect(() => createHealth({ scheduler: fakeScheduler([]), integrations: [{ id: '' }] } as never)).toThrow(
      expect.objectContaining({ field: 'integrations.id' }),
    );
  });
});

describe('health on a real scheduler (embedded)', () => {
  const open: Scheduler[] = [];
  afterEach(async () => {
    for (const scheduler of open.splice(0)) await scheduler.close();
  });

  it('sees a guarded job skipped for a disabled tenant and a synced one counted', async () => {
    const scheduler = createScheduler({ store: createMemoryStore(), pollIntervalMs: 10 });
    open.push(scheduler);
    const store = createMemoryCircuitStateStore();
    scheduler.define(
      'twenty-sync',
      withIntegrationGuard(() => ({ synced: 4 }), {
        integration: 'twenty',
        isEnabled: (tenant) => tenant !== 'off',
        breaker: { store },
      }),
    );
    await scheduler.enqueue('twenty-sync', { tenant: 'off' });
    await scheduler.enqueue('twenty-sync', { tenant: 'on' });
    const health = createHealth({
      scheduler,
      integrations: [{ id: 'twenty', jobNames: ['twenty-sync'] }],
      breakers: { store },
    });
    await expect
      .poll(async () => {
        const snapshot = await health.snapshot();
        return snapshot.success ? snapshot.data.integrations[0]?.counts : null;
      })
      .toMatchObject({ succeeded: 1, skipped: 1 });
  });
});
