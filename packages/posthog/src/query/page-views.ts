import { type ApiResult, err, IntegrationError, invalidInput, ok } from '@patchbay/core';
import { runHogQL } from './hogql.ts';
import { type QueryOptions, readQueryOptions } from './query-options.ts';
import type { QueryContext } from './run-query.ts';

/** Options of `getTotalPageViews`. */
export interface PageViewsOptions extends QueryOptions {
  /** The last N days (N × 24 h up to now), a whole number from 1 to 3 650. Default 30. */
  days?: number;
}

/** The longest span `getTotalPageViews` counts over: ten years. */
export const MAX_PAGE_VIEW_DAYS = 3650;

const DAY_MS = 86_400_000;

// The bound is computed here, not with now() in the SQL: the count then covers what the caller's clock calls
// "the last N days", and the value reaches PostHog as a placeholder like any other.
const PAGE_VIEWS_SQL =
  'SELECT count() FROM events WHERE event = {event} AND timestamp >= toDateTime({after})';

/**
 * `getTotalPageViews({ days })`: how many `$pageview` events PostHog holds from the last `days` days (seed
 * 000's `PostHogApiService`), with one HogQL count.
 * @example const views = await pageViewsWith(context, { days: 7 }); if (views.success) show(views.data);
 */
export async function pageViewsWith(context: QueryContext, options: unknown): Promise<ApiResult<number>> {
  const read = readQueryOptions(options, ['days']);
  if (!read.success) return read;
  const { days = 30 } = read.data.own;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_PAGE_VIEW_DAYS) {
    return err(invalidInput('options.days', `must be a whole number from 1 to ${MAX_PAGE_VIEW_DAYS}`));
  }
  const after = new Date(Date.now() - days * DAY_MS).toISOString();
  const counted = await runHogQL(
    context,
    { kind: 'HogQLQuery', query: PAGE_VIEWS_SQL, values: { event: '$pageview', after } },
    read.data.run,
  );
  if (!counted.success) return counted;
  const value = counted.data.rows[0]?.[0];
  // ClickHouse's UInt64 may come back as a string from some servers; either is a count.
  const count = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
    return err(
      new IntegrationError(
        'INVALID_RESPONSE',
        'PostHog answered the page view count without a count in its first row',
        {
          field: 'results.0.0',
          retryable: false,
        },
      ),
    );
  }
  return ok(count);
}
