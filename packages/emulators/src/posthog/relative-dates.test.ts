import { describe, expect, it } from 'vitest';
import { formatDateTimeIso } from './hogql-values.ts';
import { formatLabel, parseRelativeDate, resolveDateRange, startOfInterval } from './relative-dates.ts';

const NOW = Date.parse('2026-12-09T15:45:30Z') * 1000; // a Wednesday
const iso = (us: number) => formatDateTimeIso(us);
const parsed = (text: string, truncate = false) => iso(parseRelativeDate(text, NOW, truncate).us);

describe('parseRelativeDate', () => {
  it.each([
    ['-7d', '2026-12-02T15:45:30Z'],
    ['-24h', '2026-12-08T15:45:30Z'],
    ['-1w', '2026-12-02T15:45:30Z'],
    ['-1m', '2026-11-09T15:45:30Z'],
    ['-1q', '2026-09-09T15:45:30Z'],
    ['-1y', '2025-12-09T15:45:30Z'],
    ['-30M', '2026-12-09T15:15:30Z'],
    ['dStart', '2026-12-09T00:00:00Z'],
    ['-1dStart', '2026-12-08T00:00:00Z'],
    ['-1dEnd', '2026-12-08T23:59:59.999999Z'],
    ['mStart', '2026-12-01T15:45:30Z'],
    ['yStart', '2026-01-01T15:45:30Z'],
    ['2026-12-01', '2026-12-01T00:00:00Z'],
    ['2026-12-01T10:00:00+01:00', '2026-12-01T09:00:00Z'],
  ])('%s', (text, expected) => {
    expect(parsed(text)).toBe(expected);
  });

  it('truncates to the hour or the day when asked', () => {
    expect(parsed('-24h', true)).toBe('2026-12-08T15:00:00Z');
    expect(parsed('-7d', true)).toBe('2026-12-02T00:00:00Z');
  });

  it('clamps the day when months are shorter', () => {
    const march31 = Date.parse('2026-03-31T00:00:00Z') * 1000;
    expect(iso(parseRelativeDate('-1m', march31).us)).toBe('2026-02-28T00:00:00Z');
  });

  it('answers now (and an empty delta) for text that is no date', () => {
    expect(parseRelativeDate('whenever', NOW)).toMatchObject({ us: NOW, delta: {} });
  });
});

describe('resolveDateRange', () => {
  it('defaults to the 7 days before today through the end of today, by day, 8 buckets', () => {
    const range = resolveDateRange(undefined, 'day', NOW, () => null);
    expect(iso(range.fromUs)).toBe('2026-12-02T00:00:00Z');
    expect(iso(range.toUs)).toBe('2026-12-09T23:59:59.999999Z');
    expect(range.days).toEqual([
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
      '2026-12-05',
      '2026-12-06',
      '2026-12-07',
      '2026-12-08',
      '2026-12-09',
    ]);
    expect(range.labels[0]).toBe('2-Dec-2026');
  });

  it('starts -7d at the start of its day for days, at the exact time for hours', () => {
    const days = resolveDateRange({ date_from: '-7d' }, 'day', NOW, () => null);
    expect(iso(days.windowStartUs)).toBe('2026-12-02T00:00:00Z');
    const hours = resolveDateRange({ date_from: '-24h' }, 'hour', NOW, () => null);
    expect(iso(hours.windowStartUs)).toBe('2026-12-08T15:45:30Z');
    expect(iso(hours.toUs)).toBe('2026-12-09T15:59:59.999999Z');
    expect(hours.days[0]).toBe('2026-12-08 15:00:00');
    expect(hours.days).toHaveLength(25);
    expect(hours.labels[0]).toBe('8-Dec 15:00');
  });

  it('aligns weeks to Sunday and labels them as clamped ranges; months by their first day', () => {
    const weeks = resolveDateRange(
      { date_from: '2026-11-01', date_to: '2026-12-09' },
      'week',
      NOW,
      () => null,
    );
    expect(weeks.days).toEqual([
      '2026-11-01',
      '2026-11-08',
      '2026-11-15',
      '2026-11-22',
      '2026-11-29',
      '2026-12-06',
    ]);
    expect(weeks.labels).toEqual([
      '1–7 Nov',
      '8–14 Nov',
      '15–21 Nov',
      '22–28 Nov',
      '29-Nov – 5-Dec',
      '6–9 Dec',
    ]);
    const months = resolveDateRange({ date_from: '-2m' }, 'month', NOW, () => null);
    expect(months.days).toEqual(['2026-10-01', '2026-11-01', '2026-12-01']);
    expect(months.labels).toEqual(['Oct 2026', 'Nov 2026', 'Dec 2026']);
  });

  it("reads date_from 'all' as the first event", () => {
    const range = resolveDateRange(
      { date_from: 'all' },
      'day',
      NOW,
      () => Date.parse('2026-12-07T05:00:00Z') * 1000,
    );
    expect(range.days[0]).toBe('2026-12-07');
  });

  it('finds the bucket of a timestamp', () => {
    expect(iso(startOfInterval(NOW, 'week'))).toBe('2026-12-06T00:00:00Z');
    expect(iso(startOfInterval(NOW, 'month'))).toBe('2026-12-01T00:00:00Z');
    expect(formatLabel(NOW, 'day', 0, NOW)).toBe('9-Dec-2026');
  });
});
