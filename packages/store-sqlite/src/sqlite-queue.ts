import { ok } from '@patchbay/core';
import {
  type QueueMessage,
  type QueueStore,
  validateQueueClaim,
  validateQueueEnqueue,
  validateQueueIds,
  validateQueueName,
  validateQueueRelease,
} from '@patchbay/core/store';
import type { SqliteContext } from './context.ts';
import { inTransaction } from './transaction.ts';

// One row per message (table `queue_messages`, migration 4). `seq`, the rowid, is the enqueue order, and
// `available_at` is when the message may be claimed: its enqueue time, the end of a release delay, or the end of
// the lease while `owner` is set. The payload's UTF-8 length is kept in `bytes` (SQLite measures it), so a claim
// bounds its bytes and `stats` sums them without reading a payload.

// Parameters are anonymous `?` in order of appearance, a value repeated where it is used twice: Node 22.13's
// node:sqlite takes numbered ones (`?1`) for named and binds positional arguments past them ("column index out
// of range"); Node 23.4+ binds them. Each message is one run of this prepared statement: measured as fast as
// multi-row INSERTs here, and without a variable limit. A conflicting id changes nothing and counts 0.
const INSERT = `INSERT INTO queue_messages (queue, id, payload, bytes, enqueued_at, available_at)
  VALUES (?, ?, ?, length(CAST(? AS BLOB)), ?, ?) ON CONFLICT (queue, id) DO NOTHING`;

// The oldest available messages up to the limit, then the prefix of them within `maxBytes` (the first always),
// claimed in the same statement. The inner LIMIT reads `limit` rows at most, in `seq` order through the
// `queue_messages_order` index, skipping claimed and delayed ones without reading their rows.
const CLAIM = `UPDATE queue_messages SET owner = ?, available_at = ? + ?, attempts = attempts + 1
  WHERE seq IN (
    SELECT seq FROM (
      SELECT seq, row_number() OVER w AS n, sum(bytes) OVER w AS running
      FROM (SELECT seq, bytes FROM queue_messages
            WHERE queue = ? AND available_at <= ? ORDER BY seq LIMIT ?)
      WINDOW w AS (ORDER BY seq ROWS UNBOUNDED PRECEDING))
    WHERE n = 1 OR ? IS NULL OR running <= ?)
  RETURNING seq, id, payload, enqueued_at, attempts`;

// Id lists travel as one JSON array parameter: as many ids as given in one statement, no variable limit.
const IN_IDS = 'id IN (SELECT value FROM json_each(?))';

interface ClaimedRow {
  seq: number;
  id: string;
  payload: string;
  enqueued_at: number;
  attempts: number;
}

interface StatsRow {
  count: number;
  bytes: number;
  claimed: number | null;
  oldest: number | null;
}

/**
 * Durable message queues on the store's SQLite file (table `queue_messages`, migration 4). Every write is one
 * `BEGIN IMMEDIATE` transaction (or one statement), so processes sharing the file serialize on its write lock:
 * two claims never get the same message, and an enqueue is all or none.
 */
export function createSqliteQueue(ctx: SqliteContext): QueueStore {
  const { db, statement } = ctx;
  return {
    async enqueue(queue, messages) {
      const checked = validateQueueEnqueue(queue, messages);
      if (!checked.success) return checked;
      const { queue: name, messages: batch } = checked.data;
      return ctx.attempt('queue.enqueue', () => {
        if (batch.length === 0) return ok({ added: 0 });
        const insert = statement(INSERT);
        const added = inTransaction(db, () => {
          const now = ctx.now();
          let count = 0;
          for (const message of batch)
            count += Number(insert.run(name, message.id, message.payload, message.payload, now, now).changes);
          return count;
        });
        return ok({ added });
      });
    },

    async claim(queue, options) {
      const checked = validateQueueClaim(queue, options);
      if (!checked.success) return checked;
      const { queue: name, owner, limit, leaseMs, maxBytes } = checked.data;
      return ctx.attempt('queue.claim', () => {
        const rows = inTransaction(db, () => {
          const now = ctx.now();
          return statement(CLAIM).all(
            owner,
            now,
            leaseMs,
            name,
            now,
            limit,
            maxBytes,
            maxBytes,
          ) as unknown as ClaimedRow[];
        });
        // RETURNING gives rows in no promised order: back to enqueue order.
        rows.sort((a, b) => a.seq - b.seq);
        return ok(
          rows.map(
            (row): QueueMessage => ({
              id: row.id,
              payload: row.payload,
              enqueuedAt: row.enqueued_at,
              attempts: row.attempts,
            }),
          ),
        );
      });
    },

    async ack(queue, ids) {
      const checked = validateQueueIds(queue, ids);
      if (!checked.success) return checked;
      const { queue: name, ids: list } = checked.data;
      return ctx.attempt('queue.ack', () => {
        if (list.length === 0) return ok({ deleted: 0 });
        const { changes } = statement(`DELETE FROM queue_messages WHERE queue = ? AND ${IN_IDS}`).run(
          name,
          JSON.stringify(list),
        );
        return ok({ deleted: Number(changes) });
      });
    },

    async has(queue, ids) {
      const checked = validateQueueIds(queue, ids);
      if (!checked.success) return checked;
      const { queue: name, ids: list } = checked.data;
      return ctx.attempt('queue.has', () => {
        if (list.length === 0) return ok([]);
        const rows = statement(`SELECT id FROM queue_messages WHERE queue = ? AND ${IN_IDS}`).all(
          name,
          JSON.stringify(list),
        ) as { id: string }[];
        const held = new Set(rows.map((row) => row.id));
        return ok(list.filter((id) => held.has(id)));
      });
    },

    async release(queue, ids, options) {
      const checked = validateQueueRelease(queue, ids, options);
      if (!checked.success) return checked;
      const { queue: name, ids: list, delayMs, owner } = checked.data;
      return ctx.attempt('queue.release', () => {
        if (list.length === 0) return ok(undefined);
        // Only messages under a claim (live or lapsed), and with `owner` only that owner's.
        statement(
          `UPDATE queue_messages SET owner = NULL, available_at = ?
           WHERE queue = ? AND ${IN_IDS} AND owner IS NOT NULL AND (? IS NULL OR owner = ?)`,
        ).run(ctx.now() + delayMs, name, JSON.stringify(list), owner, owner);
        return ok(undefined);
      });
    },

    async stats(queue) {
      const name = validateQueueName(queue);
      if (!name.success) return name;
      return ctx.attempt('queue.stats', () => {
        const row = statement(
          `SELECT count(*) AS count, total(bytes) AS bytes,
             sum(owner IS NOT NULL AND available_at > ?) AS claimed, min(enqueued_at) AS oldest
           FROM queue_messages WHERE queue = ?`,
        ).get(ctx.now(), name.data) as unknown as StatsRow;
        return ok({
          count: Number(row.count),
          bytes: Number(row.bytes),
          claimed: Number(row.claimed ?? 0),
          oldestEnqueuedAt: row.oldest === null ? null : Number(row.oldest),
        });
      });
    },
  };
}
