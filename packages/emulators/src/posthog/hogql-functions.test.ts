import { describe, expect, it } from 'vitest';
import { likePattern, lookupAggregate, lookupScalar, re2, SCALAR_FUNCTIONS } from './hogql-functions.ts';
import { dateTimeValue, toJson, type Value } from './hogql-values.ts';

const context = { now: Date.parse('2026-12-08T12:34:56Z') * 1000 };
const call = (name: string, ...args: Value[]) => toJson(lookupScalar(name)!.call(args, context));

function aggregate(name: string, rows: Value[][], distinct = false): unknown {
  const accumulator = lookupAggregate(name, distinct)!.create();
  for (const row of rows) accumulator.add(row);
  return toJson(accumulator.result());
}

describe('lookupScalar', () => {
  it('finds functions by exact name, and case-insensitive ones by any casing', () => {
    expect(lookupScalar('toStartOfDay')).toBeDefined();
    expect(lookupScalar('tostartofday')).toBeUndefined();
    expect(lookupScalar('NOW')).toBe(SCALAR_FUNCTIONS.now);
    expect(lookupScalar('Coalesce')).toBe(SCALAR_FUNCTIONS.coalesce);
    expect(lookupScalar('constructor')).toBeUndefined();
  });

  it('computes dates as ClickHouse does', () => {
    const ts = dateTimeValue(Date.parse('2026-12-03T09:15:00Z') * 1000);
    expect(call('now')).toBe('2026-12-08T12:34:56Z');
    expect(call('today')).toBe('2026-12-08');
    expect(call('yesterday')).toBe('2026-12-07');
    expect(call('toStartOfMinute', ts)).toBe('2026-12-03T09:15:00Z');
    expect(call('toStartOfQuarter', ts)).toBe('2026-10-01');
    expect(call('toStartOfYear', ts)).toBe('2026-01-01');
    expect(call('toMonday', ts)).toBe('2026-11-30');
    expect(call('toStartOfInterval', ts, { t: 'interval', unit: 'minute', n: 30 })).toBe(
      '2026-12-03T09:00:00Z',
    );
    expect(call('toYear', ts)).toBe(2026);
    expect(call('toDayOfWeek', ts)).toBe(4);
    expect(call('toHour', ts)).toBe(9);
    expect(call('toUnixTimestamp', ts)).toBe(Date.parse('2026-12-03T09:15:00Z') / 1000);
    expect(call('toDateTime', 'not a date')).toBeNull();
    expect(call('toDateTime', 0)).toBe('1970-01-01T00:00:00Z');
    expect(call('addDays', ts, 2)).toBe('2026-12-05T09:15:00Z');
    expect(call('subtractMonths', ts, 1)).toBe('2026-11-03T09:15:00Z');
    expect(() => call('toTimeZone', ts, 'Europe/Paris')).toThrow(/UTC/);
  });

  it('computes strings, conditionals and numbers', () => {
    expect(call('substring', 'posthog', 2, 3)).toBe('ost');
    expect(call('replaceAll', 'a-b-c', '-', '+')).toBe('a+b+c');
    expect(call('startsWith', '/docs/x', '/docs')).toBe(1);
    expect(call('position', 'hello', 'l')).toBe(3);
    expect(call('match', 'Chrome 131', '^Chrome')).toBe(1);
    expect(call('multiIf', 0, 'a', 1, 'b', 'c')).toBe('b');
    expect(call('transform', 'b', ['a', 'b'], ['x', 'y'], 'z')).toBe('y');
    expect(call('nullIf', 'a', 'a')).toBeNull();
    expect(call('round', 0.5)).toBe(0);
    expect(call('round', 1.5)).toBe(2);
    expect(call('floor', 2.7)).toBe(2);
    expect(call('intDiv', 7, 2)).toBe(3);
    expect(call('toInt', '42.9')).toBe(42);
    expect(call('toFloat', 'x')).toBeNull();
    expect(call('JSONExtractString', '{"a":{"b":"c"}}', 'a', 'b')).toBe('c');
    expect(call('JSONHas', '{"a":1}', 'a')).toBe(1);
    expect(call('has', ['a', 'b'], 'b')).toBe(1);
    expect(call('concat', 'a', null)).toBeNull();
  });
});

describe('lookupAggregate', () => {
  it('skips NULLs, as ClickHouse aggregations do', () => {
    expect(aggregate('count', [[1], [null], [2]])).toBe(2);
    expect(aggregate('count', [[], [], []])).toBe(3);
    expect(aggregate('sum', [[1], [null], ['2']])).toBe(3);
    expect(aggregate('avg', [])).toBeNull();
    expect(aggregate('min', [['b'], ['a'], [null]])).toBe('a');
    expect(aggregate('max', [[1], [3], [2]])).toBe(3);
    expect(aggregate('uniq', [['a'], ['b'], ['a'], [null]])).toBe(2);
    expect(aggregate('median', [[1], [2], [3], [10]])).toBe(2.5);
    expect(
      aggregate('argMax', [
        ['a', 1],
        ['b', 3],
        ['c', 2],
      ]),
    ).toBe('b');
    expect(aggregate('groupUniqArray', [['b'], ['a'], ['b']])).toEqual(['a', 'b']);
  });

  it('derives the If combinator (condition last) and DISTINCT', () => {
    expect(aggregate('countIf', [[1], [0], [1]])).toBe(2);
    expect(
      aggregate('sumIf', [
        [5, 1],
        [7, 0],
      ]),
    ).toBe(5);
    expect(lookupAggregate('sumIf', false)).toMatchObject({ minArgs: 2, maxArgs: 2 });
    expect(aggregate('count', [['a'], ['a'], ['b']], true)).toBe(2);
    expect(aggregate('sum', [[2], [2], [3]], true)).toBe(5);
    expect(lookupAggregate('multiIf', false)).toBeUndefined();
    expect(() => aggregate('sum', [['abc']])).toThrow(/Illegal type String/);
  });
});

describe('patterns', () => {
  it('reads LIKE patterns with % and _ and escapes', () => {
    expect(likePattern('%.test/_', false).test('a.test/x')).toBe(true);
    expect(likePattern('a\\%b', false).test('a%b')).toBe(true);
    expect(likePattern('a\\%b', false).test('axb')).toBe(false);
    expect(likePattern('ABC', true).test('abc')).toBe(true);
  });

  it('reads RE2 patterns, (?i) as a flag, and refuses broken ones', () => {
    expect(re2('(?i)chrome').test('Chrome')).toBe(true);
    expect(() => re2('(')).toThrow(/Invalid regular expression/);
  });
});
