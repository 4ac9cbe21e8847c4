import { describe, expect, it } from 'vitest';
import type { CapturedEvent } from './capture.ts';
import { createPostHogEventStore } from './event-store.ts';
import { HogQLError } from './hogql-ast.ts';
import { OFFSET_NOT_ALLOWED_MESSAGE, runHogQLQuery } from './hogql-query.ts';
import type { QueryContext } from './query-context.ts';

const context: QueryContext = {
  nowUs: Date.parse('2026-12-08T12:00:00Z') * 1000,
  teamId: 1,
  offsetAllowed: false,
};

function store(count: number) {
  const events: CapturedEvent[] = [];
  for (let i = 0; i < count; i++) {
    events.push({
      uuid: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
      event: i % 2 === 0 ? '$pageview' : 'purchase',
      distinct_id: `u${i % 3}`,
      properties: { n: i, name: i === 1 ? "O'Brien" : 'x' },
      timestamp: new Date(Date.parse('2026-12-01T00:00:00Z') + i * 60_000).toISOString(),
      token: 'phc',
      path: '/batch/',
    });
  }
  const s = createPostHogEventStore();
  s.insert(events);
  return s;
}

const run = (query: Record<string, unknown>, count = 5, ctx = context) =>
  runHogQLQuery(store(count), { kind: 'HogQLQuery', ...query }, ctx);

function errorOf(query: Record<string, unknown>, ctx = context): HogQLError {
  try {
    run(query, 5, ctx);
  } catch (error) {
    if (error instanceof HogQLError) return error;
    throw error;
  }
  throw new Error('expected a HogQLError');
}

describe('runHogQLQuery', () => {
  it('answers results, columns, [name, type] types, the query and its HogQL', () => {
    const body = run({
      query: "select event, count() as c from events where event = 'purchase' group by event limit 5",
    });
    expect(body).toMatchObject({
      results: [['purchase', 2]],
      columns: ['event', 'c'],
      types: [
        ['event', 'String'],
        ['c', 'UInt64'],
      ],
      hasMore: null,
      limit: null,
      offset: null,
      query: "select event, count() as c from events where event = 'purchase' group by event limit 5",
      hogql: "SELECT event, count() AS c FROM events WHERE equals(event, 'purchase') GROUP BY event LIMIT 5",
      timings: [],
    });
  });

  it('returns 100 rows and hasMore when the SQL has no LIMIT, as the paginator does', () => {
    const body = run({ query: 'select uuid from events order by timestamp' }, 150);
    expect(body.results).toHaveLength(100);
    expect(body).toMatchObject({ hasMore: true, limit: 100, offset: 0 });
    expect(body.hogql).toBe('SELECT uuid FROM events ORDER BY timestamp ASC LIMIT 101 OFFSET 0');
    expect(run({ query: 'select uuid from events' }, 100)).toMatchObject({ hasMore: false, limit: 100 });
  });

  it('clamps LIMIT to 50 000 and shows it in the HogQL', () => {
    expect(run({ query: 'select 1 limit 1000000' }).hogql).toBe('SELECT 1 LIMIT 50000');
  });

  it('binds values as constants: a quote in a value cannot change the query', () => {
    const name = "O'Brien";
    expect(
      run({ query: 'select properties.n from events where properties.name = {name}', values: { name } })
        .results,
    ).toEqual([[1]]);
    const injection = "x' OR '1'='1";
    expect(
      run({ query: 'select count() from events where properties.name = {name}', values: { name: injection } })
        .results,
    ).toEqual([[0]]);
    const tautology = '1 OR 1=1';
    expect(
      run({ query: 'select count() from events where properties.n = {n}', values: { n: tautology } }).results,
    ).toEqual([[0]]);
    expect(
      run({ query: 'select count() from events where distinct_id in {ids}', values: { ids: ['u0', 'u1'] } })
        .results,
    ).toEqual([[4]]);
  });

  it('pages by keyset with a timestamp placeholder', () => {
    const first = run({ query: 'select timestamp, uuid from events order by timestamp, uuid limit 2' });
    const last = (first.results as unknown[][])[1]![0];
    const next = run({
      query: 'select uuid from events where timestamp > {after} order by timestamp, uuid limit 2',
      values: { after: last },
    });
    expect(next.results).toEqual([
      ['00000000-0000-0000-0000-000000000002'],
      ['00000000-0000-0000-0000-000000000003'],
    ]);
  });

  it('pages by the (timestamp, uuid) keyset the PostHog connector sends, each page read from its cursor on', () => {
    const events = store(3000);
    const sql =
      'select timestamp, uuid from events where timestamp > toDateTime({after_timestamp}) or (timestamp = toDateTime({after_timestamp}) and uuid > toUUID({after_uuid})) order by timestamp, uuid limit 500';
    let cursor = {
      after_timestamp: '1970-01-01T00:00:00Z',
      after_uuid: '00000000-0000-0000-0000-000000000000',
    };
    const seen: string[] = [];
    for (;;) {
      const started = performance.now();
      const page = runHogQLQuery(events, { kind: 'HogQLQuery', query: sql, values: cursor }, context);
      expect(performance.now() - started).toBeLessThan(200);
      const results = page.results as [string, string][];
      seen.push(...results.map(([, uuid]) => uuid));
      if (results.length < 500) break;
      const [timestamp, uuid] = results[results.length - 1]!;
      cursor = { after_timestamp: timestamp, after_uuid: uuid };
    }
    expect(seen).toHaveLength(3000);
    expect(new Set(seen).size).toBe(3000);
  });

  it('reads {filters}: date range and properties', () => {
    const body = run({
      query: 'select count() from events where {filters}',
      filters: {
        dateRange: { date_from: '2026-12-01T00:01:00Z', date_to: '2026-12-01T00:04:00Z' },
        properties: [{ key: 'n', value: 2, operator: 'gte', type: 'event' }],
      },
    });
    expect(body.results).toEqual([[2]]);
    expect(run({ query: 'select count() from events where {filters}' }).results).toEqual([[5]]);
  });

  it('refuses placeholders without values, and names the values there are', () => {
    expect(errorOf({ query: 'select {x}' }).message).toBe('Unresolved placeholder: {x}');
    expect(errorOf({ query: 'select {x}', values: { a: 1, b: 2 } }).message).toBe(
      'Placeholder {x} is not available in this context. You can use the following: a, b',
    );
  });

  it('refuses OFFSET for personal-API-key callers unless allowed', () => {
    expect(errorOf({ query: 'select 1 from events limit 1 offset 1' })).toMatchObject({
      code: 'hogql_query_error',
      message: OFFSET_NOT_ALLOWED_MESSAGE,
    });
    const allowed = run({ query: 'select uuid from events order by timestamp limit 1 offset 1' }, 5, {
      ...context,
      offsetAllowed: true,
    });
    expect(allowed.results).toEqual([['00000000-0000-0000-0000-000000000001']]);
  });

  it('refuses a node without a query string, and insight variables', () => {
    expect(errorOf({})).toMatchObject({ code: 'parse_error' });
    expect(errorOf({ query: 'select 1', variables: { v: { code_name: 'v' } } }).message).toMatch(/variables/);
  });
});
