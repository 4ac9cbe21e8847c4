import type { Mapping } from '@patchbay/core/store';
import { expect, it } from 'vitest';
import { describePostgres, useFreshStores } from '../test-support/postgres.ts';

const scope = { integration: 'twenty-crm', objectType: 'person' };
const mapping = (i: number, extra: Partial<Mapping> = {}): Mapping => ({
  externalId: `ext-${String(i).padStart(6, '0')}`,
  remoteId: `remote-${i}`,
  contentHash: `hash-${i}`,
  syncedAt: 1_700_000_000_000 + i,
  ...extra,
});

describePostgres('mappings', () => {
  const { open } = useFreshStores();

  it('stores and reads back mappings, millisecond timestamps and null hashes intact', async () => {
    const store = open();
    const entries = [mapping(1), mapping(2, { contentHash: null, syncedAt: 1_712_345_678_901 })];
    expect(await store.mappings.putMany(scope, entries)).toEqual({ success: true, data: { written: 2 } });
    const got = await store.mappings.getMany(scope, ['ext-000001', 'ext-000002', 'missing']);
    expect(got.success && [...got.data.values()]).toEqual(entries);
  });

  it('round-trips any epoch-millisecond value exactly', async () => {
    const store = open();
    const times = [0, 1, 999, 1_000, 86_400_000 - 1, 1_700_000_000_123, 4_102_444_800_999, -1_000];
    await store.mappings.putMany(
      scope,
      times.map((syncedAt, i) => mapping(i, { syncedAt })),
    );
    const got = await store.mappings.getMany(
      scope,
      times.map((_, i) => mapping(i).externalId),
    );
    expect(got.success && [...got.data.values()].map((m) => m.syncedAt).sort((a, b) => a - b)).toEqual(
      [...times].sort((a, b) => a - b),
    );
  });

  it('replaces existing mappings and lets the last of duplicate entries win', async () => {
    const store = open();
    await store.mappings.putMany(scope, [mapping(1)]);
    const result = await store.mappings.putMany(scope, [
      mapping(1, { remoteId: 'first' }),
      mapping(1, { remoteId: 'second' }),
      mapping(2),
    ]);
    expect(result).toEqual({ success: true, data: { written: 2 } });
    const got = await store.mappings.getMany(scope, ['ext-000001']);
    expect(got.success && got.data.get('ext-000001')?.remoteId).toBe('second');
  });

  it('stores ids that array literals would mangle: NULL, quotes, commas, braces, backslashes, spaces', async () => {
    const store = open();
    const ids = ['NULL', 'null', 'a,b', '{x}', 'q"uote', 'back\\slash', ' padded ', ' ', 'émoji 🚀', "it's"];
    await store.mappings.putMany(
      scope,
      ids.map((externalId, i) => mapping(i, { externalId, remoteId: externalId, contentHash: externalId })),
    );
    const got = await store.mappings.getMany(scope, ids);
    expect(got.success && got.data.size).toBe(ids.length);
    for (const id of ids) {
      expect(got.success && got.data.get(id)).toMatchObject({
        externalId: id,
        remoteId: id,
        contentHash: id,
      });
    }
  });

  it('keeps scopes apart', async () => {
    const store = open();
    await store.mappings.putMany(scope, [mapping(1)]);
    const other = { integration: 'twenty-crm', objectType: 'company' };
    expect(await store.mappings.count(other)).toEqual({ success: true, data: 0 });
    const got = await store.mappings.getMany(other, ['ext-000001']);
    expect(got.success && got.data.size).toBe(0);
  });

  it('writes and reads 10 000 mappings in one call each', async () => {
    const store = open();
    const entries = Array.from({ length: 10_000 }, (_, i) => mapping(i));
    expect(await store.mappings.putMany(scope, entries)).toEqual({
      success: true,
      data: { written: 10_000 },
    });
    const got = await store.mappings.getMany(
      scope,
      entries.map((e) => e.externalId),
    );
    expect(got.success && got.data.size).toBe(10_000);
    expect(got.success && got.data.get('ext-009999')).toEqual(mapping(9_999));
  });

  it('refuses an invalid entry with VALIDATION_ERROR before writing anything', async () => {
    const store = open();
    const result = await store.mappings.putMany(scope, [mapping(1), mapping(2, { syncedAt: 1.5 })]);
    expect(result).toMatchObject({
      success: false,
      error: { code: 'VALIDATION_ERROR', field: 'entries.1.syncedAt' },
    });
    expect(await store.mappings.count(scope)).toEqual({ success: true, data: 0 });
  });

  it('lets concurrent batches over the same ids, in opposite orders, all succeed (no deadlock)', async () => {
    const store = open({ poolSize: 6 });
    const entries = Array.from({ length: 2_000 }, (_, i) => mapping(i));
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        store.mappings.putMany(scope, i % 2 ? [...entries].reverse() : entries),
      ),
    );
    expect(results.filter((r) => !r.success)).toEqual([]);
    expect(await store.mappings.count(scope)).toEqual({ success: true, data: 2_000 });
  });

  it('treats empty batches as no-ops', async () => {
    const store = open();
    expect(await store.mappings.putMany(scope, [])).toEqual({ success: true, data: { written: 0 } });
    const got = await store.mappings.getMany(scope, []);
    expect(got.success && got.data.size).toBe(0);
    expect(await store.mappings.deleteMany(scope, [])).toEqual({ success: true, data: { deleted: 0 } });
  });

  it('deletes and counts', async () => {
    const store = open();
    await store.mappings.putMany(scope, [mapping(1), mapping(2), mapping(3)]);
    expect(
      await store.mappings.deleteMany(scope, ['ext-000001', 'ext-000003', 'ext-000003', 'nope']),
    ).toEqual({
      success: true,
      data: { deleted: 2 },
    });
    expect(await store.mappings.count(scope)).toEqual({ success: true, data: 1 });
  });

  it('iterates in code-point order of external id, in pages', async () => {
    const store = open();
    const ids = ['b', 'B', 'a', 'a-1', 'a_1', 'Z', 'é', 'z', '10', '9'];
    await store.mappings.putMany(
      scope,
      ids.map((externalId, i) => mapping(i, { externalId })),
    );
    const pages: string[][] = [];
    for await (const page of store.mappings.iterate(scope, { pageSize: 3 })) {
      expect(page.success).toBe(true);
      if (page.success) pages.push(page.data.map((m) => m.externalId));
    }
    expect(pages.map((p) => p.length)).toEqual([3, 3, 3, 1]);
    expect(pages.flat()).toEqual([...ids].sort());
  });

  it('iterates an empty scope as no pages, and rejects a bad page size', async () => {
    const store = open();
    const pages = [];
    for await (const page of store.mappings.iterate(scope)) pages.push(page);
    expect(pages).toEqual([]);
    const bad = [];
    for await (const page of store.mappings.iterate(scope, { pageSize: 0 })) bad.push(page);
    expect(bad).toMatchObject([{ success: false, error: { code: 'VALIDATION_ERROR', field: 'pageSize' } }]);
  });

  it('does not skip or repeat ids written between pages', async () => {
    const store = open();
    await store.mappings.putMany(scope, [mapping(10), mapping(20), mapping(30), mapping(40)]);
    const seen: string[] = [];
    let first = true;
    for await (const page of store.mappings.iterate(scope, { pageSize: 2 })) {
      if (page.success) seen.push(...page.data.map((m) => m.externalId));
      if (first) {
        first = false;
        // One id before the cursor (not seen again), one after (seen once).
        await store.mappings.putMany(scope, [mapping(5), mapping(35)]);
      }
    }
    expect(seen).toEqual(['ext-000010', 'ext-000020', 'ext-000030', 'ext-000035', 'ext-000040']);
  });
});
