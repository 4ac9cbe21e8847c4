import { type SeenIdStore, validateSeenIdRequest } from '@patchbay/core/store';
import type { Database } from './database.ts';

// Expired rows removed per call, at most: pruning keeps pace with inserts without one call paying for a backlog.
const PRUNE_BATCH = 100;

/**
 * Webhook replay protection in the store's schema (table `seen_ids`, migration 2), on the database's clock so
 * processes whose clocks disagree still agree on expiry. One statement takes the key: the upsert locks a
 * conflicting row, so of two racers the second re-checks it against the first's committed row and gets no
 * row back. The same statement prunes up to 100 expired rows, skipping rows another call holds.
 */
export function createSeenIds(db: Database): SeenIdStore {
  const { seenIds } = db.tables;
  return {
    async markSeen(key, options) {
      const checked = validateSeenIdRequest(key, options);
      if (!checked.success) return checked;
      const { key: id, ttlMs } = checked.data;
      return db.run('seenIds.markSeen', async (sql) => {
        const rows = await sql<{ fresh: boolean }[]>`
          with pruned as (
            delete from ${seenIds} where key in (
              select key from ${seenIds}
              where expires_at <= clock_timestamp() and key <> ${id}
              limit ${PRUNE_BATCH} for update skip locked))
          insert into ${seenIds} (key, expires_at)
          values (${id}, clock_timestamp() + ${ttlMs} * interval '1 millisecond')
          on conflict (key) do update set expires_at = excluded.expires_at
            where ${seenIds}.expires_at <= clock_timestamp()
          returning true as fresh`;
        return rows.length === 1;
      });
    },
  };
}
