// The TrendsQuery runner, after PostHog's `TrendsQueryRunner` (`posthog/hogql_queries/insights/trends/
// trends_query_runner.py`, `build_series_response`) and `TrendsQueryBuilder` (`trends_query_builder.py`): one result
// per series (and per breakdown value) with `data` per interval bucket, every bucket of the range present (zeros
// for empty ones), `labels` from `format_label_date`, `days` as `YYYY-MM-DD` (`YYYY-MM-DD HH:MM:SS` for hours),
// `count` the sum of `data` (the last value when cumulative), and `action` describing the series. Math: total
// (count), dau (distinct persons), weekly_active / monthly_active (distinct persons over the trailing 7 / 30 days;
// turned into dau for week-or-longer / month intervals, `convert_active_user_math_based_on_interval`),
// unique_session, and sum / avg / min / max / median / p75–p99 of a numeric property. Breakdowns keep the top
// `breakdown_limit` (25) values by total and fold the rest into "$$_posthog_breakdown_other_$$" (hasMore: true);
// a missing value is "$$_posthog_breakdown_null_$$". Total-value displays (BoldNumber, ActionsPie, …) answer
// `aggregated_value` instead of a series.
import type { EventRow, PostHogEventStore } from './event-store.ts';
import { EMULATOR_LIMIT, type Expr, parseError, queryError, type SelectQuery } from './hogql-ast.ts';
import { parseHogQLExpr } from './hogql-parser.ts';
import { printHogQLSelect } from './hogql-printer.ts';
import { compileRowExpression } from './hogql-select.ts';
import {
  formatDateTimeIso,
  formatDateTimeSql,
  toNumber,
  toText,
  truthy,
  US_PER_DAY,
} from './hogql-values.ts';
import { propertiesToExpr } from './property-filters.ts';
import { BREAKDOWN_VALUES_LIMIT, type QueryContext } from './query-context.ts';
import { type Interval, resolveDateRange } from './relative-dates.ts';

/** breakdown.py BREAKDOWN_OTHER_STRING_LABEL / BREAKDOWN_NULL_STRING_LABEL and their display labels. */
export const BREAKDOWN_OTHER_STRING_LABEL = '$$_posthog_breakdown_other_$$';
export const BREAKDOWN_NULL_STRING_LABEL = '$$_posthog_breakdown_null_$$';
export const BREAKDOWN_OTHER_DISPLAY = 'Other (i.e. all remaining values)';
export const BREAKDOWN_NULL_DISPLAY = 'None (i.e. no value)';

// TrendsDisplay.is_total_value.
const TOTAL_VALUE_DISPLAYS = new Set([
  'BoldNumber',
  'ActionsPie',
  'ActionsBarValue',
  'ActionsTable',
  'WorldMap',
]);
const PROPERTY_MATHS = new Set(['sum', 'avg', 'min', 'max', 'median', 'p75', 'p90', 'p95', 'p99']);
const ACTIVE_DAYS: Record<string, number> = { weekly_active: 7, monthly_active: 30 };
const INTERVALS = new Set(['hour', 'day', 'week', 'month']);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

interface Series {
  node: Record<string, unknown>;
  index: number;
  event: string | null;
  math: string;
  matches: (row: EventRow) => boolean;
  propertyValue: ((row: EventRow) => number | null) | null;
}

/** What is gathered for one breakdown value of a series. */
interface Cell {
  count: number;
  distinct: Set<string>;
  numbers: number[];
}

function cellIn<K>(cells: Map<K, Cell>, key: K): Cell {
  let cell = cells.get(key);
  if (cell === undefined) {
    cell = { count: 0, distinct: new Set(), numbers: [] };
    cells.set(key, cell);
  }
  return cell;
}

function quantile(values: number[], level: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * level;
  const low = sorted[Math.floor(position)]!;
  const high = sorted[Math.ceil(position)]!;
  return low + (high - low) * (position - Math.floor(position));
}

// One bucket's value for a math, zero when the bucket has nothing (PostHog fills empty buckets with zeros).
function cellValue(cell: Cell | undefined, math: string): number {
  if (cell === undefined) return 0;
  switch (math) {
    case 'total':
      return cell.count;
    case 'sum':
      return cell.numbers.reduce((a, b) => a + b, 0);
    case 'avg':
      return cell.numbers.length === 0 ? 0 : cell.numbers.reduce((a, b) => a + b, 0) / cell.numbers.length;
    case 'min':
      return cell.numbers.length === 0 ? 0 : Math.min(...cell.numbers);
    case 'max':
      return cell.numbers.length === 0 ? 0 : Math.max(...cell.numbers);
    case 'median':
      return quantile(cell.numbers, 0.5);
    case 'p75':
    case 'p90':
    case 'p95':
    case 'p99':
      return quantile(cell.numbers, Number(math.slice(1)) / 100);
    default:
      return cell.distinct.size;
  }
}

function addToCell(cell: Cell, row: EventRow, series: Series): void {
  switch (series.math) {
    case 'total':
      cell.count++;
      return;
    case 'unique_session':
      if (row.sessionId !== '') cell.distinct.add(row.sessionId);
      return;
    case 'dau':
    case 'weekly_active':
    case 'monthly_active':
      cell.distinct.add(row.personId);
      return;
    default: {
      const value = series.propertyValue?.(row) ?? null;
      if (value !== null) cell.numbers.push(value);
    }
  }
}

function prepareSeries(
  node: unknown,
  index: number,
  query: Record<string, unknown>,
  interval: Interval,
  context: QueryContext,
): Series {
  if (!isObject(node)) throw parseError(`series[${index}] must be an object`);
  if (node.kind !== 'EventsNode') {
    if (node.kind === 'ActionsNode' || node.kind === 'DataWarehouseNode' || node.kind === 'GroupNode') {
      throw queryError(
        `${node.kind} series are not supported: the PostHog emulator runs EventsNode series. ${EMULATOR_LIMIT}.`,
      );
    }
    throw parseError(`series[${index}].kind must be 'EventsNode'`);
  }
  const event = typeof node.event === 'string' ? node.event : null;
  let math = typeof node.math === 'string' ? node.math : 'total';
  // convert_active_user_math_based_on_interval: WAU is DAU at week or longer intervals, MAU at month.
  if (math === 'weekly_active' && (interval === 'week' || interval === 'month')) math = 'dau';
  if (math === 'monthly_active' && interval === 'month') math = 'dau';
  const known = ['total', 'dau', 'weekly_active', 'monthly_active', 'unique_session', ...PROPERTY_MATHS];
  if (!known.includes(math)) {
    throw queryError(
      `Trend math "${math}" is not supported by the PostHog emulator (it runs ${known.join(', ')})`,
    );
  }
  const options = { now: context.nowUs, teamId: context.teamId };
  const conditions: Expr[] = [];
  if (event !== null) {
    conditions.push({
      kind: 'compare',
      op: 'eq',
      left: { kind: 'field', chain: ['event'] },
      right: { kind: 'constant', value: event },
    });
  }
  for (const properties of [node.properties, node.fixedProperties, query.properties]) {
    if (properties !== undefined && properties !== null)
      conditions.push(propertiesToExpr(properties, context.nowUs));
  }
  const condition =
    conditions.length === 0
      ? null
      : compileRowExpression({ kind: 'and', exprs: conditions }, options, 'WHERE').fn;
  let propertyValue: Series['propertyValue'] = null;
  if (PROPERTY_MATHS.has(math)) {
    if (typeof node.math_property !== 'string' || node.math_property === '') {
      throw queryError(`Math "${math}" needs a math_property`);
    }
    const read = compileRowExpression(
      {
        kind: 'field',
        chain:
          node.math_property_type === 'event_metadata'
            ? [node.math_property]
            : ['properties', node.math_property],
      },
      options,
      'SELECT',
    ).fn;
    propertyValue = (row) => {
      const n = toNumber(read(row));
      return n === null || Number.isNaN(n) ? null : n;
    };
  }
  return {
    node,
    index,
    event,
    math,
    matches: condition === null ? () => true : (row) => truthy(condition(row)),
    propertyValue,
  };
}

interface Breakdown {
  valueOf: (row: EventRow) => string;
  limit: number;
  hideOther: boolean;
}

function prepareBreakdown(filter: unknown, context: QueryContext): Breakdown | null {
  if (!isObject(filter)) return null;
  if (Array.isArray(filter.breakdowns) && filter.breakdowns.length > 0) {
    throw queryError(`Multiple breakdowns are not supported. ${EMULATOR_LIMIT}.`);
  }
  const breakdown = filter.breakdown;
  if (breakdown === undefined || breakdown === null || breakdown === '') return null;
  const type = typeof filter.breakdown_type === 'string' ? filter.breakdown_type : 'event';
  if (typeof filter.breakdown_histogram_bin_count === 'number') {
    throw queryError(`Histogram breakdowns are not supported. ${EMULATOR_LIMIT}.`);
  }
  let expr: Expr;
  if (type === 'event') expr = { kind: 'field', chain: ['properties', String(breakdown)] };
  else if (type === 'event_metadata') expr = { kind: 'field', chain: [String(breakdown)] };
  else if (type === 'hogql') expr = parseHogQLExpr(String(breakdown));
  else {
    throw queryError(
      `Breakdowns of type "${type}" are not supported: the PostHog emulator breaks down by event properties and HogQL only`,
    );
  }
  const read = compileRowExpression(expr, { now: context.nowUs, teamId: context.teamId }, 'breakdown').fn;
  const limit =
    typeof filter.breakdown_limit === 'number' && filter.breakdown_limit > 0
      ? filter.breakdown_limit
      : BREAKDOWN_VALUES_LIMIT;
  return {
    valueOf: (row) => {
      const text = toText(read(row));
      return text === null || text === '' ? BREAKDOWN_NULL_STRING_LABEL : text;
    },
    limit,
    hideOther: filter.breakdown_hide_other_aggregation === true,
  };
}

const ordering = (value: string) =>
  value === BREAKDOWN_OTHER_STRING_LABEL ? 2 : value === BREAKDOWN_NULL_STRING_LABEL ? 1 : 0;

const displayLabel = (value: string) =>
  value === BREAKDOWN_OTHER_STRING_LABEL
    ? BREAKDOWN_OTHER_DISPLAY
    : value === BREAKDOWN_NULL_STRING_LABEL
      ? BREAKDOWN_NULL_DISPLAY
      : value;

/** Runs a `TrendsQuery` node; the body of a 200. Throws a `HogQLError` for a 400. */
export function runTrendsQuery(
  store: PostHogEventStore,
  query: Record<string, unknown>,
  context: QueryContext,
): Record<string, unknown> {
  if (!Array.isArray(query.series))
    throw parseError('1 validation error for TrendsQuery\nseries\n  Field required');
  const intervalInput = query.interval ?? 'day';
  if (intervalInput === 'minute')
    throw queryError(`The minute interval is not supported by the PostHog emulator (hour, day, week, month)`);
  if (typeof intervalInput !== 'string' || !INTERVALS.has(intervalInput)) {
    throw parseError(`interval must be one of 'minute', 'hour', 'day', 'week', 'month'`);
  }
  const compare = query.compareFilter;
  if (isObject(compare) && compare.compare === true)
    throw queryError(`Comparing to a previous period is not supported. ${EMULATOR_LIMIT}.`);
  const trendsFilter = isObject(query.trendsFilter) ? query.trendsFilter : {};
  if (trendsFilter.formula || trendsFilter.formulas || trendsFilter.formulaNodes) {
    throw queryError(`Trend formulas are not supported. ${EMULATOR_LIMIT}.`);
  }
  const display = typeof trendsFilter.display === 'string' ? trendsFilter.display : 'ActionsLineGraph';
  const totalValue = TOTAL_VALUE_DISPLAYS.has(display);
  const cumulative = display === 'ActionsLineGraphCumulative';
  // QueryDateRange runs total-value insights by day.
  const interval = (totalValue ? 'day' : intervalInput) as Interval;
  const range = resolveDateRange(
    isObject(query.dateRange) ? query.dateRange : null,
    interval,
    context.nowUs,
    () => store.rows()[0]?.timestamp.us ?? null,
  );
  const series = query.series.map((node, index) => prepareSeries(node, index, query, interval, context));
  const breakdown = prepareBreakdown(query.breakdownFilter, context);
  const bucketIndex = new Map(range.buckets.map((us, index) => [us, index]));
  const rows = store.rows();
  const end = store.upperBound(range.toUs);
  const realSeriesCount = series.length;
  const results: Record<string, unknown>[] = [];
  let hasMore = false;

  for (const current of series) {
    const activeDays = ACTIVE_DAYS[current.math];
    const lookback = activeDays === undefined || totalValue ? 0 : (activeDays - 1) * US_PER_DAY;
    const firstBucket = range.buckets[0] ?? range.windowStartUs;
    const start = store.lowerBound(Math.min(range.windowStartUs, firstBucket - lookback));
    const perValue = new Map<string, Map<number, Cell>>();
    const totals = new Map<string, Cell>();
    for (let i = start; i < end; i++) {
      const row = rows[i]!;
      if (!current.matches(row)) continue;
      const key = breakdown === null ? '' : breakdown.valueOf(row);
      const ts = row.timestamp.us;
      if (totalValue) {
        if (ts < range.windowStartUs) continue;
        addToCell(cellIn(totals, key), row, current);
        continue;
      }
      if (activeDays === undefined && ts < range.windowStartUs) continue;
      let cells = perValue.get(key);
      if (cells === undefined) {
        cells = new Map();
        perValue.set(key, cells);
      }
      const own = range.bucketOf(ts);
      if (activeDays === undefined) {
        const at = bucketIndex.get(own);
        if (at === undefined) continue;
        addToCell(cellIn(cells, at), row, current);
      } else {
        // A person active at `ts` counts in every bucket whose trailing window [start − (N−1) days, end) holds ts.
        const span = (activeDays - 1) * US_PER_DAY;
        let at = bucketIndex.get(own) ?? (ts < (range.buckets[0] ?? 0) ? 0 : -1);
        if (at < 0) continue;
        for (; at < range.buckets.length && range.buckets[at]! - span <= ts; at++) {
          addToCell(cellIn(cells, at), row, current);
        }
      }
    }

    const label = current.event ?? 'All events';
    const base = (data: number[]) => ({
      label,
      filter: filterDescription(query, range),
      action: {
        days: range.days,
        id: current.event,
        type: 'events',
        order: current.index,
        name: label,
        custom_name: current.node.custom_name ?? null,
        math: current.math === 'total' && current.node.math === undefined ? null : current.math,
        math_property: current.node.math_property ?? null,
        math_hogql: current.node.math_hogql ?? null,
        math_group_type_index: current.node.math_group_type_index ?? null,
        properties: {},
      },
      data,
    });

    // Per breakdown value: its bucket values (or total), ranked as the builder ranks them.
    type Entry = { value: string; data: number[]; total: number };
    let entries: Entry[];
    if (totalValue) {
      const keys = breakdown === null ? [''] : [...totals.keys()];
      entries = keys.map((value) => ({ value, data: [], total: cellValue(totals.get(value), current.math) }));
    } else {
      const keys = breakdown === null ? [''] : [...perValue.keys()];
      entries = keys.map((value) => {
        const cells = perValue.get(value);
        const data = range.buckets.map((_, index) => cellValue(cells?.get(index), current.math));
        return { value, data, total: data.reduce((a, b) => a + b, 0) };
      });
    }
    if (breakdown !== null) {
      entries.sort(
        (a, b) =>
          ordering(a.value) - ordering(b.value) ||
          b.total - a.total ||
          (a.value < b.value ? -1 : a.value > b.value ? 1 : 0),
      );
      if (entries.length > breakdown.limit) {
        hasMore = true;
        const rest = entries.slice(breakdown.limit);
        entries = entries.slice(0, breakdown.limit);
        if (!breakdown.hideOther) {
          const data = totalValue
            ? []
            : range.buckets.map((_, index) => rest.reduce((sum, entry) => sum + entry.data[index]!, 0));
          const total = rest.reduce((sum, entry) => sum + entry.total, 0);
          entries.push({ value: BREAKDOWN_OTHER_STRING_LABEL, data, total });
        }
      }
    }

    for (const entry of entries) {
      let data = entry.data;
      if (cumulative) {
        let running = 0;
        data = data.map((value) => {
          running += value;
          return running;
        });
      }
      const result: Record<string, unknown> = totalValue
        ? { ...base([]), days: [], count: 0, aggregated_value: entry.total }
        : {
            ...base(data),
            labels: range.labels,
            days: range.days,
            count: cumulative ? (data[data.length - 1] ?? 0) : data.reduce((a, b) => a + b, 0),
          };
      if (breakdown !== null) {
        const shown = displayLabel(entry.value);
        result.label = realSeriesCount > 1 ? `${label} - ${shown}` : shown;
        result.breakdown_value = entry.value;
      }
      results.push(result);
    }
  }

  return {
    results,
    hasMore,
    hogql: printHogQLSelect(describeQuery(series[0], range, interval)),
    error: '',
    modifiers: {},
    timings: [],
    resolved_date_range: {
      date_from: formatDateTimeIso(range.fromUs),
      date_to: formatDateTimeIso(range.toUs),
    },
  };
}

// TrendsQueryRunner._query_to_filter: the legacy filter the series carry, without null fields.
function filterDescription(
  query: Record<string, unknown>,
  range: { fromUs: number; toUs: number; interval: Interval },
) {
  const filter: Record<string, unknown> = {
    insight: 'TRENDS',
    properties: query.properties,
    filter_test_accounts: query.filterTestAccounts,
    date_to: formatDateTimeIso(range.toUs),
    date_from: formatDateTimeIso(range.fromUs),
    entity_type: 'events',
    sampling_factor: query.samplingFactor,
    interval: range.interval,
    ...(isObject(query.trendsFilter) ? query.trendsFilter : {}),
    ...(isObject(query.breakdownFilter) ? query.breakdownFilter : {}),
  };
  return Object.fromEntries(
    Object.entries(filter).filter(([, value]) => value !== undefined && value !== null),
  );
}

// A readable HogQL rendering of the first series' query, for the response's `hogql` field.
function describeQuery(
  series: Series | undefined,
  range: { windowStartUs: number; toUs: number },
  interval: Interval,
): SelectQuery {
  const bucket =
    interval === 'hour'
      ? 'toStartOfHour'
      : interval === 'day'
        ? 'toStartOfDay'
        : interval === 'week'
          ? 'toStartOfWeek'
          : 'toStartOfMonth';
  const field = (name: string): Expr => ({ kind: 'field', chain: [name] });
  const timestamp = field('timestamp');
  const at = (us: number): Expr => ({
    kind: 'call',
    name: 'toDateTime',
    args: [{ kind: 'constant', value: formatDateTimeSql(us, 0) }],
    distinct: false,
    params: null,
  });
  const conditions: Expr[] = [
    { kind: 'compare', op: 'gtEq', left: timestamp, right: at(range.windowStartUs) },
    { kind: 'compare', op: 'ltEq', left: timestamp, right: at(range.toUs) },
  ];
  if (series?.event)
    conditions.push({
      kind: 'compare',
      op: 'eq',
      left: field('event'),
      right: { kind: 'constant', value: series.event },
    });
  const aggregate: Expr =
    series?.math === 'dau'
      ? { kind: 'call', name: 'count', args: [field('person_id')], distinct: true, params: null }
      : { kind: 'call', name: 'count', args: [], distinct: false, params: null };
  return {
    kind: 'select',
    distinct: false,
    select: [
      { kind: 'alias', alias: 'total', expr: aggregate },
      {
        kind: 'alias',
        alias: 'day_start',
        expr: { kind: 'call', name: bucket, args: [timestamp], distinct: false, params: null },
      },
    ],
    from: { table: 'events', alias: null },
    where: { kind: 'and', exprs: conditions },
    groupBy: [field('day_start')],
    having: null,
    orderBy: [{ expr: field('day_start'), order: 'ASC', nulls: null }],
    limit: { kind: 'constant', value: 50_000 },
    offset: null,
  };
}
