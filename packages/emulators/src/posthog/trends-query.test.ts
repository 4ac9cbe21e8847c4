import { describe, expect, it } from 'vitest';
import type { CapturedEvent } from './capture.ts';
import { createPostHogEventStore } from './event-store.ts';
import { HogQLError } from './hogql-ast.ts';
import type { QueryContext } from './query-context.ts';
import {
  BREAKDOWN_NULL_DISPLAY,
  BREAKDOWN_NULL_STRING_LABEL,
  BREAKDOWN_OTHER_DISPLAY,
  BREAKDOWN_OTHER_STRING_LABEL,
  runTrendsQuery,
} from './trends-query.ts';

// Wednesday 9 December 2026, 15:45:30 UTC.
const context: QueryContext = {
  nowUs: Date.parse('2026-12-09T15:45:30Z') * 1000,
  teamId: 1,
  offsetAllowed: false,
};

let next = 0;
const e = (
  event: string,
  distinctId: string,
  timestamp: string,
  properties: Record<string, unknown> = {},
): CapturedEvent => ({
  uuid: `e-${++next}`,
  event,
  distinct_id: distinctId,
  properties,
  timestamp,
  token: 'phc',
  path: '/batch/',
});

function sampleStore() {
  const store = createPostHogEventStore();
  store.insert([
    e('$pageview', 'u4', '2026-11-27T10:00:00Z', { $browser: 'Chrome' }),
    e('$pageview', 'u1', '2026-12-03T10:00:00Z', { $browser: 'Chrome', $session_id: 's1' }),
    e('$pageview', 'u1', '2026-12-03T11:00:00Z', { $browser: 'Chrome', $session_id: 's1' }),
    e('$pageview', 'u2', '2026-12-03T12:00:00Z', { $browser: 'Safari', $session_id: 's2' }),
    e('purchase', 'u1', '2026-12-04T09:00:00Z', { amount: 10 }),
    e('purchase', 'u2', '2026-12-04T10:00:00Z', { amount: 20 }),
    e('$pageview', 'u1', '2026-12-05T09:00:00Z', { $browser: 'Chrome', $session_id: 's3' }),
    e('$pageview', 'u5', '2026-12-06T09:00:00Z'),
    e('$pageview', 'u3', '2026-12-09T08:00:00Z', { $browser: 'Firefox' }),
  ]);
  return store;
}

const trends = (query: Record<string, unknown>) =>
  runTrendsQuery(sampleStore(), { kind: 'TrendsQuery', ...query }, context);
const pageviews = (extra: Record<string, unknown> = {}) => ({
  kind: 'EventsNode',
  event: '$pageview',
  ...extra,
});
type Result = Record<string, unknown> & { data: number[]; days: string[]; labels: string[] };
const resultsOf = (query: Record<string, unknown>) => trends(query).results as Result[];

function errorOf(query: Record<string, unknown>): HogQLError {
  try {
    trends(query);
  } catch (error) {
    if (error instanceof HogQLError) return error;
    throw error;
  }
  throw new Error('expected a HogQLError');
}

describe('runTrendsQuery: series by day', () => {
  it('answers every day of the default range (the 7 days before today and today), zeros included', () => {
    const [result] = resultsOf({ series: [pageviews()] });
    expect(result).toMatchObject({
      data: [0, 3, 0, 1, 1, 0, 0, 1],
      days: [
        '2026-12-02',
        '2026-12-03',
        '2026-12-04',
        '2026-12-05',
        '2026-12-06',
        '2026-12-07',
        '2026-12-08',
        '2026-12-09',
      ],
      labels: [
        '2-Dec-2026',
        '3-Dec-2026',
        '4-Dec-2026',
        '5-Dec-2026',
        '6-Dec-2026',
        '7-Dec-2026',
        '8-Dec-2026',
        '9-Dec-2026',
      ],
      count: 6,
      label: '$pageview',
      action: {
        id: '$pageview',
        type: 'events',
        order: 0,
        name: '$pageview',
        math: null,
        properties: {},
        days: expect.arrayContaining(['2026-12-02']),
      },
      filter: { insight: 'TRENDS', interval: 'day', entity_type: 'events' },
    });
    expect(result).not.toHaveProperty('breakdown_value');
  });

  it('counts distinct persons for dau, and sessions for unique_session', () => {
    const [total, dau, sessions] = resultsOf({
      series: [pageviews(), pageviews({ math: 'dau' }), pageviews({ math: 'unique_session' })],
    });
    expect(total?.data).toEqual([0, 3, 0, 1, 1, 0, 0, 1]);
    expect(dau?.data).toEqual([0, 2, 0, 1, 1, 0, 0, 1]);
    expect(dau?.action).toMatchObject({ math: 'dau', order: 1 });
    expect(sessions?.data).toEqual([0, 2, 0, 1, 0, 0, 0, 0]);
  });

  it('counts weekly active users over the trailing 7 days, and turns WAU into DAU by week', () => {
    const [wau] = resultsOf({ series: [pageviews({ math: 'weekly_active' })] });
    expect(wau?.data).toEqual([1, 3, 2, 2, 3, 3, 3, 4]);
    const [weekly] = resultsOf({ series: [pageviews({ math: 'weekly_active' })], interval: 'week' });
    expect(weekly?.action).toMatchObject({ math: 'dau' });
  });

  it('sums and averages a property', () => {
    const purchases = { kind: 'EventsNode', event: 'purchase', math_property: 'amount' };
    const [sum, avg, max] = resultsOf({
      series: [
        { ...purchases, math: 'sum' },
        { ...purchases, math: 'avg' },
        { ...purchases, math: 'max' },
      ],
    });
    expect(sum?.data).toEqual([0, 0, 30, 0, 0, 0, 0, 0]);
    expect(avg?.data).toEqual([0, 0, 15, 0, 0, 0, 0, 0]);
    expect(max?.count).toBe(20);
  });

  it("labels the all-events series 'All events' and filters by series and query properties", () => {
    const [all] = resultsOf({ series: [{ kind: 'EventsNode', event: null }] });
    expect(all).toMatchObject({ label: 'All events', count: 8, action: { id: null, name: 'All events' } });
    const [chrome] = resultsOf({
      series: [
        pageviews({ properties: [{ key: '$browser', value: 'Chrome', operator: 'exact', type: 'event' }] }),
      ],
      properties: [{ key: '$session_id', operator: 'is_set', type: 'event' }],
    });
    expect(chrome?.count).toBe(3);
  });

  it('answers an explicit range, hours, weeks and months', () => {
    const [byDay] = resultsOf({
      series: [pageviews()],
      dateRange: { date_from: '2026-12-03', date_to: '2026-12-04' },
    });
    expect(byDay).toMatchObject({ days: ['2026-12-03', '2026-12-04'], data: [3, 0] });
    const [byHour] = resultsOf({ series: [pageviews()], interval: 'hour', dateRange: { date_from: '-24h' } });
    expect(byHour?.days).toHaveLength(25);
    expect(byHour?.days[0]).toBe('2026-12-08 15:00:00');
    expect(byHour?.labels.at(-1)).toBe('9-Dec 15:00');
    expect(byHour?.count).toBe(1);
    const [byWeek] = resultsOf({ series: [pageviews()], interval: 'week', dateRange: { date_from: '-14d' } });
    expect(byWeek).toMatchObject({ days: ['2026-11-22', '2026-11-29', '2026-12-06'], data: [1, 4, 2] });
    const [byMonth] = resultsOf({
      series: [pageviews()],
      interval: 'month',
      dateRange: { date_from: '-1m' },
    });
    expect(byMonth).toMatchObject({
      days: ['2026-11-01', '2026-12-01'],
      data: [1, 6],
      labels: ['Nov 2026', 'Dec 2026'],
    });
  });

  it('accumulates for the cumulative display, and answers aggregated_value for total-value displays', () => {
    const [cumulative] = resultsOf({
      series: [pageviews()],
      trendsFilter: { display: 'ActionsLineGraphCumulative' },
    });
    expect(cumulative).toMatchObject({ data: [0, 3, 3, 4, 5, 5, 5, 6], count: 6 });
    const [bold] = resultsOf({
      series: [pageviews({ math: 'dau' })],
      trendsFilter: { display: 'BoldNumber' },
    });
    expect(bold).toMatchObject({ aggregated_value: 4, data: [], days: [], count: 0 });
    expect(bold).not.toHaveProperty('labels');
  });

  it('reports the resolved range', () => {
    expect(trends({ series: [pageviews()] }).resolved_date_range).toEqual({
      date_from: '2026-12-02T00:00:00Z',
      date_to: '2026-12-09T23:59:59.999999Z',
    });
  });
});

describe('runTrendsQuery: breakdowns', () => {
  it('answers one series per value, most frequent first, the missing value last as the null label', () => {
    const body = trends({
      series: [pageviews()],
      breakdownFilter: { breakdown: '$browser', breakdown_type: 'event' },
    });
    const results = body.results as Result[];
    expect(results.map((r) => [r.breakdown_value, r.label, r.count])).toEqual([
      ['Chrome', 'Chrome', 3],
      ['Firefox', 'Firefox', 1],
      ['Safari', 'Safari', 1],
      [BREAKDOWN_NULL_STRING_LABEL, BREAKDOWN_NULL_DISPLAY, 1],
    ]);
    expect(results[0]?.data).toEqual([0, 2, 0, 1, 0, 0, 0, 0]);
    expect(body.hasMore).toBe(false);
  });

  it('folds values past breakdown_limit into Other and says hasMore', () => {
    const body = trends({
      series: [pageviews()],
      breakdownFilter: { breakdown: '$browser', breakdown_limit: 2 },
    });
    const results = body.results as Result[];
    expect(results.map((r) => [r.breakdown_value, r.label, r.count])).toEqual([
      ['Chrome', 'Chrome', 3],
      ['Firefox', 'Firefox', 1],
      [BREAKDOWN_OTHER_STRING_LABEL, BREAKDOWN_OTHER_DISPLAY, 2],
    ]);
    expect(body.hasMore).toBe(true);
    const hidden = trends({
      series: [pageviews()],
      breakdownFilter: { breakdown: '$browser', breakdown_limit: 2, breakdown_hide_other_aggregation: true },
    });
    expect((hidden.results as Result[]).map((r) => r.breakdown_value)).toEqual(['Chrome', 'Firefox']);
  });

  it('prefixes labels with the event when there are several series, and breaks down by HogQL', () => {
    const results = resultsOf({
      series: [pageviews(), { kind: 'EventsNode', event: 'purchase' }],
      breakdownFilter: { breakdown: "if(distinct_id = 'u1', 'one', 'other')", breakdown_type: 'hogql' },
    });
    // 3 pageviews each: ties order by value.
    expect(results.map((r) => r.label)).toEqual([
      '$pageview - one',
      '$pageview - other',
      'purchase - one',
      'purchase - other',
    ]);
  });
});

describe('runTrendsQuery: refusals', () => {
  it.each([
    [{ series: [{ kind: 'ActionsNode', id: 1 }] }, 'ActionsNode series are not supported'],
    [{ series: [pageviews()], compareFilter: { compare: true } }, 'previous period'],
    [{ series: [pageviews()], trendsFilter: { formula: 'A/B' } }, 'formulas'],
    [
      { series: [pageviews()], breakdownFilter: { breakdown: 'email', breakdown_type: 'person' } },
      'type "person"',
    ],
    [{ series: [pageviews()], interval: 'minute' }, 'minute interval'],
    [{ series: [pageviews({ math: 'first_time_for_user' })] }, 'first_time_for_user'],
    [{ series: [pageviews({ math: 'sum' })] }, 'needs a math_property'],
  ])('%j', (query, message) => {
    expect(errorOf(query).message).toContain(message);
  });

  it('refuses a query without series as a schema error', () => {
    expect(errorOf({}).code).toBe('parse_error');
  });
});

describe('runTrendsQuery: scale', () => {
  it('answers a 30-day breakdown over 100 000 events well under a second', () => {
    const store = createPostHogEventStore();
    const events: CapturedEvent[] = [];
    const start = Date.parse('2026-11-10T00:00:00Z');
    for (let i = 0; i < 100_000; i++) {
      events.push(
        e('$pageview', `u${i % 5000}`, new Date(start + i * 25_000).toISOString(), {
          $browser: ['Chrome', 'Safari', 'Firefox'][i % 3],
        }),
      );
    }
    store.insert(events);
    const started = performance.now();
    const body = runTrendsQuery(
      store,
      {
        kind: 'TrendsQuery',
        series: [pageviews({ math: 'dau' })],
        dateRange: { date_from: '-30d' },
        breakdownFilter: { breakdown: '$browser' },
      },
      context,
    );
    expect(performance.now() - started).toBeLessThan(1000);
    expect((body.results as Result[]).map((r) => r.breakdown_value).sort()).toEqual([
      'Chrome',
      'Firefox',
      'Safari',
    ]);
  });
});
