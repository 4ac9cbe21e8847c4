// PostHog's relative dates and insight date ranges, in the project's time zone (the emulator's projects are UTC):
// `relative_date_parse_with_delta_mapping` and `get_delta_mapping_for` in `posthog/utils.py` ('-7d', '-24h',
// 'dStart', '-1mStart', ISO dates), and `QueryDateRange` in `posthog/hogql_queries/utils/query_date_range.py`
// (date_from defaults to 7 days before today's start, date_to to the end of today, buckets from the interval's
// start), with the labels of `format_label_date` (posthog/utils.py).
import {
  addMonthsMicros,
  daysInMonth,
  formatDateTimeSql,
  formatDay,
  parseDateTimeText,
  startOfMonthDay,
  startOfWeekDay,
  US_PER_DAY,
  US_PER_SECOND,
} from './hogql-values.ts';

/** Trend intervals. */
export type Interval = 'hour' | 'day' | 'week' | 'month';

/** A relativedelta as `get_delta_mapping_for` builds it: relative amounts and absolute replacements. */
export interface DeltaMapping {
  hours?: number;
  days?: number;
  weeks?: number;
  months?: number;
  years?: number;
  minutes?: number;
  seconds?: number;
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
  second?: number;
  microsecond?: number;
}

/** What a relative date resolved to. `delta` is null for an absolute date, `{}` for text that is no date at all. */
export interface ParsedRelativeDate {
  us: number;
  delta: DeltaMapping | null;
  position: 'Start' | 'End' | null;
}

const HOUR_US = 3600 * US_PER_SECOND;

function deltaFor(kind: string, number: string | undefined, position: string | undefined): DeltaMapping {
  const n = number === undefined ? undefined : Number(number);
  const delta: DeltaMapping = {};
  switch (kind) {
    case 'h':
      if (n !== undefined) delta.hours = n;
      if (position === 'Start') Object.assign(delta, { minute: 0, second: 0, microsecond: 0 });
      else if (position === 'End') Object.assign(delta, { minute: 59, second: 59, microsecond: 999_999 });
      break;
    case 'd':
      if (n !== undefined) delta.days = n;
      if (position === 'Start') Object.assign(delta, { hour: 0, minute: 0, second: 0, microsecond: 0 });
      else if (position === 'End')
        Object.assign(delta, { hour: 23, minute: 59, second: 59, microsecond: 999_999 });
      break;
    case 'w':
      if (n !== undefined) delta.weeks = n;
      break;
    case 'm':
      if (n !== undefined) delta.months = n;
      if (position === 'Start') delta.day = 1;
      else if (position === 'End') delta.day = 31;
      break;
    case 'M':
      if (n !== undefined) delta.minutes = n;
      break;
    case 's':
      if (n !== undefined) delta.seconds = n;
      break;
    case 'q':
      if (n !== undefined) delta.weeks = 13 * n;
      break;
    case 'y':
      if (n !== undefined) delta.years = n;
      if (position === 'Start') Object.assign(delta, { month: 1, day: 1 });
      else if (position === 'End') delta.day = 31;
      break;
  }
  return delta;
}

/** `now - relativedelta(**delta)`, with dateutil's order: replace absolute fields, shift months, then the rest. */
export function subtractDelta(us: number, delta: DeltaMapping): number {
  const ms = Math.floor(us / 1000);
  const date = new Date(ms);
  let micros = (ms % 1000) * 1000 + (us - ms * 1000);
  let year = date.getUTCFullYear() - (delta.years ?? 0);
  let month = (delta.month ?? date.getUTCMonth() + 1) - 1 - (delta.months ?? 0);
  year += Math.floor(month / 12);
  month = ((month % 12) + 12) % 12;
  const day = Math.min(daysInMonth(year, month), delta.day ?? date.getUTCDate());
  const hour = delta.hour ?? date.getUTCHours();
  const minute = delta.minute ?? date.getUTCMinutes();
  const second = delta.second ?? date.getUTCSeconds();
  if (delta.microsecond !== undefined) micros = delta.microsecond;
  const base = Date.UTC(year, month, day, hour, minute, second) * 1000 + micros;
  const shift =
    ((delta.weeks ?? 0) * 7 + (delta.days ?? 0)) * US_PER_DAY +
    (delta.hours ?? 0) * HOUR_US +
    (delta.minutes ?? 0) * 60 * US_PER_SECOND +
    (delta.seconds ?? 0) * US_PER_SECOND;
  return base - shift;
}

/**
 * Resolves a PostHog date (`-7d`, `-24h`, `dStart`, `-1mStart`, `2026-12-01`, an ISO datetime) against `nowUs`.
 * `alwaysTruncate` cuts relative results to the hour (hour deltas) or the day, as `always_truncate=True` does.
 */
export function parseRelativeDate(input: string, nowUs: number, alwaysTruncate = false): ParsedRelativeDate {
  const absolute = parseDateTimeText(input);
  if (absolute !== null) return { us: absolute, delta: null, position: null };
  const match = /-?(?<number>[0-9]+)?(?<kind>[hdwmqysHDWMQY])(?<position>Start|End)?/.exec(input);
  if (match === null) return { us: nowUs, delta: {}, position: null };
  const { number, kind, position } = match.groups as { number?: string; kind: string; position?: string };
  const delta = deltaFor(kind, number, position);
  let us = subtractDelta(nowUs, delta);
  if (alwaysTruncate) {
    us =
      delta.hours !== undefined
        ? Math.floor(us / HOUR_US) * HOUR_US
        : Math.floor(us / US_PER_DAY) * US_PER_DAY;
  }
  return { us, delta, position: (position as 'Start' | 'End' | undefined) ?? null };
}

/** An insight's `dateRange`. */
export interface DateRangeInput {
  date_from?: string | null;
  date_to?: string | null;
  explicitDate?: boolean | null;
}

/** `QueryDateRange`: the resolved bounds and the interval buckets of an insight. */
export interface QueryDateRange {
  interval: Interval;
  /** date_from() */
  fromUs: number;
  /** date_to() */
  toUs: number;
  /** The first timestamp an insight counts: date_from, moved to its interval's start when PostHog does so. */
  windowStartUs: number;
  /** Start of each bucket, in order (`all_values`). */
  buckets: number[];
  /** The bucket start holding `us`. */
  bucketOf: (us: number) => number;
  /** `all_values()`: `YYYY-MM-DD`, or `YYYY-MM-DD HH:MM:SS` for hours. */
  days: string[];
  /** `format_label_date` of each bucket. */
  labels: string[];
}

/** Start of the `interval` bucket holding `us` (weeks start on Sunday, PostHog's default week_start_day). */
export function startOfInterval(us: number, interval: Interval): number {
  switch (interval) {
    case 'hour':
      return Math.floor(us / HOUR_US) * HOUR_US;
    case 'day':
      return Math.floor(us / US_PER_DAY) * US_PER_DAY;
    case 'week':
      return startOfWeekDay(Math.floor(us / US_PER_DAY), 0) * US_PER_DAY;
    case 'month':
      return startOfMonthDay(Math.floor(us / US_PER_DAY)) * US_PER_DAY;
  }
}

function nextBucket(us: number, interval: Interval): number {
  if (interval === 'month') return addMonthsMicros(us, 1);
  return us + (interval === 'hour' ? HOUR_US : interval === 'day' ? US_PER_DAY : 7 * US_PER_DAY);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function dayParts(day: number) {
  const date = new Date(day * 86_400_000);
  return { d: date.getUTCDate(), mon: MONTHS[date.getUTCMonth()]!, year: date.getUTCFullYear() };
}

// posthog/utils.py _format_date_range.
function formatDateRange(startDay: number, endDay: number): string {
  const a = dayParts(startDay);
  const b = dayParts(endDay);
  if (startDay === endDay) return `${a.d}-${a.mon}-${a.year}`;
  if (a.year !== b.year) return `${a.d}-${a.mon}-${a.year} – ${b.d}-${b.mon}-${b.year}`;
  if (a.mon !== b.mon) return `${a.d}-${a.mon} – ${b.d}-${b.mon}`;
  return `${a.d}–${b.d} ${b.mon}`;
}

/** `format_label_date` for one bucket start. */
export function formatLabel(us: number, interval: Interval, fromUs: number, toUs: number): string {
  const day = Math.floor(us / US_PER_DAY);
  const { d, mon, year } = dayParts(day);
  switch (interval) {
    case 'hour':
      return `${d}-${mon} ${formatDateTimeSql(us, 0).slice(11, 16)}`;
    case 'day':
      return `${d}-${mon}-${year}`;
    case 'month':
      return `${mon} ${year}`;
    case 'week': {
      const start = Math.max(startOfWeekDay(day, 0), Math.floor(fromUs / US_PER_DAY));
      const end = Math.max(Math.min(startOfWeekDay(day, 0) + 6, Math.floor(toUs / US_PER_DAY)), start);
      return formatDateRange(start, end);
    }
  }
}

/** PostHog's DEFAULT_DATE_FROM_DAYS. */
export const DEFAULT_DATE_FROM_DAYS = 7;

/**
 * Resolves an insight date range as `QueryDateRange` does. `earliestUs` answers `date_from: 'all'` (the project's
 * first event).
 */
export function resolveDateRange(
  range: DateRangeInput | null | undefined,
  interval: Interval,
  nowUs: number,
  earliestUs: () => number | null,
): QueryDateRange {
  const exact = range?.explicitDate === true;
  let toUs = nowUs;
  let toRelative = true;
  if (range?.date_to) {
    const parsed = parseRelativeDate(range.date_to, nowUs, true);
    toUs = parsed.us;
    toRelative = parsed.delta !== null;
  }
  if (!exact) {
    if (interval !== 'hour') toUs = Math.floor(toUs / US_PER_DAY) * US_PER_DAY + US_PER_DAY - 1;
    else if (toRelative) toUs = Math.floor(toUs / HOUR_US) * HOUR_US + HOUR_US - 1;
  }

  let fromUs: number;
  let fromDelta: DeltaMapping | null = null;
  if (range?.date_from === 'all') {
    fromUs =
      earliestUs() ?? Math.floor(nowUs / US_PER_DAY) * US_PER_DAY - DEFAULT_DATE_FROM_DAYS * US_PER_DAY;
  } else if (typeof range?.date_from === 'string' && range.date_from !== '') {
    const parsed = parseRelativeDate(range.date_from, nowUs);
    fromUs = parsed.us;
    fromDelta = parsed.delta;
  } else {
    fromUs = Math.floor(nowUs / US_PER_DAY) * US_PER_DAY - DEFAULT_DATE_FROM_DAYS * US_PER_DAY;
  }

  // QueryDateRange.use_start_of_interval: hours never, days unless the range was given in hours, else always.
  let useStart = true;
  if (exact) useStart = false;
  else if (fromDelta !== null && range?.date_from) {
    if (interval === 'hour') useStart = false;
    else if (interval === 'day' && fromDelta.hours !== undefined) useStart = false;
  }
  const windowStartUs = useStart ? startOfInterval(fromUs, interval) : fromUs;

  const buckets: number[] = [];
  for (let at = startOfInterval(fromUs, interval); at <= toUs; at = nextBucket(at, interval))
    buckets.push(at);
  return {
    interval,
    fromUs,
    toUs,
    windowStartUs,
    buckets,
    bucketOf: (us) => startOfInterval(us, interval),
    days: buckets.map((us) =>
      interval === 'hour' ? formatDateTimeSql(us, 0) : formatDay(Math.floor(us / US_PER_DAY)),
    ),
    labels: buckets.map((us) => formatLabel(us, interval, fromUs, toUs)),
  };
}
