import { expect, it } from 'vitest';
import { describePostgres, useFreshStores } from '../test-support/postgres.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describePostgres('leases', () => {
  const { open } = useFreshStores();

  it('gives a free lease, refuses it to another owner while held', async () => {
    const store = open();
    const lease = await store.syncState.acquireLease('sync', { owner: 'a', ttlMs: 10_000 });
    expect(lease).toMatchObject({ success: true, data: { name: 'sync', owner: 'a' } });
    if (lease.success && lease.data) {
      expect(lease.data.expiresAt - Date.now()).toBeGreaterThan(5_000);
    }
    expect(await store.syncState.acquireLease('sync', { owner: 'b', ttlMs: 10_000 })).toEqual({
      success: true,
      data: null,
    });
    // Another name is another lease.
    expect(await store.syncState.acquireLease('other', { owner: 'b', ttlMs: 10_000 })).toMatchObject({
      success: true,
      data: { owner: 'b' },
    });
  });

  it('hands a lapsed lease to the next owner with a new, larger fencing token', async () => {
    const store = open();
    const first = await store.syncState.acquireLease('sync', { owner: 'a', ttlMs: 50 });
    await sleep(80);
    const second = await store.syncState.acquireLease('sync', { owner: 'b', ttlMs: 10_000 });
    expect(second).toMatchObject({ success: true, data: { owner: 'b' } });
    if (!first.success || !first.data || !second.success || !second.data) throw new Error('no lease');
    expect(second.data.token).not.toBe(first.data.token);
    expect(second.data.token > first.data.token).toBe(true);
    // The old holder has lost it: it can neither renew nor release it.
    expect(await store.syncState.renewLease(first.data, { ttlMs: 10_000 })).toEqual({
      success: true,
      data: null,
    });
    await store.syncState.releaseLease(first.data);
    expect(await store.syncState.acquireLease('sync', { owner: 'c', ttlMs: 10_000 })).toEqual({
      success: true,
      data: null,
    });
  });

  it('renews a held lease and releases it for the next owner', async () => {
    const store = open();
    const lease = await store.syncState.acquireLease('sync', { owner: 'a', ttlMs: 1_000 });
    if (!lease.success || !lease.data) throw new Error('no lease');
    const renewed = await store.syncState.renewLease(lease.data, { ttlMs: 60_000 });
    expect(renewed).toMatchObject({ success: true, data: { token: lease.data.token, owner: 'a' } });
    if (renewed.success && renewed.data) expect(renewed.data.expiresAt).toBeGreaterThan(lease.data.expiresAt);
    expect(await store.syncState.releaseLease(lease.data)).toEqual({ success: true, data: undefined });
    expect(await store.syncState.acquireLease('sync', { owner: 'b', ttlMs: 1_000 })).toMatchObject({
      success: true,
      data: { owner: 'b' },
    });
  });

  it('lets the holder take its own lease again, with a new token that fences off the old copy', async () => {
    const store = open();
    const first = await store.syncState.acquireLease('sync', { owner: 'a', ttlMs: 10_000 });
    const again = await store.syncState.acquireLease('sync', { owner: 'a', ttlMs: 10_000 });
    if (!first.success || !first.data || !again.success || !again.data) throw new Error('no lease');
    expect(again.data.token).not.toBe(first.data.token);
    expect(await store.syncState.renewLease(first.data, { ttlMs: 1_000 })).toEqual({
      success: true,
      data: null,
    });
  });

  it('gives exactly one of many concurrent acquirers the lease', async () => {
    const store = open({ poolSize: 8 });
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        store.syncState.acquireLease('sync', { owner: `w${i}`, ttlMs: 10_000 }),
      ),
    );
    expect(results.every((r) => r.success)).toBe(true);
    expect(results.filter((r) => r.success && r.data !== null)).toHaveLength(1);
  });

  it('rejects a ttl that is not a positive integer', async () => {
    const store = open();
    expect(await store.syncState.acquireLease('sync', { owner: 'a', ttlMs: 0 })).toMatchObject({
      success: false,
      error: { code: 'VALIDATION_ERROR', field: 'ttlMs' },
    });
  });
});
