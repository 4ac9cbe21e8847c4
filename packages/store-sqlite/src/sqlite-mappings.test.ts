// SQLite specifics of the mapping store; the shared behaviour is proven by the contract suite.
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDbs, tempDbPath } from '../test-support/temp-db.ts';
import { UPSERT_CHUNK_ROWS } from './sqlite-mappings.ts';
import { createSqliteStore } from './sqlite-store.ts';

afterAll(removeTempDbs);

const scope = { integration: 'crm', objectType: 'person' };
const mappings = (count: number) =>
  Array.from({ length: count }, (_, i) => ({
    externalId: `e-${String(i).padStart(6, '0')}`,
    remoteId: `r-${i}`,
    contentHash: null,
    syncedAt: i,
  }));

describe('SQLite mappings', () => {
  it('keeps each multi-row statement under the 32 766-variable limit', () => {
    expect(UPSERT_CHUNK_ROWS * 6).toBeLessThan(32_766);
  });

  it('reads 40 000 ids in one getMany, more than SQLite could bind as parameters', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    const entries = mappings(40_000);
    await store.mappings.putMany(scope, entries);
    const found = await store.mappings.getMany(
      scope,
      entries.map((e) => e.externalId),
    );
    expect(found.success && found.data.size).toBe(40_000);
    const deleted = await store.mappings.deleteMany(
      scope,
      entries.map((e) => e.externalId),
    );
    expect(deleted).toEqual({ success: true, data: { deleted: 40_000 } });
    await store.close();
  });

  it('iterates with keyset pages: writes between pages are neither repeated nor break the order', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    await store.mappings.putMany(scope, mappings(300));
    const seen: string[] = [];
    let first = true;
    for await (const page of store.mappings.iterate(scope, { pageSize: 100 })) {
      if (!page.success) throw page.error;
      seen.push(...page.data.map((m) => m.externalId));
      if (first) {
        first = false;
        // Before the cursor: not visited again. After it: picked up in order.
        await store.mappings.putMany(scope, [
          { externalId: 'a-before', remoteId: 'x', contentHash: null, syncedAt: 1 },
          { externalId: 'z-after', remoteId: 'x', contentHash: null, syncedAt: 1 },
        ]);
      }
    }
    expect(seen).toHaveLength(301);
    expect(seen.at(-1)).toBe('z-after');
    expect(seen).not.toContain('a-before');
    expect([...seen].sort()).toEqual(seen);
    await store.close();
  });

  it('stores one row per mapping in the mappings table, hash NULL when absent', async () => {
    const path = tempDbPath();
    const store = createSqliteStore({ path });
    await store.mappings.putMany(scope, [{ externalId: 'e', remoteId: 'r', contentHash: null, syncedAt: 7 }]);
    await store.close();
    const raw = new DatabaseSync(path, { readOnly: true });
    expect(raw.prepare('SELECT * FROM mappings').all()).toEqual([
      {
        integration: 'crm',
        object_type: 'person',
        external_id: 'e',
        remote_id: 'r',
        content_hash: null,
        synced_at: 7,
      },
    ]);
    raw.close();
  });

  it('yields VALIDATION_ERROR for a page size that is not a positive integer', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    const pages = [];
    for await (const page of store.mappings.iterate(scope, { pageSize: 0 })) pages.push(page);
    expect(pages).toHaveLength(1);
    expect(pages[0]?.success === false && pages[0].error.field).toBe('pageSize');
    await store.close();
  });
});
