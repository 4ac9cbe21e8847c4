// Every API pages differently; one loop drives them all so a client only says where the items are
// and how to ask for the next page. Failures are yielded, never thrown, like every other core call.
// A server can lie ("there is more" forever, a cursor handed out twice, a link to another host), so every
// walk is bounded and checked: it ends with a typed error instead of looping or leaking credentials.

import { redactUrl } from '../logging/redact.ts';
import { IntegrationError, isIntegrationError } from '../result/errors.ts';
import { type ApiResult, err, ok } from '../result/result.ts';

/** Pages {@link paginate} fetches at most, unless `maxPages` says otherwise. */
export const DEFAULT_MAX_PAGES = 2_000;

/** Items {@link collectPages} gathers at most, unless `maxItems` says otherwise. */
export const DEFAULT_MAX_ITEMS = 250_000;

/** What to fetch for one page: query parameters, plus an absolute URL when the API hands out links. */
export type PageRequest = { url?: string; searchParams: Record<string, string | number> };

/**
 * The request for the page after `page`, or undefined when `page` was the last one. It may throw an
 * IntegrationError (e.g. a link to another origin): pagination then ends with that error.
 */
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
  /**
   * Most pages fetched; default {@link DEFAULT_MAX_PAGES}. When the API still offers a page after the last
   * one allowed, the walk ends with `OPERATION_FAILED` (field `maxPages`), not a silent stop. `Infinity`
   * lifts the bound (a repeated cursor is still caught).
   */
  maxPages?: number;
};

/** Options of {@link collectPages}. */
export type CollectPagesOptions = {
  /**
   * Most items gathered; default {@link DEFAULT_MAX_ITEMS}. More is `OPERATION_FAILED` (field `maxItems`)
   * and no further page is fetched. `Infinity` lifts the bound.
   */
  maxItems?: number;
};

/**
 * Walks every page lazily, yielding one result per page; a failure or an abort is yielded once and ends it.
 * Ends with a typed error, after the pages already yielded, when the API repeats a cursor, next URL or offset
 * (`INVALID_RESPONSE`, `field` = the parameter or `url`) or offers more than `maxPages` pages
 * (`OPERATION_FAILED`, field `maxPages`). Invalid options are one `CONFIG_ERROR`, before any request.
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
  const read = readPaginateOptions<TPage, TItem>(options);
  if (!read.success) {
    yield read;
    return;
  }
  const { fetchPage, items, next, signal, initial, maxPages = DEFAULT_MAX_PAGES } = read.data;
  let request: PageRequest | undefined = initial;
  // Every request made so far, by key, with the page it fetched: a request coming back is a loop.
  const seen = new Map([[read.data.initialKey, 1]]);

  for (let pageNumber = 1; request !== undefined; pageNumber++) {
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
      yield isResult(result) && !result.success && result.error.code === 'ABORTED'
        ? result
        : err(abortedError(signal));
      return;
    }
    if (!isResult(result)) {
      yield err(invalidPage('fetchPage returned something other than an ApiResult'));
      return;
    }
    if (!result.success) {
      yield result;
      return;
    }

    const page = result.data;
    let pageItems: TItem[];
    try {
      const listed = items(page);
      // A missing list in a malformed body would otherwise surface as a TypeError far from here.
      if (!Array.isArray(listed)) {
        yield err(invalidPage('A page did not contain an item list'));
        return;
      }
      pageItems = [...listed];
    } catch (error) {
      yield err(invalidPage('Could not read the items of a page', error));
      return;
    }
    yield ok(pageItems);

    let following: PageRequest | undefined;
    let key: string;
    try {
      following = next(page, request, pageItems.length);
      if (following === undefined) return;
      if (!isPageRequest(following)) {
        yield err(invalidPage('The next-page function returned something other than a page request'));
        return;
      }
      key = requestKey(following);
    } catch (error) {
      yield err(
        isIntegrationError(error) ? error : invalidPage('Could not read the next page cursor', error),
      );
      return;
    }

    const earlier = seen.get(key);
    // A server handing back a cursor it already gave (or cycling between a few) would loop forever.
    if (earlier !== undefined) {
      yield err(repeatedRequest(following, initial, earlier, pageNumber + 1));
      return;
    }
    if (pageNumber >= maxPages) {
      yield err(
        new IntegrationError(
          'OPERATION_FAILED',
          `Stopped after ${pageNumber} pages (maxPages) while the API still offered more; raise maxPages ` +
            'if the collection really is this large',
          { field: 'maxPages', retryable: false },
        ),
      );
      return;
    }
    seen.set(key, pageNumber + 1);
    request = following;
  }
}

/**
 * Pages by an opaque cursor read from each page and sent back as `param` (most cursor APIs).
 * A cursor that is neither a string nor a finite number ends the walk with `INVALID_RESPONSE`.
 * @example cursorPagination({ param: 'after', cursor: (page) => page.paging?.next?.after })
 */
export function cursorPagination<TPage>(options: {
  param: string;
  cursor: (page: TPage) => string | number | null | undefined;
}): NextPage<TPage> {
  const { param, cursor } = checkStrategy('cursorPagination', options, {
    param: 'string',
    cursor: 'function',
  });
  return (page, current) => {
    const value: unknown = cursor(page);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) {
      throw new IntegrationError('INVALID_RESPONSE', `The next-page cursor (${param}) is not a string`, {
        field: param,
      });
    }
    return { ...current, searchParams: { ...current.searchParams, [param]: value } };
  };
}

/**
 * Pages by following each page's link to the next (a `next` link, OData `__next` / `@odata.nextLink`).
 * Links are followed only to the origin of `baseUrl` (pass the client's) or of the page they came from:
 * a link to another host would receive the client's credentials, so it ends the walk with
 * `INVALID_RESPONSE` (field `url`). An absolute link with neither to compare against is a `CONFIG_ERROR`.
 * @example nextUrlPagination({ next: (page) => page.next, baseUrl: client.baseUrl })
 */
export function nextUrlPagination<TPage>(options: {
  next: (page: TPage) => string | null | undefined;
  /** The client's base URL: links must stay on its origin. Needed when the first page has no `url`. */
  baseUrl?: string | URL;
}): NextPage<TPage> {
  const { next } = checkStrategy('nextUrlPagination', options, { next: 'function' });
  let baseOrigin: string | undefined;
  if (options.baseUrl !== undefined) {
    baseOrigin = httpOrigin(String(options.baseUrl));
    if (baseOrigin === undefined) {
      throw new IntegrationError(
        'CONFIG_ERROR',
        'nextUrlPagination: baseUrl must be an absolute http(s) URL',
        {
          field: 'baseUrl',
          retryable: false,
        },
      );
    }
  }
  return (page, current) => {
    const link: unknown = next(page);
    if (link === undefined || link === null || link === '') return undefined;
    if (typeof link !== 'string') {
      throw new IntegrationError('INVALID_RESPONSE', 'The next-page link is not a string', { field: 'url' });
    }
    // Read as URL parsers do: tabs and newlines vanish, leading blanks are trimmed, and a scheme-relative
    // `//host/…` (or its backslash forms) is absolute too.
    const probe = trimLeadingControls(link.replace(/[\t\n\r]/g, ''));
    const withScheme = /^[a-z][a-z\d+.-]*:/i.test(probe);
    const absolute = withScheme || /^[\\/]{2}/.test(probe);
    const currentOrigin = current.url === undefined ? undefined : httpOrigin(current.url);
    if (!absolute && currentOrigin === undefined) {
      // A path (or relative to one): the client places it on its own base URL, so it cannot leave the origin.
      if (current.url === undefined) return { url: link, searchParams: {} };
      try {
        const path = new URL(link, new URL(current.url, 'http://relative.invalid'));
        return { url: `${path.pathname}${path.search}${path.hash}`, searchParams: {} };
      } catch (error) {
        throw new IntegrationError('INVALID_RESPONSE', 'The next-page link is not a URL', {
          field: 'url',
          cause: error,
        });
      }
    }
    const reference = currentOrigin === undefined ? absoluteUrl(current.url, options.baseUrl) : current.url;
    const allowed = baseOrigin ?? currentOrigin;
    if (allowed === undefined) {
      throw new IntegrationError(
        'CONFIG_ERROR',
        'The API returned an absolute next-page link; pass nextUrlPagination({ baseUrl }) so its origin ' +
          'can be checked before credentials are sent to it',
        { field: 'baseUrl', retryable: false },
      );
    }
    let resolved: URL;
    try {
      resolved = new URL(link, reference);
    } catch (error) {
      throw new IntegrationError('INVALID_RESPONSE', 'The next-page link is not a URL', {
        field: 'url',
        cause: error,
      });
    }
    if (resolved.origin !== allowed) {
      const target = httpOrigin(resolved.href) ?? resolved.protocol;
      throw new IntegrationError(
        'INVALID_RESPONSE',
        `The next-page link points to ${target}, not ${allowed}; not followed (it would receive the credentials)`,
        { field: 'url', retryable: false },
      );
    }
    // Absolute links are followed untouched: re-serializing would re-encode an OData $skiptoken=guid'…'.
    // The link already carries every query parameter the server wants.
    return { url: withScheme && probe === link ? link : resolved.href, searchParams: {} };
  };
}

/** The next-page link of an OData response: v2 `d.__next` or v4 `@odata.nextLink`. */
export function odataNextLink(page: unknown): string | undefined {
  if (typeof page !== 'object' || page === null) return undefined;
  const { d } = page as { d?: unknown };
  const v2 = typeof d === 'object' && d !== null ? (d as { __next?: unknown }).__next : undefined;
  const link = v2 ?? (page as { '@odata.nextLink'?: unknown })['@odata.nextLink'];
  return typeof link === 'string' && link !== '' ? link : undefined;
}

/**
 * Pages by offset and limit (`start`, `offset`); stops on a short page or at `total`.
 * Pass the limit in `initial` too, so the first page is as long as the ones after it. An API answering the
 * next offset with the very same page (it ignores the offset) ends the walk with `INVALID_RESPONSE`.
 * Throws `CONFIG_ERROR` for a limit that is not a positive integer.
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
  checkStrategy('offsetPagination', options, {
    offsetParam: 'string?',
    limitParam: 'string?',
    total: 'function?',
  });
  const { limit, offsetParam = 'offset', limitParam = 'limit', total } = options;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new IntegrationError('CONFIG_ERROR', 'offsetPagination: limit must be a positive integer', {
      field: 'limit',
      retryable: false,
    });
  }
  // The fingerprint of the page each request we built follows, keyed by that request: paginate hands it back
  // as `current`, so a walk finds its previous page without state shared between walks.
  const previousPage = new WeakMap<PageRequest, string>();
  return (page, current, itemCount) => {
    if (itemCount === 0 || itemCount < limit) return undefined;
    // Advance by what came back rather than by `limit`, in case the server sent more than asked.
    const from = Number(current.searchParams[offsetParam] ?? 0);
    if (!Number.isSafeInteger(from) || from < 0) {
      throw new IntegrationError('INVALID_RESPONSE', `The ${offsetParam} to continue from is not an offset`, {
        field: offsetParam,
      });
    }
    // An API that ignores the offset (a wrong offsetParam, say) answers every offset with the first page: the
    // offset advances, so no request repeats, but the pages do.
    const fingerprint = pageFingerprint(page);
    if (fingerprint !== undefined && previousPage.get(current) === fingerprint) {
      throw new IntegrationError(
        'INVALID_RESPONSE',
        `The API answered ${offsetParam}=${from} with the same page as the offset before it: it does not seem ` +
          `to read ${offsetParam} (check offsetParam); stopping instead of looping`,
        { field: offsetParam, retryable: false },
      );
    }
    const offset = from + itemCount;
    // A total that is not a number says nothing: keep paging (bounded by maxPages) rather than stop short.
    const known = total?.(page);
    if (typeof known === 'number' && Number.isFinite(known) && offset >= known) return undefined;
    const following = {
      ...current,
      searchParams: { ...current.searchParams, [offsetParam]: offset, [limitParam]: limit },
    };
    if (fingerprint !== undefined) previousPage.set(following, fingerprint);
    return following;
  };
}

/**
 * Gathers every item of every page, or returns the first failure. More than `maxItems` items (default
 * {@link DEFAULT_MAX_ITEMS}) is `OPERATION_FAILED` (field `maxItems`), and the pages stop being fetched.
 * @example const people = await collectPages(paginate({ fetchPage, items, next }), { maxItems: 50_000 });
 */
export async function collectPages<TItem>(
  pages: AsyncIterable<ApiResult<TItem[]>>,
  options: CollectPagesOptions = {},
): Promise<ApiResult<TItem[]>> {
  const maxItems = options?.maxItems ?? DEFAULT_MAX_ITEMS;
  if (!isBound(maxItems)) return err(boundConfigError('collectPages', 'maxItems'));
  if (typeof (pages as { [Symbol.asyncIterator]?: unknown })?.[Symbol.asyncIterator] !== 'function') {
    return err(
      new IntegrationError('CONFIG_ERROR', 'collectPages needs an async iterable of page results', {
        field: 'pages',
        retryable: false,
      }),
    );
  }
  const all: TItem[] = [];
  try {
    // Leaving the loop early (return) closes the iterator, so no further page is fetched.
    for await (const page of pages) {
      if (!isResult(page)) return err(invalidPage('A page is not an ApiResult'));
      if (!page.success) return page;
      if (!Array.isArray(page.data)) return err(invalidPage('A page did not contain an item list'));
      if (all.length + page.data.length > maxItems) {
        return err(
          new IntegrationError(
            'OPERATION_FAILED',
            `Stopped at ${maxItems} items (maxItems) while the API still returned more; raise maxItems, or ` +
              'walk the pages one at a time instead of gathering them',
            { field: 'maxItems', retryable: false },
          ),
        );
      }
      // Not push(...data): spreading a very long page would overflow the call stack.
      for (const item of page.data) all.push(item);
    }
  } catch (error) {
    return err(
      isIntegrationError(error)
        ? error
        : new IntegrationError('OPERATION_FAILED', 'The pages threw instead of yielding a failure', {
            cause: error,
          }),
    );
  }
  return ok(all);
}

// A short digest of a page's JSON (FNV-1a and the length), so comparing pages keeps no copy of them;
// undefined when the page cannot be serialized.
function pageFingerprint(page: unknown): string | undefined {
  let text: string | undefined;
  try {
    text = JSON.stringify(page);
  } catch {
    return undefined;
  }
  if (text === undefined) return undefined;
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return `${text.length}:${(hash >>> 0).toString(16)}`;
}

function abortedError(signal: AbortSignal): IntegrationError {
  return new IntegrationError('ABORTED', 'Pagination was aborted', { cause: signal.reason });
}

function invalidPage(message: string, cause?: unknown): IntegrationError {
  return new IntegrationError('INVALID_RESPONSE', message, cause === undefined ? {} : { cause });
}

// Names what came back: the next URL (redacted: links may carry tokens), else the parameters that differ
// from the first request, i.e. the cursor or offset the strategy set.
function repeatedRequest(
  request: PageRequest,
  initial: PageRequest,
  earlierPage: number,
  pageNumber: number,
): IntegrationError {
  let field: string;
  let what: string;
  if (request.url !== undefined && request.url !== initial.url) {
    field = 'url';
    what = `the next-page link ${clip(redactUrl(request.url))}`;
  } else {
    const changed = Object.entries(request.searchParams).filter(
      ([name, value]) => String(initial.searchParams[name]) !== String(value),
    );
    const first = changed[0];
    field = first?.[0] ?? 'url';
    what =
      first === undefined
        ? 'the request of the first page'
        : changed.map(([name, value]) => `${name}=${clip(String(value))}`).join(', ');
  }
  return new IntegrationError(
    'INVALID_RESPONSE',
    `The API returned ${what} again: page ${pageNumber} would repeat page ${earlierPage}; stopping instead of ` +
      'looping',
    { field, retryable: false },
  );
}

const clip = (text: string): string => (text.length > 120 ? `${text.slice(0, 117)}...` : text);

// Parameter order and number-vs-string must not make the same page look new.
function requestKey(request: PageRequest): string {
  const params = Object.entries(request.searchParams)
    .map(([name, value]) => [name, String(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([request.url ?? null, params]);
}

function isResult(value: unknown): value is ApiResult<unknown> {
  try {
    return (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { success?: unknown }).success === 'boolean'
    );
  } catch {
    return false;
  }
}

function isPageRequest(value: unknown): value is PageRequest {
  if (typeof value !== 'object' || value === null) return false;
  const { url, searchParams } = value as { url?: unknown; searchParams?: unknown };
  return (
    (url === undefined || typeof url === 'string') &&
    typeof searchParams === 'object' &&
    searchParams !== null
  );
}

// A positive whole number, or Infinity for "no bound".
const isBound = (value: unknown): boolean =>
  value === Number.POSITIVE_INFINITY || (Number.isSafeInteger(value) && (value as number) >= 1);

const boundConfigError = (label: string, field: string): IntegrationError =>
  new IntegrationError('CONFIG_ERROR', `${label}: ${field} must be a positive integer or Infinity`, {
    field,
    retryable: false,
  });

// What the WHATWG URL parser strips from the front of its input: C0 controls and spaces.
function trimLeadingControls(text: string): string {
  let start = 0;
  while (start < text.length && text.charCodeAt(start) <= 0x20) start++;
  return text.slice(start);
}

// `url` as an absolute URL, placed on `base` when relative; undefined when neither makes one.
function absoluteUrl(url: string | undefined, base: string | URL | undefined): string | undefined {
  try {
    if (url === undefined) return base === undefined ? undefined : new URL(base).href;
    return new URL(url, base).href;
  } catch {
    return undefined;
  }
}

const httpOrigin = (url: string): string | undefined => {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
};

// Reads each option once into a plain object, so a getter or Proxy trap that throws (or answers differently
// the second time) cannot break the walk later.
function readPaginateOptions<TPage, TItem>(
  options: unknown,
): ApiResult<PaginateOptions<TPage, TItem> & { initial: PageRequest; initialKey: string }> {
  const config = (message: string, field: string) =>
    err(new IntegrationError('CONFIG_ERROR', `paginate: ${message}`, { field, retryable: false }));
  if (typeof options !== 'object' || options === null) return config('options must be an object', 'options');
  let read: Record<string, unknown>;
  let initial: PageRequest = { searchParams: {} };
  try {
    const { fetchPage, items, next, initial: first, signal, maxPages } = options as Record<string, unknown>;
    read = { fetchPage, items, next, signal, maxPages };
    if (first !== undefined) {
      if (!isPageRequest(first))
        return config('initial must be { url?: string, searchParams: {...} }', 'initial');
      initial = {
        ...(first.url === undefined ? {} : { url: first.url }),
        searchParams: { ...first.searchParams },
      };
    }
    if (read.signal !== undefined && !(read.signal instanceof AbortSignal)) {
      return config('signal must be an AbortSignal', 'signal');
    }
    read.initialKey = requestKey(initial);
  } catch {
    return config('options could not be read (a getter or Proxy threw)', 'options');
  }
  for (const field of ['fetchPage', 'items', 'next']) {
    if (typeof read[field] !== 'function') return config(`${field} must be a function`, field);
  }
  if (read.maxPages !== undefined && !isBound(read.maxPages)) {
    return err(boundConfigError('paginate', 'maxPages'));
  }
  return ok({ ...(read as PaginateOptions<TPage, TItem> & { initialKey: string }), initial });
}

// The strategies are sync factories: bad options throw CONFIG_ERROR (never a TypeError later, mid-walk).
function checkStrategy<T extends object>(
  label: string,
  options: T,
  fields: Record<string, 'string' | 'function' | 'string?' | 'function?'>,
): T {
  if (typeof options !== 'object' || options === null) {
    throw new IntegrationError('CONFIG_ERROR', `${label}: options must be an object`, {
      field: 'options',
      retryable: false,
    });
  }
  for (const [field, kind] of Object.entries(fields)) {
    const value = (options as Record<string, unknown>)[field];
    const optional = kind.endsWith('?');
    const type = optional ? kind.slice(0, -1) : kind;
    if (optional && value === undefined) continue;
    if (typeof value !== type || value === '') {
      throw new IntegrationError('CONFIG_ERROR', `${label}: ${field} must be a ${type}`, {
        field,
        retryable: false,
      });
    }
  }
  return options;
}
