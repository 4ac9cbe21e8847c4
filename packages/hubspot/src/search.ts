import { type ApiResult, err, type HttpClient, IntegrationError, ok, readJsonInput } from '@patchbay/core';
import * as z from 'zod/mini';
import type { HubSpotRecord } from './records.ts';
import {
  HUBSPOT_SEARCH_LIMITS,
  type HubSpotSearchRequest,
  hubspotSearchRequestSchema,
} from './search-limits.ts';

/** One page of search results, and HubSpot's count of matches (approximate past 10 000). */
export interface HubSpotSearchPage<R> {
  results: R[];
  total: number;
}

/** Options of a search walk. */
export interface HubSpotSearchOptions {
  /** Most pages fetched. Default 2 000 (400 000 results at 200 a page). */
  maxPages?: number;
  signal?: AbortSignal;
}

const ID = 'hs_object_id';
const DEFAULT_MAX_PAGES = 2_000;

type Filter = { propertyName: string; operator: string; value?: unknown };
type Group = { filters: Filter[] };

/**
 * Walks a search page by page. Sorted by `hs_object_id` ascending (the default when no sort is given), it goes past
 * HubSpot's 10 000-result cap: before a page would reach the cap, it starts again with `hs_object_id GT <last id>`
 * added to every filter group (keyset paging). Under another sort it stops at the cap with `OPERATION_FAILED`
 * (field `sorts`) rather than silently. The request is checked against HubSpot's limits first (`VALIDATION_ERROR`
 * naming the field). Search results lag writes by a few seconds: a record just written may be missing.
 */
export async function* searchRecords<R extends HubSpotRecord>(
  http: HttpClient,
  path: ApiResult<string>,
  request: unknown,
  options: unknown,
  pageSchema: z.ZodMiniType<{ total: number; results: R[]; paging?: { next?: { after?: string } } }>,
): AsyncGenerator<ApiResult<HubSpotSearchPage<R>>> {
  if (!path.success) return yield path;
  const read = readJsonInput(request, 'request', hubspotSearchRequestSchema, { optional: true });
  if (!read.success) return yield read;
  const opts = readSearchOptions(options);
  if (!opts.success) return yield opts;
  const { maxPages, signal } = opts.data;
  const given = read.data;
  const limit = given.limit ?? 100;
  const keyset =
    !given.sorts ||
    given.sorts.length === 0 ||
    (given.sorts[0]?.propertyName === ID && given.sorts[0]?.direction !== 'DESCENDING');
  const groups: Group[] = (given.filterGroups ?? []).map((group) => ({ filters: [...group.filters] }));
  let lastId: string | undefined;
  let after: string | undefined;
  let seen = 0;
  for (let page = 0; page < maxPages; page++) {
    const filterGroups = lastId === undefined ? groups : withLowerBound(groups, lastId);
    const body = {
      ...(given.query === undefined ? {} : { query: given.query }),
      filterGroups,
      sorts: keyset ? [{ propertyName: ID, direction: 'ASCENDING' }] : given.sorts,
      properties: given.properties ?? [],
      limit,
      ...(after === undefined ? {} : { after }),
    };
    // A search is a read: safe to send again after a 429 or a timeout.
    const result = await http.post(`${path.data}/search`, {
      json: body,
      schema: pageSchema,
      idempotent: true,
      ...(signal ? { signal } : {}),
    });
    if (!result.success) return yield result;
    const { results, total } = result.data;
    yield ok({ results, total });
    const next = result.data.paging?.next?.after;
    if (next === undefined || results.length === 0) return;
    seen += results.length;
    if (seen + limit <= HUBSPOT_SEARCH_LIMITS.resultCap) {
      after = next;
      continue;
    }
    if (!keyset) {
      return yield err(
        new IntegrationError(
          'OPERATION_FAILED',
          `Search reached HubSpot's ${HUBSPOT_SEARCH_LIMITS.resultCap} result cap; sort by ${ID} ascending (the default) to page past it`,
          { field: 'sorts', retryable: false },
        ),
      );
    }
    const bounded = withLowerBound(groups, results[results.length - 1]!.id);
    const tooMany =
      bounded.some((group) => group.filters.length > HUBSPOT_SEARCH_LIMITS.filtersPerGroup) ||
      bounded.reduce((sum, group) => sum + group.filters.length, 0) > HUBSPOT_SEARCH_LIMITS.filters;
    if (tooMany) {
      return yield err(
        new IntegrationError(
          'OPERATION_FAILED',
          `Search reached HubSpot's ${HUBSPOT_SEARCH_LIMITS.resultCap} result cap and has no free filter slot for the ${ID} bound that pages past it`,
          { field: 'filterGroups', retryable: false },
        ),
      );
    }
    lastId = results[results.length - 1]!.id;
    after = undefined;
    seen = 0;
  }
  yield err(
    new IntegrationError('OPERATION_FAILED', `Search offered more than maxPages (${maxPages}) pages`, {
      field: 'maxPages',
      retryable: false,
    }),
  );
}

// `hs_object_id > last` ANDed into every group (or the only group when there was none): the groups are ORed, so each
// one needs the bound.
function withLowerBound(groups: Group[], lastId: string): Group[] {
  const bound = { propertyName: ID, operator: 'GT', value: lastId };
  if (groups.length === 0) return [{ filters: [bound] }];
  return groups.map((group) => ({ filters: [...group.filters, bound] }));
}

function readSearchOptions(options: unknown): ApiResult<{ maxPages: number; signal?: AbortSignal }> {
  if (options === undefined) return ok({ maxPages: DEFAULT_MAX_PAGES });
  let maxPages: unknown;
  let signal: unknown;
  try {
    if (typeof options !== 'object' || options === null) throw new TypeError();
    ({ maxPages, signal } = options as Record<string, unknown>);
  } catch {
    return err(
      new IntegrationError('VALIDATION_ERROR', 'options: must be an object', {
        field: 'options',
        retryable: false,
      }),
    );
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    return err(
      new IntegrationError('VALIDATION_ERROR', 'options.signal: must be an AbortSignal', {
        field: 'options.signal',
        retryable: false,
      }),
    );
  }
  if (maxPages !== undefined && !(typeof maxPages === 'number' && maxPages >= 1)) {
    return err(
      new IntegrationError('VALIDATION_ERROR', 'options.maxPages: must be a number ≥ 1', {
        field: 'options.maxPages',
        retryable: false,
      }),
    );
  }
  return ok({
    maxPages: (maxPages as number | undefined) ?? DEFAULT_MAX_PAGES,
    ...(signal ? { signal: signal as AbortSignal } : {}),
  });
}

/** The search response's schema for records read with `record`. */
export function searchPageSchema<R>(record: z.ZodMiniType<R>) {
  return z.looseObject({
    total: z._default(z.number(), 0),
    results: z.array(record),
    paging: z.optional(z.looseObject({ next: z.optional(z.looseObject({ after: z.optional(z.string()) })) })),
  });
}

export type { HubSpotSearchRequest };
