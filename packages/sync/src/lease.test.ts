import { err, IntegrationError, ok } from '@patchbay/core';
import { createMemoryStore } from '@patchbay/core/store';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Company, companies, INTEGRATION, remoteIds, setup, unwrap } from '../test-support/fixtures.ts';
import { withLease } from './lease.ts';
import { createMemoryRemote } from './testing/memory-remote.ts';

const LEASE = `${INTEGRATION}:sync`;

afterEach(() => {
  vi.useRealTimers();
});

describe('withLease', () => {
  it('holds the lease while running and releases it afterwards', async () => {
    const store = createMemoryStore();
    const result = await withLease(store, 'job', { owner: 'me' }, async (leaseLost) => {
      expect(leaseLost()).toBe(false);
      expect(unwrap(await store.syncState.acquireLease('job', { owner: 'other', ttlMs: 5_000 }))).toBeNull();
      return ok('done');
    });
    expect(unwrap(result)).toBe('done');
    expect(
      unwrap(await store.syncState.acquireLease('job', { owner: 'other', ttlMs: 5_000 })),
    ).not.toBeNull();
  });

  it('releases the lease when the run throws', async () => {
    const store = createMemoryStore();
    await expect(
      withLease(store, 'job', {}, async () => {
        throw new Error('bug');
      }),
    ).rejects.toThrow('bug');
    expect(
      unwrap(await store.syncState.acquireLease('job', { owner: 'other', ttlMs: 5_000 })),
    ).not.toBeNull();
  });

  it('renews the lease every third of its ttl, and notices when another worker took it over', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let clock = 1_000_000;
    const store = createMemoryStore({ now: () => clock });
    const renew = vi.spyOn(store.syncState, 'renewLease');
    const result = await withLease(store, 'job', { ttlMs: 6_000 }, async (leaseLost) => {
      clock += 2_000;
      await vi.advanceTimersByTimeAsync(2_000);
      await vi.waitFor(() => expect(renew).toHaveBeenCalledTimes(1));
      // Renewed: 7 s later it is still held, though 6 s was its ttl.
      clock += 5_000;
      expect(unwrap(await store.syncState.acquireLease('job', { owner: 'thief', ttlMs: 6_000 }))).toBeNull();
      expect(leaseLost()).toBe(false);
      // Left to lapse, then taken over: the next renewal finds it gone.
      clock += 7_000;
      expect(
        unwrap(await store.syncState.acquireLease('job', { owner: 'thief', ttlMs: 60_000 })),
      ).not.toBeNull();
      await vi.advanceTimersByTimeAsync(2_000);
      await vi.waitFor(() => expect(leaseLost()).toBe(true));
      return ok('stopped');
    });
    expect(unwrap(result)).toBe('stopped');
    // Releasing a lease it lost leaves the new holder's alone.
    expect(unwrap(await store.syncState.acquireLease('job', { owner: 'third', ttlMs: 1_000 }))).toBeNull();
  });

  it('does not count a renewal the store failed to answer as a lost lease', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const store = createMemoryStore();
    const renew = vi
      .spyOn(store.syncState, 'renewLease')
      .mockResolvedValue(
        err(new IntegrationError('OPERATION_FAILED', 'database is locked', { retryable: true })),
      );
    await withLease(store, 'job', { ttlMs: 3_000 }, async (leaseLost) => {
      await vi.advanceTimersByTimeAsync(1_000);
      await vi.waitFor(() => expect(renew).toHaveBeenCalled());
      expect(leaseLost()).toBe(false);
      return ok(undefined);
    });
  });

  it('answers the store failure when the lease cannot be asked for', async () => {
    const store = createMemoryStore();
    vi.spyOn(store.syncState, 'acquireLease').mockResolvedValue(
      err(new IntegrationError('OPERATION_FAILED', 'database is locked', { retryable: true })),
    );
    const run = vi.fn(async () => ok(1));
    const result = await withLease(store, 'job', {}, run);
    expect(result.success || result.error).toMatchObject({ message: 'database is locked' });
    expect(run).not.toHaveBeenCalled();
  });

  it('lets a restarted worker with the same owner take its lease back at once', async () => {
    const store = createMemoryStore();
    unwrap(await store.syncState.acquireLease('job', { owner: 'worker-1', ttlMs: 60_000 }));
    const result = await withLease(store, 'job', { owner: 'worker-1', waitMs: 0 }, async () => ok('mine'));
    expect(unwrap(result)).toBe('mine');
  });
});

describe('the lease in the engine', () => {
  it('lets two engines on one store take turns: one syncs, the other waits and finds everything synced', async () => {
    const store = createMemoryStore();
    const remote = createMemoryRemote({ maxBatchSize: 10 });
    const a = setup({ store, remote });
    const b = setup({ store, remote });
    const [first, second] = await Promise.all([
      a.engine.upsertMany('company', companies(60)),
      b.engine.upsertMany('company', companies(60)),
    ]);
    const reports = [unwrap(first), unwrap(second)].sort((x, y) => y.created - x.created);
    expect(reports[0]).toMatchObject({ created: 60, unchanged: 0, failed: 0 });
    expect(reports[1]).toMatchObject({ created: 0, updated: 0, unchanged: 60, failed: 0 });
    expect(remoteIds(remote, 'company').size).toBe(60);
    const runs = unwrap(await store.syncState.listRuns(`${INTEGRATION}:company`));
    const [earlier, later] = [...runs].sort((x, y) => x.startedAt - y.startedAt);
    expect(later!.startedAt).toBeGreaterThanOrEqual(earlier!.finishedAt!);
  });

  it('answers a retryable CONFLICT once waitMs has passed, having synced and read nothing', async () => {
    const store = createMemoryStore();
    unwrap(await store.syncState.acquireLease(LEASE, { owner: 'other-worker', ttlMs: 60_000 }));
    const { engine, remote } = setup({ store, lease: { waitMs: 300 } });
    let returned = 0;
    let pulled = 0;
    const records: Iterable<Company> = {
      [Symbol.iterator]: () => ({
        next: () => {
          pulled++;
          return { done: false, value: companies(1)[0]! };
        },
        return: () => {
          returned++;
          return { done: true, value: undefined };
        },
      }),
    };
    const started = Date.now();
    const result = await engine.upsertMany('company', records);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(result.success || result.error).toMatchObject({ code: 'CONFLICT', retryable: true });
    expect(pulled).toBe(0);
    expect(returned).toBe(1);
    expect(remote.calls).toEqual({ find: 0, upsert: 0, create: 0, update: 0 });
    expect(unwrap(await store.syncState.listRuns(`${INTEGRATION}:company`))).toEqual([]);
    const recovered = await engine.recover();
    expect(recovered.success || recovered.error).toMatchObject({ code: 'CONFLICT', retryable: true });
  });

  it('stops starting chunks once the lease is lost, closes the source and fails the run with CONFLICT', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let clock = 1_000_000;
    const store = createMemoryStore({ now: () => clock });
    const remote = createMemoryRemote({ maxBatchSize: 10 });
    const { engine } = setup({ store, remote, concurrency: 1, lease: { ttlMs: 3_000 } });
    let pulled = 0;
    let closed = false;
    async function* records() {
      try {
        for (const record of companies(100)) {
          if (pulled === 10) {
            // Paused past its ttl (a long GC, a frozen VM): another worker takes the lease over.
            clock += 10_000;
            unwrap(await store.syncState.acquireLease(LEASE, { owner: 'thief', ttlMs: 60_000 }));
            await vi.advanceTimersByTimeAsync(1_000);
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
          pulled++;
          yield record;
        }
      } finally {
        closed = true;
      }
    }
    const result = await engine.upsertMany('company', records());
    expect(result.success || result.error).toMatchObject({ code: 'CONFLICT', retryable: true });
    // The chunk already read when the loss was noticed is synced; nothing after it is read.
    expect(pulled).toBe(20);
    expect(closed).toBe(true);
    expect(remoteIds(remote, 'company').size).toBe(20);
    const [run] = unwrap(await store.syncState.listRuns(`${INTEGRATION}:company`));
    expect(run).toMatchObject({ status: 'failed', counts: { created: 20 }, lastErrorCode: 'CONFLICT' });
  });

  it('takes no lease with lease: false, even while another worker holds it', async () => {
    const store = createMemoryStore();
    unwrap(await store.syncState.acquireLease(LEASE, { owner: 'other-worker', ttlMs: 60_000 }));
    const acquire = vi.spyOn(store.syncState, 'acquireLease');
    const { engine } = setup({ store, lease: false });
    expect(unwrap(await engine.upsertMany('company', companies(3)))).toMatchObject({ created: 3 });
    expect(unwrap(await engine.recover())).toEqual({ recovered: 0, discarded: 0 });
    expect(acquire).not.toHaveBeenCalled();
  });
});
