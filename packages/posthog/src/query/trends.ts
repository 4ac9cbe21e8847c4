import {
  type ApiResult,
  err,
  invalidInput,
  isArraySafe,
  type JsonValue,
  ok,
  toJsonValue,
} from '@patchbay/core';
import { checkQueryNode, type TRENDS_INTERVALS, type TrendsQuery } from './query-nodes.ts';
import { type QueryOptions, readQueryOptions } from './query-options.ts';
import { type TrendsSeries, trendsQueryResponseSchema } from './query-responses.ts';
import { type QueryContext, runQuery } from './run-query.ts';

/** One series of `trends`: an event by name (`null` for every event), or a full series node of PostHog's. */
export type TrendsSeriesInput =
  | {
      event: string | null;
      /** `total` (default), `dau`, `weekly_active`, `sum`… (PostHog's `math`). */
      math?: string;
      name?: string;
      custom_name?: string;
      properties?: Record<string, unknown>[];
    }
  | TrendsQuery['series'][number];

/** Options of `trends`. */
export interface TrendsOptions extends QueryOptions {
  series: readonly TrendsSeriesInput[];
  /** PostHog's date range: `{ date_from: '-7d' }`, `{ date_from: '2026-01-01', date_to: '2026-01-31' }`. */
  dateRange?: { date_from?: string | null; date_to?: string | null; explicitDate?: boolean | null };
  interval?: (typeof TRENDS_INTERVALS)[number];
  /** An event property to break down by, or PostHog's `breakdownFilter`. */
  breakdown?:
    | string
    | { breakdown: string | number | (string | number)[]; breakdown_type?: string; breakdown_limit?: number };
  /** Property filters of every series. */
  properties?: Record<string, unknown>[];
  filterTestAccounts?: boolean;
}

const TREND_KEYS = [
  'series',
  'dateRange',
  'interval',
  'breakdown',
  'properties',
  'filterTestAccounts',
] as const;

/**
 * Builds the `TrendsQuery` node of `trends`' options: a series without a `kind` is an `EventsNode`, a breakdown
 * by name is an event-property breakdown. Each option is copied once into JSON.
 */
export function trendsNode(
  own: { [P in (typeof TREND_KEYS)[number]]?: unknown },
): ApiResult<{ [key: string]: JsonValue }> {
  const node: { [key: string]: JsonValue } = { kind: 'TrendsQuery' };
  for (const key of TREND_KEYS) {
    if (own[key] === undefined) continue;
    const copy = toJsonValue(own[key], { field: `options.${key}` });
    if (!copy.success) return copy;
    node[key] = copy.data;
  }
  const series = node.series;
  if (!isArraySafe(series)) return err(invalidInput('options.series', 'must be an array of series'));
  node.series = series.map((item) =>
    typeof item === 'object' && item !== null && !Array.isArray(item) && item.kind === undefined
      ? { kind: 'EventsNode', ...item }
      : item,
  );
  const { breakdown } = node;
  if (breakdown !== undefined) {
    delete node.breakdown;
    node.breakdownFilter = typeof breakdown === 'string' ? { breakdown, breakdown_type: 'event' } : breakdown;
  }
  return ok(node);
}

/**
 * `trends(options)`: a `TrendsQuery` (PostHog's insight API since `/insights/trend/` went away), its series
 * typed.
 * @example const daily = await trendsWith(context, { series: [{ event: '$pageview' }], dateRange: { date_from: '-7d' }, interval: 'day' });
 */
export async function trendsWith(
  context: QueryContext,
  options: unknown,
): Promise<ApiResult<TrendsSeries[]>> {
  if (options === undefined) return err(invalidInput('options', 'must be an object with series'));
  const read = readQueryOptions(options, TREND_KEYS);
  if (!read.success) return read;
  const built = trendsNode(read.data.own);
  if (!built.success) return built;
  const checked = await checkQueryNode(built.data);
  if (!checked.success) return checked;
  const answered = await runQuery(context, checked.data.node, trendsQueryResponseSchema, read.data.run);
  return answered.success ? ok(answered.data.results) : answered;
}
