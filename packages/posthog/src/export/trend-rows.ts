import { type ApiResult, err, IntegrationError, ok } from '@patchbay/core';
import * as z from 'zod/mini';

/** The columns of an exported trend: one row per series (and breakdown value) and interval. */
export const TREND_COLUMNS = ['series', 'breakdown_value', 'date', 'label', 'value'];

// PostHog/posthog `posthog/schema.py` TrendsQueryResponse: each result a series with its points (`data`, labelled
// by `days` and `labels`), or with one `aggregated_value` when the display aggregates (a number or a pie).
const seriesSchema = z.looseObject({
  label: z.optional(z.nullable(z.string())),
  breakdown_value: z.optional(z.unknown()),
  data: z.optional(z.nullable(z.array(z.nullable(z.number())))),
  days: z.optional(z.nullable(z.array(z.unknown()))),
  labels: z.optional(z.nullable(z.array(z.unknown()))),
  aggregated_value: z.optional(z.nullable(z.number())),
  count: z.optional(z.nullable(z.number())),
});

/**
 * A trend's series as rows of {@link TREND_COLUMNS}: a row per point (`date` from `days`, `label` from `labels`),
 * or one row with the aggregated value (date and label empty) for a series without points.
 */
export function trendRows(results: readonly unknown[]): ApiResult<unknown[][]> {
  const rows: unknown[][] = [];
  for (let index = 0; index < results.length; index++) {
    const parsed = seriesSchema.safeParse(results[index]);
    if (!parsed.success) {
      return err(
        new IntegrationError('INVALID_RESPONSE', 'PostHog answered a trend series that cannot be read', {
          field: `results.${index}`,
          retryable: false,
        }),
      );
    }
    const series = parsed.data;
    const label = series.label ?? null;
    const breakdown = series.breakdown_value ?? null;
    const data = series.data ?? [];
    if (data.length === 0) {
      rows.push([label, breakdown, null, null, series.aggregated_value ?? series.count ?? null]);
      continue;
    }
    for (let point = 0; point < data.length; point++) {
      rows.push([
        label,
        breakdown,
        series.days?.[point] ?? null,
        series.labels?.[point] ?? null,
        data[point],
      ]);
    }
  }
  return ok(rows);
}
