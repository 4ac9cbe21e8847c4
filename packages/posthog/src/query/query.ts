import type { ApiResult } from '@patchbay/core';
import { checkQueryNode } from './query-nodes.ts';
import { readQueryOptions } from './query-options.ts';
import { type PostHogQueryResponse, responseSchemaOf } from './query-responses.ts';
import { type QueryContext, runQuery } from './run-query.ts';

/**
 * `query(node, options)`: any query node, checked (the typed kinds by their schema), run through the query API
 * and its answer validated by its kind's response schema (a loose one for the kinds the client does not type).
 * @example const trend = await query(context, { kind: 'TrendsQuery', series: [{ kind: 'EventsNode', event: '$pageview' }] });
 */
export async function queryWith(
  context: QueryContext,
  node: unknown,
  options: unknown,
): Promise<ApiResult<PostHogQueryResponse>> {
  const read = readQueryOptions(options);
  if (!read.success) return read;
  const checked = await checkQueryNode(node);
  if (!checked.success) return checked;
  return runQuery(context, checked.data.node, responseSchemaOf(checked.data.kind), read.data.run) as Promise<
    ApiResult<PostHogQueryResponse>
  >;
}
