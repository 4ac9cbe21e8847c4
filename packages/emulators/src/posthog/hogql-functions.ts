// The HogQL functions the emulator evaluates, named and sized as PostHog's function mapping declares them
// (`posthog/hogql/functions/mapping.py`, `clickhouse/datetime.py`, `aggregations.py`: HogQLFunctionMeta(name,
// min_args, max_args)) and computed as ClickHouse computes them (toStartOfWeek and toStartOfMonth return a Date,
// toStartOfDay a DateTime; HogQL's toDateTime is parseDateTime64BestEffortOrNull; round is banker's rounding on
// floats). Aggregations skip NULLs, as ClickHouse's do. Anything else is a 400 naming the function.
import { queryError } from './hogql-ast.ts';
import {
  addInterval,
  compareNonNull,
  compareValues,
  dateDiff,
  dateTimeValue,
  dateValue,
  dayOf,
  groupKey,
  type IntervalUnit,
  isDate,
  isDateTime,
  isInterval,
  parseDateTimeText,
  readProperty,
  startOfMonthDay,
  startOfWeekDay,
  toMicros,
  toNumber,
  toText,
  truthy,
  US_PER_DAY,
  US_PER_SECOND,
  type Value,
  valuesEqual,
} from './hogql-values.ts';

/** What a function can read besides its arguments. */
export interface FunctionContext {
  /** The query's `now()`, fixed for the whole query. */
  now: number;
}

/** A scalar function: arity, the ClickHouse type of its result, and its value. */
export interface ScalarFunction {
  minArgs: number;
  maxArgs: number;
  type: (argTypes: string[]) => string;
  call: (args: Value[], context: FunctionContext) => Value;
  /** PostHog's `case_sensitive=False` functions also answer to other casings (COUNT, Now, LOWER…). */
  caseInsensitive?: boolean;
}

/** One group's running state of an aggregation. */
export interface Accumulator {
  add: (args: Value[]) => void;
  result: () => Value;
}

/** An aggregation: arity, result type, and a fresh accumulator per group. */
export interface AggregateFunction {
  minArgs: number;
  maxArgs: number;
  type: (argTypes: string[]) => string;
  create: () => Accumulator;
  caseInsensitive?: boolean;
}

export const DATETIME64 = "DateTime64(6, 'UTC')";
export const DATETIME = "DateTime('UTC')";

const fixed =
  (type: string) =>
  (_: string[]): string =>
    type;
const sameAs =
  (index: number) =>
  (types: string[]): string =>
    types[index] ?? 'Nullable(Nothing)';
const nullable = (type: string) => (type.startsWith('Nullable(') ? type : `Nullable(${type})`);

const micros = (value: Value): number | null => (value === null ? null : toMicros(value));

function datetimeArg(value: Value, fn: string): number | null {
  if (value === null) return null;
  if (isDateTime(value) || isDate(value) || typeof value === 'string') {
    const us = parseDateTimeTextOrMicros(value);
    if (us === null) throw queryError(`Cannot parse '${String(value)}' as a DateTime in ${fn}()`);
    return us;
  }
  throw queryError(`Illegal type of argument of function ${fn}: expected a Date or DateTime`);
}

function parseDateTimeTextOrMicros(value: Value): number | null {
  if (typeof value === 'string') return parseDateTimeText(value);
  return micros(value);
}

const numberArg = (value: Value, fn: string): number | null => {
  const n = toNumber(value);
  if (n === null && value !== null && typeof value === 'string') {
    throw queryError(`Illegal type String of argument of function ${fn}: '${value}' is not a number`);
  }
  return n;
};

const truncate =
  (unitUs: number) =>
  ([value]: Value[]): Value => {
    const us = datetimeArg(value ?? null, 'toStartOf');
    return us === null ? null : dateTimeValue(Math.floor(us / unitUs) * unitUs, 0);
  };

const toDay =
  (shift: (day: number, args: Value[]) => number) =>
  (args: Value[]): Value => {
    const us = datetimeArg(args[0] ?? null, 'toStartOf');
    return us === null ? null : dateValue(shift(Math.floor(us / US_PER_DAY), args));
  };

const part =
  (read: (date: Date) => number) =>
  ([value]: Value[]): Value => {
    const us = datetimeArg(value ?? null, 'to');
    return us === null ? null : read(new Date(Math.floor(us / 1000)));
  };

const interval =
  (unit: IntervalUnit) =>
  ([value]: Value[]): Value => {
    const n = numberArg(value ?? null, 'toInterval');
    return n === null ? null : { t: 'interval', unit, n };
  };

const addUnit =
  (unit: IntervalUnit, sign: 1 | -1) =>
  ([value, amount]: Value[]): Value => {
    const n = numberArg(amount ?? null, 'add');
    if (value === null || value === undefined || n === null) return null;
    const base = isDate(value) || isDateTime(value) ? value : dateTimeValue(datetimeArg(value, 'add')!, 0);
    return addInterval(base, { t: 'interval', unit, n }, sign);
  };

// ClickHouse rounds floats half to even.
function roundHalfEven(value: number, digits: number): number {
  const factor = 10 ** digits;
  const scaled = value * factor;
  const floor = Math.floor(scaled);
  const diff = scaled - floor;
  let rounded: number;
  if (Math.abs(diff - 0.5) < 1e-9) rounded = floor % 2 === 0 ? floor : floor + 1;
  else rounded = Math.round(scaled);
  return rounded / factor;
}

const regexCache = new Map<string, RegExp>();

/** A JS RegExp for an RE2 pattern (ClickHouse match()); a leading (?i) becomes the i flag. */
export function re2(pattern: string): RegExp {
  let cached = regexCache.get(pattern);
  if (cached === undefined) {
    let source = pattern;
    let flags = 's';
    if (source.startsWith('(?i)')) {
      source = source.slice(4);
      flags += 'i';
    }
    try {
      cached = new RegExp(source, flags);
    } catch {
      throw queryError(`Invalid regular expression: '${pattern}'`);
    }
    if (regexCache.size > 500) regexCache.clear();
    regexCache.set(pattern, cached);
  }
  return cached;
}

/** A RegExp for a SQL LIKE pattern: `%` any run, `_` one character, backslash escapes. */
export function likePattern(pattern: string, caseInsensitive: boolean): RegExp {
  const key = `${caseInsensitive ? 'i' : 'c'}${pattern}`;
  let cached = regexCache.get(key);
  if (cached === undefined) {
    let source = '';
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i]!;
      if (c === '\\' && i + 1 < pattern.length) {
        source += pattern[++i]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      } else if (c === '%') source += '.*';
      else if (c === '_') source += '.';
      else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
    cached = new RegExp(`^${source}$`, caseInsensitive ? 'is' : 's');
    if (regexCache.size > 500) regexCache.clear();
    regexCache.set(key, cached);
  }
  return cached;
}

const bool = (value: boolean): number => (value ? 1 : 0);
const textArg = (value: Value | undefined): string | null => toText(value ?? null);

function jsonExtract(args: Value[]): unknown {
  const [json, ...path] = args;
  if (typeof json !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  let current = parsed;
  for (const key of path) {
    if (Array.isArray(current) && typeof key === 'number')
      current = current[key > 0 ? key - 1 : current.length + key];
    else if (typeof current === 'object' && current !== null && !Array.isArray(current)) {
      const name = String(key);
      current = Object.hasOwn(current, name) ? (current as Record<string, unknown>)[name] : undefined;
    } else return undefined;
  }
  return current;
}

/** Scalar functions by name. */
export const SCALAR_FUNCTIONS: Record<string, ScalarFunction> = {
  // dates and times (posthog/hogql/functions/clickhouse/datetime.py)
  now: {
    minArgs: 0,
    maxArgs: 1,
    type: fixed(DATETIME64),
    call: (_, c) => dateTimeValue(c.now),
    caseInsensitive: true,
  },
  today: {
    minArgs: 0,
    maxArgs: 0,
    type: fixed('Date'),
    call: (_, c) => dateValue(Math.floor(c.now / US_PER_DAY)),
  },
  yesterday: {
    minArgs: 0,
    maxArgs: 0,
    type: fixed('Date'),
    call: (_, c) => dateValue(Math.floor(c.now / US_PER_DAY) - 1),
  },
  toStartOfSecond: { minArgs: 1, maxArgs: 1, type: fixed(DATETIME), call: truncate(US_PER_SECOND) },
  toStartOfMinute: { minArgs: 1, maxArgs: 1, type: fixed(DATETIME), call: truncate(60 * US_PER_SECOND) },
  toStartOfFiveMinutes: {
    minArgs: 1,
    maxArgs: 1,
    type: fixed(DATETIME),
    call: truncate(300 * US_PER_SECOND),
  },
  toStartOfFifteenMinutes: {
    minArgs: 1,
    maxArgs: 1,
    type: fixed(DATETIME),
    call: truncate(900 * US_PER_SECOND),
  },
  toStartOfHour: { minArgs: 1, maxArgs: 1, type: fixed(DATETIME), call: truncate(3600 * US_PER_SECOND) },
  toStartOfDay: { minArgs: 1, maxArgs: 2, type: fixed(DATETIME), call: truncate(US_PER_DAY) },
  toStartOfWeek: {
    minArgs: 1,
    maxArgs: 2,
    type: fixed('Date'),
    call: toDay((day, args) => startOfWeekDay(day, toNumber(args[1] ?? 0) ?? 0)),
  },
  toMonday: { minArgs: 1, maxArgs: 1, type: fixed('Date'), call: toDay((day) => startOfWeekDay(day, 1)) },
  toStartOfMonth: { minArgs: 1, maxArgs: 1, type: fixed('Date'), call: toDay(startOfMonthDay) },
  toStartOfQuarter: {
    minArgs: 1,
    maxArgs: 1,
    type: fixed('Date'),
    call: toDay((day) => {
      const date = new Date(day * 86_400_000);
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - (date.getUTCMonth() % 3), 1) / 86_400_000;
    }),
  },
  toStartOfYear: {
    minArgs: 1,
    maxArgs: 1,
    type: fixed('Date'),
    call: toDay((day) => Date.UTC(new Date(day * 86_400_000).getUTCFullYear(), 0, 1) / 86_400_000),
  },
  toStartOfInterval: {
    minArgs: 2,
    maxArgs: 2,
    type: fixed(DATETIME),
    call: ([value, step]) => {
      const us = datetimeArg(value ?? null, 'toStartOfInterval');
      if (us === null || step === null || step === undefined) return null;
      if (!isInterval(step)) throw queryError('toStartOfInterval expects an interval as its second argument');
      if (step.unit === 'month' || step.unit === 'quarter' || step.unit === 'year') {
        const months = step.n * (step.unit === 'year' ? 12 : step.unit === 'quarter' ? 3 : 1);
        const date = new Date(Math.floor(us / 1000));
        const total = date.getUTCFullYear() * 12 + date.getUTCMonth();
        const start = total - (total % months);
        return dateValue(Date.UTC(Math.floor(start / 12), start % 12, 1) / 86_400_000);
      }
      const size = addInterval(dateTimeValue(0), step, 1);
      const width = isDateTime(size) ? size.us : US_PER_DAY;
      return dateTimeValue(Math.floor(us / width) * width, 0);
    },
  },
  toDate: {
    minArgs: 1,
    maxArgs: 2,
    type: fixed('Date'),
    call: ([value]) => {
      if (value === null || value === undefined) return null;
      if (isDate(value)) return value;
      if (isDateTime(value)) return dateValue(dayOf(value));
      if (typeof value === 'number') return dateValue(Math.floor(value));
      const us = parseDateTimeText(String(toText(value)));
      return us === null ? null : dateValue(Math.floor(us / US_PER_DAY));
    },
  },
  toDateTime: {
    minArgs: 1,
    maxArgs: 2,
    type: fixed(nullable(DATETIME64)),
    call: ([value]) => {
      if (value === null || value === undefined) return null;
      if (isDateTime(value)) return value;
      if (isDate(value)) return dateTimeValue(value.day * US_PER_DAY);
      if (typeof value === 'number') return dateTimeValue(Math.round(value * US_PER_SECOND));
      const us = parseDateTimeText(String(toText(value)));
      return us === null ? null : dateTimeValue(us);
    },
  },
  toTimeZone: {
    minArgs: 2,
    maxArgs: 2,
    type: sameAs(0),
    call: ([value, zone]) => {
      if (zone !== 'UTC')
        throw queryError('The PostHog emulator keeps every project in UTC: toTimeZone takes only UTC');
      return value ?? null;
    },
  },
  toYear: { minArgs: 1, maxArgs: 1, type: fixed('UInt16'), call: part((d) => d.getUTCFullYear()) },
  toQuarter: {
    minArgs: 1,
    maxArgs: 1,
    type: fixed('UInt8'),
    call: part((d) => Math.floor(d.getUTCMonth() / 3) + 1),
  },
  toMonth: { minArgs: 1, maxArgs: 1, type: fixed('UInt8'), call: part((d) => d.getUTCMonth() + 1) },
  toDayOfMonth: { minArgs: 1, maxArgs: 1, type: fixed('UInt8'), call: part((d) => d.getUTCDate()) },
  toDayOfWeek: {
    minArgs: 1,
    maxArgs: 3,
    type: fixed('UInt8'),
    call: part((d) => ((d.getUTCDay() + 6) % 7) + 1),
  },
  toHour: { minArgs: 1, maxArgs: 1, type: fixed('UInt8'), call: part((d) => d.getUTCHours()) },
  toMinute: { minArgs: 1, maxArgs: 1, type: fixed('UInt8'), call: part((d) => d.getUTCMinutes()) },
  toSecond: { minArgs: 1, maxArgs: 1, type: fixed('UInt8'), call: part((d) => d.getUTCSeconds()) },
  toUnixTimestamp: {
    minArgs: 1,
    maxArgs: 2,
    type: fixed('UInt32'),
    call: ([value]) => {
      const us = datetimeArg(value ?? null, 'toUnixTimestamp');
      return us === null ? null : Math.floor(us / US_PER_SECOND);
    },
  },
  toIntervalSecond: { minArgs: 1, maxArgs: 1, type: fixed('IntervalSecond'), call: interval('second') },
  toIntervalMinute: { minArgs: 1, maxArgs: 1, type: fixed('IntervalMinute'), call: interval('minute') },
  toIntervalHour: { minArgs: 1, maxArgs: 1, type: fixed('IntervalHour'), call: interval('hour') },
  toIntervalDay: { minArgs: 1, maxArgs: 1, type: fixed('IntervalDay'), call: interval('day') },
  toIntervalWeek: { minArgs: 1, maxArgs: 1, type: fixed('IntervalWeek'), call: interval('week') },
  toIntervalMonth: { minArgs: 1, maxArgs: 1, type: fixed('IntervalMonth'), call: interval('month') },
  toIntervalQuarter: { minArgs: 1, maxArgs: 1, type: fixed('IntervalQuarter'), call: interval('quarter') },
  toIntervalYear: { minArgs: 1, maxArgs: 1, type: fixed('IntervalYear'), call: interval('year') },
  addSeconds: { minArgs: 2, maxArgs: 2, type: sameAs(0), call: addUnit('second', 1) },
  addMinutes: { minArgs: 2, maxArgs: 2, type: sameAs(0), call: addUnit('minute', 1) },
  addHours: { minArgs: 2, maxArgs: 2, type: sameAs(0), call: addUnit('hour', 1) },
  addDays: { minArgs: 2, maxArgs: 2, type: sameAs(0), call: addUnit('day', 1) },
  addWeeks: { minArgs: 2, maxArgs: 2, type: sameAs(0), call: addUnit('week', 1) },
  addMonths: { minArgs: 2, maxArgs: 2, type: sameAs(0), call: addUnit('month', 1) },
  addYears: { minArgs: 2, maxArgs: 2, type: sameAs(0), call: addUnit('year', 1) },
  subtractSeconds: { minArgs: 2, maxArgs: 2, type: sameAs(0), call: addUnit('second', -1) },
  subtractMinutes: { minArgs: 2, maxArgs: 2, type: sameAs(0), call: addUnit('minute', -1) },
  subtractHours: { minArgs: 2, maxArgs: 2, type: sameAs(0), call: addUnit('hour', -1) },
  subtractDays: { minArgs: 2, maxArgs: 2, type: sameAs(0), call: addUnit('day', -1) },
  subtractWeeks: { minArgs: 2, maxArgs: 2, type: sameAs(0), call: addUnit('week', -1) },
  subtractMonths: { minArgs: 2, maxArgs: 2, type: sameAs(0), call: addUnit('month', -1) },
  subtractYears: { minArgs: 2, maxArgs: 2, type: sameAs(0), call: addUnit('year', -1) },
  dateDiff: {
    minArgs: 3,
    maxArgs: 3,
    type: fixed('Int64'),
    call: ([unit, a, b]) => {
      const from = datetimeArg(a ?? null, 'dateDiff');
      const to = datetimeArg(b ?? null, 'dateDiff');
      if (from === null || to === null || unit === null || unit === undefined) return null;
      return dateDiff(String(toText(unit)), from, to);
    },
  },

  // strings (posthog/hogql/functions/clickhouse/strings.py)
  lower: {
    minArgs: 1,
    maxArgs: 1,
    type: sameAs(0),
    call: ([v]) => textArg(v)?.toLowerCase() ?? null,
    caseInsensitive: true,
  },
  upper: {
    minArgs: 1,
    maxArgs: 1,
    type: sameAs(0),
    call: ([v]) => textArg(v)?.toUpperCase() ?? null,
    caseInsensitive: true,
  },
  length: {
    minArgs: 1,
    maxArgs: 1,
    type: fixed('UInt64'),
    call: ([v]) => {
      if (v === null || v === undefined) return null;
      if (Array.isArray(v)) return v.length;
      return new TextEncoder().encode(toText(v) ?? '').length;
    },
    caseInsensitive: true,
  },
  empty: {
    minArgs: 1,
    maxArgs: 1,
    type: fixed('UInt8'),
    call: ([v]) => bool(v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)),
  },
  notEmpty: {
    minArgs: 1,
    maxArgs: 1,
    type: fixed('UInt8'),
    call: ([v]) => bool(!(v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0))),
  },
  concat: {
    minArgs: 2,
    maxArgs: Number.POSITIVE_INFINITY,
    type: fixed('String'),
    call: (args) => (args.some((a) => a === null) ? null : args.map((a) => toText(a)).join('')),
    caseInsensitive: true,
  },
  substring: {
    minArgs: 2,
    maxArgs: 3,
    type: fixed('String'),
    call: ([v, offset, count]) => {
      const text = textArg(v);
      const from = toNumber(offset ?? null);
      if (text === null || from === null) return null;
      const start = from > 0 ? from - 1 : Math.max(text.length + from, 0);
      const length = count === undefined ? undefined : (toNumber(count) ?? 0);
      return length === undefined ? text.slice(start) : text.slice(start, start + length);
    },
  },
  trim: {
    minArgs: 1,
    maxArgs: 1,
    type: sameAs(0),
    call: ([v]) => textArg(v)?.trim() ?? null,
    caseInsensitive: true,
  },
  replaceAll: {
    minArgs: 3,
    maxArgs: 3,
    type: fixed('String'),
    call: ([v, from, to]) => {
      const text = textArg(v);
      if (text === null || from === null || to === null) return null;
      return text.split(String(toText(from ?? null))).join(String(toText(to ?? null)));
    },
  },
  replaceRegexpAll: {
    minArgs: 3,
    maxArgs: 3,
    type: fixed('String'),
    call: ([v, pattern, to]) => {
      const text = textArg(v);
      if (text === null || pattern === null || to === null) return null;
      const regex = re2(String(toText(pattern ?? null)));
      return text.replace(
        new RegExp(regex.source, `${regex.flags}g`),
        String(toText(to ?? null)).replace(/\\(\d)/g, '$$$1'),
      );
    },
  },
  startsWith: {
    minArgs: 2,
    maxArgs: 2,
    type: fixed('UInt8'),
    call: ([v, prefix]) =>
      v === null || prefix === null
        ? null
        : bool(String(toText(v ?? null)).startsWith(String(toText(prefix ?? null)))),
  },
  endsWith: {
    minArgs: 2,
    maxArgs: 2,
    type: fixed('UInt8'),
    call: ([v, suffix]) =>
      v === null || suffix === null
        ? null
        : bool(String(toText(v ?? null)).endsWith(String(toText(suffix ?? null)))),
  },
  position: {
    minArgs: 2,
    maxArgs: 2,
    type: fixed('UInt64'),
    call: ([v, needle]) =>
      v === null || needle === null
        ? null
        : String(toText(v ?? null)).indexOf(String(toText(needle ?? null))) + 1,
  },
  match: {
    minArgs: 2,
    maxArgs: 2,
    type: fixed('UInt8'),
    call: ([v, pattern]) =>
      v === null || pattern === null
        ? null
        : bool(re2(String(toText(pattern ?? null))).test(String(toText(v ?? null)))),
  },
  toString: {
    minArgs: 1,
    maxArgs: 1,
    type: fixed('String'),
    call: (args: Value[]) => toText(args[0] ?? null),
  },
  toInt: {
    minArgs: 1,
    maxArgs: 1,
    type: fixed('Nullable(Int64)'),
    call: ([v]) => {
      const n = toNumber(v ?? null);
      return n === null || Number.isNaN(n) ? null : Math.trunc(n);
    },
  },
  toFloat: {
    minArgs: 1,
    maxArgs: 1,
    type: fixed('Nullable(Float64)'),
    call: ([v]) => {
      const n = toNumber(v ?? null);
      return n === null || Number.isNaN(n) ? null : n;
    },
  },
  toUUID: {
    minArgs: 1,
    maxArgs: 1,
    type: fixed('UUID'),
    call: ([v]) => (v === null || v === undefined ? null : String(toText(v)).toLowerCase()),
  },
  JSONExtractRaw: {
    minArgs: 1,
    maxArgs: Number.POSITIVE_INFINITY,
    type: fixed('String'),
    call: (args) => {
      const found = jsonExtract(args);
      return found === undefined ? '' : JSON.stringify(found);
    },
  },
  JSONExtractString: {
    minArgs: 1,
    maxArgs: Number.POSITIVE_INFINITY,
    type: fixed('String'),
    call: (args) => {
      const found = jsonExtract(args);
      return typeof found === 'string' ? found : '';
    },
  },
  JSONExtractInt: {
    minArgs: 1,
    maxArgs: Number.POSITIVE_INFINITY,
    type: fixed('Int64'),
    call: (args) => {
      const found = jsonExtract(args);
      return typeof found === 'number' ? Math.trunc(found) : 0;
    },
  },
  JSONExtractFloat: {
    minArgs: 1,
    maxArgs: Number.POSITIVE_INFINITY,
    type: fixed('Float64'),
    call: (args) => {
      const found = jsonExtract(args);
      return typeof found === 'number' ? found : 0;
    },
  },
  JSONExtractBool: {
    minArgs: 1,
    maxArgs: Number.POSITIVE_INFINITY,
    type: fixed('UInt8'),
    call: (args) => bool(jsonExtract(args) === true),
  },
  JSONHas: {
    minArgs: 2,
    maxArgs: Number.POSITIVE_INFINITY,
    type: fixed('UInt8'),
    call: (args) => bool(jsonExtract(args) !== undefined),
  },

  // conditionals and nulls (posthog/hogql/functions/mapping.py)
  if: {
    minArgs: 3,
    maxArgs: 3,
    type: (types) => types[1] ?? 'Nullable(Nothing)',
    call: ([c, a, b]) => (truthy(c ?? null) ? (a ?? null) : (b ?? null)),
    caseInsensitive: true,
  },
  multiIf: {
    minArgs: 3,
    maxArgs: Number.POSITIVE_INFINITY,
    type: (types) => types[1] ?? 'Nullable(Nothing)',
    call: (args) => {
      for (let i = 0; i + 1 < args.length; i += 2) if (truthy(args[i]!)) return args[i + 1]!;
      return args[args.length - 1] ?? null;
    },
  },
  transform: {
    minArgs: 3,
    maxArgs: 4,
    type: (types) => types[3] ?? types[0] ?? 'String',
    call: ([v, from, to, otherwise]) => {
      if (!Array.isArray(from) || !Array.isArray(to)) throw queryError('transform() expects two arrays');
      const index = from.findIndex((item) => valuesEqual(item, v ?? null));
      if (index >= 0) return (to[index] as Value) ?? null;
      return otherwise === undefined ? (v ?? null) : otherwise;
    },
  },
  coalesce: {
    minArgs: 1,
    maxArgs: Number.POSITIVE_INFINITY,
    type: (types) => types.find((t) => !t.startsWith('Nullable')) ?? types[0] ?? 'Nullable(Nothing)',
    call: (args) => args.find((a) => a !== null) ?? null,
    caseInsensitive: true,
  },
  ifNull: {
    minArgs: 2,
    maxArgs: 2,
    type: sameAs(1),
    call: ([a, b]) => (a === null ? (b ?? null) : (a ?? null)),
    caseInsensitive: true,
  },
  nullIf: {
    minArgs: 2,
    maxArgs: 2,
    type: (t) => nullable(t[0] ?? 'Nothing'),
    call: ([a, b]) => (valuesEqual(a ?? null, b ?? null) ? null : (a ?? null)),
    caseInsensitive: true,
  },
  isNull: { minArgs: 1, maxArgs: 1, type: fixed('UInt8'), call: ([v]) => bool(v === null) },
  isNotNull: { minArgs: 1, maxArgs: 1, type: fixed('UInt8'), call: ([v]) => bool(v !== null) },
  assumeNotNull: { minArgs: 1, maxArgs: 1, type: sameAs(0), call: ([v]) => v ?? null },

  // numbers (posthog/hogql/functions/clickhouse/mathematical.py)
  round: {
    minArgs: 1,
    maxArgs: 2,
    type: (t) => (t[0]?.includes('Int') ? (t[0] ?? 'Float64') : 'Float64'),
    call: ([v, digits]) => {
      const n = numberArg(v ?? null, 'round');
      return n === null ? null : roundHalfEven(n, toNumber(digits ?? 0) ?? 0);
    },
    caseInsensitive: true,
  },
  floor: {
    minArgs: 1,
    maxArgs: 2,
    type: fixed('Float64'),
    call: ([v, digits]) => {
      const n = numberArg(v ?? null, 'floor');
      const factor = 10 ** (toNumber(digits ?? 0) ?? 0);
      return n === null ? null : Math.floor(n * factor) / factor;
    },
    caseInsensitive: true,
  },
  ceil: {
    minArgs: 1,
    maxArgs: 2,
    type: fixed('Float64'),
    call: ([v, digits]) => {
      const n = numberArg(v ?? null, 'ceil');
      const factor = 10 ** (toNumber(digits ?? 0) ?? 0);
      return n === null ? null : Math.ceil(n * factor) / factor;
    },
    caseInsensitive: true,
  },
  abs: {
    minArgs: 1,
    maxArgs: 1,
    type: sameAs(0),
    call: ([v]) => {
      const n = numberArg(v ?? null, 'abs');
      return n === null ? null : Math.abs(n);
    },
    caseInsensitive: true,
  },
  sqrt: {
    minArgs: 1,
    maxArgs: 1,
    type: fixed('Float64'),
    call: ([v]) => {
      const n = numberArg(v ?? null, 'sqrt');
      return n === null ? null : Math.sqrt(n);
    },
  },
  intDiv: {
    minArgs: 2,
    maxArgs: 2,
    type: fixed('Int64'),
    call: ([a, b]) => {
      const x = numberArg(a ?? null, 'intDiv');
      const y = numberArg(b ?? null, 'intDiv');
      if (x === null || y === null) return null;
      if (y === 0) throw queryError('Division by zero');
      return Math.trunc(x / y);
    },
  },
  greatest: {
    minArgs: 2,
    maxArgs: Number.POSITIVE_INFINITY,
    type: sameAs(0),
    call: (args) =>
      args.some((a) => a === null) ? null : args.reduce((a, b) => (compareNonNull(a, b) >= 0 ? a : b)),
  },
  least: {
    minArgs: 2,
    maxArgs: Number.POSITIVE_INFINITY,
    type: sameAs(0),
    call: (args) =>
      args.some((a) => a === null) ? null : args.reduce((a, b) => (compareNonNull(a, b) <= 0 ? a : b)),
  },

  // arrays and tuples
  tuple: {
    minArgs: 0,
    maxArgs: Number.POSITIVE_INFINITY,
    type: (t) => `Tuple(${t.join(', ')})`,
    call: (args) => args,
  },
  array: {
    minArgs: 0,
    maxArgs: Number.POSITIVE_INFINITY,
    type: (t) => `Array(${t[0] ?? 'Nothing'})`,
    call: (args) => args,
  },
  has: {
    minArgs: 2,
    maxArgs: 2,
    type: fixed('UInt8'),
    call: ([list, item]) =>
      Array.isArray(list) ? bool(list.some((x: Value) => valuesEqual(x, item ?? null))) : 0,
  },
};

// ---- aggregations (posthog/hogql/functions/aggregations.py) -------------------------------------------

const numericInput = (value: Value, fn: string): number | null => {
  const n = toNumber(value);
  if (n === null && typeof value === 'string' && value !== '') {
    throw queryError(
      `Illegal type String of argument for aggregate function ${fn}: '${value}' is not a number`,
    );
  }
  return n;
};

const counting = (): Accumulator => {
  let n = 0;
  return {
    add: (args) => {
      if (args.length === 0 || args[0] !== null) n++;
    },
    result: () => n,
  };
};

const distinctCount = (): Accumulator => {
  const seen = new Set<string>();
  return {
    add: (args) => {
      if (args.some((a) => a === null)) return;
      seen.add(args.length === 1 ? groupKey(args[0]!) : groupKey(args));
    },
    result: () => seen.size,
  };
};

const summing = (fn: string) => (): Accumulator => {
  let total = 0;
  return {
    add: ([v]) => {
      const n = numericInput(v ?? null, fn);
      if (n !== null) total += n;
    },
    result: () => total,
  };
};

const averaging = (): Accumulator => {
  let total = 0;
  let n = 0;
  return {
    add: ([v]) => {
      const x = numericInput(v ?? null, 'avg');
      if (x !== null) {
        total += x;
        n++;
      }
    },
    // ClickHouse's avg of nothing is NaN, which the API renders as null.
    result: () => (n === 0 ? Number.NaN : total / n),
  };
};

const extreme = (sign: 1 | -1) => (): Accumulator => {
  let best: Value = null;
  return {
    add: ([v]) => {
      if (v === null || v === undefined) return;
      if (best === null || compareNonNull(v, best) * sign > 0) best = v;
    },
    result: () => best,
  };
};

const argExtreme = (sign: 1 | -1) => (): Accumulator => {
  let best: Value = null;
  let arg: Value = null;
  return {
    add: ([a, v]) => {
      if (v === null || v === undefined) return;
      if (best === null || compareNonNull(v, best) * sign > 0) {
        best = v;
        arg = a ?? null;
      }
    },
    result: () => arg,
  };
};

const median = (): Accumulator => {
  const values: number[] = [];
  return {
    add: ([v]) => {
      const n = numericInput(v ?? null, 'median');
      if (n !== null) values.push(n);
    },
    result: () => {
      if (values.length === 0) return Number.NaN;
      values.sort((a, b) => a - b);
      const middle = (values.length - 1) / 2;
      const low = values[Math.floor(middle)]!;
      const high = values[Math.ceil(middle)]!;
      return low + (high - low) * (middle - Math.floor(middle));
    },
  };
};

/** Aggregations by name; every `xIf` variant (condition last) and DISTINCT are derived in `lookupAggregate`. */
export const AGGREGATE_FUNCTIONS: Record<string, AggregateFunction> = {
  count: { minArgs: 0, maxArgs: 1, type: fixed('UInt64'), create: counting, caseInsensitive: true },
  countDistinct: { minArgs: 1, maxArgs: 1, type: fixed('UInt64'), create: distinctCount },
  uniq: { minArgs: 1, maxArgs: Number.POSITIVE_INFINITY, type: fixed('UInt64'), create: distinctCount },
  uniqExact: { minArgs: 1, maxArgs: Number.POSITIVE_INFINITY, type: fixed('UInt64'), create: distinctCount },
  sum: {
    minArgs: 1,
    maxArgs: 1,
    type: (t) => (/^(U?Int|Nullable\(U?Int)/.test(t[0] ?? '') ? 'Int64' : 'Float64'),
    create: summing('sum'),
    caseInsensitive: true,
  },
  avg: { minArgs: 1, maxArgs: 1, type: fixed('Float64'), create: averaging, caseInsensitive: true },
  min: { minArgs: 1, maxArgs: 1, type: sameAs(0), create: extreme(-1), caseInsensitive: true },
  max: { minArgs: 1, maxArgs: 1, type: sameAs(0), create: extreme(1), caseInsensitive: true },
  median: { minArgs: 1, maxArgs: 1, type: fixed('Float64'), create: median },
  any: {
    minArgs: 1,
    maxArgs: 1,
    type: sameAs(0),
    create: () => {
      let first: Value = null;
      return {
        add: ([v]) => {
          if (first === null && v !== null && v !== undefined) first = v;
        },
        result: () => first,
      };
    },
  },
  anyLast: {
    minArgs: 1,
    maxArgs: 1,
    type: sameAs(0),
    create: () => {
      let last: Value = null;
      return {
        add: ([v]) => {
          if (v !== null && v !== undefined) last = v;
        },
        result: () => last,
      };
    },
  },
  argMin: { minArgs: 2, maxArgs: 2, type: sameAs(0), create: argExtreme(-1) },
  argMax: { minArgs: 2, maxArgs: 2, type: sameAs(0), create: argExtreme(1) },
  groupArray: {
    minArgs: 1,
    maxArgs: 1,
    type: (t) => `Array(${t[0] ?? 'Nothing'})`,
    create: () => {
      const items: Value[] = [];
      return {
        add: ([v]) => {
          if (v !== null && v !== undefined) items.push(v);
        },
        result: () => items,
      };
    },
  },
  groupUniqArray: {
    minArgs: 1,
    maxArgs: 1,
    type: (t) => `Array(${t[0] ?? 'Nothing'})`,
    create: () => {
      const items = new Map<string, Value>();
      return {
        add: ([v]) => {
          if (v !== null && v !== undefined) items.set(groupKey(v), v);
        },
        result: () => [...items.values()].sort(compareValues),
      };
    },
  },
};

const findByName = <T extends { caseInsensitive?: boolean }>(
  table: Record<string, T>,
  name: string,
): T | undefined => {
  // Own keys only: a name like `constructor` must not find Object.prototype's.
  if (Object.hasOwn(table, name)) return table[name];
  const lower = name.toLowerCase();
  for (const [key, fn] of Object.entries(table))
    if (fn.caseInsensitive && key.toLowerCase() === lower) return fn;
  return undefined;
};

/** The scalar function called `name`, honouring PostHog's case-insensitive names. */
export function lookupScalar(name: string): ScalarFunction | undefined {
  return findByName(SCALAR_FUNCTIONS, name);
}

/**
 * The aggregation called `name`, with ClickHouse's `If` combinator (sumIf(x, cond): the condition comes last) and
 * `-Distinct` (count(DISTINCT x)) applied. Undefined when `name` is no aggregation the emulator runs.
 */
export function lookupAggregate(name: string, distinct: boolean): AggregateFunction | undefined {
  let base = findByName(AGGREGATE_FUNCTIONS, name);
  let conditional = false;
  if (base === undefined && name.endsWith('If')) {
    base = findByName(AGGREGATE_FUNCTIONS, name.slice(0, -2));
    conditional = base !== undefined;
  }
  if (base === undefined) return undefined;
  const inner = base;
  let create = inner.create;
  if (distinct) {
    const make = create;
    create = () => {
      const acc = make();
      const seen = new Set<string>();
      return {
        add: (args) => {
          if (args.some((a) => a === null)) return;
          const key = groupKey(args);
          if (seen.has(key)) return;
          seen.add(key);
          acc.add(args);
        },
        result: acc.result,
      };
    };
  }
  if (!conditional) return { ...inner, create };
  const make = create;
  return {
    minArgs: inner.minArgs + 1,
    maxArgs: inner.maxArgs + 1,
    type: (types) => inner.type(types.slice(0, -1)),
    create: () => {
      const acc = make();
      return {
        add: (args) => {
          if (truthy(args[args.length - 1] ?? null)) acc.add(args.slice(0, -1));
        },
        result: acc.result,
      };
    },
  };
}

/** Every function name the emulator runs, for error messages. */
export function knownFunctionNames(): string[] {
  return [...Object.keys(SCALAR_FUNCTIONS), ...Object.keys(AGGREGATE_FUNCTIONS)].sort();
}

/** A JSON property read on a JSON text value (`properties` selected whole, then indexed). */
export function readJsonText(text: string, chain: readonly (string | number)[]): Value {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return null;
    return readProperty(parsed as Record<string, unknown>, chain);
  } catch {
    return null;
  }
}
