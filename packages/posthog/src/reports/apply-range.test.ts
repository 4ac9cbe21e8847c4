import { expect, it } from 'vitest';
import { applyRange } from './apply-range.ts';

const range = { from: '2026-03-24T00:00:00.000Z', to: '2026-03-31T00:00:00.000Z' };

it('HogQL: values.from and values.to beside the values given', () => {
  expect(
    applyRange({ kind: 'HogQLQuery', query: 'select 1', values: { event: 'x', from: 'old' } }, range),
  ).toEqual({
    kind: 'HogQLQuery',
    query: 'select 1',
    values: { event: 'x', from: range.from, to: range.to },
  });
});

it('events: after and before', () => {
  expect(applyRange({ kind: 'EventsQuery', select: ['event'], after: '-24h' }, range)).toEqual({
    kind: 'EventsQuery',
    select: ['event'],
    after: range.from,
    before: range.to,
  });
});

it('trends: an explicit dateRange', () => {
  expect(
    applyRange({ kind: 'TrendsQuery', series: [], dateRange: { date_from: '-7d', extra: 1 } }, range),
  ).toEqual({
    kind: 'TrendsQuery',
    series: [],
    dateRange: { date_from: range.from, date_to: range.to, explicitDate: true, extra: 1 },
  });
});

it('other kinds unchanged', () => {
  const node = { kind: 'FunnelsQuery', series: [] };
  expect(applyRange(node, range)).toBe(node);
});
