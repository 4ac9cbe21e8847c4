import { type ApiResult, err, IntegrationError, invalidInput, ok } from '@patchbay/core';
import { runsAsOnePage, withLimitOffset } from './hogql-paging.ts';
import { type ExportPage, numberedColumns, type PageSource } from './page-source.ts';
import { type PostHogQuerySource, runPageQuery } from './query-source.ts';

/**
 * The pages of a `HogQLQuery` (`node`, a plain JSON copy): `LIMIT pageSize OFFSET n` appended to its SQL, the
 * offset advanced by the rows each page held, until a page holds fewer than `pageSize`. SQL with a LIMIT or a
 * UNION of its own runs as one page, as written (PostHog then answers at most 50 000 rows). Offset pages are
 * only stable when the SQL orders its rows completely (`ORDER BY timestamp, uuid`).
 */
export function hogQLPages(
  client: PostHogQuerySource,
  node: Record<string, unknown>,
  pageSize: number,
): ApiResult<PageSource> {
  const sql = node.query;
  if (typeof sql !== 'string' || sql.trim() === '')
    return err(invalidInput('query.query', 'must be HogQL text'));
  const onePage = runsAsOnePage(sql);
  let offset = 0;
  let columns: string[] | undefined;

  return ok({
    async next(signal): Promise<ApiResult<ExportPage>> {
      const pageNode = onePage
        ? node
        : { ...node, kind: 'HogQLQuery', query: withLimitOffset(sql, pageSize, offset) };
      const page = await runPageQuery(client, pageNode as { kind: string }, signal);
      if (!page.success) return page;
      const rows: unknown[][] = [];
      const { results } = page.data;
      for (let index = 0; index < results.length; index++) {
        const row = results[index];
        if (!Array.isArray(row)) return err(notARow(index));
        rows.push(row);
      }
      columns ??= page.data.columns ?? numberedColumns(rows[0]?.length ?? 0);
      offset += rows.length;
      return ok({ columns, rows, last: onePage || rows.length < pageSize });
    },
  });
}

const notARow = (index: number) =>
  new IntegrationError('INVALID_RESPONSE', 'PostHog answered a HogQL row that is not an array of cells', {
    field: `results.${index}`,
    retryable: false,
  });
