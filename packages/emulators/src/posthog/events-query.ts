// The EventsQuery runner, after PostHog's `EventsQueryRunner` (`posthog/hogql_queries/events_query_runner.py`):
// `select` entries are HogQL (a `-- label` comment allowed), `*` is the event as an object (the fields of
// SELECT_STAR_FROM_EVENTS_FIELDS, properties parsed), `person` is `{ distinct_id }` (the emulator keeps no persons);
// `where` entries with an aggregation go to HAVING; non-aggregated columns are grouped when any column aggregates;
// the default order is count() DESC, else the first aggregation DESC, else timestamp DESC when selected, else the
// first column; `after` defaults to -24h (`all` lifts it), `before` to five seconds from now; `limit` defaults to
// 100 and is capped at 50 000, and `hasMore` comes from asking for one row more (HogQLHasMorePaginator).
import { chainToElements } from './elements-chain.ts';
import type { PostHogEventStore } from './event-store.ts';
import {
  EMULATOR_LIMIT,
  type Expr,
  type OrderExpr,
  parseError,
  queryError,
  type SelectQuery,
} from './hogql-ast.ts';
import { parseHogQLExpr, parseHogQLOrderExpr } from './hogql-parser.ts';
import { printHogQLSelect } from './hogql-printer.ts';
import { hasAggregation, runSelect } from './hogql-select.ts';
import { formatDateTimeSql, isDateTime, toJson, US_PER_SECOND, type Value } from './hogql-values.ts';
import { propertiesToExpr } from './property-filters.ts';
import { DEFAULT_RETURNED_ROWS, MAX_SELECT_RETURNED_ROWS, type QueryContext } from './query-context.ts';
import { parseRelativeDate } from './relative-dates.ts';

/** events_query_runner.py SELECT_STAR_FROM_EVENTS_FIELDS: what `*` returns, in this order. */
export const SELECT_STAR_FROM_EVENTS_FIELDS = [
  'uuid',
  'event',
  'properties',
  'timestamp',
  'team_id',
  'distinct_id',
  'elements_chain',
  'created_at',
  'person_mode',
] as const;

const field = (...chain: string[]): Expr => ({ kind: 'field', chain });
const constant = (value: string | number): Expr => ({ kind: 'constant', value });
const call = (name: string, ...args: Expr[]): Expr => ({
  kind: 'call',
  name,
  args,
  distinct: false,
  params: null,
});
const labelOf = (column: string) => column.split('--')[0]!.trim();

function selectExpr(column: string): Expr {
  if (column === '*') return call('tuple', ...SELECT_STAR_FROM_EVENTS_FIELDS.map((name) => field(name)));
  const label = labelOf(column);
  // `person` is expanded by a follow-up lookup of persons; the emulator has none, so it stays the distinct id.
  if (label === 'person') return field('distinct_id');
  // (coalesce(<person display properties>, distinct_id), toString(person.id), distinct_id): no person properties here.
  if (label === 'person_display_name') {
    return call('tuple', field('distinct_id'), call('toString', field('person_id')), field('distinct_id'));
  }
  return parseHogQLExpr(column);
}

function defaultOrder(raw: string[], select: Expr[]): OrderExpr[] {
  const aggregations = select.filter(hasAggregation);
  if (raw.includes('count()')) return [{ expr: call('count'), order: 'DESC', nulls: null }];
  if (aggregations.length > 0) return [{ expr: aggregations[0]!, order: 'DESC', nulls: null }];
  if (raw.includes('timestamp')) return [{ expr: field('timestamp'), order: 'DESC', nulls: null }];
  if (select.length > 0) return [{ expr: select[0]!, order: 'ASC', nulls: null }];
  return [];
}

function starObject(value: Value, teamId: number): Record<string, unknown> {
  const parts = (Array.isArray(value) ? value : []) as Value[];
  const out: Record<string, unknown> = {};
  SELECT_STAR_FROM_EVENTS_FIELDS.forEach((name, index) => {
    out[name] = toJson(parts[index] ?? null);
  });
  out.team_id = teamId;
  const properties = JSON.parse(String(out.properties)) as Record<string, unknown>;
  // batch_check_session_recordings: the emulator stores no recordings.
  if (typeof properties.$session_id === 'string' && properties.$session_id !== '')
    properties.$has_recording = false;
  out.properties = properties;
  if (typeof out.elements_chain === 'string' && out.elements_chain !== '') {
    out.elements = chainToElements(out.elements_chain);
  }
  return out;
}

// Python's datetime.isoformat(), which `_extract_last_timestamp` uses for nextCursor.
function pythonIsoformat(value: Value): string | null {
  if (!isDateTime(value)) return null;
  const text = formatDateTimeSql(value.us, 6).replace(' ', 'T');
  return `${value.us % US_PER_SECOND === 0 ? text.slice(0, 19) : text}+00:00`;
}

/** Runs an `EventsQuery` node; the body of a 200. Throws a `HogQLError` for a 400. */
export function runEventsQuery(
  store: PostHogEventStore,
  node: Record<string, unknown>,
  context: QueryContext,
): Record<string, unknown> {
  const select = node.select;
  if (!Array.isArray(select) || select.some((column) => typeof column !== 'string')) {
    throw parseError('1 validation error for EventsQuery\nselect\n  Field required (a list of strings)');
  }
  if (node.actionId !== undefined && node.actionId !== null) {
    throw queryError(
      `Actions (actionId) are not supported: the PostHog emulator stores no actions. ${EMULATOR_LIMIT}.`,
    );
  }
  if (node.source !== undefined && node.source !== null) {
    throw queryError(`EventsQuery with a source insight is not supported. ${EMULATOR_LIMIT}.`);
  }
  const raw = select.length === 0 ? ['*'] : (select as string[]);
  const selectExprs = raw.map(selectExpr);

  const conditions: Expr[] = [];
  for (const text of Array.isArray(node.where) ? node.where : []) {
    if (typeof text !== 'string') throw parseError('where must be a list of strings');
    conditions.push(parseHogQLExpr(text));
  }
  for (const key of ['properties', 'fixedProperties'] as const) {
    if (node[key] !== undefined && node[key] !== null)
      conditions.push(propertiesToExpr(node[key], context.nowUs));
  }
  const events = [node.event, ...(Array.isArray(node.events) ? node.events : [])].filter(
    (name): name is string => typeof name === 'string' && name !== '',
  );
  if (events.length === 1)
    conditions.push({ kind: 'compare', op: 'eq', left: field('event'), right: constant(events[0]!) });
  else if (events.length > 1) {
    conditions.push({
      kind: 'compare',
      op: 'in',
      left: field('event'),
      right: { kind: 'tuple', exprs: events.map(constant) },
    });
  }
  if (typeof node.personId === 'string' && node.personId !== '') {
    // Each distinct id is its own person in the emulator: a person's events are those with its person_id.
    conditions.push({
      kind: 'compare',
      op: 'eq',
      left: call('toString', field('person_id')),
      right: constant(node.personId),
    });
  }
  const before =
    typeof node.before === 'string' && node.before !== ''
      ? parseRelativeDate(node.before, context.nowUs).us
      : context.nowUs + 5 * US_PER_SECOND;
  conditions.push({
    kind: 'compare',
    op: 'lt',
    left: field('timestamp'),
    right: constant(formatDateTimeSql(before, 6)),
  });
  const after = typeof node.after === 'string' && node.after !== '' ? node.after : '-24h';
  if (after !== 'all') {
    const afterUs = parseRelativeDate(after, context.nowUs).us;
    conditions.push({
      kind: 'compare',
      op: 'gt',
      left: field('timestamp'),
      right: constant(formatDateTimeSql(afterUs, 6)),
    });
  }
  const whereList = conditions.filter((condition) => !hasAggregation(condition));
  const havingList = conditions.filter(hasAggregation);
  const aggregated = selectExprs.some(hasAggregation);

  let orderBy: OrderExpr[];
  if (Array.isArray(node.orderBy)) {
    orderBy = node.orderBy.map((item) => {
      if (typeof item !== 'string') throw parseError('orderBy must be a list of strings');
      return parseHogQLOrderExpr(item);
    });
  } else {
    orderBy = defaultOrder(raw, selectExprs);
  }

  const requested = typeof node.limit === 'number' && node.limit > 0 ? node.limit : DEFAULT_RETURNED_ROWS;
  const limit = Math.min(MAX_SELECT_RETURNED_ROWS, requested);
  const offset = typeof node.offset === 'number' && node.offset > 0 ? node.offset : 0;
  const statement: SelectQuery = {
    kind: 'select',
    distinct: false,
    select: selectExprs,
    from: { table: 'events', alias: null },
    where:
      whereList.length === 0
        ? null
        : whereList.length === 1
          ? whereList[0]!
          : { kind: 'and', exprs: whereList },
    groupBy: aggregated ? selectExprs.filter((expr) => !hasAggregation(expr)) : null,
    having:
      havingList.length === 0
        ? null
        : havingList.length === 1
          ? havingList[0]!
          : { kind: 'and', exprs: havingList },
    orderBy,
    limit: constant(limit + 1),
    offset: constant(offset),
  };
  if (aggregated && statement.groupBy?.length === 0) statement.groupBy = null;
  const output = runSelect(store, statement, {
    now: context.nowUs,
    teamId: context.teamId,
    maxLimit: MAX_SELECT_RETURNED_ROWS,
  });
  const hasMore = output.rows.length > limit;
  const rows = output.rows.slice(0, limit);

  const results = rows.map((row) =>
    row.map((value, index) => {
      const label = labelOf(raw[index]!);
      if (raw[index] === '*') return starObject(value, context.teamId);
      if (label === 'person') return { distinct_id: toJson(value) };
      if (label === 'person_display_name') {
        const [display, id, distinctId] = (Array.isArray(value) ? value : []) as Value[];
        return {
          display_name: toJson(display ?? null),
          id: toJson(id ?? null),
          distinct_id: toJson(distinctId ?? null),
        };
      }
      return toJson(value);
    }),
  );

  const first = orderBy[0]?.expr;
  const cursorEligible =
    !aggregated && first?.kind === 'field' && first.chain.length === 1 && first.chain[0] === 'timestamp';
  let nextCursor: string | null = null;
  if (cursorEligible && hasMore && rows.length > 0) {
    const last = rows[rows.length - 1]!;
    const star = raw.indexOf('*');
    const stamp =
      star >= 0
        ? (last[star] as Value[])[3]
        : last[raw.findIndex((column) => labelOf(column) === 'timestamp')];
    nextCursor = stamp === undefined ? null : pythonIsoformat(stamp ?? null);
  }

  return {
    results,
    columns: raw.map((column, index) =>
      selectExprs[index]!.kind === 'alias' ? output.columns[index]! : column,
    ),
    types: output.types,
    hasMore,
    limit,
    offset,
    nextCursor,
    hogql: printHogQLSelect(statement),
    error: null,
    modifiers: {},
    timings: [],
  };
}
