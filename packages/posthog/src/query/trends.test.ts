import { describe, expect, it } from 'vitest';
import { json, sentQuery, testClient } from '../../test-support/query-fetch.ts';

const series = {
  data: [1, 4, null],
  labels: ['1-Dec-2026', '2-Dec-2026', '3-Dec-2026'],
  days: ['2026-12-01', '2026-12-02', '2026-12-03'],
  count: 5,
  label: '$pageview',
  breakdown_value: 'Chrome',
  action: { id: '$pageview', type: 'events' },
};

describe('trends', () => {
  it('builds a TrendsQuery: bare series as EventsNodes, a breakdown by name as an event property', async () => {
    const { client, seen } = testClient(() => json({ results: [series], is_cached: false }));
    const result = await client.trends({
      series: [
        { event: '$pageview', math: 'dau' },
        { kind: 'ActionsNode', id: 7 },
      ],
      dateRange: { date_from: '-7d' },
      interval: 'day',
      breakdown: '$browser',
      filterTestAccounts: true,
      refresh: 'blocking',
    });
    expect(result).toEqual({ success: true, data: [series] });
    expect(seen[0]?.body).toMatchObject({
      query: {
        kind: 'TrendsQuery',
        series: [
          { kind: 'EventsNode', event: '$pageview', math: 'dau' },
          { kind: 'ActionsNode', id: 7 },
        ],
        dateRange: { date_from: '-7d' },
        interval: 'day',
        breakdownFilter: { breakdown: '$browser', breakdown_type: 'event' },
        filterTestAccounts: true,
      },
      refresh: 'blocking',
    });
    expect(seen[0]?.body?.query).not.toHaveProperty('breakdown');
  });

  it("passes PostHog's own breakdownFilter through", async () => {
    const { client, seen } = testClient(() => json({ results: [] }));
    const breakdown = { breakdown: 'plan', breakdown_type: 'person', breakdown_limit: 5 };
    await client.trends({ series: [{ event: null }], breakdown });
    expect(sentQuery(seen[0]).breakdownFilter).toEqual(breakdown);
  });

  it('reads an aggregated series (no data per interval)', async () => {
    const { client } = testClient(() =>
      json({ results: [{ aggregated_value: 42, label: 'Total', count: 0 }] }),
    );
    const result = await client.trends({ series: [{ event: '$pageview' }] });
    expect(result.success && result.data[0]?.aggregated_value).toBe(42);
  });

  it.each([
    [undefined, 'options'],
    [{}, 'options.series'],
    [{ series: [] }, 'query.series'],
    [{ series: 'x' }, 'options.series'],
    [{ series: [{ event: '$pageview' }], interval: 'fortnight' }, 'query.interval'],
    [{ series: [{ event: 42 }] }, 'query.series.0.event'],
    [{ series: [{ event: '$pageview' }], refresh: 'sometimes' }, 'options.refresh'],
  ])('refuses %j before any request, naming %s', async (options, field) => {
    const { client, seen } = testClient(() => json({ results: [] }));
    expect(await client.trends(options as never)).toMatchObject({
      success: false,
      error: { code: 'VALIDATION_ERROR', field },
    });
    expect(seen).toEqual([]);
  });

  it('answers an answer whose series are not series with INVALID_RESPONSE', async () => {
    const { client } = testClient(() => json({ results: [{ data: 'lots' }] }));
    expect(await client.trends({ series: [{ event: '$pageview' }] })).toMatchObject({
      success: false,
      error: { code: 'INVALID_RESPONSE', field: 'results.0.data' },
    });
  });
});
