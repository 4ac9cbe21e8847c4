import type { ApiResult } from '@patchbay/core';
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
import { numberArrayLiteral, textArrayLiteral } from './array-literal.ts';
import type { Database, Queryable, Tables } from './database.ts';

/**
 * Upserts `entries` with ONE statement (so it is atomic without a transaction of its own): four arrays
 * unnested into rows. The entries must be validated and have one entry per external id
 * (`validateMappingBatch`): Postgres refuses to update a row twice in one statement. Rows are written in
 * id order, so two processes upserting overlapping batches lock rows in the same order and cannot deadlock.
 */
export async function upsertMappings(
  sql: Queryable,
  tables: Tables,
  scope: MappingScope,
  entries: readonly Mapping[],
): Promise<number> {
  if (entries.length === 0) return 0;
  const externalIds: string[] = [];
  const remoteIds: string[] = [];
  const hashes: (string | null)[] = [];
  const syncedAt: number[] = [];
  for (const entry of entries) {
    externalIds.push(entry.externalId);
    remoteIds.push(entry.remoteId);
    hashes.push(entry.contentHash);
    syncedAt.push(entry.syncedAt);
  }
  const result = await sql`
    insert into ${tables.mappings} (integration, object_type, external_id, remote_id, content_hash, synced_at)
    select ${scope.integration}, ${scope.objectType}, e, r, h, to_timestamp(t / 1000)
    from unnest(${textArrayLiteral(externalIds)}::text[], ${textArrayLiteral(remoteIds)}::text[],
      ${textArrayLiteral(hashes)}::text[], ${numberArrayLiteral(syncedAt)}::float8[]) as u(e, r, h, t)
    order by e
    on conflict (integration, object_type, external_id) do update
      set remote_id = excluded.remote_id, content_hash = excluded.content_hash, synced_at = excluded.synced_at`;
  return result.count;
}

/** The mapping half of the store. */
export function createMappingStore(db: Database): MappingStore {
  const { tables } = db;
  return {
    async getMany(scopeValue, externalIds): Promise<ApiResult<Map<string, Mapping>>> {
      const checked = validateScope(scopeValue);
      if (!checked.success) return checked;
      const scope = checked.data;
      const ids = validateExternalIds(externalIds);
      if (!ids.success) return ids;
      return db.run('mappings.getMany', async (sql) => {
        if (ids.data.length === 0) return new Map<string, Mapping>();
        const rows = await sql<MappingRow[]>`
          select external_id, remote_id, content_hash, synced_at from ${tables.mappings}
          where integration = ${scope.integration} and object_type = ${scope.objectType}
            and external_id = any(${textArrayLiteral(ids.data)}::text[])`;
        return new Map(rows.map((row) => [row.external_id, mappingFromRow(row)]));
      });
    },

    async putMany(scope, entries) {
      const checked = validateScope(scope);
      if (!checked.success) return checked;
      const batch = validateMappingBatch(entries);
      if (!batch.success) return batch;
      return db.run('mappings.putMany', async (sql) => ({
        written: await upsertMappings(sql, tables, checked.data, batch.data),
      }));
    },

    async deleteMany(scopeValue, externalIds) {
      const checked = validateScope(scopeValue);
      if (!checked.success) return checked;
      const scope = checked.data;
      const ids = validateExternalIds(externalIds);
      if (!ids.success) return ids;
      return db.run('mappings.deleteMany', async (sql) => {
        if (ids.data.length === 0) return { deleted: 0 };
        const result = await sql`
          delete from ${tables.mappings}
          where integration = ${scope.integration} and object_type = ${scope.objectType}
            and external_id = any(${textArrayLiteral(ids.data)}::text[])`;
        return { deleted: result.count };
      });
    },

    async *iterate(scopeValue, options) {
      const checked = validateScope(scopeValue);
      if (!checked.success) {
        yield checked;
        return;
      }
      const scope = checked.data;
      const pageSizeOption = validateLimitOption(options, 'pageSize', 1_000);
      if (!pageSizeOption.success) {
        yield pageSizeOption;
        return;
      }
      const pageSize = pageSizeOption.data;
      // Keyset pagination: each page starts after the last id seen, so concurrent writes never shift pages.
      let after: string | null = null;
      while (true) {
        const cursor: string | null = after;
        const page = await db.run(
          'mappings.iterate',
          async (sql): Promise<MappingRow[]> =>
            cursor === null
              ? sql<MappingRow[]>`
                select external_id, remote_id, content_hash, synced_at from ${tables.mappings}
                where integration = ${scope.integration} and object_type = ${scope.objectType}
                order by external_id limit ${pageSize}`
              : sql<MappingRow[]>`
                select external_id, remote_id, content_hash, synced_at from ${tables.mappings}
                where integration = ${scope.integration} and object_type = ${scope.objectType}
                  and external_id > ${cursor}
                order by external_id limit ${pageSize}`,
        );
        if (!page.success) {
          yield page;
          return;
        }
        if (page.data.length === 0) return;
        yield { success: true, data: page.data.map(mappingFromRow) };
        if (page.data.length < pageSize) return;
        after = page.data.at(-1)!.external_id;
      }
    },

    async count(scopeValue) {
      const checked = validateScope(scopeValue);
      if (!checked.success) return checked;
      const scope = checked.data;
      return db.run('mappings.count', async (sql) => {
        const [row] = await sql<{ n: number }[]>`
          select count(*)::int as n from ${tables.mappings}
          where integration = ${scope.integration} and object_type = ${scope.objectType}`;
        return row?.n ?? 0;
      });
    },
  };
}
