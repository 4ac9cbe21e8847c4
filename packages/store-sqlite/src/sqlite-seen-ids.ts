import { ok } from '@patchbay/core';
import { type SeenIdStore, validateSeenIdRequest } from '@patchbay/core/store';
import type { SqliteContext } from './context.ts';
import { inTransaction } from './transaction.ts';

// Expired rows removed per call, at most: pruning keeps pace with inserts without one call paying for a backlog.
const PRUNE_BATCH = 100;

/**
 * Webhook replay protection on the store's SQLite file (table `seen_ids`, migration 2): one statement inserts
 * the key, or takes over its row once expired, so of two processes marking one key exactly one sees it new.
 * Each call also removes up to 100 expired rows.
 */
export function createSqliteSeenIds(ctx: SqliteContext): SeenIdStore {
  return {
    async markSeen(key, options) {
      const checked = validateSeenIdRequest(key, options);
      if (!checked.success) return checked;
      return ctx.attempt('seenIds.markSeen', () => {
        const now = ctx.now();
        const fresh = inTransaction(ctx.db, () => {
          ctx
            .statement(
              `DELETE FROM seen_ids WHERE key IN
                 (SELECT key FROM seen_ids WHERE expires_at <= ? AND key <> ? LIMIT ${PRUNE_BATCH})`,
            )
            .run(now, checked.data.key);
          // A conflicting row is replaced only when expired; `changes` is 1 when the key was (re)taken.
          const { changes } = ctx
            .statement(
              `INSERT INTO seen_ids (key, expires_at) VALUES (?, ?)
               ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE seen_ids.expires_at <= ?`,
            )
            .run(checked.data.key, now + checked.data.ttlMs, now);
          return Number(changes) === 1;
        });
        return ok(fresh);
      });
    },
  };
}
