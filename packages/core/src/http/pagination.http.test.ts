// Pagination against real sockets: servers that lie about having more pages, repeat or cycle cursors, or
// link to another host. Each walk must end with a typed error, in bounded time, credentials kept home.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type ApiResult, ok } from '../result/result.ts';
import { createHttpClient } from './http-client.ts';
import {
  collectPages,
  cursorPagination,
  nextUrlPagination,
  offsetPagination,
  type PageRequest,
  paginate,
} from './pagination.ts';

type Page = { items: number[]; cursor?: string | null; next?: string | null };

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

// A JSON server answering each request with `respond`; records what it was asked.
async function serve(respond: (url: URL, request: IncomingMessage) => Page) {
  const requests: { url: URL; authorization?: string }[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    requests.push({ url, authorization: request.headers.authorization });
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(respond(url, request)));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { base: `http://127.0.0.1:${port}`, requests };
}

const TOKEN = 'pagination-token-abc123';
const clientFor = (baseUrl: string) =>
  createHttpClient({ baseUrl, auth: { type: 'bearer', token: TOKEN }, retry: false });

// fetchPage through the core client: a cursor page at /items, or the absolute link it was handed.
const fetchVia = (baseUrl: string) => {
  const client = clientFor(baseUrl);
  return (request: PageRequest, signal?: AbortSignal): Promise<ApiResult<Page>> =>
    client.get(request.url ?? '/items', { searchParams: request.searchParams, signal }) as Promise<
      ApiResult<Page>
    >;
};

const byCursor = cursorPagination<Page>({ param: 'cursor', cursor: (page) => page.cursor });

async function drain<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

const errorOf = (result: ApiResult<unknown> | undefined) =>
  result && !result.success ? result.error : undefined;

describe('paginate against a lying server', () => {
  it('a server that always says there is more ends with OPERATION_FAILED at maxPages, pages kept', async () => {
    let n = 0;
    const api = await serve(() => ({ items: [n], cursor: `c${++n}` }));

    const pages = await drain(
      paginate({ fetchPage: fetchVia(api.base), items: (p) => p.items, next: byCursor, maxPages: 200 }),
    );

    expect(pages).toHaveLength(201);
    expect(pages.slice(0, -1)).toEqual(Array.from({ length: 200 }, (_, i) => ok([i])));
    expect(errorOf(pages.at(-1))).toMatchObject({ code: 'OPERATION_FAILED', field: 'maxPages' });
    expect(api.requests).toHaveLength(200);
  });

  it('collectPages over the same server returns the typed error, not the items', async () => {
    let n = 0;
    const api = await serve(() => ({ items: [n], cursor: `c${++n}` }));
    const result = await collectPages(
      paginate({ fetchPage: fetchVia(api.base), items: (p) => p.items, next: byCursor, maxPages: 25 }),
    );
    expect(errorOf(result)).toMatchObject({ code: 'OPERATION_FAILED', field: 'maxPages' });
    expect(api.requests).toHaveLength(25);
  });

  it('a server that repeats one cursor is stopped at the repeat, naming it', async () => {
    const api = await serve(() => ({ items: [1], cursor: 'same-cursor' }));
    const pages = await drain(
      paginate({ fetchPage: fetchVia(api.base), items: (p) => p.items, next: byCursor }),
    );

    expect(pages.slice(0, 2)).toEqual([ok([1]), ok([1])]);
    expect(errorOf(pages[2])).toMatchObject({ code: 'INVALID_RESPONSE', field: 'cursor' });
    expect(errorOf(pages[2])?.message).toContain('cursor=same-cursor');
    expect(api.requests).toHaveLength(2);
  });

  it('a server cycling between two cursors is stopped when the first comes back', async () => {
    const api = await serve((url) => {
      const cursor = url.searchParams.get('cursor');
      return { items: [cursor === 'a' ? 2 : cursor === 'b' ? 3 : 1], cursor: cursor === 'a' ? 'b' : 'a' };
    });
    const pages = await drain(
      paginate({ fetchPage: fetchVia(api.base), items: (p) => p.items, next: byCursor }),
    );

    expect(pages.slice(0, 3)).toEqual([ok([1]), ok([2]), ok([3])]);
    expect(errorOf(pages[3])).toMatchObject({ code: 'INVALID_RESPONSE', field: 'cursor' });
    expect(errorOf(pages[3])?.message).toMatch(/cursor=a again: page 4 would repeat page 2/);
    expect(api.requests.map((r) => r.url.searchParams.get('cursor'))).toEqual([null, 'a', 'b']);
  });

  it('a server cycling between two next URLs is stopped the same way', async () => {
    const api = await serve((url) => ({
      items: [1],
      next: url.searchParams.get('page') === '2' ? '/items?page=3' : '/items?page=2',
    }));
    const pages = await drain(
      paginate({
        fetchPage: fetchVia(api.base),
        items: (p) => p.items,
        next: nextUrlPagination({ next: (page) => page.next, baseUrl: api.base }),
      }),
    );
    expect(pages).toHaveLength(4);
    expect(errorOf(pages[3])).toMatchObject({ code: 'INVALID_RESPONSE', field: 'url' });
    expect(errorOf(pages[3])?.message).toContain('/items?page=2 again: page 4 would repeat page 2');
    expect(api.requests.map((r) => r.url.search)).toEqual(['', '?page=2', '?page=3']);
  });
});

describe('offsetPagination against a server that ignores the offset', () => {
  it('stops at the second page, naming the offset parameter, instead of paging to maxPages', async () => {
    // The API pages with `start`; the client was set up with the default `offset`, so every page is page one.
    const api = await serve((url) => {
      const start = Number(url.searchParams.get('start') ?? 0);
      return { items: [start + 1, start + 2] };
    });
    const pages = await drain(
      paginate({
        fetchPage: fetchVia(api.base),
        items: (p) => p.items,
        initial: { searchParams: { limit: 2 } },
        next: offsetPagination({ limit: 2 }),
      }),
    );
    expect(pages.slice(0, 2)).toEqual([ok([1, 2]), ok([1, 2])]);
    expect(errorOf(pages[2])).toMatchObject({ code: 'INVALID_RESPONSE', field: 'offset' });
    expect(api.requests).toHaveLength(2);

    // Told the right parameter, the same server pages normally (and the strategy object is reusable).
    let served = 0;
    const honest = await serve((url) => {
      served++;
      const start = Number(url.searchParams.get('start') ?? 0);
      return { items: start < 4 ? [start + 1, start + 2] : [] };
    });
    const all = await collectPages(
      paginate({
        fetchPage: fetchVia(honest.base),
        items: (p) => p.items,
        initial: { searchParams: { limit: 2 } },
        next: offsetPagination({ limit: 2, offsetParam: 'start' }),
      }),
    );
    expect(all).toEqual(ok([1, 2, 3, 4]));
    expect(served).toBe(3);
  });
});

describe('nextUrlPagination against another origin', () => {
  it('never sends the credentials to the host a next link points to', async () => {
    const evil = await serve(() => ({ items: [666], next: null }));
    const api = await serve(() => ({ items: [1], next: `${evil.base}/steal?page=2` }));
    // A hand-written fetcher that adds its own header: the pagination itself must refuse the link.
    const fetchPage = async (request: PageRequest): Promise<ApiResult<Page>> => {
      const response = await fetch(request.url ?? `${api.base}/items`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      return ok((await response.json()) as Page);
    };

    const pages = await drain(
      paginate({
        fetchPage,
        items: (p) => p.items,
        next: nextUrlPagination({ next: (page) => page.next, baseUrl: api.base }),
      }),
    );

    expect(pages[0]).toEqual(ok([1]));
    expect(errorOf(pages[1])).toMatchObject({ code: 'INVALID_RESPONSE', field: 'url' });
    expect(errorOf(pages[1])?.message).toContain(evil.base);
    expect(evil.requests).toHaveLength(0);
  });

  it('refuses through the core client too, and without a baseUrl refuses the first absolute link', async () => {
    const evil = await serve(() => ({ items: [666], next: null }));
    const api = await serve(() => ({ items: [1], next: `${evil.base}/steal` }));

    const withBase = await collectPages(
      paginate({
        fetchPage: fetchVia(api.base),
        items: (p) => p.items,
        next: nextUrlPagination({ next: (page) => page.next, baseUrl: api.base }),
      }),
    );
    expect(errorOf(withBase)).toMatchObject({ code: 'INVALID_RESPONSE', field: 'url' });

    const withoutBase = await collectPages(
      paginate({
        fetchPage: fetchVia(api.base),
        items: (p) => p.items,
        next: nextUrlPagination({ next: (page) => page.next }),
      }),
    );
    expect(errorOf(withoutBase)).toMatchObject({ code: 'CONFIG_ERROR', field: 'baseUrl' });
    expect(evil.requests).toHaveLength(0);
    expect(api.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('follows same-origin links to the end', async () => {
    const api = await serve((url) => {
      const page = Number(url.searchParams.get('page') ?? 1);
      return { items: [page], next: page < 3 ? `/items?page=${page + 1}` : null };
    });
    const result = await collectPages(
      paginate({
        fetchPage: fetchVia(api.base),
        items: (p) => p.items,
        next: nextUrlPagination({ next: (page) => page.next, baseUrl: api.base }),
      }),
    );
    expect(result).toEqual(ok([1, 2, 3]));
  });
});
