import { ok } from '@patchbay/core';
import { expect, it } from 'vitest';
import { singlePage } from './single-page.ts';
import { TREND_COLUMNS } from './trend-rows.ts';

const signal = new AbortController().signal;
const answering = (answer: unknown) => ({ query: async () => ok(answer) });

it('a trend as rows of series and days, in one page', async () => {
  const page = await singlePage(answering({ results: [{ label: 'a', data: [1], days: ['2026-03-01'] }] }), {
    kind: 'TrendsQuery',
  }).next(signal);
  expect(page).toEqual({
    success: true,
    data: { columns: TREND_COLUMNS, rows: [['a', null, '2026-03-01', null, 1]], last: true },
  });
});

it('other kinds: array rows with their columns, object rows by their keys', async () => {
  expect(
    await singlePage(answering({ results: [[1, 'x']], columns: ['n', 's'] }), { kind: 'SessionsQuery' }).next(
      signal,
    ),
  ).toEqual({
    success: true,
    data: { columns: ['n', 's'], rows: [[1, 'x']], last: true },
  });
  expect(
    await singlePage(answering({ results: [{ a: 1 }, { b: 2, a: 3 }] }), { kind: 'FunnelsQuery' }).next(
      signal,
    ),
  ).toEqual({
    success: true,
    data: {
      columns: ['a', 'b'],
      rows: [
        [1, null],
        [3, 2],
      ],
      last: true,
    },
  });
});

it('refuses rows of mixed shapes', async () => {
  expect(
    await singlePage(answering({ results: [[1], 'x'] }), { kind: 'FunnelsQuery' }).next(signal),
  ).toMatchObject({
    success: false,
    error: { code: 'INVALID_RESPONSE', field: 'results' },
  });
});
