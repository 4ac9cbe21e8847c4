import {
  type LeaseRow,
  leaseFromRow,
  type SyncStateStore,
  validateLease,
  validateLeaseRenewal,
  validateLeaseRequest,
} from '@patchbay/core/store';
import type { Database } from './database.ts';

/**
 * Leases on the database's clock, so processes on machines whose clocks disagree still agree on expiry.
 * Tokens come from a sequence, zero-padded so they also sort as strings: a larger token is a later holder.
 */
export function createLeases(
  db: Database,
): Pick<SyncStateStore, 'acquireLease' | 'renewLease' | 'releaseLease'> {
  const { leases, leaseTokens } = db.tables;
  return {
    async acquireLease(nameValue, options) {
      const checked = validateLeaseRequest(nameValue, options, { requireOwner: true });
      if (!checked.success) return checked;
      const { name, ttlMs } = checked.data;
      const owner = checked.data.owner as string;
      return db.run('syncState.acquireLease', async (sql) => {
        // The conflicting row is locked by the upsert, so two racers serialize on it; the loser re-checks the
        // WHERE against the winner's committed row, finds it unexpired, and gets no row back. The holder may
        // take its own lease again (a restart under the same owner id): with a new token, so a stale copy of
        // the old lease can no longer renew or release it.
        const [row] = await sql<LeaseRow[]>`
          insert into ${leases} (name, owner, token, expires_at)
          values (${name}, ${owner}, lpad(nextval(${leaseTokens})::text, 20, '0'),
            clock_timestamp() + ${ttlMs} * interval '1 millisecond')
          on conflict (name) do update
            set owner = excluded.owner, token = excluded.token, expires_at = excluded.expires_at
            where ${leases}.expires_at <= clock_timestamp() or ${leases}.owner = excluded.owner
          returning *`;
        return row ? leaseFromRow(row) : null;
      });
    },

    async renewLease(leaseValue, options) {
      const checked = validateLeaseRenewal(leaseValue, options);
      if (!checked.success) return checked;
      const { lease, ttlMs } = checked.data;
      return db.run('syncState.renewLease', async (sql) => {
        // Same token means nobody took it over, even if it lapsed meanwhile: extending it is still safe.
        const [row] = await sql<LeaseRow[]>`
          update ${leases} set expires_at = clock_timestamp() + ${ttlMs} * interval '1 millisecond'
          where name = ${lease.name} and token = ${lease.token}
          returning *`;
        return row ? leaseFromRow(row) : null;
      });
    },

    async releaseLease(leaseValue) {
      const checked = validateLease(leaseValue);
      if (!checked.success) return checked;
      const lease = checked.data;
      return db.run('syncState.releaseLease', async (sql) => {
        await sql`delete from ${leases} where name = ${lease.name} and token = ${lease.token}`;
      });
    },
  };
}
