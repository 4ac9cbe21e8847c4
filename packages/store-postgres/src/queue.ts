import {
  type QueueMessage,
  type QueueStore,
  validateQueueClaim,
  validateQueueEnqueue,
  validateQueueIds,
  validateQueueName,
  validateQueueRelease,
} from '@patchbay/core/store';
import { textArrayLiteral } from './array-literal.ts';
import type { Database } from './database.ts';

interface ClaimedRow {
  seq: string;
  id: string;
  payload: string;
  enqueued_at: Date;
  attempts: number;
}

interface StatsRow {
  count: number;
  bytes: number;
  claimed: number;
  oldest: Date | null;
}

/**
 * Durable message queues in the store's schema (table `queue_messages`, migration 4), on the database's clock so
 * processes whose clocks disagree still agree on leases and delays. Every call is one statement: an enqueue
 * inserts its whole batch at once (all or none, `on conflict do nothing`), and a claim locks the oldest
 * available rows with `for update skip locked` and updates them in the same statement, so concurrent claims
 * from any number of connections never get the same message and never wait for each other.
 */
export function createQueue(db: Database): QueueStore {
  const { tables } = db;
  const table = tables.queueMessages;
  return {
    async enqueue(queue, messages) {
      const checked = validateQueueEnqueue(queue, messages);
      if (!checked.success) return checked;
      const { queue: name, messages: batch } = checked.data;
      return db.run('queue.enqueue', async (sql) => {
        if (batch.length === 0) return { added: 0 };
        const ids: string[] = [];
        const payloads: string[] = [];
        for (const message of batch) {
          ids.push(message.id);
          payloads.push(message.payload);
        }
        // One multi-row insert of any size (two array parameters). `seq` is drawn in the caller's order, then
        // the rows are inserted in id order, so two processes enqueueing overlapping batches wait for each
        // other's ids in the same order and never deadlock. The server measures each payload's UTF-8 bytes.
        const [row] = await sql<{ added: number }[]>`
          with now as (select clock_timestamp() as at),
          numbered as (
            select u.id, u.payload, nextval(${tables.queueSeq}::regclass) as seq
            from unnest(${textArrayLiteral(ids)}::text[], ${textArrayLiteral(payloads)}::text[])
              with ordinality as u(id, payload, n)
            order by u.n),
          added as (
            insert into ${table} (queue, id, seq, payload, bytes, enqueued_at, available_at)
            overriding system value
            select ${name}, numbered.id, numbered.seq, numbered.payload, octet_length(numbered.payload),
              now.at, now.at
            from numbered, now
            order by numbered.id collate "C"
            on conflict (queue, id) do nothing
            returning 1)
          select count(*)::int as added from added`;
        return { added: row?.added ?? 0 };
      });
    },

    async claim(queue, options) {
      const checked = validateQueueClaim(queue, options);
      if (!checked.success) return checked;
      const { queue: name, owner, limit, leaseMs, maxBytes } = checked.data;
      return db.run('queue.claim', async (sql) => {
        // The oldest available rows up to the limit, locked (rows another claim holds are skipped, not waited
        // for; a row claimed meanwhile fails the re-check of `available_at`), then the prefix of them within
        // `maxBytes` (the first always), claimed by the same statement. The update finds them by `ctid`, which
        // the row lock keeps stable until the statement ends: a TID scan whatever the planner thinks of the
        // table's size (a join on `seq` was planned as a scan of the whole queue).
        const rows = await sql<ClaimedRow[]>`
          with now as (select clock_timestamp() as at),
          picked as (
            select ctid, seq, bytes from ${table}
            where queue = ${name} and available_at <= (select at from now)
            order by seq limit ${limit}
            for update skip locked),
          bounded as (
            select ctid from (
              select ctid, row_number() over w as n, sum(bytes) over w as running
              from picked window w as (order by seq rows unbounded preceding)) as sums
            where n = 1 or ${maxBytes}::bigint is null or running <= ${maxBytes}::bigint)
          update ${table} as m
          set owner = ${owner}, attempts = m.attempts + 1,
            available_at = (select at from now) + ${leaseMs} * interval '1 millisecond'
          where m.ctid = any(array(select ctid from bounded))
          returning m.seq::text as seq, m.id, m.payload, m.enqueued_at, m.attempts`;
        // RETURNING gives rows in no promised order: back to enqueue order.
        const sorted = [...rows].sort((a, b) => compareSeq(a.seq, b.seq));
        return sorted.map(
          (row): QueueMessage => ({
            id: row.id,
            payload: row.payload,
            enqueuedAt: row.enqueued_at.getTime(),
            attempts: row.attempts,
          }),
        );
      });
    },

    async ack(queue, ids) {
      const checked = validateQueueIds(queue, ids);
      if (!checked.success) return checked;
      const { queue: name, ids: list } = checked.data;
      return db.run('queue.ack', async (sql) => {
        if (list.length === 0) return { deleted: 0 };
        // Joined to the ids, so each is one lookup in the primary key however stale the table's statistics (a
        // filter `id = any(…)` was planned as a walk of the whole queue).
        const result = await sql`
          delete from ${table} as m using unnest(${textArrayLiteral(list)}::text[]) as u(id)
          where m.queue = ${name} and m.id = u.id`;
        return { deleted: result.count };
      });
    },

    async has(queue, ids) {
      const checked = validateQueueIds(queue, ids);
      if (!checked.success) return checked;
      const { queue: name, ids: list } = checked.data;
      return db.run('queue.has', async (sql) => {
        if (list.length === 0) return [];
        // Joined to the ids as ack is: one primary-key lookup each.
        const rows = await sql<{ id: string }[]>`
          select m.id from ${table} as m join unnest(${textArrayLiteral(list)}::text[]) as u(id) on m.id = u.id
          where m.queue = ${name}`;
        const held = new Set(rows.map((row) => row.id));
        return list.filter((id) => held.has(id));
      });
    },

    async release(queue, ids, options) {
      const checked = validateQueueRelease(queue, ids, options);
      if (!checked.success) return checked;
      const { queue: name, ids: list, delayMs, owner } = checked.data;
      return db.run('queue.release', async (sql) => {
        if (list.length === 0) return;
        // Only messages under a claim (live or lapsed), and with `owner` only that owner's.
        await sql`
          update ${table} as m
          set owner = null, available_at = clock_timestamp() + ${delayMs} * interval '1 millisecond'
          from unnest(${textArrayLiteral(list)}::text[]) as u(id)
          where m.queue = ${name} and m.id = u.id and m.owner is not null
            and (${owner}::text is null or m.owner = ${owner}::text)`;
      });
    },

    async stats(queue) {
      const checked = validateQueueName(queue);
      if (!checked.success) return checked;
      const name = checked.data;
      return db.run('queue.stats', async (sql) => {
        const [row] = await sql<StatsRow[]>`
          select count(*)::int as count, coalesce(sum(bytes), 0)::float8 as bytes,
            (count(*) filter (where owner is not null and available_at > (select clock_timestamp())))::int
              as claimed,
            min(enqueued_at) as oldest
          from ${table} where queue = ${name}`;
        return {
          count: row?.count ?? 0,
          bytes: row?.bytes ?? 0,
          claimed: row?.claimed ?? 0,
          oldestEnqueuedAt: row?.oldest ? row.oldest.getTime() : null,
        };
      });
    },
  };
}

// `seq` comes back as text (a bigint): compare by length first, then as text, which is numeric order.
const compareSeq = (a: string, b: string): number => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
