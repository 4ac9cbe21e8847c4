import { type ApiResult, err, IntegrationError, invalidInput, ok } from '@patchbay/core';
import { type HogQLPaging, hogQLPaging, KEYSET_PLACEHOLDERS, withLimit } from './hogql-paging.ts';
import { type EventKey, readEventKey } from './keyset.ts';
import { type ExportPage, numberedColumns, type PageSource } from './page-source.ts';
import { type PostHogQuerySource, runPageQuery } from './query-source.ts';

/** PostHog's MAX_SELECT_RETURNED_ROWS: the most rows one query answers. */
const MAX_ROWS = 50_000;
// Before the first event: the first page's keyset values.
const START: EventKey = { timestamp: '1970-01-01T00:00:00Z', uuid: '00000000-0000-0000-0000-000000000000' };

/**
 * The pages of a `HogQLQuery` (`node`, a plain JSON copy). PostHog refuses OFFSET from a personal API key, so:
 * SQL naming `{after_timestamp}` and `{after_uuid}` (and no LIMIT of its own) is paged by keyset, `LIMIT pageSize`
 * appended and the two values bound to the last row's `timestamp` and `uuid` columns; other SQL without a LIMIT
 * runs once with `LIMIT 50000` appended, and fails with `VALIDATION_ERROR` when it fills that cap (the result may
 * be larger); SQL with a LIMIT or a UNION of its own runs once as written.
 */
export function hogQLPages(
  client: PostHogQuerySource,
  node: Record<string, unknown>,
  pageSize: number,
): ApiResult<PageSource> {
  const sql = node.query;
  if (typeof sql !== 'string' || sql.trim() === '')
    return err(invalidInput('query.query', 'must be HogQL text'));
  const values = node.values ?? {};
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    return err(invalidInput('query.values', 'must be an object'));
  }
  const paging: HogQLPaging = hogQLPaging(sql);
  const limit = paging === 'keyset' ? pageSize : MAX_ROWS;
  const text = paging === 'as-written' ? sql : withLimit(sql, limit);
  let key = START;
  let columns: string[] | undefined;

  return ok({
    async next(signal): Promise<ApiResult<ExportPage>> {
      const pageNode =
        paging === 'keyset'
          ? {
              ...node,
              kind: 'HogQLQuery',
              query: text,
              values: {
                ...values,
                [KEYSET_PLACEHOLDERS.timestamp]: key.timestamp,
                [KEYSET_PLACEHOLDERS.uuid]: key.uuid,
              },
            }
          : { ...node, kind: 'HogQLQuery', query: text };
      const page = await runPageQuery(client, pageNode, signal);
      if (!page.success) return page;
      const { results, hasMore } = page.data;
      const rows: unknown[][] = [];
      for (let index = 0; index < results.length; index++) {
        const row = results[index];
        if (!Array.isArray(row)) return err(notARow(index));
        rows.push(row);
      }
      columns ??= page.data.columns ?? numberedColumns(rows[0]?.length ?? 0);
      if (paging !== 'keyset') {
        // PostHog cut the answer: one query cannot give the whole result, and a part is not an export.
        if (hasMore === true || (paging === 'capped' && rows.length >= MAX_ROWS))
          return err(tooMany(rows.length));
        return ok({ columns, rows, last: true });
      }
      const last = rows.length < pageSize;
      if (!last) {
        const next = nextKey(columns, rows);
        if (!next.success) return next;
        if (next.data.timestamp === key.timestamp && next.data.uuid === key.uuid) return err(stuck());
        key = next.data;
      }
      return ok({ columns, rows, last });
    },
  });
}

// The keyset of the next page: the last row's `timestamp` and `uuid` columns, checked.
function nextKey(columns: readonly string[], rows: readonly unknown[][]): ApiResult<EventKey> {
  const timestamp = columns.indexOf('timestamp');
  const uuid = columns.indexOf('uuid');
  if (timestamp < 0 || uuid < 0) {
    return err(
      invalidInput(
        'query.query',
        'must select the columns timestamp and uuid to be paged by {after_timestamp} and {after_uuid}',
      ),
    );
  }
  const row = rows[rows.length - 1] as unknown[];
  return readEventKey(row[timestamp], row[uuid], rows.length - 1);
}

const notARow = (index: number) =>
  new IntegrationError('INVALID_RESPONSE', 'PostHog answered a HogQL row that is not an array of cells', {
    field: `results.${index}`,
    retryable: false,
  });

const tooMany = (rows: number) =>
  invalidInput(
    'query.query',
    `answered ${rows} rows and more exist (PostHog answers at most ${MAX_ROWS} a query, and no OFFSET to a personal API key): page it by keyset with {after_timestamp} and {after_uuid}, narrow it, or export an EventsQuery`,
  );

const stuck = () =>
  new IntegrationError(
    'INVALID_RESPONSE',
    'PostHog answered the same HogQL page twice: the keyset did not advance',
    {
      field: 'results',
      retryable: false,
    },
  );
