import { type ApiResult, ok } from '@patchbay/core';
import {
  type Mapping,
  type MappingRow,
  type MappingScope,
  type MappingStore,
  mappingFromRow,
  validateExternalIds,
  validateLimitOption,
  validateMappingBatch,
  validateScope,
} from '@patchbay/core/store';
import type { SqliteContext } from './context.ts';
import { inTransaction } from './transaction.ts';

/** Rows per multi-row upsert: 128 × 6 parameters stays far below SQLite's 32 766-variable limit. */
export const UPSERT_CHUNK_ROWS = 128;
const DEFAULT_PAGE_SIZE = 1_000;

const COLUMNS = '(integration, object_type, external_id, remote_id, content_hash, synced_at)';
const ON_CONFLICT = `ON CONFLICT (integration, object_type, external_id) DO UPDATE SET
  remote_id = excluded.remote_id, content_hash = excluded.content_hash, synced_at = excluded.synced_at`;
const upsertSql = (rows: number) =>
  `INSERT INTO mappings ${COLUMNS} VALUES ${Array(rows).fill('(?, ?, ?, ?, ?, ?)').join(', ')} ${ON_CONFLICT}`;

// Id lists travel as one JSON array parameter: any number of ids, one statement, no variable limit.
const IN_IDS = 'external_id IN (SELECT value FROM json_each(?))';

/** The mapping half of the SQLite store, plus the raw upsert `commitMappings` runs in its own transaction. */
export interface SqliteMappings {
  store: MappingStore;
  /** Upserts an already-validated batch; the caller owns the transaction. */
  write(scope: MappingScope, batch: readonly Mapping[]): void;
}

/** Mappings on the `mappings` table: multi-row upserts, JSON-array id lists, keyset pagination. */
export function createSqliteMappings(ctx: SqliteContext): SqliteMappings {
  const { db } = ctx;
  const { statement } = ctx;
  const SCOPED = 'integration = ? AND object_type = ?';

  const write = (scope: MappingScope, batch: readonly Mapping[]): void => {
    const { integration, objectType } = scope;
    const full = statement(upsertSql(UPSERT_CHUNK_ROWS));
    let start = 0;
    for (; start + UPSERT_CHUNK_ROWS <= batch.length; start += UPSERT_CHUNK_ROWS) {
      const values: (string | number | null)[] = [];
      for (let i = start; i < start + UPSERT_CHUNK_ROWS; i++) {
        const m = batch[i]!;
        values.push(integration, objectType, m.externalId, m.remoteId, m.contentHash, m.syncedAt);
      }
      full.run(...values);
    }
    // The remainder row by row: one more prepared shape instead of one per possible remainder length.
    if (start < batch.length) {
      const single = statement(upsertSql(1));
      for (let i = start; i < batch.length; i++) {
        const m = batch[i]!;
        single.run(integration, objectType, m.externalId, m.remoteId, m.contentHash, m.syncedAt);
      }
    }
  };

  // The checked copies of a scope and ids: the caller's objects are never read twice.
  const checkIds = (
    scopeValue: MappingScope,
    externalIds: readonly string[],
  ): ApiResult<{ scope: MappingScope; ids: string[] }> => {
    const scope = validateScope(scopeValue);
    if (!scope.success) return scope;
    const ids = validateExternalIds(externalIds);
    return ids.success ? ok({ scope: scope.data, ids: ids.data }) : ids;
  };

  const store: MappingStore = {
    async getMany(scopeValue, externalIds) {
      const checked = checkIds(scopeValue, externalIds);
      if (!checked.success) return checked;
      const { scope, ids } = checked.data;
      return ctx.attempt('getMany', () => {
        const found = new Map<string, Mapping>();
        if (ids.length === 0) return ok(found);
        const rows = statement(
          `SELECT external_id, remote_id, content_hash, synced_at FROM mappings WHERE ${SCOPED} AND ${IN_IDS}`,
        ).all(scope.integration, scope.objectType, JSON.stringify(ids)) as unknown as MappingRow[];
        for (const row of rows) found.set(row.external_id, mappingFromRow(row));
        return ok(found);
      });
    },

    async putMany(scope, entries) {
      const checkedScope = validateScope(scope);
      if (!checkedScope.success) return checkedScope;
      const batch = validateMappingBatch(entries);
      if (!batch.success) return batch;
      return ctx.attempt('putMany', () => {
        if (batch.data.length > 0) inTransaction(db, () => write(checkedScope.data, batch.data));
        return ok({ written: batch.data.length });
      });
    },

    async deleteMany(scopeValue, externalIds) {
      const checked = checkIds(scopeValue, externalIds);
      if (!checked.success) return checked;
      const { scope, ids } = checked.data;
      return ctx.attempt('deleteMany', () => {
        if (ids.length === 0) return ok({ deleted: 0 });
        const result = statement(`DELETE FROM mappings WHERE ${SCOPED} AND ${IN_IDS}`).run(
          scope.integration,
          scope.objectType,
          JSON.stringify(ids),
        );
        return ok({ deleted: Number(result.changes) });
      });
    },

    async *iterate(scopeValue, options) {
      const pageSizeOption = validateLimitOption(options, 'pageSize', DEFAULT_PAGE_SIZE);
      if (!pageSizeOption.success) {
        yield pageSizeOption;
        return;
      }
      const pageSize = pageSizeOption.data;
      const checkedScope = validateScope(scopeValue);
      if (!checkedScope.success) {
        yield checkedScope;
        return;
      }
      const scope = checkedScope.data;
      // Keyset pagination: each page is its own short read, so writers are never held up by a slow consumer,
      // and ids already passed are neither repeated nor skipped. Stored ids are never empty, so '' starts it.
      let after = '';
      for (;;) {
        const page = ctx.attempt('iterate', () => {
          const rows = statement(
            `SELECT external_id, remote_id, content_hash, synced_at FROM mappings
             WHERE ${SCOPED} AND external_id > ? ORDER BY external_id LIMIT ?`,
          ).all(scope.integration, scope.objectType, after, pageSize) as unknown as MappingRow[];
          return ok(rows.map(mappingFromRow));
        });
        if (!page.success) {
          yield page;
          return;
        }
        if (page.data.length === 0) return;
        yield page;
        if (page.data.length < pageSize) return;
        after = page.data[page.data.length - 1]!.externalId;
      }
    },

    async count(scopeValue) {
      const checkedScope = validateScope(scopeValue);
      if (!checkedScope.success) return checkedScope;
      const scope = checkedScope.data;
      return ctx.attempt('count', () => {
        const row = statement(`SELECT count(*) AS n FROM mappings WHERE ${SCOPED}`).get(
          scope.integration,
          scope.objectType,
        ) as { n: number };
        return ok(Number(row.n));
      });
    },
  };

  return { store, write };
}
