import { type ApiResult, err, IntegrationError, ok } from '@patchbay/core';
import { type ExportPage, numberedColumns, type PageSource } from './page-source.ts';
import { type PostHogQuerySource, runPageQuery } from './query-source.ts';
import { TREND_COLUMNS, trendRows } from './trend-rows.ts';

/**
 * The one page of a query kind that is not paged: a `TrendsQuery` as rows of `TREND_COLUMNS`, any other kind's
 * `results` as they come (arrays of cells named by `columns`, or objects whose keys, in order of first
 * appearance, are the columns).
 */
export function singlePage(client: PostHogQuerySource, node: { kind: string }): PageSource {
  return {
    async next(signal): Promise<ApiResult<ExportPage>> {
      const page = await runPageQuery(client, node, signal);
      if (!page.success) return page;
      const { results, columns } = page.data;
      if (node.kind === 'TrendsQuery') {
        const rows = trendRows(results);
        return rows.success ? ok({ columns: TREND_COLUMNS, rows: rows.data, last: true }) : rows;
      }
      if (results.every(Array.isArray)) {
        const rows = results as unknown[][];
        return ok({ columns: columns ?? numberedColumns(rows[0]?.length ?? 0), rows, last: true });
      }
      if (results.every(isRecord)) return ok({ ...objectRows(results), last: true });
      return err(
        new IntegrationError(
          'INVALID_RESPONSE',
          `PostHog's ${node.kind} answer holds rows that are neither arrays nor objects`,
          {
            field: 'results',
            retryable: false,
          },
        ),
      );
    },
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function objectRows(results: readonly Record<string, unknown>[]): { columns: string[]; rows: unknown[][] } {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const result of results) {
    for (const key of Object.keys(result)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
  }
  const rows = results.map((result) =>
    columns.map((column) => (Object.hasOwn(result, column) ? result[column] : null)),
  );
  return { columns, rows };
}
