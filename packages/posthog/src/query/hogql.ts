import { type ApiResult, err, invalidInput, type JsonValue, ok, toJsonValue } from '@patchbay/core';
import { type QueryOptions, readQueryOptions } from './query-options.ts';
import { hogQLQueryResponseSchema } from './query-responses.ts';
import { type QueryContext, type RunQueryOptions, runQuery } from './run-query.ts';

/** Options of `hogql`. */
export interface HogQLOptions extends QueryOptions {
  /**
   * The values of the SQL's `{name}` placeholders, filled in by PostHog as constants (never spliced into the
   * text): `hogql('select count() from events where event = {event}', { values: { event: '$pageview' } })`.
   */
  values?: Record<string, unknown>;
}

/** A HogQL query's rows, loosely typed, with their column names. */
export interface HogQLResult<Row extends readonly unknown[] = unknown[]> {
  /** Column names, in row order. */
  columns: string[];
  /** Rows as arrays in `columns` order; `Row` is the caller's claim, not checked beyond being an array. */
  rows: Row[];
  /** ClickHouse types of the columns, as PostHog reports them. */
  types: unknown[];
  /** True when PostHog cut the rows at its limit (100 without a LIMIT, 50 000 at most). */
  hasMore: boolean;
}

// HogQL placeholders are identifiers (`{event}`, `{cursor_ts}`).
const PLACEHOLDER = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;

/**
 * Checks `sql` and `values` (copied once into JSON, each name an identifier) and builds the `HogQLQuery` node.
 * A `VALIDATION_ERROR` names the field (`sql`, `options.values.<name>`).
 */
export function hogQLNode(
  sql: unknown,
  values: unknown,
): ApiResult<{ kind: 'HogQLQuery'; query: string; values?: { [key: string]: JsonValue } }> {
  if (typeof sql !== 'string' || sql.trim() === '') {
    return err(invalidInput('sql', 'must be a non-empty string of HogQL'));
  }
  if (values === undefined) return ok({ kind: 'HogQLQuery', query: sql });
  const copy = toJsonValue(values, { field: 'options.values' });
  if (!copy.success) return copy;
  const plain = copy.data;
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    return err(invalidInput('options.values', 'must be an object of placeholder names to values'));
  }
  for (const name of Object.keys(plain)) {
    if (!PLACEHOLDER.test(name)) {
      return err(
        invalidInput('options.values', 'has a name that is not a HogQL identifier ({name} placeholders)'),
      );
    }
  }
  return ok({ kind: 'HogQLQuery', query: sql, values: plain });
}

/** Runs a built HogQL node and reads its answer into a {@link HogQLResult}. */
export async function runHogQL<Row extends readonly unknown[] = unknown[]>(
  context: QueryContext,
  node: { kind: 'HogQLQuery'; query: string; values?: { [key: string]: JsonValue } },
  options: RunQueryOptions,
): Promise<ApiResult<HogQLResult<Row>>> {
  const answered = await runQuery(context, node, hogQLQueryResponseSchema, options);
  if (!answered.success) return answered;
  const { results, columns, types, hasMore } = answered.data;
  return ok({
    columns: columns ?? [],
    rows: results as unknown as Row[],
    types: types ?? [],
    hasMore: hasMore === true,
  });
}

/**
 * `hogql(sql, { values })`: a HogQL query, parameterised through PostHog's `{name}` placeholders.
 * @example const top = await hogql(context, 'select event, count() from events group by event limit 10', {});
 */
export async function hogqlWith<Row extends readonly unknown[] = unknown[]>(
  context: QueryContext,
  sql: unknown,
  options: unknown,
): Promise<ApiResult<HogQLResult<Row>>> {
  const read = readQueryOptions(options, ['values']);
  if (!read.success) return read;
  const node = hogQLNode(sql, read.data.own.values);
  if (!node.success) return node;
  return runHogQL<Row>(context, node.data, read.data.run);
}
