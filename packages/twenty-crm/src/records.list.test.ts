// list/listAll against servers that lie about their pages: each walk ends with a typed error, in bounded
// time, instead of following "hasNextPage: true" forever. Also the sync's lookup, which goes through listAll.
import { createServer, type Server } from 'node:http';
import { DEFAULT_MAX_PAGES } from '@patchbay/core';
import { createMemoryStore } from '@patchbay/core/store';
import { afterEach, describe, expect, it } from 'vitest';
import { createTwentyClient } from './client.ts';
import { createTwentySync } from './sync.ts';

type PageBody = {
  data: Record<string, unknown[]>;
  pageInfo?: { hasNextPage?: boolean; endCursor?: string | null };
  totalCount?: number;
};

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

// A Twenty look-alike: `page(n, url)` answers the n-th list request (1-based) of any object.
async function lyingTwenty(page: (n: number, url: URL) => PageBody) {
  const requests: URL[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    requests.push(url);
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(page(requests.length, url)));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, requests };
}

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const person = (n: number) => ({ id: uuid(n), name: { firstName: `P${n}`, lastName: 'Test' } });
const people = (records: unknown[], pageInfo: PageBody['pageInfo']): PageBody => ({
  data: { people: records, companies: records },
  pageInfo,
  totalCount: 1_000_000,
});

const clientFor = (url: string) =>
  createTwentyClient({ baseUrl: url, apiKey: 'lying-key', rateLimit: false });

async function drain<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

const errorOf = (result: { success: boolean; error?: unknown } | undefined) =>
  result && !result.success ? result.error : undefined;

describe('list and listAll against a lying server', () => {
  it('listAll ends with OPERATION_FAILED (maxPages) when every page says there is more', async () => {
    const twenty = await lyingTwenty((n) => people([person(n)], { hasNextPage: true, endCursor: `c${n}` }));
    const started = performance.now();

    const result = await clientFor(twenty.url).people.listAll();

    expect(errorOf(result)).toMatchObject({ code: 'OPERATION_FAILED', field: 'maxPages' });
    expect(twenty.requests).toHaveLength(DEFAULT_MAX_PAGES);
    expect(performance.now() - started).toBeLessThan(25_000);
  }, 30_000);

  it('list keeps the pages it read, then yields the typed error', async () => {
    const twenty = await lyingTwenty((n) => people([person(n)], { hasNextPage: true, endCursor: `c${n}` }));
    const pages = await drain(clientFor(twenty.url).people.list({ maxPages: 5 }));
    expect(pages).toHaveLength(6);
    expect(pages.slice(0, 5).map((page) => page.success && page.data[0]?.id)).toEqual(
      [1, 2, 3, 4, 5].map(uuid),
    );
    expect(errorOf(pages[5])).toMatchObject({ code: 'OPERATION_FAILED', field: 'maxPages' });
  });

  it('listAll ends with OPERATION_FAILED (maxItems) past the records allowed', async () => {
    const twenty = await lyingTwenty((n) =>
      people([person(2 * n), person(2 * n + 1)], { hasNextPage: true, endCursor: `c${n}` }),
    );
    const result = await clientFor(twenty.url).people.listAll({ maxItems: 7 });
    expect(errorOf(result)).toMatchObject({ code: 'OPERATION_FAILED', field: 'maxItems' });
    expect(twenty.requests).toHaveLength(4);
  });

  it('a repeated endCursor is INVALID_RESPONSE naming starting_after', async () => {
    const twenty = await lyingTwenty((n) => people([person(n)], { hasNextPage: true, endCursor: 'stuck' }));
    const pages = await drain(clientFor(twenty.url).people.list());
    expect(pages).toHaveLength(3);
    expect(errorOf(pages[2])).toMatchObject({ code: 'INVALID_RESPONSE', field: 'starting_after' });
    expect(twenty.requests).toHaveLength(2);
  });

  it('endCursors cycling between two values are INVALID_RESPONSE at the first repeat', async () => {
    const twenty = await lyingTwenty((n) =>
      people([person(n)], { hasNextPage: true, endCursor: n % 2 === 1 ? 'a' : 'b' }),
    );
    const result = await clientFor(twenty.url).people.listAll();
    expect(errorOf(result)).toMatchObject({ code: 'INVALID_RESPONSE', field: 'starting_after' });
    expect(twenty.requests.map((url) => url.searchParams.get('starting_after'))).toEqual([null, 'a', 'b']);
  });

  it.each([
    [
      'the same records under a new cursor',
      (n: number) => people([person(1)], { hasNextPage: true, endCursor: `c${n}` }),
      2,
    ],
    [
      'an empty page that says more follow',
      (n: number) => people([], { hasNextPage: true, endCursor: `c${n}` }),
      1,
    ],
    ['hasNextPage with no endCursor', () => people([person(1)], { hasNextPage: true, endCursor: null }), 1],
  ])('%s is INVALID_RESPONSE, not a loop nor a silent stop', async (_label, page, requests) => {
    const twenty = await lyingTwenty(page);
    const result = await clientFor(twenty.url).people.listAll();
    expect(errorOf(result)).toMatchObject({ code: 'INVALID_RESPONSE' });
    expect(twenty.requests).toHaveLength(requests);
  });

  it('an honest last page ends the walk without an error', async () => {
    const twenty = await lyingTwenty((n) =>
      people(
        [person(n)],
        n < 3 ? { hasNextPage: true, endCursor: `c${n}` } : { hasNextPage: false, endCursor: 'c3' },
      ),
    );
    const result = await clientFor(twenty.url).people.listAll({ maxPages: 3 });
    expect(result.success && result.data.map((p) => p.id)).toEqual([1, 2, 3].map(uuid));
  });

  it.each([
    [{ pageSize: 0 }, 'pageSize'],
    [{ pageSize: -1 }, 'pageSize'],
    [{ pageSize: 2.5 }, 'pageSize'],
    [{ pageSize: '60' }, 'pageSize'],
    [{ maxPages: 0 }, 'maxPages'],
    [{ maxPages: Number.NaN }, 'maxPages'],
    [{ maxItems: -3 }, 'maxItems'],
    [{ depth: 2 }, 'depth'],
    [{ fields: 'id,name' }, 'fields'],
    [{ signal: 'abort' }, 'signal'],
    [null, 'options'],
  ])('refuses %j with VALIDATION_ERROR before any request', async (options, field) => {
    const twenty = await lyingTwenty(() => people([], { hasNextPage: false }));
    const client = clientFor(twenty.url);
    const all = await client.people.listAll(options as never);
    expect(errorOf(all)).toMatchObject({ code: 'VALIDATION_ERROR', field });
    const pages = await drain(client.people.list(options as never));
    expect(pages).toHaveLength(1);
    expect(errorOf(pages[0])).toMatchObject({ code: 'VALIDATION_ERROR', field });
    expect(twenty.requests).toHaveLength(0);
  });
});

describe('list options a caller cannot read', () => {
  it('a Proxy whose getters throw is a VALIDATION_ERROR, not a thrown error', async () => {
    const twenty = await lyingTwenty(() => people([], { hasNextPage: false }));
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
      },
    );
    const client = clientFor(twenty.url);
    expect(errorOf(await client.people.listAll(hostile))).toMatchObject({
      code: 'VALIDATION_ERROR',
      field: 'options',
    });
    const pages = await drain(client.people.list(hostile));
    expect(errorOf(pages[0])).toMatchObject({ code: 'VALIDATION_ERROR', field: 'options' });
    expect(twenty.requests).toHaveLength(0);
  });
});

describe("the sync's lookup against a lying server", () => {
  it('ends with a typed error in bounded time instead of paging forever', async () => {
    const twenty = await lyingTwenty((n) =>
      people([{ id: uuid(n), name: `Company ${n}`, externalId: `other-${n}` }], {
        hasNextPage: true,
        endCursor: `c${n}`,
      }),
    );
    const sync = createTwentySync({
      baseUrl: twenty.url,
      apiKey: 'lying-key',
      store: createMemoryStore(),
      rateLimit: false,
      retry: false,
    });
    const started = performance.now();

    // People are upserted without a lookup; the company a person points at is looked up before it is created.
    const result = await sync.upsertPerson({ externalId: 'ada', name: 'Ada', companyExternalId: 'acme' });

    expect(errorOf(result)).toMatchObject({ code: 'OPERATION_FAILED', field: 'maxPages' });
    expect(twenty.requests.length).toBeLessThanOrEqual(DEFAULT_MAX_PAGES);
    expect(twenty.requests.every((url) => url.pathname === '/rest/companies')).toBe(true);
    expect(performance.now() - started).toBeLessThan(25_000);
  }, 30_000);
});
