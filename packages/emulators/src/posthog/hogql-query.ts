// The HogQLQuery runner, after PostHog's `HogQLQueryRunner` (`posthog/hogql_queries/hogql_query_runner.py`):
// `values` are bound as constants at parse time (never spliced into the text), `{filters}` takes the query's
// `filters`, OFFSET is refused for personal-API-key callers (`validate_user_query`), and a SELECT without LIMIT is
// paginated by `HogQLHasMorePaginator` (LIMIT 101 OFFSET 0, then `hasMore`, `limit` 100, `offset` 0 in the
// response; with its own LIMIT the three stay null). Types are `[name, ClickHouse type]` pairs, as clickhouse-driver's
// `with_column_types` yields them.
import type { PostHogEventStore } from './event-store.ts';
import { type Expr, parseError, queryError, type SelectQuery } from './hogql-ast.ts';
import { constantFromValue, parseHogQLSelect, replacePlaceholders } from './hogql-parser.ts';
import { printHogQLSelect } from './hogql-printer.ts';
import { runSelect } from './hogql-select.ts';
import { formatDateTimeSql, toJson } from './hogql-values.ts';
import { propertiesToExpr } from './property-filters.ts';
import { DEFAULT_RETURNED_ROWS, MAX_SELECT_RETURNED_ROWS, type QueryContext } from './query-context.ts';
import { parseRelativeDate } from './relative-dates.ts';

/** posthog/hogql/user_query_validator.py OFFSET_NOT_ALLOWED_MESSAGE. */
export const OFFSET_NOT_ALLOWED_MESSAGE =
  'OFFSET is not supported on queries made with a personal API key. For pagination, use keyset pagination on the `timestamp` column, e.g. `WHERE timestamp > :last_seen_timestamp ORDER BY timestamp LIMIT N`. For bulk data extraction, use batch exports: https://posthog.com/docs/cdp/batch-exports';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const constant = (value: number | string | null): Expr => ({ kind: 'constant', value });

// posthog/hogql/filters.py ReplaceFilters: `{filters}` is the properties and the date range of `filters`, or true.
function filtersExpr(filters: unknown, context: QueryContext): Expr {
  if (filters === undefined || filters === null) return constant(1);
  if (!isObject(filters)) throw parseError('filters must be an object');
  const exprs: Expr[] = [];
  if (filters.properties !== undefined && filters.properties !== null) {
    exprs.push(propertiesToExpr(filters.properties, context.nowUs));
  }
  const range = isObject(filters.dateRange) ? filters.dateRange : null;
  const timestamp: Expr = { kind: 'field', chain: ['timestamp'] };
  const at = (text: string) => constant(formatDateTimeSql(parseRelativeDate(text, context.nowUs).us, 6));
  if (range !== null && typeof range.date_from === 'string' && range.date_from !== 'all') {
    exprs.push({ kind: 'compare', op: 'gtEq', left: timestamp, right: at(range.date_from) });
  }
  if (range !== null && typeof range.date_to === 'string') {
    exprs.push({ kind: 'compare', op: 'lt', left: timestamp, right: at(range.date_to) });
  }
  if (exprs.length === 0) return constant(1);
  return exprs.length === 1 ? exprs[0]! : { kind: 'and', exprs };
}

function bindPlaceholders(
  select: SelectQuery,
  node: Record<string, unknown>,
  context: QueryContext,
): SelectQuery {
  const values = node.values;
  if (values !== undefined && values !== null && !isObject(values))
    throw parseError('values must be an object');
  const given = isObject(values) && Object.keys(values).length > 0 ? values : null;
  return replacePlaceholders(select, (name, at) => {
    if (name === 'filters') return filtersExpr(node.filters, context);
    if (given !== null && Object.hasOwn(given, name)) {
      return { kind: 'constant', value: constantFromValue(given[name], name) };
    }
    if (given === null) throw queryError(`Unresolved placeholder: {${name}}`, at);
    throw queryError(
      `Placeholder {${name}} is not available in this context. You can use the following: ${Object.keys(given).join(', ')}`,
      at,
    );
  });
}

/** Runs a `HogQLQuery` node; the body of a 200. Throws a `HogQLError` for a 400. */
export function runHogQLQuery(
  store: PostHogEventStore,
  node: Record<string, unknown>,
  context: QueryContext,
): Record<string, unknown> {
  const text = node.query;
  if (typeof text !== 'string')
    throw parseError('1 validation error for HogQLQuery\nquery\n  Field required');
  if (isObject(node.variables) && Object.keys(node.variables).length > 0) {
    throw queryError(
      'Insight variables are not supported by the PostHog emulator: bind values with `values` instead',
    );
  }
  let select = bindPlaceholders(parseHogQLSelect(text), node, context);
  if (select.offset !== null && !context.offsetAllowed)
    throw queryError(OFFSET_NOT_ALLOWED_MESSAGE, select.offset);

  const paginated = select.limit === null;
  if (paginated) select = { ...select, limit: constant(DEFAULT_RETURNED_ROWS + 1), offset: constant(0) };
  const output = runSelect(store, select, {
    now: context.nowUs,
    teamId: context.teamId,
    maxLimit: MAX_SELECT_RETURNED_ROWS,
  });
  let rows = output.rows;
  let hasMore: boolean | null = null;
  if (paginated) {
    hasMore = rows.length > DEFAULT_RETURNED_ROWS;
    rows = rows.slice(0, DEFAULT_RETURNED_ROWS);
  }
  // The printer clamps the top-level LIMIT to MAX_SELECT_RETURNED_ROWS, and the printed query shows it.
  const printed =
    select.limit?.kind === 'constant' &&
    typeof select.limit.value === 'number' &&
    select.limit.value > MAX_SELECT_RETURNED_ROWS
      ? { ...select, limit: constant(MAX_SELECT_RETURNED_ROWS) }
      : select;
  return {
    results: rows.map((row) => row.map(toJson)),
    columns: output.columns,
    types: output.columns.map((name, index) => [name, output.types[index]]),
    hasMore,
    limit: paginated ? DEFAULT_RETURNED_ROWS : null,
    offset: paginated ? 0 : null,
    query: text,
    hogql: printHogQLSelect(printed),
    clickhouse: null,
    error: null,
    explain: null,
    metadata: null,
    modifiers: {},
    timings: [],
  };
}
