// Values a HogQL expression evaluates to, with ClickHouse's meaning (PostHog runs HogQL on ClickHouse): DateTime64
// timestamps in microseconds, Date as a day number, intervals, and HogQL's null-safe comparisons. Rendering follows
// what the query API sends: PostHog serialises responses with orjson and OPT_UTC_Z (`posthog/renderers.py`
// SafeJSONRenderer), so a UTC DateTime is `2026-12-01T10:00:00Z` (microseconds only when not zero, six digits), a
// Date is `2026-12-01`, NaN and infinities are null.
import { queryError } from './hogql-ast.ts';

/** A DateTime: microseconds since the epoch, UTC (the project's time zone). `precision` 6 is DateTime64(6). */
export interface DateTimeValue {
  readonly t: 'datetime';
  readonly us: number;
  readonly precision: 0 | 6;
}

/** A Date: days since 1970-01-01. */
export interface DateValue {
  readonly t: 'date';
  readonly day: number;
}

/** Units of ClickHouse intervals (`toIntervalDay` …). */
export type IntervalUnit = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

/** An interval (`INTERVAL 7 DAY`). */
export interface IntervalValue {
  readonly t: 'interval';
  readonly unit: IntervalUnit;
  readonly n: number;
}

/** Any value an expression yields. Arrays are ClickHouse arrays and tuples. */
export type Value =
  | null
  | boolean
  | number
  | string
  | DateTimeValue
  | DateValue
  | IntervalValue
  | readonly Value[];

export const US_PER_SECOND = 1_000_000;
export const US_PER_DAY = 86_400 * US_PER_SECOND;

/** A DateTime value. */
export const dateTimeValue = (us: number, precision: 0 | 6 = 6): DateTimeValue => ({
  t: 'datetime',
  us,
  precision,
});
/** A Date value. */
export const dateValue = (day: number): DateValue => ({ t: 'date', day });

const isObject = (value: Value): value is DateTimeValue | DateValue | IntervalValue =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether `value` is a DateTime. */
export const isDateTime = (value: Value): value is DateTimeValue => isObject(value) && value.t === 'datetime';
/** Whether `value` is a Date. */
export const isDate = (value: Value): value is DateValue => isObject(value) && value.t === 'date';
/** Whether `value` is an interval. */
export const isInterval = (value: Value): value is IntervalValue => isObject(value) && value.t === 'interval';

const DATE_TIME_TEXT =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Microseconds since the epoch for ISO-ish text (`2026-12-01`, `2026-12-01 10:00:00`, `2026-12-01T10:00:00.123Z`,
 * with an optional offset), as ClickHouse's best-effort parsing reads it; text without an offset is UTC, the
 * project's zone. Null when the text is not a date.
 */
export function parseDateTimeText(text: string): number | null {
  const match = DATE_TIME_TEXT.exec(text.trim());
  if (match === null) return null;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', fraction = '', zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(sec);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month - 1)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let ms = Date.UTC(year, month - 1, day, hour, minute, second);
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0');
    ms -= sign * offsetMinutes * 60_000;
  }
  const micros = fraction === '' ? 0 : Number(fraction.slice(0, 6).padEnd(6, '0'));
  return ms * 1000 + micros;
}

/** Days in `month` (0-based) of `year`. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function civil(us: number): { date: Date; micros: number } {
  const ms = Math.floor(us / 1000);
  return { date: new Date(ms), micros: us - ms * 1000 + (ms % 1000) * 1000 };
}

/** `YYYY-MM-DD` of a day number. */
export function formatDay(day: number): string {
  const date = new Date(day * 86_400_000);
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** A DateTime as orjson with OPT_UTC_Z writes it: `2026-12-01T10:00:00Z`, or `…T10:00:00.123000Z`. */
export function formatDateTimeIso(us: number): string {
  const { date, micros } = civil(us);
  const base = `${formatDay(Math.floor(us / US_PER_DAY))}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return micros === 0 ? `${base}Z` : `${base}.${pad(micros, 6)}Z`;
}

/** A DateTime as ClickHouse's toString writes it: `2026-12-01 10:00:00` (DateTime64(6) adds `.000000`). */
export function formatDateTimeSql(us: number, precision: 0 | 6): string {
  const { date, micros } = civil(us);
  const base = `${formatDay(Math.floor(us / US_PER_DAY))} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return precision === 6 ? `${base}.${pad(micros, 6)}` : base;
}

/** Microseconds of a DateTime or of a Date's midnight; strings are parsed (a 400 when they are not dates). */
export function toMicros(value: Value): number | null {
  if (value === null) return null;
  if (isDateTime(value)) return value.us;
  if (isDate(value)) return value.day * US_PER_DAY;
  if (typeof value === 'string') {
    const us = parseDateTimeText(value);
    if (us === null) throw queryError(`Cannot parse string '${value}' as DateTime64(6, 'UTC')`);
    return us;
  }
  if (typeof value === 'number') return Math.round(value * US_PER_SECOND);
  throw queryError('Illegal type of argument: expected a DateTime');
}

/** A number for arithmetic (ClickHouse converts numeric strings; booleans are 0 and 1). */
export function toNumber(value: Value): number | null {
  if (value === null) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed === '') return null;
    const parsed = Number(trimmed);
    return Number.isNaN(parsed) ? null : parsed;
  }
  if (isDateTime(value)) return value.us / US_PER_SECOND;
  if (isDate(value)) return value.day;
  if (isInterval(value)) return value.n;
  return null;
}

/** ClickHouse's toString of a value (null stays null). */
export function toText(value: Value): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (isDateTime(value)) return formatDateTimeSql(value.us, value.precision);
  if (isDate(value)) return formatDay(value.day);
  if (isInterval(value)) return String(value.n);
  return `[${(value as readonly Value[]).map((item) => (typeof item === 'string' ? `'${item}'` : toText(item))).join(',')}]`;
}

/** Whether a condition holds (WHERE, AND, OR, if): null and 0 do not. */
export function truthy(value: Value): boolean {
  if (value === null) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  if (typeof value === 'string') return value !== '' && value !== '0' && value.toLowerCase() !== 'false';
  return true;
}

function typeRank(value: Value): number {
  if (typeof value === 'boolean' || typeof value === 'number') return 1;
  if (typeof value === 'string') return 2;
  if (isDate(value) || isDateTime(value)) return 3;
  if (isInterval(value)) return 4;
  return 5;
}

/**
 * Orders two non-null values: numbers numerically (a numeric string against a number too), strings by code
 * unit, dates and times by instant (a string against a DateTime is parsed, as ClickHouse does for constants),
 * arrays element-wise. Values of unrelated kinds order by kind.
 */
export function compareNonNull(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const aTime = isDateTime(a) || isDate(a);
  const bTime = isDateTime(b) || isDate(b);
  // A DateTime against a number compares with epoch seconds (a Date with days), as ClickHouse converts it.
  if (aTime && typeof b === 'number')
    return compareNonNull(toMicros(a)!, b * (isDate(a) ? US_PER_DAY : US_PER_SECOND));
  if (bTime && typeof a === 'number')
    return compareNonNull(a * (isDate(b) ? US_PER_DAY : US_PER_SECOND), toMicros(b)!);
  if (aTime || bTime) {
    if ((aTime || typeof a === 'string') && (bTime || typeof b === 'string')) {
      const x = toMicros(a)!;
      const y = toMicros(b)!;
      return x < y ? -1 : x > y ? 1 : 0;
    }
  }
  if (typeof a === 'boolean' || typeof b === 'boolean') {
    if (typeof a === 'string' || typeof b === 'string') return compareNonNull(toText(a)!, toText(b)!);
  }
  if (
    (typeof a === 'number' || typeof a === 'boolean') &&
    (typeof b === 'number' || typeof b === 'boolean')
  ) {
    return compareNonNull(toNumber(a)!, toNumber(b)!);
  }
  if ((typeof a === 'number' && typeof b === 'string') || (typeof a === 'string' && typeof b === 'number')) {
    const x = toNumber(a);
    const y = toNumber(b);
    if (x !== null && y !== null) return compareNonNull(x, y);
    return compareNonNull(toText(a)!, toText(b)!);
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const order = compareValues(a[i] as Value, b[i] as Value);
      if (order !== 0) return order;
    }
    return a.length - b.length;
  }
  if (isInterval(a) && isInterval(b)) return compareNonNull(a.n, b.n);
  return typeRank(a) - typeRank(b);
}

/** Total order for sorting and grouping: nulls after every value. */
export function compareValues(a: Value, b: Value): number {
  if (a === null) return b === null ? 0 : 1;
  if (b === null) return -1;
  return compareNonNull(a, b);
}

/** HogQL's `=`: null equals null, null equals nothing else (the printer's ifNull(equals(…), isNull(a) and isNull(b))). */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a === null || b === null) return a === b;
  return compareNonNull(a, b) === 0;
}

/** A stable text key for grouping and DISTINCT (values equal under `valuesEqual` share it where it matters). */
export function groupKey(value: Value): string {
  if (value === null) return 'n';
  if (typeof value === 'string') return `s${value}`;
  if (typeof value === 'number') return `d${value}`;
  if (typeof value === 'boolean') return value ? 'd1' : 'd0';
  if (isDateTime(value)) return `t${value.us}`;
  if (isDate(value)) return `t${value.day * US_PER_DAY}`;
  if (isInterval(value)) return `i${value.unit}${value.n}`;
  return `[${(value as readonly Value[]).map(groupKey).join(',')}]`;
}

/** The JSON the query API sends for a value. */
export function toJson(value: Value): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (isDateTime(value)) return formatDateTimeIso(value.us);
  if (isDate(value)) return formatDay(value.day);
  if (isInterval(value)) return value.n;
  return (value as readonly Value[]).map(toJson);
}

/** A JSON value as HogQL's property access yields it: scalars as they are, objects and arrays as JSON text. */
export function fromJson(value: unknown): Value {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  return JSON.stringify(value);
}

/**
 * `properties.a.b` / `properties['a']`: walks the event's properties, 1-based into arrays, as JSONExtractRaw does
 * behind HogQL's property access. A missing key or a JSON null is NULL.
 */
export function readProperty(
  properties: Record<string, unknown>,
  chain: readonly (string | number)[],
): Value {
  let current: unknown = properties;
  for (const key of chain) {
    if (Array.isArray(current)) {
      const index = typeof key === 'number' ? key : Number(key);
      if (!Number.isInteger(index)) return null;
      current = current[index > 0 ? index - 1 : current.length + index];
    } else if (typeof current === 'object' && current !== null) {
      const name = String(key);
      // Own keys only: `properties.constructor` is a property named so, not Object.prototype's.
      current = Object.hasOwn(current, name) ? (current as Record<string, unknown>)[name] : undefined;
    } else {
      return null;
    }
    if (current === undefined) return null;
  }
  return fromJson(current);
}

// ---- calendar arithmetic, UTC -------------------------------------------------------------------------

/** The day number of a DateTime or Date. */
export function dayOf(value: DateTimeValue | DateValue): number {
  return isDate(value) ? value.day : Math.floor(value.us / US_PER_DAY);
}

/** Start of the week holding `day`: mode 0 weeks start on Sunday (PostHog's default), mode 1 on Monday. */
export function startOfWeekDay(day: number, mode: number): number {
  const weekday = (((day + 4) % 7) + 7) % 7; // 0 = Sunday; 1970-01-01 was a Thursday
  const back = mode % 2 === 1 ? (weekday + 6) % 7 : weekday;
  return day - back;
}

/** Day number of the first day of the month holding `day`. */
export function startOfMonthDay(day: number): number {
  const date = new Date(day * 86_400_000);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / 86_400_000;
}

/** Adds calendar months, clamping the day to the month's end (ClickHouse addMonths). */
export function addMonthsMicros(us: number, months: number): number {
  const ms = Math.floor(us / 1000);
  const rest = us - ms * 1000;
  const date = new Date(ms);
  const total = date.getUTCFullYear() * 12 + date.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const day = Math.min(date.getUTCDate(), daysInMonth(year, month));
  const shifted = Date.UTC(
    year,
    month,
    day,
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    date.getUTCMilliseconds(),
  );
  return shifted * 1000 + rest;
}

const FIXED_UNIT_US: Partial<Record<IntervalUnit, number>> = {
  second: US_PER_SECOND,
  minute: 60 * US_PER_SECOND,
  hour: 3600 * US_PER_SECOND,
  day: US_PER_DAY,
  week: 7 * US_PER_DAY,
};

/** `value ± interval` for a DateTime or a Date (a Date plus hours becomes a DateTime, as in ClickHouse). */
export function addInterval(value: DateTimeValue | DateValue, interval: IntervalValue, sign: 1 | -1): Value {
  const n = interval.n * sign;
  const fixed = FIXED_UNIT_US[interval.unit];
  if (isDate(value)) {
    if (interval.unit === 'day') return dateValue(value.day + n);
    if (interval.unit === 'week') return dateValue(value.day + 7 * n);
    if (fixed === undefined) {
      const months = n * (interval.unit === 'year' ? 12 : interval.unit === 'quarter' ? 3 : 1);
      return dateValue(Math.floor(addMonthsMicros(value.day * US_PER_DAY, months) / US_PER_DAY));
    }
    return dateTimeValue(value.day * US_PER_DAY + n * fixed, 0);
  }
  if (fixed !== undefined) return dateTimeValue(value.us + n * fixed, value.precision);
  const months = n * (interval.unit === 'year' ? 12 : interval.unit === 'quarter' ? 3 : 1);
  return dateTimeValue(addMonthsMicros(value.us, months), value.precision);
}

/** ClickHouse dateDiff: how many `unit` boundaries lie between `a` and `b` (b − a). */
export function dateDiff(unit: string, a: number, b: number): number {
  const floorDiv = (x: number, y: number) => Math.floor(x / y);
  const months = (us: number) => {
    const date = new Date(Math.floor(us / 1000));
    return date.getUTCFullYear() * 12 + date.getUTCMonth();
  };
  switch (unit.toLowerCase()) {
    case 'microsecond':
    case 'us':
      return b - a;
    case 'millisecond':
    case 'ms':
      return floorDiv(b, 1000) - floorDiv(a, 1000);
    case 'second':
    case 'ss':
    case 's':
      return floorDiv(b, US_PER_SECOND) - floorDiv(a, US_PER_SECOND);
    case 'minute':
    case 'mi':
    case 'n':
      return floorDiv(b, 60 * US_PER_SECOND) - floorDiv(a, 60 * US_PER_SECOND);
    case 'hour':
    case 'hh':
    case 'h':
      return floorDiv(b, 3600 * US_PER_SECOND) - floorDiv(a, 3600 * US_PER_SECOND);
    case 'day':
    case 'dd':
    case 'd':
      return floorDiv(b, US_PER_DAY) - floorDiv(a, US_PER_DAY);
    case 'week':
    case 'wk':
    case 'ww':
      // toRelativeWeekNum counts Monday-started weeks.
      return (
        floorDiv(startOfWeekDay(floorDiv(b, US_PER_DAY), 1) + 3, 7) -
        floorDiv(startOfWeekDay(floorDiv(a, US_PER_DAY), 1) + 3, 7)
      );
    case 'month':
    case 'mm':
    case 'm':
      return months(b) - months(a);
    case 'quarter':
    case 'qq':
    case 'q':
      return floorDiv(months(b), 3) - floorDiv(months(a), 3);
    case 'year':
    case 'yyyy':
    case 'yy':
      return floorDiv(months(b), 12) - floorDiv(months(a), 12);
    default:
      throw queryError(
        `Invalid unit '${unit}' for dateDiff: use second, minute, hour, day, week, month, quarter or year`,
      );
  }
}
