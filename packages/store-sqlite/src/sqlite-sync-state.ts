import { err, IntegrationError, ok } from '@patchbay/core';
import {
  type LeaseRow,
  leaseFromRow,
  type MappingScope,
  type OutboxEntry,
  type SyncRunRow,
  type SyncStateStore,
  syncRunFromRow,
  validateCheckpoint,
  validateExternalIds,
  validateLease,
  validateLeaseRenewal,
  validateLeaseRequest,
  validateLimitOption,
  validateName,
  validateOutboxBatch,
  validateRunFinish,
  validateScope,
} from '@patchbay/core/store';
import type { SqliteContext } from './context.ts';
import { inTransaction } from './transaction.ts';

const DEFAULT_RUN_LIMIT = 20;
const DEFAULT_OUTBOX_LIMIT = 1_000;
/** Rows per multi-row outbox insert (6 parameters each). */
const OUTBOX_CHUNK_ROWS = 128;

interface OutboxRow {
  external_id: string;
  operation: string;
  content_hash: string | null;
  created_at: number;
}

const toOutboxEntry = (row: OutboxRow): OutboxEntry => ({
  externalId: row.external_id,
  operation: row.operation,
  contentHash: row.content_hash,
  createdAt: row.created_at,
});

const RUN_COLUMNS =
  'id, name, status, started_at, finished_at, created, updated, unchanged, failed, last_error_code';
const IN_IDS = 'external_id IN (SELECT value FROM json_each(?))';

const outboxInsertSql = (rows: number) =>
  // OR REPLACE deletes and re-inserts: an entry recorded again gets a new seq, i.e. moves to the back.
  `INSERT OR REPLACE INTO sync_outbox (integration, object_type, external_id, operation, content_hash, created_at)
   VALUES ${Array(rows).fill('(?, ?, ?, ?, ?, ?)').join(', ')}`;

/** The SQLite sync state, plus the raw outbox delete `commitMappings` runs in its own transaction. */
export interface SqliteSyncState {
  store: SyncStateStore;
  /** Deletes outbox entries; the caller owns the transaction. */
  deleteOutbox(scope: MappingScope, externalIds: readonly string[]): void;
}

/** Checkpoints, the run log, leases and the outbox on their `sync_*` tables. */
export function createSqliteSyncState(ctx: SqliteContext): SqliteSyncState {
  const { db } = ctx;
  const { statement } = ctx;

  const deleteOutbox = (scope: MappingScope, externalIds: readonly string[]): void => {
    if (externalIds.length === 0) return;
    statement(`DELETE FROM sync_outbox WHERE integration = ? AND object_type = ? AND ${IN_IDS}`).run(
      scope.integration,
      scope.objectType,
      JSON.stringify(externalIds),
    );
  };

  const store: SyncStateStore = {
    async getCheckpoint(nameValue) {
      const checked = validateName(nameValue, 'name');
      if (!checked.success) return checked;
      const name = checked.data;
      return ctx.attempt('getCheckpoint', () => {
        const row = statement('SELECT value FROM sync_checkpoints WHERE name = ?').get(name) as
          | { value: string }
          | undefined;
        return ok(row?.value ?? null);
      });
    },

    async setCheckpoint(nameValue, checkpointValue) {
      const checked = validateCheckpoint(nameValue, checkpointValue);
      if (!checked.success) return checked;
      const { name, value } = checked.data;
      return ctx.attempt('setCheckpoint', () => {
        statement(
          `INSERT INTO sync_checkpoints (name, value, updated_at) VALUES (?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        ).run(name, value, ctx.now());
        return ok(undefined);
      });
    },

    async startRun(nameValue) {
      const checked = validateName(nameValue, 'name');
      if (!checked.success) return checked;
      const name = checked.data;
      return ctx.attempt('startRun', () => {
        const row = statement(
          `INSERT INTO sync_runs (id, name, status, started_at) VALUES (?, ?, 'running', ?) RETURNING ${RUN_COLUMNS}`,
        ).get(crypto.randomUUID(), name, ctx.now()) as unknown as SyncRunRow;
        return ok(syncRunFromRow(row));
      });
    },

    async finishRun(idValue, outcomeValue) {
      const checked = validateRunFinish(idValue, outcomeValue);
      if (!checked.success) return checked;
      const { id, outcome } = checked.data;
      return ctx.attempt('finishRun', () =>
        inTransaction(db, () => {
          const { counts } = outcome;
          const row = statement(
            `UPDATE sync_runs SET status = ?, finished_at = ?, created = ?, updated = ?, unchanged = ?, failed = ?,
             last_error_code = ? WHERE id = ? AND status = 'running' RETURNING ${RUN_COLUMNS}`,
          ).get(
            outcome.status,
            ctx.now(),
            counts.created,
            counts.updated,
            counts.unchanged,
            counts.failed,
            outcome.lastErrorCode,
            id,
          ) as SyncRunRow | undefined;
          if (row) return ok(syncRunFromRow(row));
          const existing = statement('SELECT status FROM sync_runs WHERE id = ?').get(id) as
            | { status: string }
            | undefined;
          return err(
            existing
              ? new IntegrationError('CONFLICT', `Sync run ${id} has already finished (${existing.status})`)
              : new IntegrationError('NOT_FOUND', `No sync run ${id}`),
          );
        }),
      );
    },

    async listRuns(nameValue, options) {
      const checked = validateName(nameValue, 'name');
      if (!checked.success) return checked;
      const name = checked.data;
      const limitOption = validateLimitOption(options, 'limit', DEFAULT_RUN_LIMIT);
      if (!limitOption.success) return limitOption;
      const limit = limitOption.data;
      return ctx.attempt('listRuns', () => {
        const rows = statement(
          `SELECT ${RUN_COLUMNS} FROM sync_runs WHERE name = ? ORDER BY started_at DESC, seq DESC LIMIT ?`,
        ).all(name, limit) as unknown as SyncRunRow[];
        return ok(rows.map(syncRunFromRow));
      });
    },

    async acquireLease(nameValue, options) {
      const checked = validateLeaseRequest(nameValue, options, { requireOwner: true });
      if (!checked.success) return checked;
      const { name, ttlMs } = checked.data;
      const owner = checked.data.owner as string;
      // BEGIN IMMEDIATE: the read and the write below happen under the database's single write lock, so two
      // processes racing for a free lease are serialized and exactly one of them sees it free.
      return ctx.attempt('acquireLease', () =>
        inTransaction(db, () => {
          const at = ctx.now();
          const current = statement('SELECT owner, expires_at FROM sync_leases WHERE name = ?').get(name) as
            | { owner: string; expires_at: number }
            | undefined;
          if (current && current.expires_at > at && current.owner !== owner) return ok(null);
          const row = statement(
            `INSERT INTO sync_leases (name, owner, token, expires_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, token = excluded.token,
             expires_at = excluded.expires_at RETURNING name, owner, token, expires_at`,
          ).get(name, owner, crypto.randomUUID(), at + ttlMs) as unknown as LeaseRow;
          return ok(leaseFromRow(row));
        }),
      );
    },

    async renewLease(leaseValue, options) {
      const checked = validateLeaseRenewal(leaseValue, options);
      if (!checked.success) return checked;
      const { lease, ttlMs } = checked.data;
      return ctx.attempt('renewLease', () => {
        const row = statement(
          `UPDATE sync_leases SET expires_at = ? WHERE name = ? AND token = ?
           RETURNING name, owner, token, expires_at`,
        ).get(ctx.now() + ttlMs, lease.name, lease.token) as LeaseRow | undefined;
        return ok(row ? leaseFromRow(row) : null);
      });
    },

    async releaseLease(leaseValue) {
      const checked = validateLease(leaseValue);
      if (!checked.success) return checked;
      const lease = checked.data;
      return ctx.attempt('releaseLease', () => {
        statement('DELETE FROM sync_leases WHERE name = ? AND token = ?').run(lease.name, lease.token);
        return ok(undefined);
      });
    },

    async outboxPut(scopeValue, entries) {
      const checkedScope = validateScope(scopeValue);
      if (!checkedScope.success) return checkedScope;
      const scope = checkedScope.data;
      const batch = validateOutboxBatch(entries);
      if (!batch.success) return batch;
      return ctx.attempt('outboxPut', () => {
        if (batch.data.length === 0) return ok(undefined);
        inTransaction(db, () => {
          const { integration, objectType } = scope;
          for (let start = 0; start < batch.data.length; start += OUTBOX_CHUNK_ROWS) {
            const chunk = batch.data.slice(start, start + OUTBOX_CHUNK_ROWS);
            const values: (string | number | null)[] = [];
            for (const e of chunk) {
              values.push(integration, objectType, e.externalId, e.operation, e.contentHash, e.createdAt);
            }
            statement(outboxInsertSql(chunk.length)).run(...values);
          }
        });
        return ok(undefined);
      });
    },

    async outboxList(scopeValue, options) {
      const checkedScope = validateScope(scopeValue);
      if (!checkedScope.success) return checkedScope;
      const scope = checkedScope.data;
      const limitOption = validateLimitOption(options, 'limit', DEFAULT_OUTBOX_LIMIT);
      if (!limitOption.success) return limitOption;
      const limit = limitOption.data;
      return ctx.attempt('outboxList', () => {
        const rows = statement(
          `SELECT external_id, operation, content_hash, created_at FROM sync_outbox
           WHERE integration = ? AND object_type = ? ORDER BY created_at, seq LIMIT ?`,
        ).all(scope.integration, scope.objectType, limit) as unknown as OutboxRow[];
        return ok(rows.map(toOutboxEntry));
      });
    },

    async outboxDelete(scopeValue, externalIds) {
      const checkedScope = validateScope(scopeValue);
      if (!checkedScope.success) return checkedScope;
      const ids = validateExternalIds(externalIds);
      if (!ids.success) return ids;
      return ctx.attempt('outboxDelete', () => {
        deleteOutbox(checkedScope.data, ids.data);
        return ok(undefined);
      });
    },
  };

  return { store, deleteOutbox };
}
