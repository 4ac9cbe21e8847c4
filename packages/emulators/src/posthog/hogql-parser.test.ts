import { describe, expect, it } from 'vitest';
import { HogQLError } from './hogql-ast.ts';
import {
  constantFromValue,
  findPlaceholders,
  parseHogQLExpr,
  parseHogQLOrderExpr,
  parseHogQLSelect,
  replacePlaceholders,
} from './hogql-parser.ts';
import { printHogQLExpr, printHogQLSelect } from './hogql-printer.ts';

const expr = (text: string) => printHogQLExpr(parseHogQLExpr(text));

function errorOf(run: () => unknown): HogQLError {
  try {
    run();
  } catch (error) {
    if (error instanceof HogQLError) return error;
    throw error;
  }
  throw new Error('expected a HogQLError');
}

describe('parseHogQLExpr', () => {
  it.each([
    ['event', 'event'],
    ['properties.$browser', 'properties.$browser'],
    ["properties['$current_url']", 'properties.$current_url'],
    ["properties['my key']", 'properties.`my key`'],
    ['properties.a.b', 'properties.a.b'],
    ["'it''s'", "'it\\'s'"],
    ['1 + 2 * 3', 'plus(1, multiply(2, 3))'],
    ['(1 + 2) * 3', 'multiply(plus(1, 2), 3)'],
    ['-x', 'minus(0, x)'],
    ['-5', '-5'],
    ['a % 2', 'modulo(a, 2)'],
    ["a || 'b' || c", "concat(a, 'b', c)"],
    ["event = '$pageview'", "equals(event, '$pageview')"],
    ["event == 'a'", "equals(event, 'a')"],
    ['a != 1', 'notEquals(a, 1)'],
    ['a <> 1', 'notEquals(a, 1)'],
    ['a < 1', 'less(a, 1)'],
    ['a <= 1', 'lessOrEquals(a, 1)'],
    ['a > 1', 'greater(a, 1)'],
    ['a >= 1', 'greaterOrEquals(a, 1)'],
    ["a LIKE '%x%'", "like(a, '%x%')"],
    ["a NOT LIKE 'x'", "notLike(a, 'x')"],
    ["a ILIKE 'x'", "ilike(a, 'x')"],
    ["a not ilike 'x'", "notILike(a, 'x')"],
    ['a IN (1, 2)', 'in(a, tuple(1, 2))'],
    ["a NOT IN ['x']", "notIn(a, ['x'])"],
    ["a =~ 'x'", "match(a, 'x')"],
    ["a !~ 'x'", "not(match(a, 'x'))"],
    ["a =~* 'x'", "match(a, concat('(?i)', 'x'))"],
    ['a IS NULL', 'equals(a, NULL)'],
    ['a IS NOT NULL', 'notEquals(a, NULL)'],
    ['a BETWEEN 1 AND 2', 'a BETWEEN 1 AND 2'],
    ['a NOT BETWEEN 1 AND 2', 'a NOT BETWEEN 1 AND 2'],
    ['a AND b OR c', 'or(and(a, b), c)'],
    ['NOT a AND b', 'and(not(a), b)'],
    ['a ? 1 : 2', 'if(a, 1, 2)'],
    ['count()', 'count()'],
    ['count(*)', 'count(*)'],
    ['count(DISTINCT person_id)', 'count(DISTINCT person_id)'],
    ['now() - INTERVAL 7 DAY', 'minus(now(), toIntervalDay(7))'],
    ['toIntervalHour(2)', 'toIntervalHour(2)'],
    ['CASE WHEN a THEN 1 ELSE 2 END', 'if(a, 1, 2)'],
    ['CASE WHEN a THEN 1 WHEN b THEN 2 END', 'multiIf(a, 1, b, 2, NULL)'],
    ["CASE event WHEN 'a' THEN 1 ELSE 0 END", "transform(event, ['a'], [1], 0)"],
    ['x AS y', 'x AS y'],
    ['true', 'true'],
    ['NULL', 'NULL'],
    ['[1, 2]', '[1, 2]'],
    ['event -- a label', 'event'],
  ])('%s → %s', (text, printed) => {
    expect(expr(text)).toBe(printed);
  });

  it('keeps positions for error messages', () => {
    expect(parseHogQLExpr('  event')).toMatchObject({ kind: 'field', start: 2, end: 7 });
  });
});

describe('parseHogQLSelect', () => {
  it('reads every supported clause', () => {
    const query = parseHogQLSelect(
      `SELECT DISTINCT event AS e, count() c FROM events AS ev PREWHERE 1 WHERE timestamp > now() - INTERVAL 1 DAY
       GROUP BY e HAVING c > 1 ORDER BY c DESC NULLS FIRST, e LIMIT 10 OFFSET 5;`,
    );
    expect(query.distinct).toBe(true);
    expect(query.select.map(printHogQLExpr)).toEqual(['event AS e', 'count() AS c']);
    expect(query.from).toMatchObject({ table: 'events', alias: 'ev' });
    expect(query.where?.kind).toBe('and');
    expect(query.groupBy?.map(printHogQLExpr)).toEqual(['e']);
    expect(query.orderBy).toMatchObject([
      { order: 'DESC', nulls: 'FIRST' },
      { order: 'ASC', nulls: null },
    ]);
    expect(query.limit).toMatchObject({ kind: 'constant', value: 10 });
    expect(query.offset).toMatchObject({ kind: 'constant', value: 5 });
  });

  it('reads LIMIT offset, count as ClickHouse does', () => {
    const query = parseHogQLSelect('select 1 from events limit 20, 10');
    expect(query.limit).toMatchObject({ value: 10 });
    expect(query.offset).toMatchObject({ value: 20 });
  });

  it('reads SELECT * and SELECT without FROM', () => {
    expect(parseHogQLSelect('select * from events').select).toEqual([{ kind: 'asterisk', start: 7, end: 8 }]);
    expect(parseHogQLSelect('select 1').from).toBeNull();
  });

  it('prints a whole query back', () => {
    expect(printHogQLSelect(parseHogQLSelect("select event from events where event = 'a' limit 5"))).toBe(
      "SELECT event FROM events WHERE equals(event, 'a') LIMIT 5",
    );
  });

  it.each([
    ['', 'Empty query'],
    ['select', "mismatched input '<EOF>' expecting an expression"],
    ['select 1 from', "mismatched input '<EOF>' expecting a table name"],
    ['select from events', "no viable alternative at input 'from'"],
    ['delete from events', "mismatched input 'delete' expecting {SELECT, WITH, '('}"],
    ['select 1 2', "mismatched input '2' expecting <EOF>"],
    ['select (1', "mismatched input '<EOF>' expecting ')'"],
    ['select b.a(x) from events', 'You can only call simple functions in HogQL, not expressions'],
  ])('refuses %j as a syntax error', (text, message) => {
    const error = errorOf(() => parseHogQLSelect(text));
    expect(error.code).toBe('hogql_syntax_error');
    expect(error.message).toBe(message);
  });

  it.each([
    ['select * from events join persons on 1', 'Joins'],
    ['select * from events, persons', 'Joins'],
    ['select * from events array join [1] as a', 'ARRAY JOIN'],
    ['select * from (select 1)', 'Subqueries in FROM'],
    ['select (select 1)', 'Subqueries'],
    ['select 1 where a in (select 1)', 'Subqueries'],
    ['with x as (select 1) select 1', 'CTEs'],
    ['select 1 union all select 2', 'UNION'],
    ['select arrayMap(x -> x, [1])', 'Lambda'],
    ['select count() over (partition by event) from events', 'Window functions'],
    ['select 1 from events limit 1 by event', 'LIMIT BY'],
    ['select 1 from events sample 0.1', 'SAMPLE'],
    ['select 1 settings max_threads = 1', 'SETTINGS'],
    ['select person_id in cohort 1 from events', 'Cohorts'],
    ['select x::int', 'Type casts'],
    ['select 1 from events final', 'FINAL'],
    ['select {a + 1}', 'Placeholder expressions are not yet supported'],
  ])('refuses %j with a query error naming %s', (text, what) => {
    const error = errorOf(() => parseHogQLSelect(text));
    expect(error.code).toBe('hogql_query_error');
    expect(error.message).toContain(what);
  });

  it('refuses hostile nesting with a syntax error instead of overflowing the stack', () => {
    for (const text of [
      `select ${'('.repeat(5000)}1${')'.repeat(5000)}`,
      `select ${'- '.repeat(5000)}1`,
      `select ${'not '.repeat(5000)}1`,
    ]) {
      expect(errorOf(() => parseHogQLSelect(text)).message).toMatch(/nested too deeply/);
    }
  });

  it('refuses reserved aliases and % in identifiers as PostHog does', () => {
    expect(errorOf(() => parseHogQLSelect('select 1 as team_id')).message).toBe(
      `"team_id" cannot be an alias or identifier, as it's a reserved keyword`,
    );
    expect(errorOf(() => parseHogQLSelect('select event as `as%d` from events')).message).toBe(
      'The HogQL identifier "as%d" is not permitted as it contains the "%" character',
    );
    expect(errorOf(() => parseHogQLSelect('select properties.0 from events')).message).toBe(
      'SQL indexes start from one, not from zero. E.g: array.1',
    );
  });
});

describe('placeholders', () => {
  it('finds them and binds values as constants, so a quote in a value stays a string', () => {
    const query = parseHogQLSelect('select event from events where event = {name} and distinct_id in {ids}');
    expect(findPlaceholders(query)).toEqual(['name', 'ids']);
    const hostile = "x' OR 1=1 --";
    const bound = replacePlaceholders(query, (name) => ({
      kind: 'constant',
      value: constantFromValue(name === 'name' ? hostile : ['a', 'b'], name),
    }));
    expect(printHogQLSelect(bound)).toBe(
      "SELECT event FROM events WHERE and(equals(event, 'x\\' OR 1=1 --'), in(distinct_id, ['a', 'b']))",
    );
    expect(bound.where).toMatchObject({
      kind: 'and',
      exprs: [{ right: { kind: 'constant', value: hostile } }, {}],
    });
  });

  it('refuses object values and non-finite numbers', () => {
    expect(errorOf(() => constantFromValue({ a: 1 }, 'v')).code).toBe('hogql_query_error');
    expect(errorOf(() => constantFromValue(Number.NaN, 'v')).code).toBe('hogql_query_error');
  });
});

describe('parseHogQLOrderExpr', () => {
  it('reads EventsQuery orderBy entries', () => {
    expect(parseHogQLOrderExpr('timestamp DESC')).toMatchObject({
      expr: { chain: ['timestamp'] },
      order: 'DESC',
    });
    expect(parseHogQLOrderExpr('count()')).toMatchObject({ order: 'ASC' });
  });
});
