import { type ApiResult, err, IntegrationError, ok } from '@patchbay/core';
import { type EngineContext, scopeOf } from './context.ts';
import { learnFromRemote } from './resolve.ts';

/** What a recovery settled: writes that landed (now mapped) and writes that never did (dropped). */
export interface RecoveryReport {
  recovered: number;
  discarded: number;
}

const PAGE = 1_000;

/**
 * Settles the writes a crash left in flight (the outbox): each is looked up in the remote by external id;
 * the ones it has become mappings, the others are dropped (their records are written again by the next sync).
 * Types are settled in declaration order, parents first.
 */
export async function recoverOutbox(context: EngineContext): Promise<ApiResult<RecoveryReport>> {
  let recovered = 0;
  let discarded = 0;
  for (const type of context.objects.keys()) {
    const scope = scopeOf(context, type);
    // Each round clears what it listed; a store that lists the same entries again would loop forever.
    const seen = new Set<string>();
    for (;;) {
      const pending = await context.store.syncState.outboxList(scope, { limit: PAGE });
      if (!pending.success) return pending;
      if (pending.data.length === 0) break;
      const ids = pending.data.map((entry) => entry.externalId);
      if (ids.some((id) => seen.has(id))) {
        return err(
          new IntegrationError(
            'OPERATION_FAILED',
            'The store listed outbox entries again after they were cleared; recovery stopped',
            // Retryable: a later recovery may pass, and the engine's writes still match what they find.
            { retryable: true },
          ),
        );
      }
      for (const id of ids) seen.add(id);
      const learned = await learnFromRemote(context, type, ids);
      if (!learned.success) return learned;
      const landed = new Set(learned.data.map((mapping) => mapping.externalId));
      const unwritten = ids.filter((id) => !landed.has(id));
      const cleared = await context.store.syncState.outboxDelete(scope, unwritten);
      if (!cleared.success) return cleared;
      recovered += landed.size;
      discarded += unwritten.length;
    }
  }
  return ok({ recovered, discarded });
}
