import { describe, expect, it } from 'vitest';
import {
  addInterval,
  compareValues,
  dateDiff,
  dateTimeValue,
  dateValue,
  formatDateTimeIso,
  formatDateTimeSql,
  formatDay,
  parseDateTimeText,
  readProperty,
  startOfWeekDay,
  toJson,
  toText,
  valuesEqual,
} from './hogql-values.ts';

const us = (iso: string) => Date.parse(iso) * 1000;

describe('parseDateTimeText', () => {
  it('reads dates, datetimes with T or a space, fractions and offsets; UTC when no offset', () => {
    expect(parseDateTimeText('2026-12-01')).toBe(us('2026-12-01T00:00:00Z'));
    expect(parseDateTimeText('2026-12-01 10:00:00')).toBe(us('2026-12-01T10:00:00Z'));
    expect(parseDateTimeText('2026-12-01T10:00:00.123456Z')).toBe(us('2026-12-01T10:00:00Z') + 123_456);
    expect(parseDateTimeText('2026-12-01T12:00:00+02:00')).toBe(us('2026-12-01T10:00:00Z'));
    expect(parseDateTimeText('2026-2-3')).toBe(us('2026-02-03T00:00:00Z'));
  });

  it('answers null for text that is no date', () => {
    for (const text of ['', 'yesterday', '2026-13-01', '2026-02-30', '10:00'])
      expect(parseDateTimeText(text)).toBeNull();
  });
});

describe('formatting', () => {
  it('renders DateTimes as orjson with OPT_UTC_Z does, and as ClickHouse toString does', () => {
    expect(formatDateTimeIso(us('2026-12-01T10:00:00Z'))).toBe('2026-12-01T10:00:00Z');
    expect(formatDateTimeIso(us('2026-12-01T10:00:00Z') + 123_000)).toBe('2026-12-01T10:00:00.123000Z');
    expect(formatDateTimeSql(us('2026-12-01T10:00:00Z'), 6)).toBe('2026-12-01 10:00:00.000000');
    expect(formatDateTimeSql(us('2026-12-01T10:00:00Z'), 0)).toBe('2026-12-01 10:00:00');
    expect(formatDay(0)).toBe('1970-01-01');
  });

  it('turns values into the JSON the API sends', () => {
    expect(toJson(dateTimeValue(us('2026-12-01T10:00:00Z')))).toBe('2026-12-01T10:00:00Z');
    expect(toJson(dateValue(1))).toBe('1970-01-02');
    expect(toJson(Number.NaN)).toBeNull();
    expect(toJson([1, 'a', null])).toEqual([1, 'a', null]);
    expect(toText(true)).toBe('true');
    expect(toText(['a', 1])).toBe("['a',1]");
  });
});

describe('comparisons', () => {
  it('equate NULL with NULL only, numbers with numeric strings, times with their text', () => {
    expect(valuesEqual(null, null)).toBe(true);
    expect(valuesEqual(null, '')).toBe(false);
    expect(valuesEqual(5, '5')).toBe(true);
    expect(valuesEqual(true, 'true')).toBe(true);
    expect(valuesEqual(dateTimeValue(us('2026-12-01T00:00:00Z')), '2026-12-01')).toBe(true);
  });

  it('compare DateTimes with numbers as epoch seconds, Dates with numbers as days', () => {
    expect(compareValues(dateTimeValue(us('1970-01-01T00:00:10Z')), 5)).toBeGreaterThan(0);
    expect(compareValues(dateTimeValue(us('1970-01-01T00:00:10Z')), 10)).toBe(0);
    expect(compareValues(3, dateValue(2))).toBeGreaterThan(0);
  });

  it('sort NULLs last and arrays element by element', () => {
    expect([3, null, 1].sort(compareValues)).toEqual([1, 3, null]);
    expect(compareValues([1, 'b'], [1, 'a'])).toBeGreaterThan(0);
  });
});

describe('readProperty', () => {
  it('walks objects and 1-based arrays, renders objects as JSON, and reads own keys only', () => {
    const properties = { a: { b: [10, 20] }, n: null, o: { x: 1 } };
    expect(readProperty(properties, ['a', 'b', 2])).toBe(20);
    expect(readProperty(properties, ['n'])).toBeNull();
    expect(readProperty(properties, ['missing', 'x'])).toBeNull();
    expect(readProperty(properties, ['o'])).toBe('{"x":1}');
    expect(readProperty(properties, ['constructor'])).toBeNull();
  });
});

describe('calendar', () => {
  it('starts weeks on Sunday (mode 0) or Monday (mode 1)', () => {
    const wednesday = Date.UTC(2026, 11, 2) / 86_400_000;
    expect(formatDay(startOfWeekDay(wednesday, 0))).toBe('2026-11-29');
    expect(formatDay(startOfWeekDay(wednesday, 1))).toBe('2026-11-30');
  });

  it('adds intervals, clamping month ends, and counts dateDiff boundaries', () => {
    const jan31 = dateTimeValue(us('2026-01-31T10:00:00Z'));
    expect(toJson(addInterval(jan31, { t: 'interval', unit: 'month', n: 1 }, 1))).toBe(
      '2026-02-28T10:00:00Z',
    );
    expect(toJson(addInterval(jan31, { t: 'interval', unit: 'day', n: 7 }, -1))).toBe('2026-01-24T10:00:00Z');
    expect(toJson(addInterval(dateValue(0), { t: 'interval', unit: 'week', n: 1 }, 1))).toBe('1970-01-08');
    expect(dateDiff('day', us('2026-01-01T23:00:00Z'), us('2026-01-02T01:00:00Z'))).toBe(1);
    expect(dateDiff('month', us('2026-01-31T00:00:00Z'), us('2026-03-01T00:00:00Z'))).toBe(2);
    expect(() => dateDiff('fortnight', 0, 1)).toThrow(/Invalid unit/);
  });
});
