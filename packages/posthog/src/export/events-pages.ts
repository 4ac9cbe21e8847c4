import { type ApiResult, err, IntegrationError, invalidInput, ok } from '@patchbay/core';
import * as z from 'zod/mini';
import { callsAggregate } from './hogql-text.ts';
import { afterKeyCondition, type EventKey, readEventKey } from './keyset.ts';
import type { ExportPage, PageSource } from './page-source.ts';
import { type PostHogQuerySource, runPageQuery } from './query-source.ts';

// The most rows one PostHog query returns (MAX_SELECT_RETURNED_ROWS), whatever its LIMIT says.
const POSTHOG_MAX_ROWS = 50_000;

// An events export pages by keyset on (timestamp, uuid) rather than by offset: PostHog's own `nextCursor` pages
// on the timestamp alone and may skip events sharing the boundary's timestamp (`EventsQueryRunner.
// apply_pagination_cursor`), and offsets grow slower with every page. The order is forced to `timestamp ASC,
// uuid ASC`, the two columns are selected when the caller did not (and left out of the output), and each next
// page carries a `where` condition built from the last row's checked values.

const ORDER = ['timestamp ASC', 'uuid ASC'];

const eventsNodeSchema = z.looseObject({
  kind: z.literal('EventsQuery'),
  select: z
    .array(z.string().check(z.minLength(1, 'must not be empty')))
    .check(z.minLength(1, 'must name at least one column')),
  where: z.optional(z.nullable(z.array(z.string()))),
  limit: z.optional(z.nullable(z.int().check(z.positive('must be positive')))),
  offset: z.optional(z.nullable(z.int().check(z.minimum(0, 'must not be negative')))),
});

// PostHog reads a select entry up to `--` (what follows is the column's label): `timestamp -- Time` is timestamp.
const columnExpression = (column: string): string => column.split('--')[0]?.trim() ?? '';

/**
 * The pages of an `EventsQuery` (`node`, a plain JSON copy), `pageSize` rows each. A `limit` on the node caps the
 * whole export, an `offset` skips rows before the first page; `orderBy` is replaced. A select with an aggregate
 * (`count()`) is refused: PostHog would group by the columns added for the keyset.
 */
export function eventsPages(
  client: PostHogQuerySource,
  node: Record<string, unknown>,
  pageSize: number,
): ApiResult<PageSource> {
  const parsed = eventsNodeSchema.safeParse(node);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = `query${issue?.path.map((part) => `.${String(part)}`).join('') ?? ''}`;
    return err(invalidInput(field, issue?.message ?? 'is invalid'));
  }
  const { select: userSelect, where: userWhere, limit: cap, offset } = parsed.data;
  const aggregate = userSelect.findIndex(callsAggregate);
  if (aggregate >= 0) {
    return err(
      invalidInput(
        `query.select.${aggregate}`,
        'must not aggregate: an EventsQuery export pages over events; export aggregates with a HogQLQuery',
      ),
    );
  }
  const expressions = userSelect.map(columnExpression);
  const select = [...userSelect];
  let timestampIndex = expressions.indexOf('timestamp');
  if (timestampIndex < 0) timestampIndex = select.push('timestamp') - 1;
  let uuidIndex = expressions.indexOf('uuid');
  if (uuidIndex < 0) uuidIndex = select.push('uuid') - 1;
  const width = userSelect.length;
  const total = cap ?? Number.POSITIVE_INFINITY;

  let key: EventKey | undefined;
  let emitted = 0;
  let first = true;

  return ok({
    async next(signal): Promise<ApiResult<ExportPage>> {
      const limit = Math.min(pageSize, total - emitted);
      const { offset: _offset, orderBy: _orderBy, ...rest } = node;
      const pageNode = {
        ...rest,
        kind: 'EventsQuery',
        select,
        where: [...(userWhere ?? []), ...(key ? [afterKeyCondition(key)] : [])],
        orderBy: ORDER,
        limit,
        ...(first && offset ? { offset } : {}),
      };
      const page = await runPageQuery(client, pageNode, signal);
      if (!page.success) return page;
      first = false;
      const { results, hasMore } = page.data;
      const rows: unknown[][] = [];
      const count = Math.min(results.length, total - emitted);
      for (let index = 0; index < count; index++) {
        const row = results[index];
        if (!Array.isArray(row) || row.length < select.length) return err(shortRow(index, select.length));
        rows.push(row.length === width ? row : row.slice(0, width));
      }
      emitted += rows.length;
      // PostHog caps a query's LIMIT at 50 000 (printer.py): at that page size its limit + 1 probe cannot see past
      // the page, and `hasMore` says false though rows remain. A full page at the cap asks for the next.
      const full = results.length >= limit;
      const more = hasMore === true || (full && (hasMore == null || limit >= POSTHOG_MAX_ROWS));
      const last = rows.length === 0 || emitted >= total || !more;
      if (!last) {
        const lastRow = results[count - 1] as unknown[];
        const next = readEventKey(lastRow[timestampIndex], lastRow[uuidIndex], count - 1);
        if (!next.success) return next;
        if (key && key.timestamp === next.data.timestamp && key.uuid === next.data.uuid) return err(stuck());
        key = next.data;
      }
      const columns = page.data.columns?.slice(0, width) ?? userSelect;
      return ok({ columns: columns.length === width ? columns : userSelect, rows, last });
    },
  });
}

const shortRow = (index: number, width: number) =>
  new IntegrationError('INVALID_RESPONSE', `PostHog answered an events row with fewer than ${width} cells`, {
    field: `results.${index}`,
    retryable: false,
  });

const stuck = () =>
  new IntegrationError(
    'INVALID_RESPONSE',
    'PostHog answered the same events page twice: the keyset did not advance',
    {
      field: 'results',
      retryable: false,
    },
  );
