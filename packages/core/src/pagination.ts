// Every API pages differently; one loop drives them all so a client only says where the items are
// and how to ask for the next page. Failures are yielded, never thrown, like every other core call.

import { IntegrationError, isIntegrationError } from './errors.ts';
import { type ApiResult, err, ok } from './result.ts';

/** What to fetch for one page: query parameters, plus an absolute URL when the API hands out links. */
export type PageRequest = { url?: string; searchParams: Record<string, string | number> };

/** The request for the page after `page`, or undefined when `page` was the last one. */
export type NextPage<TPage> = (
  page: TPage,
  current: PageRequest,
  itemCount: number,
) => PageRequest | undefined;

/** Options of {@link paginate}. */
export type PaginateOptions<TPage, TItem> = {
  fetchPage: (request: PageRequest, signal?: AbortSignal) => Promise<ApiResult<TPage>>;
  items: (page: TPage) => readonly TItem[];
  next: NextPage<TPage>;
  initial?: PageRequest;
  signal?: AbortSignal;
  maxPages?: number;
};

/**
 * Walks every page lazily, yielding one result per page; a failure or an abort is yielded once and ends it.
 * @example
 * const pages = paginate({
 *   fetchPage: (request, signal) =>
 *     client.get('/rest/people', { searchParams: request.searchParams, signal }),
 *   items: (page) => page.data.people,
 *   next: cursorPagination({
 *     param: 'starting_after',
 *     cursor: (page) => (page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null),
 *   }),
 * });
 * for await (const page of pages) if (page.success) save(page.data); else log(page.error.code);
 */
export async function* paginate<TPage, TItem>(
  options: PaginateOptions<TPage, TItem>,
): AsyncIterable<ApiResult<TItem[]>> {
  const { fetchPage, items, next, signal, maxPages = Number.POSITIVE_INFINITY } = options;
  let request: PageRequest | undefined = options.initial ?? { searchParams: {} };
  const seen = new Set([requestKey(request)]);

  for (let pageCount = 0; request !== undefined && pageCount < maxPages; pageCount++) {
    if (signal?.aborted) {
      yield err(abortedError(signal));
      return;
    }

    let result: ApiResult<TPage>;
    try {
      result = await fetchPage(request, signal);
    } catch (error) {
      result = err(
        isIntegrationError(error)
          ? error
          : new IntegrationError('OPERATION_FAILED', 'fetchPage threw instead of returning a result', {
              cause: error,
            }),
      );
    }
    // A fetchPage that ignores the signal must not leak pages past an abort;
    // one that honours it returns its own ABORTED, which carries more detail.
    if (signal?.aborted) {
      yield !result.success && result.error.code === 'ABORTED' ? result : err(abortedError(signal));
      return;
    }
    if (!result.success) {
      yield result;
      return;
    }

    const page = result.data;
    let pageItems: readonly TItem[];
    try {
      pageItems = items(page);
    } catch (error) {
      yield err(invalidPage('Could not read the items of a page', error));
      return;
    }
    // A missing list in a malformed body would otherwise surface as a TypeError far from here.
    if (!Array.isArray(pageItems)) {
      yield err(invalidPage('A page did not contain an item list'));
      return;
    }
    yield ok([...pageItems]);

    let following: PageRequest | undefined;
    try {
      following = next(page, request, pageItems.length);
    } catch (error) {
      yield err(invalidPage('Could not read the next page cursor', error));
      return;
    }
    if (following !== undefined) {
      const key = requestKey(following);
      // A server handing back a cursor it already gave would otherwise make this loop forever.
      if (seen.has(key)) {
        yield err(invalidPage('The API returned a page cursor it had already returned; stopping pagination'));
        return;
      }
      seen.add(key);
    }
    request = following;
  }
}

/**
 * Pages by an opaque cursor read from each page and sent back as `param` (Twenty, Pipedrive v2, HubSpot).
 * @example cursorPagination({ param: 'after', cursor: (page) => page.paging?.next?.after })
 */
export function cursorPagination<TPage>(options: {
  param: string;
  cursor: (page: TPage) => string | null | undefined;
}): NextPage<TPage> {
  return (page, current) => {
    const cursor = options.cursor(page);
    if (cursor === undefined || cursor === null || cursor === '') return undefined;
    return { ...current, searchParams: { ...current.searchParams, [options.param]: cursor } };
  };
}

/**
 * Pages by following each page's link to the next (PostHog `next`, OData `__next` / `@odata.nextLink`).
 * @example nextUrlPagination({ next: (page) => page.next })
 */
export function nextUrlPagination<TPage>(options: {
  next: (page: TPage) => string | null | undefined;
}): NextPage<TPage> {
  return (page, current) => {
    const link = options.next(page);
    if (!link) return undefined;
    // Absolute links are followed untouched: re-serializing would re-encode Exact's $skiptoken=guid'…'.
    const absolute = /^[a-z][a-z\d+.-]*:/i.test(link);
    const url = absolute || current.url === undefined ? link : new URL(link, current.url).href;
    // The link already carries every query parameter the server wants.
    return { url, searchParams: {} };
  };
}

/** The next-page link of an OData response: v2 `d.__next` (Exact Online) or v4 `@odata.nextLink`. */
export function odataNextLink(page: unknown): string | undefined {
  if (typeof page !== 'object' || page === null) return undefined;
  const { d } = page as { d?: unknown };
  const v2 = typeof d === 'object' && d !== null ? (d as { __next?: unknown }).__next : undefined;
  const link = v2 ?? (page as { '@odata.nextLink'?: unknown })['@odata.nextLink'];
  return typeof link === 'string' && link !== '' ? link : undefined;
}

/**
 * Pages by offset and limit (Pipedrive v1 `start`, generic `offset`); stops on a short page or at `total`.
 * Pass the limit in `initial` too, so the first page is as long as the ones after it.
 * @example
 * paginate({
 *   fetchPage, items: (page) => page.data ?? [],
 *   initial: { searchParams: { limit: 100 } },
 *   next: offsetPagination({ limit: 100, offsetParam: 'start' }),
 * });
 */
export function offsetPagination<TPage>(options: {
  limit: number;
  offsetParam?: string;
  limitParam?: string;
  total?: (page: TPage) => number | undefined;
}): NextPage<TPage> {
  const { limit, offsetParam = 'offset', limitParam = 'limit', total } = options;
  return (page, current, itemCount) => {
    if (itemCount === 0 || itemCount < limit) return undefined;
    // Advance by what came back rather than by `limit`, in case the server sent more than asked.
    const offset = (Number(current.searchParams[offsetParam]) || 0) + itemCount;
    const known = total?.(page);
    if (known !== undefined && offset >= known) return undefined;
    return {
      ...current,
      searchParams: { ...current.searchParams, [offsetParam]: offset, [limitParam]: limit },
    };
  };
}

/**
 * Gathers every item of every page, or returns the first failure.
 * @example const people = await collectPages(paginate({ fetchPage, items, next }));
 */
export async function collectPages<TItem>(
  pages: AsyncIterable<ApiResult<TItem[]>>,
): Promise<ApiResult<TItem[]>> {
  const all: TItem[] = [];
  for await (const page of pages) {
    if (!page.success) return page;
    // Not push(...data): spreading a very long page would overflow the call stack.
    for (const item of page.data) all.push(item);
  }
  return ok(all);
}

function abortedError(signal: AbortSignal): IntegrationError {
  return new IntegrationError('ABORTED', 'Pagination was aborted', { cause: signal.reason });
}

function invalidPage(message: string, cause?: unknown): IntegrationError {
  return new IntegrationError('INVALID_RESPONSE', message, cause === undefined ? {} : { cause });
}

// Parameter order and number-vs-string must not make the same page look new.
function requestKey(request: PageRequest): string {
  const params = Object.entries(request.searchParams)
    .map(([name, value]) => [name, String(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([request.url ?? null, params]);
}
