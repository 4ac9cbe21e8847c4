import { describe, expect, it } from 'vitest';
import type { CapturedEvent } from './capture.ts';
import { createPostHogEventStore, type PostHogEventStore, personIdFor } from './event-store.ts';
import { HogQLError } from './hogql-ast.ts';
import { parseHogQLSelect } from './hogql-parser.ts';
import { runSelect } from './hogql-select.ts';
import { toJson } from './hogql-values.ts';

const NOW = Date.parse('2026-12-08T12:00:00Z') * 1000;

function capture(
  event: string,
  distinctId: string,
  timestamp: string,
  properties: Record<string, unknown> = {},
  uuid?: string,
): CapturedEvent {
  return {
    uuid: uuid ?? `${event}-${distinctId}-${timestamp}`,
    event,
    distinct_id: distinctId,
    properties,
    timestamp,
    token: 'phc',
    path: '/batch/',
  };
}

function sampleStore(): PostHogEventStore {
  const store = createPostHogEventStore();
  store.insert(
    [
      capture(
        '$pageview',
        'u1',
        '2026-12-01T10:00:00Z',
        { $browser: 'Chrome', $current_url: 'https://a.test/x' },
        'e1',
      ),
      capture(
        '$pageview',
        'u2',
        '2026-12-02T11:00:00Z',
        { $browser: 'Safari', $current_url: 'https://a.test/y' },
        'e2',
      ),
      capture('purchase', 'u1', '2026-12-02T12:00:00Z', { amount: 10, plan: 'pro', paid: true }, 'e3'),
      capture('purchase', 'u2', '2026-12-03T09:00:00Z', { amount: 5.5, plan: null }, 'e4'),
      capture(
        '$autocapture',
        'u3',
        '2026-12-07T08:00:00.250Z',
        { $browser: 'Chrome', nested: { a: { b: 2 } } },
        'e5',
      ),
    ],
    { receivedAt: new Date('2026-12-08T00:00:00Z') },
  );
  return store;
}

function run(store: PostHogEventStore, sql: string, maxLimit = 50_000) {
  const output = runSelect(store, parseHogQLSelect(sql), { now: NOW, teamId: 7, maxLimit });
  return { ...output, rows: output.rows.map((row) => row.map(toJson)) };
}

const rows = (sql: string) => run(sampleStore(), sql).rows;

function errorOf(sql: string): HogQLError {
  try {
    run(sampleStore(), sql);
  } catch (error) {
    if (error instanceof HogQLError) return error;
    throw error;
  }
  throw new Error('expected a HogQLError');
}

describe('runSelect: columns', () => {
  it('names columns by alias or by their printed HogQL, with ClickHouse types', () => {
    const out = run(
      sampleStore(),
      "select event, properties.$browser as browser, timestamp, uuid, distinct_id, person_id, event = '$pageview', count() from events where uuid = 'e1' group by event, browser, timestamp, uuid, distinct_id, person_id",
    );
    expect(out.columns).toEqual([
      'event',
      'browser',
      'timestamp',
      'uuid',
      'distinct_id',
      'person_id',
      "equals(event, '$pageview')",
      'count()',
    ]);
    expect(out.types).toEqual([
      'String',
      'Nullable(String)',
      "DateTime64(6, 'UTC')",
      'UUID',
      'String',
      'UUID',
      'UInt8',
      'UInt64',
    ]);
    expect(out.rows).toEqual([
      ['$pageview', 'Chrome', '2026-12-01T10:00:00Z', 'e1', 'u1', personIdFor('u1'), 1, 1],
    ]);
  });

  it('expands SELECT * to the events columns PostHog lists (no team_id)', () => {
    const out = run(sampleStore(), "select * from events where uuid = 'e3'");
    expect(out.columns).toEqual([
      'uuid',
      'event',
      'properties',
      'timestamp',
      'distinct_id',
      'elements_chain',
      'created_at',
      '$session_id',
      '$window_id',
      'person_mode',
      '$group_0',
      '$group_1',
      '$group_2',
      '$group_3',
      '$group_4',
      'elements_chain_href',
      'elements_chain_texts',
      'elements_chain_ids',
      'elements_chain_elements',
    ]);
    expect(out.rows[0]?.slice(0, 7)).toEqual([
      'e3',
      'purchase',
      '{"amount":10,"plan":"pro","paid":true}',
      '2026-12-02T12:00:00Z',
      'u1',
      '',
      '2026-12-08T00:00:00Z',
    ]);
  });

  it('types property columns after what they hold, and keeps microseconds in timestamps', () => {
    const out = run(
      sampleStore(),
      "select properties.amount, properties.paid, timestamp from events where event != '$pageview' order by timestamp",
    );
    expect(out.types).toEqual(['Nullable(Float64)', 'Nullable(Bool)', "DateTime64(6, 'UTC')"]);
    expect(out.rows).toEqual([
      [10, true, '2026-12-02T12:00:00Z'],
      [5.5, null, '2026-12-03T09:00:00Z'],
      [null, null, '2026-12-07T08:00:00.250000Z'],
    ]);
  });

  it('reads nested properties and table-prefixed fields', () => {
    expect(
      rows(
        "select properties.nested.a.b, properties['nested']['a'], e.event from events as e where e.uuid = 'e5'",
      ),
    ).toEqual([[2, '{"b":2}', '$autocapture']]);
  });

  it('runs SELECT without FROM once', () => {
    expect(rows('select 1 + 2, now(), today()')).toEqual([[3, '2026-12-08T12:00:00Z', '2026-12-08']]);
  });
});

describe('runSelect: WHERE', () => {
  it.each([
    ["event = 'purchase'", ['e3', 'e4']],
    ["event IN ('purchase', '$autocapture')", ['e3', 'e4', 'e5']],
    ["event NOT IN ('purchase')", ['e1', 'e2', 'e5']],
    ["properties.$browser != 'Chrome'", ['e2', 'e3', 'e4']], // NULL != 'Chrome' holds in HogQL
    ["properties.$browser = 'Chrome' OR properties.amount > 6", ['e1', 'e3', 'e5']],
    ["NOT (event = 'purchase') AND distinct_id = 'u1'", ['e1']],
    ['properties.amount < 100', ['e3', 'e4']], // NULL < 100 is false
    ['properties.amount >= 5.5 AND properties.amount <= 10', ['e3', 'e4']],
    ['properties.amount BETWEEN 6 AND 20', ['e3']],
    ["properties.$current_url LIKE '%/x'", ['e1']],
    ["properties.$current_url ILIKE '%A.TEST%'", ['e1', 'e2']],
    ["properties.$current_url NOT LIKE '%/x'", ['e2', 'e3', 'e4', 'e5']], // NULL NOT LIKE holds
    ['properties.plan IS NULL', ['e1', 'e2', 'e4', 'e5']],
    ['properties.plan IS NOT NULL', ['e3']],
    ["event =~ '^\\\\$'", ['e1', 'e2', 'e5']],
    ["timestamp >= '2026-12-02' AND timestamp < '2026-12-03'", ['e2', 'e3']],
    ['timestamp > now() - INTERVAL 2 DAY', ['e5']],
    ['timestamp > now() - toIntervalDay(7)', ['e2', 'e3', 'e4', 'e5']],
    ["toDate(timestamp) = '2026-12-02'", ['e2', 'e3']],
    ["properties.amount = '10'", ['e3']],
    ['properties.paid', ['e3']],
  ])('%s', (condition, expected) => {
    expect(
      rows(`select uuid from events where ${condition} order by timestamp`).map((row) => row[0]),
    ).toEqual(expected);
  });
});

describe('runSelect: functions', () => {
  it('evaluates date functions with ClickHouse return types', () => {
    const out = run(
      sampleStore(),
      "select toStartOfDay(timestamp), toStartOfHour(timestamp), toStartOfWeek(timestamp), toStartOfWeek(timestamp, 1), toStartOfMonth(timestamp), toDate(timestamp), toDateTime('2026-12-01 10:00:00'), dateDiff('day', timestamp, now()) from events where uuid = 'e4'",
    );
    expect(out.types).toEqual([
      "DateTime('UTC')",
      "DateTime('UTC')",
      'Date',
      'Date',
      'Date',
      'Date',
      "Nullable(DateTime64(6, 'UTC'))",
      'Int64',
    ]);
    expect(out.rows).toEqual([
      [
        '2026-12-03T00:00:00Z',
        '2026-12-03T09:00:00Z',
        '2026-11-29',
        '2026-11-30',
        '2026-12-01',
        '2026-12-03',
        '2026-12-01T10:00:00Z',
        5,
      ],
    ]);
  });

  it('evaluates string, null and number functions', () => {
    expect(
      rows(
        "select lower(event), upper('a'), coalesce(properties.plan, properties.$browser, 'none'), round(2.5), round(3.14159, 2), length('abc'), concat(event, '!'), ifNull(properties.plan, 'free'), if(properties.amount > 6, 'big', 'small'), toString(properties.amount) from events where uuid = 'e4'",
      ),
    ).toEqual([['purchase', 'A', 'none', 2, 3.14, 3, 'purchase!', 'free', 'small', '5.5']]);
  });

  it('aggregates: count, count(x), count(DISTINCT x), uniq, sum/avg/min/max, countIf, and empty groups', () => {
    expect(
      rows(
        "select count(), count(properties.amount), count(DISTINCT distinct_id), uniq(distinct_id), sum(properties.amount), avg(properties.amount), min(properties.amount), max(timestamp), countIf(event = 'purchase'), COUNT(*) from events",
      ),
    ).toEqual([[5, 2, 3, 3, 15.5, 7.75, 5.5, '2026-12-07T08:00:00.250000Z', 2, 5]]);
    expect(rows("select count(), avg(properties.amount) from events where event = 'nothing'")).toEqual([
      [0, null],
    ]);
    expect(rows("select event, count() from events where event = 'nothing' group by event")).toEqual([]);
  });
});

describe('runSelect: GROUP BY, HAVING, ORDER BY, LIMIT', () => {
  it('groups by an alias, filters with HAVING and orders by an aggregate', () => {
    expect(
      rows('select event as e, count() as c from events group by e having c > 1 order by c desc, e'),
    ).toEqual([
      ['$pageview', 2],
      ['purchase', 2],
    ]);
  });

  it('groups by day and orders by position', () => {
    expect(
      rows('select toStartOfDay(timestamp) as day, count() from events group by day order by 1 desc limit 2'),
    ).toEqual([
      ['2026-12-07T00:00:00Z', 1],
      ['2026-12-03T00:00:00Z', 1],
    ]);
  });

  it('sorts NULLs last in both directions unless NULLS FIRST, and applies LIMIT and OFFSET', () => {
    expect(
      rows('select properties.amount from events order by properties.amount desc').map((r) => r[0]),
    ).toEqual([10, 5.5, null, null, null]);
    expect(
      rows(
        'select properties.amount from events order by properties.amount asc nulls first limit 2 offset 2',
      ).map((r) => r[0]),
    ).toEqual([null, 5.5]);
  });

  it('filters rows with HAVING when nothing aggregates', () => {
    expect(rows("select uuid from events having event = 'purchase' order by uuid")).toEqual([['e3'], ['e4']]);
  });

  it('answers DISTINCT rows once', () => {
    expect(rows('select distinct distinct_id from events order by distinct_id')).toEqual([
      ['u1'],
      ['u2'],
      ['u3'],
    ]);
  });

  it('clamps LIMIT to the maximum', () => {
    expect(run(sampleStore(), 'select uuid from events limit 100000', 2).rows).toHaveLength(2);
  });
});

describe('runSelect: refusals', () => {
  it.each([
    ['select nope from events', 'Unable to resolve field: nope'],
    ['select event from other', 'Unknown table "other".'],
    ['select 1 from persons', 'The PostHog emulator has no table "persons"'],
    [
      'select event, count() from events',
      'Column `event` is not under aggregate function and not in GROUP BY keys',
    ],
    ['select 1 from events where count() > 1', 'Aggregate function count() is found in WHERE in query'],
    [
      'select avg(avg(properties.x)) from events',
      "Aggregation 'avg' cannot be nested inside another aggregation 'avg'.",
    ],
    ['select count(1, 2) from events', "Aggregation 'count' expects at most 1 argument, found 2"],
    ['select lower() from events', "Function 'lower' expects 1 argument, found 0"],
    ['select hamburger(event) from events', "Unsupported function call 'hamburger(...)'"],
    ['select tostring(event) from events', "Perhaps you meant 'toString(...)'?"],
    ['select person.properties.email from events', 'keeps no persons'],
    ['select session.duration from events', 'Joined tables (session)'],
    ['select event.x from events', "Can't access property x of column event"],
    ["select 1 from events where timestamp > 'soon'", "Cannot parse string 'soon'"],
    ['select median(0.5)(properties.x) from events', 'Parametric aggregations'],
    ['select 1 from events limit event', 'LIMIT expression must be constant'],
    ['select constructor(1)', "Unsupported function call 'constructor(...)'"],
  ])('%s', (sql, message) => {
    const error = errorOf(sql);
    expect(error.code).toBe('hogql_query_error');
    expect(error.message).toContain(message);
  });
});

describe('runSelect: keyset pagination and scale', () => {
  function bigStore(count: number): PostHogEventStore {
    const store = createPostHogEventStore();
    const start = Date.parse('2026-11-01T00:00:00Z');
    const batch: CapturedEvent[] = [];
    for (let i = 0; i < count; i++) {
      // Several events share each timestamp, so the uuid tie-breaker matters.
      const at = new Date(start + Math.floor(i / 3) * 20_000).toISOString();
      batch.push(
        capture(
          i % 4 === 0 ? 'purchase' : '$pageview',
          `u${i % 997}`,
          at,
          { $browser: i % 2 ? 'Chrome' : 'Firefox', amount: i % 50 },
          `id-${String(i).padStart(6, '0')}`,
        ),
      );
    }
    store.insert(batch);
    return store;
  }

  it('pages through every event exactly once with WHERE (timestamp, uuid) > last ORDER BY timestamp, uuid', () => {
    const store = bigStore(1000);
    const seen = new Set<string>();
    let last: [string, string] | null = null;
    for (let page = 0; page < 20; page++) {
      const where: string =
        last === null
          ? ''
          : `where timestamp > '${last[0]}' or (timestamp = '${last[0]}' and uuid > '${last[1]}')`;
      const out = run(
        store,
        `select uuid, timestamp from events ${where} order by timestamp, uuid limit 128`,
      );
      for (const [uuid] of out.rows) {
        expect(seen.has(uuid as string)).toBe(false);
        seen.add(uuid as string);
      }
      if (out.rows.length < 128) break;
      const tail = out.rows[out.rows.length - 1]!;
      last = [tail[1] as string, tail[0] as string];
    }
    expect(seen.size).toBe(1000);
  });

  it('answers over 100 000 events well under a second, and a keyset page cheaply', () => {
    const store = bigStore(100_000);
    let started = performance.now();
    const grouped = run(
      store,
      "select properties.$browser, count(), uniq(distinct_id), sum(properties.amount) from events where event = '$pageview' group by properties.$browser order by 2 desc",
    );
    const groupMs = performance.now() - started;
    expect(grouped.rows).toEqual([
      ['Chrome', 50_000, 997, expect.any(Number)],
      ['Firefox', 25_000, expect.any(Number), expect.any(Number)],
    ]);
    expect(groupMs).toBeLessThan(1000);

    started = performance.now();
    const page = run(
      store,
      "select uuid, timestamp, event from events where timestamp > '2026-11-03T00:00:00Z' order by timestamp, uuid limit 10000",
    );
    const pageMs = performance.now() - started;
    expect(page.rows).toHaveLength(10_000);
    expect(pageMs).toBeLessThan(250);

    // The keyset with its tie-breaker is an OR: the scan still starts at the cursor.
    const tail = page.rows[page.rows.length - 1]!;
    started = performance.now();
    const nextPage = run(
      store,
      `select uuid from events where timestamp > toDateTime('${tail[1]}') or (timestamp = toDateTime('${tail[1]}') and uuid > '${tail[0]}') order by timestamp, uuid limit 10000`,
    );
    expect(performance.now() - started).toBeLessThan(250);
    expect(nextPage.rows[0]![0]).not.toBe(tail[0]);
    expect(nextPage.rows).toHaveLength(10_000);
  });
});
