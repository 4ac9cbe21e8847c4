import { ok } from '@patchbay/core';
import { expect, it } from 'vitest';
import { fakeEvent, fakeEventsClient } from '../../test-support/export-fakes.ts';
import { hogQLPages } from './hogql-pages.ts';
import type { ExportPage, PageSource } from './page-source.ts';

const signal = new AbortController().signal;
const KEYSET_SQL =
  'select event, distinct_id, timestamp, uuid from events where event != {skip} and (timestamp > toDateTime({after_timestamp}) or (timestamp = toDateTime({after_timestamp}) and uuid > toUUID({after_uuid}))) order by timestamp, uuid;';

async function allPages(source: PageSource): Promise<ExportPage[]> {
  const pages: ExportPage[] = [];
  for (;;) {
    const page = await source.next(signal);
    if (!page.success) throw page.error;
    pages.push(page.data);
    if (page.data.last) return pages;
  }
}

it.each([1, 2, 4, 5, 12])(
  'pages of %i by keyset over tied timestamps: every row once, values bound, no OFFSET',
  async (pageSize) => {
    const client = fakeEventsClient({ total: 12, tie: 3 });
    const source = hogQLPages(
      client,
      { kind: 'HogQLQuery', query: KEYSET_SQL, values: { skip: 'x' } },
      pageSize,
    );
    if (!source.success) throw source.error;
    const rows = (await allPages(source.data)).flatMap((page) => page.rows);
    expect(rows.map((row) => row[3])).toEqual(Array.from({ length: 12 }, (_, i) => fakeEvent(i).uuid));
    const [first, second] = client.calls.nodes;
    expect(first?.query).toBe(`${KEYSET_SQL.slice(0, -1)}\nLIMIT ${pageSize}`);
    expect(first?.values).toEqual({
      skip: 'x',
      after_timestamp: '1970-01-01T00:00:00Z',
      after_uuid: '00000000-0000-0000-0000-000000000000',
    });
    if (second) {
      const boundary = fakeEvent(pageSize - 1);
      expect(second.values).toEqual({
        skip: 'x',
        after_timestamp: boundary.timestamp,
        after_uuid: boundary.uuid,
      });
      expect(second.query).toBe(first?.query);
    }
  },
);

it('a keyset query must select timestamp and uuid', async () => {
  const client = { query: async () => ok({ results: [['a'], ['b']], columns: ['event'] }) };
  const source = hogQLPages(
    client,
    { kind: 'HogQLQuery', query: 'select event from events where {after_timestamp} and {after_uuid}' },
    2,
  );
  if (!source.success) throw source.error;
  expect(await source.data.next(signal)).toMatchObject({
    success: false,
    error: { code: 'VALIDATION_ERROR', field: 'query.query' },
  });
});

it('without the keyset placeholders: one query with LIMIT 50000, refused when it fills the cap', async () => {
  const client = fakeEventsClient({ total: 12 });
  const source = hogQLPages(
    client,
    { kind: 'HogQLQuery', query: 'select event from events order by timestamp' },
    5,
  );
  if (!source.success) throw source.error;
  const pages = await allPages(source.data);
  expect(pages).toHaveLength(1);
  expect(pages[0]?.rows).toHaveLength(12);
  expect(client.calls.nodes[0]?.query).toBe('select event from events order by timestamp\nLIMIT 50000');

  const full = hogQLPages(
    { query: async () => ok({ results: Array.from({ length: 50_000 }, () => [1]), columns: ['n'] }) },
    { kind: 'HogQLQuery', query: 'select 1 from events' },
    5,
  );
  if (!full.success) throw full.error;
  expect(await full.data.next(signal)).toMatchObject({
    success: false,
    error: { code: 'VALIDATION_ERROR', field: 'query.query' },
  });
});

it('runs SQL with its own LIMIT as one page, as written; an answer PostHog cut (hasMore) is refused', async () => {
  const client = fakeEventsClient({ total: 12 });
  const source = hogQLPages(client, { kind: 'HogQLQuery', query: 'select event from events limit 3' }, 5);
  if (!source.success) throw source.error;
  expect(await source.data.next(signal)).toMatchObject({ success: true, data: { last: true } });
  expect(client.calls.nodes[0]?.query).toBe('select event from events limit 3');

  const cut = hogQLPages(
    { query: async () => ok({ results: [[1]], columns: ['n'], hasMore: true }) },
    { kind: 'HogQLQuery', query: 'select 1 union all select 2' },
    5,
  );
  if (!cut.success) throw cut.error;
  expect(await cut.data.next(signal)).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR' } });
});

it('names columns when the answer does not, and refuses rows that are not arrays', async () => {
  const unnamed = hogQLPages(
    { query: async () => ok({ results: [[1, 2]] }) },
    { kind: 'HogQLQuery', query: 'select 1, 2' },
    5,
  );
  if (!unnamed.success) throw unnamed.error;
  expect(await unnamed.data.next(signal)).toMatchObject({
    success: true,
    data: { columns: ['column_1', 'column_2'] },
  });
  const objects = hogQLPages(
    { query: async () => ok({ results: [{ a: 1 }] }) },
    { kind: 'HogQLQuery', query: 'select 1' },
    5,
  );
  if (!objects.success) throw objects.error;
  expect(await objects.data.next(signal)).toMatchObject({
    success: false,
    error: { code: 'INVALID_RESPONSE', field: 'results.0' },
  });
});

it('a hostile keyset value from the server is refused', async () => {
  const source = hogQLPages(
    { query: async () => ok({ results: [['x', "'); drop"]], columns: ['uuid', 'timestamp'] }) },
    {
      kind: 'HogQLQuery',
      query: 'select uuid, timestamp from events where {after_timestamp} and {after_uuid}',
    },
    1,
  );
  if (!source.success) throw source.error;
  expect(await source.data.next(signal)).toMatchObject({
    success: false,
    error: { code: 'INVALID_RESPONSE', field: 'results.0.timestamp' },
  });
});

it('refuses a node without SQL or with values that are not an object', () => {
  const client = { query: async () => ok({ results: [] }) };
  expect(hogQLPages(client, { kind: 'HogQLQuery', query: '  ' }, 5)).toMatchObject({
    success: false,
    error: { code: 'VALIDATION_ERROR', field: 'query.query' },
  });
  expect(hogQLPages(client, { kind: 'HogQLQuery', query: 'select 1', values: [1] }, 5)).toMatchObject({
    success: false,
    error: { field: 'query.values' },
  });
});
