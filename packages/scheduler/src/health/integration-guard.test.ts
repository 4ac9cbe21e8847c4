import { createMemoryCircuitStateStore, err, IntegrationError, unwrap } from '@patchbay/core';
import { describe, expect, it, vi } from 'vitest';
import type { JobContext } from '../scheduler.ts';
import { withIntegrationGuard } from './integration-guard.ts';

const job = (data: unknown = { tenant: 'acme' }): JobContext<never> =>
  ({
    id: 'j1',
    name: 'sync',
    data,
    attempt: 1,
    attempts: 3,
    scheduleId: null,
    scheduledAt: null,
    signal: new AbortController().signal,
  }) as JobContext<never>;

describe('withIntegrationGuard', () => {
  it('skips a disabled tenant without calling the handler', async () => {
    const handler = vi.fn(() => ({ synced: 1 }));
    const isEnabled = vi.fn((tenant: string | null) => tenant !== 'acme');
    const guarded = withIntegrationGuard(handler, { integration: 'twenty', isEnabled });
    expect(await guarded(job())).toEqual({ skipped: 'disabled', integration: 'twenty' });
    expect(handler).not.toHaveBeenCalled();
    expect(isEnabled).toHaveBeenCalledWith('acme', expect.anything());
    expect(await guarded(job({ tenant: 'other' }))).toEqual({ synced: 1 });
  });

  it('treats a switch that throws or rejects as off', async () => {
    const handler = vi.fn();
    const throwing = withIntegrationGuard(handler, {
      integration: 'x',
      isEnabled: () => {
        throw new Error('db down');
      },
    });
    const rejecting = withIntegrationGuard(handler, {
      integration: 'x',
      isEnabled: () => Promise.reject(new Error('db down')),
    });
    expect(await throwing(job())).toMatchObject({ skipped: 'disabled' });
    expect(await rejecting(job())).toMatchObject({ skipped: 'disabled' });
    expect(handler).not.toHaveBeenCalled();
  });

  it('opens after 5 consecutive failures, skips for 5 minutes, then probes and closes', async () => {
    const store = createMemoryCircuitStateStore();
    let clock = 1_000_000;
    let fail = true;
    const handler = vi.fn(async () => {
      if (fail) throw new Error('boom');
      return { synced: 3 };
    });
    const guarded = withIntegrationGuard(handler, {
      integration: 'twenty',
      breaker: { store },
      now: () => clock,
    });
    for (let i = 0; i < 5; i += 1) await expect(guarded(job())).rejects.toThrow('boom');
    expect(unwrap(await store.read('twenty'))).toMatchObject({ failures: 5, openedAt: clock });
    expect(await guarded(job())).toEqual({ skipped: 'circuit-open', integration: 'twenty' });
    expect(handler).toHaveBeenCalledTimes(5);
    clock += 299_999;
    expect(await guarded(job())).toMatchObject({ skipped: 'circuit-open' });
    clock += 1;
    fail = false;
    expect(await guarded(job())).toEqual({ synced: 3 });
    expect(unwrap(await store.read('twenty'))).toEqual({ failures: 0 });
  });

  it('counts a failed ApiResult as a failure and passes it on unchanged', async () => {
    const store = createMemoryCircuitStateStore();
    const failed = err(new IntegrationError('SERVER_ERROR', 'upstream 500'));
    const guarded = withIntegrationGuard(() => failed, { integration: 'i', breaker: { store, key: 'k' } });
    expect(await guarded(job())).toBe(failed);
    expect(unwrap(await store.read('k'))).toEqual({ failures: 1 });
  });

  it('a success resets the count; a run stopped by close() is not counted', async () => {
    const store = createMemoryCircuitStateStore();
    let outcome: 'ok' | 'fail' = 'fail';
    const guarded = withIntegrationGuard(
      () => {
        if (outcome === 'fail') throw new Error('x');
        return 1;
      },
      { integration: 'i', breaker: { store } },
    );
    await expect(guarded(job())).rejects.toThrow();
    outcome = 'ok';
    await guarded(job());
    expect(unwrap(await store.read('i'))).toEqual({ failures: 0 });
    outcome = 'fail';
    const controller = new AbortController();
    controller.abort();
    await expect(guarded({ ...job(), signal: controller.signal })).rejects.toThrow();
    expect(unwrap(await store.read('i'))).toEqual({ failures: 0 });
  });

  it('after the cooldown lets one run probe across processes; the others skip until it answers', async () => {
    const store = createMemoryCircuitStateStore();
    let clock = 1_000_000;
    let finish: (value: { synced: number }) => void = () => {};
    const handler = vi.fn(
      () =>
        new Promise<{ synced: number }>((resolve) => {
          finish = resolve;
        }),
    );
    // Two processes: two guards over one shared store.
    const guards = [1, 2].map(() =>
      withIntegrationGuard(handler, { integration: 'crm', breaker: { store }, now: () => clock }),
    );
    for (let i = 0; i < 5; i += 1)
      await store.recordFailure('crm', { failureThreshold: 5, cooldownMs: 300_000 }, clock);
    clock += 300_000;
    const probe = guards[0]?.(job());
    await vi.waitFor(() => expect(handler).toHaveBeenCalledTimes(1));
    expect(await guards[1]?.(job())).toEqual({ skipped: 'circuit-open', integration: 'crm' });
    expect(await guards[0]?.(job())).toEqual({ skipped: 'circuit-open', integration: 'crm' });
    finish({ synced: 2 });
    expect(await probe).toEqual({ synced: 2 });
    expect(unwrap(await store.read('crm'))).toEqual({ failures: 0 });
    const next = guards[1]?.(job());
    await vi.waitFor(() => expect(handler).toHaveBeenCalledTimes(2));
    finish({ synced: 4 });
    expect(await next).toEqual({ synced: 4 });
  });

  it('hands the probe back when the probing run is stopped by close()', async () => {
    const store = createMemoryCircuitStateStore();
    const policy = { failureThreshold: 5, cooldownMs: 300_000 };
    let clock = 1_000_000;
    const guarded = withIntegrationGuard(() => Promise.reject(new Error('closed')), {
      integration: 'crm',
      breaker: { store },
      now: () => clock,
    });
    for (let i = 0; i < 5; i += 1) await store.recordFailure('crm', policy, clock);
    clock += 300_000;
    const controller = new AbortController();
    controller.abort();
    await expect(guarded({ ...job(), signal: controller.signal })).rejects.toThrow('closed');
    expect(unwrap(await store.read('crm'))).toEqual({ failures: 5, openedAt: 1_000_000 });
    expect(unwrap(await store.claimProbe('crm', policy, clock)).granted).toBe(true);
  });

  it('runs as a closed breaker would when the store throws or fails', async () => {
    const failing = createMemoryCircuitStateStore();
    const broken = {
      ...failing,
      claimProbe: () => {
        throw new Error('redis down');
      },
      recordSuccess: () => Promise.reject(new Error('redis down')),
    };
    const guarded = withIntegrationGuard(() => ({ synced: 1 }), {
      integration: 'crm',
      breaker: { store: broken },
    });
    expect(await guarded(job())).toEqual({ synced: 1 });
  });
});
