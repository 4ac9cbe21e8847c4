import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { json, sentQuery, testClient } from '../../test-support/query-fetch.ts';

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('getTotalPageViews', () => {
  it('counts $pageview over the last 30 days by default, the bound a placeholder', async () => {
    const { client, seen } = testClient(() => json({ results: [[1234]], columns: ['count()'] }));
    expect(await client.getTotalPageViews()).toEqual({ success: true, data: 1234 });
    const query = sentQuery(seen[0]);
    expect(query.query).toBe(
      'SELECT count() FROM events WHERE event = {event} AND timestamp >= toDateTime({after})',
    );
    expect(query.values).toEqual({ event: '$pageview', after: '2026-11-07T12:00:00.000Z' });
  });

  it('counts over `days`', async () => {
    const { client, seen } = testClient(() => json({ results: [['98765432']] }));
    expect(await client.getTotalPageViews({ days: 1 })).toEqual({ success: true, data: 98_765_432 });
    expect(sentQuery(seen[0]).values.after).toBe('2026-12-06T12:00:00.000Z');
  });

  it.each([0, -1, 1.5, 3651, Number.NaN, Number.POSITIVE_INFINITY, '30', null])(
    'refuses days %j before any request',
    async (days) => {
      const { client, seen } = testClient(() => json({ results: [[1]] }));
      expect(await client.getTotalPageViews({ days: days as number })).toMatchObject({
        success: false,
        error: { code: 'VALIDATION_ERROR', field: 'options.days' },
      });
      expect(seen).toEqual([]);
    },
  );

  it.each([[[]], [[[]]], [[['many']]], [[[-1]]], [[[1.5]]], [[[null]]]])(
    'answers %j without a count as INVALID_RESPONSE',
    async (results) => {
      const { client } = testClient(() => json({ results }));
      expect(await client.getTotalPageViews()).toMatchObject({
        success: false,
        error: { code: 'INVALID_RESPONSE' },
      });
    },
  );
});
