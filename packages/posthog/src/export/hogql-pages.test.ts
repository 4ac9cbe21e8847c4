import { ok } from '@patchbay/core';
import { expect, it } from 'vitest';
import { fakeEvent, fakeEventsClient } from '../../test-support/export-fakes.ts';
import { hogQLPages } from './hogql-pages.ts';

const signal = new AbortController().signal;

it('pages with LIMIT/OFFSET until a short page, keeping the values', async () => {
  const client = fakeEventsClient({ total: 12 });
  const source = hogQLPages(
    client,
    {
      kind: 'HogQLQuery',
      query:
        'select event, distinct_id, timestamp from events where event != {skip} order by timestamp, uuid;',
      values: { skip: 'x' },
    },
    5,
  );
  if (!source.success) throw source.error;
  const rows: unknown[][] = [];
  for (;;) {
    const page = await source.data.next(signal);
    if (!page.success) throw page.error;
    expect(page.data.columns).toEqual(['event', 'distinct_id', 'timestamp']);
    rows.push(...page.data.rows);
    if (page.data.last) break;
  }
  expect(rows.map((row) => row[2])).toEqual(Array.from({ length: 12 }, (_, i) => fakeEvent(i).timestamp));
  expect(client.calls.nodes.map((node) => (node.query as string).split('\n').at(-1))).toEqual([
    'LIMIT 5 OFFSET 0',
    'LIMIT 5 OFFSET 5',
    'LIMIT 5 OFFSET 10',
  ]);
  expect(client.calls.nodes.every((node) => (node.values as { skip: string }).skip === 'x')).toBe(true);
});

it('runs SQL with its own LIMIT as one page, as written', async () => {
  const client = fakeEventsClient({ total: 12 });
  const source = hogQLPages(client, { kind: 'HogQLQuery', query: 'select event from events limit 3' }, 5);
  if (!source.success) throw source.error;
  const page = await source.data.next(signal);
  expect(page).toMatchObject({ success: true, data: { last: true } });
  expect(client.calls.nodes[0]?.query).toBe('select event from events limit 3');
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

it('refuses a node without SQL', () => {
  expect(
    hogQLPages({ query: async () => ok({ results: [] }) }, { kind: 'HogQLQuery', query: '  ' }, 5),
  ).toMatchObject({
    success: false,
    error: { code: 'VALIDATION_ERROR', field: 'query.query' },
  });
});
