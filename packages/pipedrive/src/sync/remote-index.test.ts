import { type ApiResult, err, IntegrationError, ok } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { createRemoteIndex, type IndexedRecord } from './remote-index.ts';

interface Row extends IndexedRecord {
  key?: string | undefined;
}
type Page = ApiResult<{ items: Row[] }>;

const row = (id: number, key: string | undefined, update_time?: string | null): Row => ({
  id,
  key,
  update_time,
});
const page = (...items: Row[]): Page => ok({ items });
const failed = (): Page =>
  err(new IntegrationError('SERVER_ERROR', 'Pipedrive answered 502', { status: 502 }));

/** An index over a fake remote: each read answers the next script entry, and `since` of each read is kept. */
function indexOver(...reads: Page[][]) {
  const since: (string | undefined)[] = [];
  let started = 0;
  const index = createRemoteIndex<Row>({
    list: (from) => {
      since.push(from);
      const pages = reads[started++] ?? [];
      return (async function* () {
        for (const next of pages) {
          await Promise.resolve();
          yield next;
        }
      })();
    },
    externalIdOf: (record) => record.key,
  });
  return { index, since, reads: () => started };
}

const T1 = '2026-12-07T10:00:00Z';
const T2 = '2026-12-07T10:00:05Z';
const T3 = '2026-12-07T11:30:00Z';

describe('createRemoteIndex', () => {
  it('reads everything the first time, then what changed since the newest update time seen, inclusive', async () => {
    const { index, since } = indexOver(
      [page(row(1, 'a', T2), row(2, 'b', T1)), page(row(3, 'c', T1))],
      [page(row(2, 'b', T2), row(4, 'd', T3))],
      [],
    );
    expect(index.size).toBe(0);
    expect((await index.refresh()).success).toBe(true);
    expect(index.get('a')?.id).toBe(1);
    expect(index.get('c')?.id).toBe(3);
    expect(index.size).toBe(3);
    expect((await index.refresh()).success).toBe(true);
    expect(index.get('d')?.id).toBe(4);
    expect((await index.refresh()).success).toBe(true);
    // The newest of each read, wherever it came in the pages; the same time again (inclusive) re-reads rather
    // than missing a record changed in the same second.
    expect(since).toEqual([undefined, T2, T3]);
  });

  it('keeps the mark when a read of changes finds nothing', async () => {
    const { index, since } = indexOver([page(row(1, 'a', T1))], [page()], []);
    await index.refresh();
    await index.refresh();
    await index.refresh();
    expect(since).toEqual([undefined, T1, T1]);
  });

  it('compares update times as instants, not as text', async () => {
    // Later, though it sorts before T2 as a string (another offset).
    const later = '2026-12-07T09:00:10-01:00';
    const { index, since } = indexOver([page(row(1, 'a', later), row(2, 'b', T2))], []);
    await index.refresh();
    await index.refresh();
    expect(since).toEqual([undefined, later]);
  });

  it('indexes records without an update time, and moves no mark for them', async () => {
    const { index, since } = indexOver(
      [page(row(1, 'a'), row(2, 'b', null), row(3, 'c', ''), row(4, 'd', 'not a time'))],
      [page(row(5, 'e', T1))],
      [],
    );
    await index.refresh();
    expect(['a', 'b', 'c', 'd'].map((key) => index.get(key)?.id)).toEqual([1, 2, 3, 4]);
    // Nothing dated was seen: the next read is a full one again.
    await index.refresh();
    await index.refresh();
    expect(since).toEqual([undefined, undefined, T1]);
  });

  it('does not move the mark on a read that failed half-way: the next refresh starts from the old one', async () => {
    const { index, since } = indexOver(
      [page(row(1, 'a', T1))],
      [page(row(2, 'b', T3)), failed()],
      [page(row(3, 'c', T2))],
      [],
    );
    await index.refresh();
    const broken = await index.refresh();
    expect(broken.success || broken.error).toMatchObject({ code: 'SERVER_ERROR' });
    // What the failed read saw before failing is kept: it is what Pipedrive holds.
    expect(index.get('b')?.id).toBe(2);
    expect((await index.refresh()).success).toBe(true);
    await index.refresh();
    expect(since).toEqual([undefined, T1, T1, T2]);
  });

  it('reads everything again after a first read that failed', async () => {
    const { index, since } = indexOver([failed()], [page(row(1, 'a', T1))], []);
    expect((await index.refresh()).success).toBe(false);
    expect((await index.refresh()).success).toBe(true);
    await index.refresh();
    expect(since).toEqual([undefined, undefined, T1]);
  });

  it('shares one read between refreshes asked for while it runs, and starts a new one after', async () => {
    const { index, reads } = indexOver([page(row(1, 'a', T1))], [page(row(2, 'b', T2))]);
    const [first, second, third] = await Promise.all([index.refresh(), index.refresh(), index.refresh()]);
    expect(reads()).toBe(1);
    expect(first).toBe(second);
    expect(second).toBe(third);
    await index.refresh();
    expect(reads()).toBe(2);
  });

  it('shares a failed read too, and tries again on the next refresh', async () => {
    const { index, reads } = indexOver([failed()], [page(row(1, 'a', T1))]);
    const results = await Promise.all([index.refresh(), index.refresh()]);
    expect(results.map((result) => result.success)).toEqual([false, false]);
    expect(reads()).toBe(1);
    expect((await index.refresh()).success).toBe(true);
    expect(index.get('a')?.id).toBe(1);
  });

  it('moves a record whose external id changed, and drops one whose id was cleared', async () => {
    const { index } = indexOver(
      [page(row(1, 'a', T1), row(2, 'b', T1))],
      [page(row(1, 'a2', T2), row(2, undefined, T2))],
    );
    await index.refresh();
    await index.refresh();
    expect(index.get('a')).toBeUndefined();
    expect(index.get('a2')?.id).toBe(1);
    expect(index.get('b')).toBeUndefined();
    expect(index.size).toBe(1);
  });

  it('keeps the newest version of a record read again', async () => {
    const { index } = indexOver([page(row(1, 'a', T1))], [page(row(1, 'a', T2))]);
    await index.refresh();
    await index.refresh();
    expect(index.get('a')?.update_time).toBe(T2);
  });

  it('resolves two records with one external id to the lowest id, whatever order they come in', async () => {
    const { index } = indexOver([page(row(9, 'a', T1)), page(row(4, 'a', T1), row(7, 'a', T1))]);
    await index.refresh();
    expect(index.get('a')?.id).toBe(4);
    expect(index.size).toBe(1);
    // A later copy written by this process does not take the key either.
    index.remember(row(12, 'a', T2));
    expect(index.get('a')?.id).toBe(4);
  });

  it('hands the key to the next lowest record when the lowest one leaves it', async () => {
    const { index } = indexOver([page(row(4, 'a', T1), row(7, 'a', T1))], [page(row(4, 'z', T2))]);
    await index.refresh();
    await index.refresh();
    // Record 7 still carries `a`; it was not changed, so no read of changes returns it again.
    expect(index.get('a')?.id).toBe(7);
    expect(index.get('z')?.id).toBe(4);
  });

  it('forgets a record gone from Pipedrive, handing its key to another copy', async () => {
    const { index } = indexOver([page(row(4, 'a', T1), row(7, 'a', T1), row(8, 'b', T1))]);
    await index.refresh();
    index.forget(4);
    expect(index.get('a')?.id).toBe(7);
    index.forget(8);
    expect(index.get('b')).toBeUndefined();
    expect(index.size).toBe(1);
    // Forgetting what it never held changes nothing.
    index.forget(99);
    expect(index.size).toBe(1);
  });

  it('knows a record this process wrote before any refresh sees it, and ignores one without an id', () => {
    const { index } = indexOver();
    index.remember(row(3, 'a', T1));
    index.remember(row(4, undefined, T1));
    index.remember(row(5, '', T1));
    expect(index.get('a')?.id).toBe(3);
    expect(index.get('')).toBeUndefined();
    expect(index.size).toBe(1);
  });

  it('a remembered record moves no mark: the first refresh still reads everything', async () => {
    const { index, since } = indexOver([page()], []);
    index.remember(row(3, 'a', T3));
    await index.refresh();
    await index.refresh();
    expect(since).toEqual([undefined, undefined]);
    expect(index.get('a')?.id).toBe(3);
  });
});
