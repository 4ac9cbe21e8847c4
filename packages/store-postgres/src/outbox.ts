import {
  type OutboxEntry,
  type SyncStateStore,
  validateExternalIds,
  validateLimitOption,
  validateOutboxBatch,
  validateScope,
} from '@patchbay/core/store';
import { numberArrayLiteral, textArrayLiteral } from './array-literal.ts';
import type { Database, Queryable, Tables } from './database.ts';

interface OutboxRow {
  external_id: string;
  operation: string;
  content_hash: string | null;
  created_at: Date;
}

const toEntry = (row: OutboxRow): OutboxEntry => ({
  externalId: row.external_id,
  operation: row.operation,
  contentHash: row.content_hash,
  createdAt: row.created_at.getTime(),
});

/** Deletes the outbox rows of `externalIds` (one statement); shared with `commitMappings`' transaction. */
export async function deleteOutbox(
  sql: Queryable,
  tables: Tables,
  scope: { integration: string; objectType: string },
  externalIds: readonly string[],
): Promise<void> {
  if (externalIds.length === 0) return;
  await sql`
    delete from ${tables.outbox}
    where integration = ${scope.integration} and object_type = ${scope.objectType}
      and external_id = any(${textArrayLiteral(externalIds)}::text[])`;
}

/** In-flight writes: recorded before sending, cleared when the mapping is saved. */
export function createOutbox(
  db: Database,
): Pick<SyncStateStore, 'outboxPut' | 'outboxList' | 'outboxDelete'> {
  const { tables } = db;
  return {
    async outboxPut(scopeValue, entries) {
      const checked = validateScope(scopeValue);
      if (!checked.success) return checked;
      const scope = checked.data;
      // One entry per external id, the last one, placed where its last copy was: re-recording an entry
      // moves it to the back (a new seq), like a fresh insert.
      const batch = validateOutboxBatch(entries);
      if (!batch.success) return batch;
      return db.run('syncState.outboxPut', async (sql) => {
        if (batch.data.length === 0) return;
        const ids: string[] = [];
        const operations: string[] = [];
        const hashes: (string | null)[] = [];
        const createdAt: number[] = [];
        for (const entry of batch.data) {
          ids.push(entry.externalId);
          operations.push(entry.operation);
          hashes.push(entry.contentHash);
          createdAt.push(entry.createdAt);
        }
        // One statement, so atomic.
        await sql`
          insert into ${tables.outbox} (integration, object_type, external_id, operation, content_hash, created_at)
          select ${scope.integration}, ${scope.objectType}, e, o, h, to_timestamp(t / 1000)
          from unnest(${textArrayLiteral(ids)}::text[], ${textArrayLiteral(operations)}::text[],
            ${textArrayLiteral(hashes)}::text[], ${numberArrayLiteral(createdAt)}::float8[])
            with ordinality as u(e, o, h, t, n)
          order by n
          on conflict (integration, object_type, external_id) do update
            set operation = excluded.operation, content_hash = excluded.content_hash,
              created_at = excluded.created_at, seq = default`;
      });
    },

    async outboxList(scopeValue, options) {
      const checked = validateScope(scopeValue);
      if (!checked.success) return checked;
      const scope = checked.data;
      const limitOption = validateLimitOption(options, 'limit', 1_000);
      if (!limitOption.success) return limitOption;
      const limit = limitOption.data;
      return db.run('syncState.outboxList', async (sql) => {
        const rows = await sql<OutboxRow[]>`
          select external_id, operation, content_hash, created_at from ${tables.outbox}
          where integration = ${scope.integration} and object_type = ${scope.objectType}
          order by created_at, seq limit ${limit}`;
        return rows.map(toEntry);
      });
    },

    async outboxDelete(scopeValue, externalIds) {
      const checked = validateScope(scopeValue);
      if (!checked.success) return checked;
      const ids = validateExternalIds(externalIds);
      if (!ids.success) return ids;
      return db.run('syncState.outboxDelete', (sql) => deleteOutbox(sql, tables, checked.data, ids.data));
    },
  };
}
