import { type ApiResult, err, IntegrationError } from '@patchbay/core';
import type { IntegrationStore, Lease } from '@patchbay/core/store';

/** How the engine takes its lease; `false` in the engine's options skips it. */
export interface SyncLeaseOptions {
  /** How long the lease holds without renewal. Default 30 000 ms (renewed every third of it). */
  ttlMs?: number;
  /** How long to wait for another worker to release it. Default 120 000 ms. */
  waitMs?: number;
  /** Who holds it; a restarted worker with the same owner takes it back at once. Default a random id. */
  owner?: string;
}

const POLL_MS = 200;

/**
 * Runs `run` while holding the named lease, so two workers never run the same sync at once; `leaseLost()`
 * turns true when another worker took the lease over (this one then stops starting new chunks). A lease held
 * elsewhere past `waitMs` is a retryable `CONFLICT`.
 */
export async function withLease<T>(
  store: IntegrationStore,
  name: string,
  options: SyncLeaseOptions | false,
  run: (leaseLost: () => boolean) => Promise<ApiResult<T>>,
): Promise<ApiResult<T>> {
  if (options === false) return run(() => false);
  const ttlMs = options.ttlMs ?? 30_000;
  const owner = options.owner ?? crypto.randomUUID();
  const deadline = Date.now() + (options.waitMs ?? 120_000);
  let held = await store.syncState.acquireLease(name, { owner, ttlMs });
  while (held.success && held.data === null && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    held = await store.syncState.acquireLease(name, { owner, ttlMs });
  }
  if (!held.success) return held;
  if (held.data === null) {
    return err(new IntegrationError('CONFLICT', 'Another worker holds the sync lease', { retryable: true }));
  }
  let current: Lease = held.data;
  let lost = false;
  // The store is guarded: a renewal that fails resolves to a failure, never an unhandled rejection here.
  const renew = setInterval(
    async () => {
      const renewed = await store.syncState.renewLease(current, { ttlMs });
      if (renewed.success && renewed.data) current = renewed.data;
      else if (renewed.success) lost = true;
    },
    Math.max(1_000, ttlMs / 3),
  );
  try {
    return await run(() => lost);
  } finally {
    clearInterval(renew);
    await store.syncState.releaseLease(current);
  }
}
