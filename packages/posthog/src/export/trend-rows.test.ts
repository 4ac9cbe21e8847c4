import { expect, it } from 'vitest';
import { trendRows } from './trend-rows.ts';

it('a row per series and day; one row for a series without points', () => {
  const rows = trendRows([
    {
      label: '$pageview',
      data: [3, 0],
      days: ['2026-03-01', '2026-03-02'],
      labels: ['1-Mar-2026', '2-Mar-2026'],
      count: 3,
    },
    { label: '$pageview', breakdown_value: 'Chrome', data: [1, null], days: ['2026-03-01', '2026-03-02'] },
    { label: 'signed_up', aggregated_value: 42 },
  ]);
  expect(rows).toEqual({
    success: true,
    data: [
      ['$pageview', null, '2026-03-01', '1-Mar-2026', 3],
      ['$pageview', null, '2026-03-02', '2-Mar-2026', 0],
      ['$pageview', 'Chrome', '2026-03-01', null, 1],
      ['$pageview', 'Chrome', '2026-03-02', null, null],
      ['signed_up', null, null, null, 42],
    ],
  });
});

it('refuses a series it cannot read, naming it', () => {
  expect(trendRows([{ data: [1] }, { data: 'x' }])).toMatchObject({
    success: false,
    error: { code: 'INVALID_RESPONSE', field: 'results.1' },
  });
  expect(trendRows([null])).toMatchObject({ success: false, error: { field: 'results.0' } });
});
