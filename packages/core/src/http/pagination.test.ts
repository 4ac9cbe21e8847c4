import { describe, expect, it, vi } from 'vitest';
import { IntegrationError } from '../result/errors.ts';
import { type ApiResult, err, ok } from '../result/result.ts';
import {
  collectPages,
  cursorPagination,
  DEFAULT_MAX_ITEMS,
  DEFAULT_MAX_PAGES,
  nextUrlPagination,
  odataNextLink,
  offsetPagination,
  type PageRequest,
  paginate,
} from './pagination.ts';

async function drain<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

// A fake API answering from a list of bodies, one per call, recording what was asked.
function serve<TPage>(bodies: readonly TPage[]) {
  let call = 0;
  return vi.fn(async (_request: PageRequest, _signal?: AbortSignal): Promise<ApiResult<TPage>> => {
    const body = bodies[call++];
    if (body === undefined) throw new Error(`unexpected page request #${call}`);
    return ok(body);
  });
}

const requestsOf = (fetchPage: { mock: { calls: [PageRequest, AbortSignal?][] } }) =>
  fetchPage.mock.calls.map(([request]) => request);

const codeOf = (result: ApiResult<unknown> | undefined) =>
  result && !result.success ? result.error.code : undefined;

const errorOf = (result: ApiResult<unknown> | undefined) =>
  result && !result.success ? result.error : undefined;

describe('cursorPagination', () => {
  it('walks Twenty pages by sending pageInfo.endCursor back as starting_after', async () => {
    type TwentyPage = {
      data: { people: { id: string }[] };
      pageInfo: { hasNextPage: boolean; startCursor: string; endCursor: string };
      totalCount: number;
    };
    const fetchPage = serve<TwentyPage>([
      {
        data: { people: [{ id: 'p1' }, { id: 'p2' }] },
        pageInfo: { hasNextPage: true, startCursor: 'c0', endCursor: 'c2' },
        totalCount: 5,
      },
      {
        data: { people: [{ id: 'p3' }, { id: 'p4' }] },
        pageInfo: { hasNextPage: true, startCursor: 'c3', endCursor: 'c4' },
        totalCount: 5,
      },
      {
        data: { people: [{ id: 'p5' }] },
        // Twenty still fills endCursor on the last page; only hasNextPage says it is the end.
        pageInfo: { hasNextPage: false, startCursor: 'c5', endCursor: 'c5' },
        totalCount: 5,
      },
    ]);

    const pages = await drain(
      paginate({
        fetchPage,
        items: (page) => page.data.people,
        next: cursorPagination({
          param: 'starting_after',
          cursor: (page) => (page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null),
        }),
        initial: { searchParams: { limit: 2 } },
      }),
    );

    expect(pages).toEqual([
      ok([{ id: 'p1' }, { id: 'p2' }]),
      ok([{ id: 'p3' }, { id: 'p4' }]),
      ok([{ id: 'p5' }]),
    ]);
    expect(requestsOf(fetchPage)).toEqual([
      { searchParams: { limit: 2 } },
      { searchParams: { limit: 2, starting_after: 'c2' } },
      { searchParams: { limit: 2, starting_after: 'c4' } },
    ]);
  });

  it('walks Pipedrive v2 pages by additional_data.next_cursor sent as cursor', async () => {
    type PipedrivePage = {
      success: boolean;
      data: { id: number; title: string }[];
      additional_data: { next_cursor: string | null };
    };
    const fetchPage = serve<PipedrivePage>([
      { success: true, data: [{ id: 1, title: 'a' }], additional_data: { next_cursor: 'eyJpZCI6MX0' } },
      { success: true, data: [{ id: 2, title: 'b' }], additional_data: { next_cursor: 'eyJpZCI6Mn0' } },
      { success: true, data: [{ id: 3, title: 'c' }], additional_data: { next_cursor: null } },
    ]);

    const deals = await collectPages(
      paginate({
        fetchPage,
        items: (page) => page.data,
        next: cursorPagination({ param: 'cursor', cursor: (page) => page.additional_data.next_cursor }),
      }),
    );

    expect(deals).toEqual(ok([1, 2, 3].map((id, i) => ({ id, title: 'abc'[i] }))));
    expect(requestsOf(fetchPage).map((request) => request.searchParams.cursor)).toEqual([
      undefined,
      'eyJpZCI6MX0',
      'eyJpZCI6Mn0',
    ]);
  });

  it('walks HubSpot pages by paging.next.after sent as after, ending when paging is absent', async () => {
    type HubSpotPage = {
      results: { id: string; properties: Record<string, string> }[];
      paging?: { next?: { after: string; link: string } };
    };
    const contact = (id: string) => ({ id, properties: { email: `${id}@example.com` } });
    const fetchPage = serve<HubSpotPage>([
      {
        results: [contact('101')],
        paging: { next: { after: '102', link: 'https://api.hubapi.com/crm/v3/objects/contacts?after=102' } },
      },
      {
        results: [contact('102')],
        paging: { next: { after: '103', link: 'https://api.hubapi.com/crm/v3/objects/contacts?after=103' } },
      },
      { results: [contact('103')] },
    ]);

    const contacts = await collectPages(
      paginate({
        fetchPage,
        items: (page) => page.results,
        next: cursorPagination({ param: 'after', cursor: (page) => page.paging?.next?.after }),
        initial: { searchParams: { limit: 1, properties: 'email' } },
      }),
    );

    expect(contacts).toEqual(ok([contact('101'), contact('102'), contact('103')]));
    expect(requestsOf(fetchPage).at(-1)).toEqual({
      searchParams: { limit: 1, properties: 'email', after: '103' },
    });
  });

  it('treats an empty-string cursor as the end', async () => {
    const fetchPage = serve([{ items: [1], cursor: '' }]);
    const pages = await drain(
      paginate({
        fetchPage,
        items: (page) => page.items,
        next: cursorPagination({ param: 'cursor', cursor: (page) => page.cursor }),
      }),
    );
    expect(pages).toEqual([ok([1])]);
    expect(fetchPage).toHaveBeenCalledTimes(1);
  });
});

describe('nextUrlPagination', () => {
  it('follows PostHog next URLs exactly as given', async () => {
    type PostHogPage = { next: string | null; results: { uuid: string; event: string }[] };
    const next1 =
      'https://eu.posthog.com/api/projects/42/events/?after=2025-01-01T00%3A00%3A00Z&limit=2&before=x';
    const next2 =
      'https://eu.posthog.com/api/projects/42/events/?after=2025-01-02T00%3A00%3A00Z&limit=2&before=x';
    const fetchPage = serve<PostHogPage>([
      { next: next1, results: [{ uuid: 'e1', event: '$pageview' }] },
      { next: next2, results: [{ uuid: 'e2', event: '$pageview' }] },
      { next: null, results: [{ uuid: 'e3', event: 'signup' }] },
    ]);

    const events = await collectPages(
      paginate({
        fetchPage,
        items: (page) => page.results,
        next: nextUrlPagination({ next: (page) => page.next, baseUrl: 'https://eu.posthog.com' }),
        initial: { searchParams: { limit: 2, after: '2024-12-31T00:00:00Z' } },
      }),
    );

    expect(events.success && events.data.map((event) => event.uuid)).toEqual(['e1', 'e2', 'e3']);
    expect(requestsOf(fetchPage)).toEqual([
      { searchParams: { limit: 2, after: '2024-12-31T00:00:00Z' } },
      { url: next1, searchParams: {} },
      { url: next2, searchParams: {} },
    ]);
  });

  it("follows Exact Online d.__next links without re-encoding the $skiptoken's quotes", async () => {
    type ExactPage = { d: { results: { ID: string; Name: string }[]; __next?: string } };
    const base = 'https://start.exactonline.nl/api/v1/123/crm/Accounts';
    const next1 = `${base}?$select=ID,Name&$skiptoken=guid'7f1b0c2e-0000-4000-8000-000000000001'`;
    const next2 = `${base}?$select=ID,Name&$skiptoken=guid'7f1b0c2e-0000-4000-8000-000000000002'`;
    const fetchPage = serve<ExactPage>([
      { d: { results: [{ ID: 'a1', Name: 'Acme' }], __next: next1 } },
      { d: { results: [{ ID: 'a2', Name: 'Globex' }], __next: next2 } },
      { d: { results: [{ ID: 'a3', Name: 'Initech' }] } },
    ]);

    const accounts = await collectPages(
      paginate({
        fetchPage,
        items: (page) => page.d.results,
        next: nextUrlPagination({ next: odataNextLink }),
        initial: { url: base, searchParams: { $select: 'ID,Name' } },
      }),
    );

    expect(accounts.success && accounts.data.map((account) => account.Name)).toEqual([
      'Acme',
      'Globex',
      'Initech',
    ]);
    expect(requestsOf(fetchPage).map((request) => request.url)).toEqual([base, next1, next2]);
  });

  it('follows OData v4 @odata.nextLink', async () => {
    type ODataV4Page = { '@odata.context': string; value: { id: string }[]; '@odata.nextLink'?: string };
    const next = 'https://graph.example.com/v1.0/users?$skiptoken=X%274453707402%27';
    const fetchPage = serve<ODataV4Page>([
      { '@odata.context': '$metadata#users', value: [{ id: 'u1' }], '@odata.nextLink': next },
      { '@odata.context': '$metadata#users', value: [{ id: 'u2' }] },
    ]);

    const users = await collectPages(
      paginate({
        fetchPage,
        items: (page) => page.value,
        next: nextUrlPagination({ next: odataNextLink, baseUrl: 'https://graph.example.com/v1.0/' }),
      }),
    );

    expect(users).toEqual(ok([{ id: 'u1' }, { id: 'u2' }]));
    expect(requestsOf(fetchPage)[1]).toEqual({ url: next, searchParams: {} });
  });

  it('resolves a relative link against the current URL', async () => {
    const fetchPage = serve([
      { value: [1], '@odata.nextLink': 'People?$skiptoken=2' },
      { value: [2], '@odata.nextLink': null },
    ]);

    await drain(
      paginate({
        fetchPage,
        items: (page) => page.value,
        next: nextUrlPagination({ next: odataNextLink }),
        initial: { url: 'https://services.example.org/v4/TripPin/People', searchParams: {} },
      }),
    );

    expect(requestsOf(fetchPage)[1]?.url).toBe('https://services.example.org/v4/TripPin/People?$skiptoken=2');
  });
});

describe('odataNextLink', () => {
  it('reads v2 d.__next before v4 @odata.nextLink and ignores anything that is not a link', () => {
    expect(odataNextLink({ d: { results: [], __next: 'https://a/next' } })).toBe('https://a/next');
    expect(odataNextLink({ value: [], '@odata.nextLink': 'https://b/next' })).toBe('https://b/next');
    expect(odataNextLink({ d: { results: [] } })).toBeUndefined();
    expect(odataNextLink({ d: null, '@odata.nextLink': '' })).toBeUndefined();
    expect(odataNextLink({ d: { __next: 42 } })).toBeUndefined();
    expect(odataNextLink(null)).toBeUndefined();
    expect(odataNextLink('https://c/next')).toBeUndefined();
  });
});

describe('offsetPagination', () => {
  const rows = Array.from({ length: 5 }, (_, i) => ({ id: i + 1 }));
  // A generic offset/limit API over `rows`, answering from the request it is given.
  const offsetServer = (total?: number) =>
    vi.fn(async (request: PageRequest) => {
      const offset = Number(request.searchParams.offset ?? 0);
      const limit = Number(request.searchParams.limit);
      return ok({ data: rows.slice(0, total).slice(offset, offset + limit), total });
    });

  it('stops after a page shorter than the limit', async () => {
    const fetchPage = offsetServer();
    const pages = await drain(
      paginate({
        fetchPage,
        items: (page) => page.data,
        next: offsetPagination({ limit: 2 }),
        initial: { searchParams: { limit: 2 } },
      }),
    );

    expect(pages).toEqual([ok([{ id: 1 }, { id: 2 }]), ok([{ id: 3 }, { id: 4 }]), ok([{ id: 5 }])]);
    expect(requestsOf(fetchPage)).toEqual([
      { searchParams: { limit: 2 } },
      { searchParams: { limit: 2, offset: 2 } },
      { searchParams: { limit: 2, offset: 4 } },
    ]);
  });

  it('stops at total without asking for an empty page', async () => {
    const fetchPage = offsetServer(4);
    const pages = await drain(
      paginate({
        fetchPage,
        items: (page) => page.data,
        next: offsetPagination({ limit: 2, total: (page) => page.total }),
        initial: { searchParams: { limit: 2 } },
      }),
    );

    expect(pages).toEqual([ok([{ id: 1 }, { id: 2 }]), ok([{ id: 3 }, { id: 4 }])]);
    expect(fetchPage).toHaveBeenCalledTimes(2);
  });

  it('stops on an empty page when there is no total and the count divides evenly', async () => {
    const fetchPage = vi.fn(async (request: PageRequest) => {
      const offset = Number(request.searchParams.offset ?? 0);
      return ok(rows.slice(0, 4).slice(offset, offset + 2));
    });
    const pages = await drain(
      paginate({
        fetchPage,
        items: (page) => page,
        next: offsetPagination({ limit: 2 }),
        initial: { searchParams: { limit: 2 } },
      }),
    );

    expect(pages).toEqual([ok([{ id: 1 }, { id: 2 }]), ok([{ id: 3 }, { id: 4 }]), ok([])]);
    expect(fetchPage).toHaveBeenCalledTimes(3);
  });

  it('can be reused: one walk never sees the pages of another', async () => {
    const strategy = offsetPagination<{ data: { id: number }[] }>({ limit: 2 });
    for (let walk = 0; walk < 2; walk++) {
      const fetchPage = offsetServer();
      const all = await collectPages(
        paginate({
          fetchPage,
          items: (page) => page.data,
          next: strategy,
          initial: { searchParams: { limit: 2 } },
        }),
      );
      expect(all).toEqual(ok(rows));
    }
  });

  it('pages Pipedrive v1 with start/limit', async () => {
    type PipedriveV1Page = {
      success: boolean;
      data: { id: number }[] | null;
      additional_data: { pagination: { start: number; limit: number; more_items_in_collection: boolean } };
    };
    const fetchPage = vi.fn(async (request: PageRequest): Promise<ApiResult<PipedriveV1Page>> => {
      const start = Number(request.searchParams.start ?? 0);
      const limit = Number(request.searchParams.limit);
      const data = rows.slice(start, start + limit);
      const more = start + limit < rows.length;
      return ok({
        success: true,
        data,
        additional_data: { pagination: { start, limit, more_items_in_collection: more } },
      });
    });

    const persons = await collectPages(
      paginate({
        fetchPage,
        // Pipedrive v1 answers `data: null` for an empty collection.
        items: (page) => page.data ?? [],
        next: offsetPagination({ limit: 3, offsetParam: 'start' }),
        initial: { searchParams: { limit: 3 } },
      }),
    );

    expect(persons).toEqual(ok(rows));
    expect(requestsOf(fetchPage)).toEqual([
      { searchParams: { limit: 3 } },
      { searchParams: { limit: 3, start: 3 } },
    ]);
  });
});

describe('paginate', () => {
  const endless = () =>
    vi.fn(async (request: PageRequest, _signal?: AbortSignal) => {
      const n = Number(request.searchParams.cursor ?? 0);
      return ok({ items: [n], cursor: String(n + 1) });
    });
  const endlessOptions = {
    items: (page: { items: number[] }) => page.items,
    next: cursorPagination<{ cursor: string }>({ param: 'cursor', cursor: (page) => page.cursor }),
  };

  it('yields a failed page and stops there', async () => {
    const limited = new IntegrationError('RATE_LIMIT', 'Too many requests', {
      status: 429,
      retryAfterMs: 2000,
    });
    const fetchPage = vi
      .fn<(request: PageRequest) => Promise<ApiResult<{ items: number[]; cursor: string }>>>()
      .mockResolvedValueOnce(ok({ items: [1], cursor: 'a' }))
      .mockResolvedValueOnce(err(limited))
      .mockResolvedValue(ok({ items: [3], cursor: 'c' }));

    const pages = await drain(paginate({ fetchPage, ...endlessOptions }));

    expect(pages).toEqual([ok([1]), err(limited)]);
    expect(fetchPage).toHaveBeenCalledTimes(2);
  });

  it('turns a throwing fetchPage into a failure instead of throwing', async () => {
    const boom = new Error('socket hang up');
    const pages = await drain(
      paginate({
        fetchPage: vi.fn().mockRejectedValue(boom),
        items: (page: number[]) => page,
        next: () => undefined,
      }),
    );

    expect(pages).toHaveLength(1);
    expect(codeOf(pages[0])).toBe('OPERATION_FAILED');
    expect(!pages[0]?.success && pages[0]?.error.cause).toBe(boom);

    const thrown = new IntegrationError('TIMEOUT', 'timed out');
    const rethrown = await drain(
      paginate({
        fetchPage: vi.fn().mockRejectedValue(thrown),
        items: (page: number[]) => page,
        next: () => undefined,
      }),
    );
    expect(rethrown).toEqual([err(thrown)]);
  });

  it('reports a page without an item list as INVALID_RESPONSE', async () => {
    // A body that does not match its declared type, as a server bug would produce.
    const fetchPage = serve([{ d: {} } as unknown as { d: { results: number[] } }]);
    const pages = await drain(
      paginate({ fetchPage, items: (page) => page.d.results, next: () => undefined }),
    );

    expect(pages).toHaveLength(1);
    expect(codeOf(pages[0])).toBe('INVALID_RESPONSE');

    const throwing = await drain(
      paginate({
        fetchPage: serve([{}]),
        items: () => [1],
        next: () => {
          throw new TypeError("Cannot read properties of undefined (reading 'after')");
        },
      }),
    );
    expect(throwing[0]).toEqual(ok([1]));
    expect(codeOf(throwing[1])).toBe('INVALID_RESPONSE');
  });

  it('yields ABORTED once without fetching when the signal is already aborted', async () => {
    const fetchPage = endless();
    const pages = await drain(paginate({ fetchPage, ...endlessOptions, signal: AbortSignal.abort() }));

    expect(pages).toHaveLength(1);
    expect(codeOf(pages[0])).toBe('ABORTED');
    expect(fetchPage).not.toHaveBeenCalled();
  });

  it('stops with one ABORTED when aborted between pages, and passes the signal to fetchPage', async () => {
    const controller = new AbortController();
    const fetchPage = endless();
    const pages: ApiResult<number[]>[] = [];

    for await (const page of paginate({ fetchPage, ...endlessOptions, signal: controller.signal })) {
      pages.push(page);
      if (pages.length === 2) controller.abort(new Error('user navigated away'));
    }

    expect(pages.slice(0, 2)).toEqual([ok([0]), ok([1])]);
    expect(pages).toHaveLength(3);
    expect(codeOf(pages[2])).toBe('ABORTED');
    expect(fetchPage).toHaveBeenCalledTimes(2);
    expect(fetchPage).toHaveBeenCalledWith(expect.anything(), controller.signal);
  });

  it('keeps the ABORTED failure of a fetchPage that honours the signal, yielding it only once', async () => {
    const controller = new AbortController();
    const ownAbort = new IntegrationError('ABORTED', 'Request aborted', {
      method: 'GET',
      path: '/rest/people',
    });
    const fetchPage = vi.fn(async (_request: PageRequest, signal?: AbortSignal) => {
      controller.abort();
      return signal?.aborted
        ? err<{ items: number[]; cursor: string }>(ownAbort)
        : ok({ items: [1], cursor: 'x' });
    });

    const pages = await drain(paginate({ fetchPage, ...endlessOptions, signal: controller.signal }));

    expect(pages).toEqual([err(ownAbort)]);
  });

  it('drops a page that arrives after the abort when fetchPage ignores the signal', async () => {
    const controller = new AbortController();
    const fetchPage = vi.fn(async () => {
      controller.abort();
      return ok({ items: [1], cursor: 'x' });
    });

    const pages = await drain(paginate({ fetchPage, ...endlessOptions, signal: controller.signal }));

    expect(pages).toHaveLength(1);
    expect(codeOf(pages[0])).toBe('ABORTED');
  });

  it('ends with OPERATION_FAILED naming maxPages after the last page allowed, keeping the pages yielded', async () => {
    const fetchPage = endless();
    const pages = await drain(paginate({ fetchPage, ...endlessOptions, maxPages: 3 }));

    expect(pages.slice(0, 3)).toEqual([ok([0]), ok([1]), ok([2])]);
    expect(pages).toHaveLength(4);
    expect(errorOf(pages[3])).toMatchObject({
      code: 'OPERATION_FAILED',
      field: 'maxPages',
      retryable: false,
    });
    expect(fetchPage).toHaveBeenCalledTimes(3);
  });

  it('ends quietly when the last page allowed is the last page', async () => {
    const fetchPage = serve([
      { items: [1], cursor: 'a' },
      { items: [2], cursor: '' },
    ]);
    expect(await drain(paginate({ fetchPage, ...endlessOptions, maxPages: 2 }))).toEqual([ok([1]), ok([2])]);
  });

  it(`is bounded by default: an API that always has more stops after ${DEFAULT_MAX_PAGES} pages`, async () => {
    const fetchPage = endless();
    let count = 0;
    let last: ApiResult<number[]> | undefined;
    for await (const page of paginate({ fetchPage, ...endlessOptions })) {
      count++;
      last = page;
    }
    expect(count).toBe(DEFAULT_MAX_PAGES + 1);
    expect(errorOf(last)).toMatchObject({ code: 'OPERATION_FAILED', field: 'maxPages' });
    expect(fetchPage).toHaveBeenCalledTimes(DEFAULT_MAX_PAGES);
  });

  it('lifts the bound with maxPages: Infinity', async () => {
    const fetchPage = endless();
    let count = 0;
    for await (const page of paginate({ fetchPage, ...endlessOptions, maxPages: Number.POSITIVE_INFINITY })) {
      expect(page.success).toBe(true);
      if (++count === DEFAULT_MAX_PAGES + 10) break;
    }
    expect(fetchPage).toHaveBeenCalledTimes(DEFAULT_MAX_PAGES + 10);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.NEGATIVE_INFINITY, '3', null])(
    'refuses maxPages %s with CONFIG_ERROR before any request',
    async (maxPages) => {
      const fetchPage = endless();
      const pages = await drain(
        paginate({ fetchPage, ...endlessOptions, maxPages: maxPages as unknown as number }),
      );
      expect(pages).toHaveLength(1);
      expect(errorOf(pages[0])).toMatchObject({ code: 'CONFIG_ERROR', field: 'maxPages' });
      expect(fetchPage).not.toHaveBeenCalled();
    },
  );

  it('refuses options that are not functions or objects with CONFIG_ERROR instead of throwing', async () => {
    const cases: [unknown, string][] = [
      [undefined, 'options'],
      [null, 'options'],
      [{ ...endlessOptions }, 'fetchPage'],
      [{ fetchPage: endless(), next: endlessOptions.next }, 'items'],
      [{ fetchPage: endless(), items: endlessOptions.items, next: 'cursor' }, 'next'],
      [{ fetchPage: endless(), ...endlessOptions, initial: { url: 5 } }, 'initial'],
      [{ fetchPage: endless(), ...endlessOptions, signal: {} }, 'signal'],
      [
        new Proxy(
          {},
          {
            get() {
              throw new Error('trap');
            },
          },
        ),
        'options',
      ],
      [
        { fetchPage: endless(), ...endlessOptions, initial: { searchParams: { limit: 1 }, url: 1 } },
        'initial',
      ],
    ];
    for (const [options, field] of cases) {
      const pages = await drain(paginate(options as Parameters<typeof paginate>[0]));
      expect(pages).toHaveLength(1);
      expect(errorOf(pages[0])).toMatchObject({ code: 'CONFIG_ERROR', field });
    }
  });

  it('turns hostile values from the callbacks into INVALID_RESPONSE instead of throwing', async () => {
    const trap = new Proxy([1, 2], {
      get(target, property) {
        if (property === Symbol.iterator || property === 'length') throw new Error('trap');
        return Reflect.get(target, property);
      },
    });
    const hostileItems = await drain(
      paginate({ fetchPage: serve([{ items: [1] }]), items: () => trap, next: () => undefined }),
    );
    expect(hostileItems).toHaveLength(1);
    expect(errorOf(hostileItems[0])).toMatchObject({ code: 'INVALID_RESPONSE' });

    const unprintable = {
      toString() {
        throw new Error('no string');
      },
    };
    const hostileRequest = await drain(
      paginate({
        fetchPage: serve([{ items: [1] }]),
        items: (page) => page.items,
        next: () => ({ searchParams: { cursor: unprintable as unknown as string } }),
      }),
    );
    expect(hostileRequest[0]).toEqual(ok([1]));
    expect(errorOf(hostileRequest[1])).toMatchObject({ code: 'INVALID_RESPONSE' });
  });

  it('reports a fetchPage or next that returns something else than a result or a request', async () => {
    const notResult = await drain(
      paginate({
        fetchPage: async () => ({ items: [1] }) as unknown as ApiResult<{ items: number[] }>,
        items: (page) => page.items,
        next: () => undefined,
      }),
    );
    expect(errorOf(notResult[0])).toMatchObject({ code: 'INVALID_RESPONSE' });

    const notRequest = await drain(
      paginate({
        fetchPage: serve([{ items: [1] }]),
        items: (page) => page.items,
        next: () => 'page-2' as unknown as PageRequest,
      }),
    );
    expect(notRequest[0]).toEqual(ok([1]));
    expect(errorOf(notRequest[1])).toMatchObject({ code: 'INVALID_RESPONSE' });
  });

  it('fetches lazily: breaking out of the loop fetches nothing more', async () => {
    const fetchPage = endless();
    for await (const page of paginate({ fetchPage, ...endlessOptions })) {
      if (page.success && page.data[0] === 1) break;
    }
    expect(fetchPage).toHaveBeenCalledTimes(2);
  });

  it('stops with INVALID_RESPONSE when the server repeats a cursor', async () => {
    const fetchPage = serve([
      { items: [1], cursor: 'abc' },
      { items: [2], cursor: 'abc' },
      { items: [3], cursor: 'def' },
    ]);

    const pages = await drain(paginate({ fetchPage, ...endlessOptions }));

    expect(pages.slice(0, 2)).toEqual([ok([1]), ok([2])]);
    expect(pages).toHaveLength(3);
    expect(codeOf(pages[2])).toBe('INVALID_RESPONSE');
    expect(errorOf(pages[2])).toMatchObject({ field: 'cursor' });
    expect(errorOf(pages[2])?.message).toContain('cursor=abc');
    expect(fetchPage).toHaveBeenCalledTimes(2);
  });

  it('names a repeated offset, and a next function that hands back the first request', async () => {
    const stuck = serve([{ items: [1] }, { items: [2] }, { items: [3] }]);
    const offsets = await drain(
      paginate({
        fetchPage: stuck,
        items: (page) => page.items,
        // A buggy strategy: the offset never moves past 5.
        next: (_page, current) => ({ searchParams: { ...current.searchParams, offset: 5 } }),
        initial: { searchParams: { limit: 1 } },
      }),
    );
    expect(offsets.slice(0, 2)).toEqual([ok([1]), ok([2])]);
    expect(errorOf(offsets[2])).toMatchObject({ code: 'INVALID_RESPONSE', field: 'offset' });
    expect(errorOf(offsets[2])?.message).toMatch(/offset=5 again: page 3 would repeat page 2/);

    const restart = await drain(
      paginate({
        fetchPage: serve([{ items: [1] }]),
        items: (page) => page.items,
        next: (_page, current) => ({ ...current }),
      }),
    );
    expect(restart[0]).toEqual(ok([1]));
    expect(errorOf(restart[1])?.message).toContain('the request of the first page');
  });

  it('names a repeated next URL with its credentials redacted', async () => {
    const link = 'https://api.example.com/items?page=2&api_key=sk_live_secret';
    const pages = await drain(
      paginate({
        fetchPage: serve([
          { next: link, items: [1] },
          { next: link, items: [2] },
        ]),
        items: (page) => page.items,
        next: nextUrlPagination({ next: (page) => page.next, baseUrl: 'https://api.example.com' }),
      }),
    );
    const error = errorOf(pages[2]);
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', field: 'url' });
    expect(error?.message).toContain('https://api.example.com/items?page=2');
    expect(JSON.stringify(error) + error?.stack).not.toContain('sk_live_secret');
  });

  it('also catches a cycle back to an earlier cursor or next URL', async () => {
    const cycling = serve([
      { items: [1], cursor: 'a' },
      { items: [2], cursor: 'b' },
      { items: [3], cursor: 'a' },
    ]);
    const pages = await drain(paginate({ fetchPage: cycling, ...endlessOptions }));
    expect(codeOf(pages.at(-1))).toBe('INVALID_RESPONSE');
    expect(cycling).toHaveBeenCalledTimes(3);

    const first = 'https://eu.posthog.com/api/projects/42/events/';
    const looping = serve([
      { next: `${first}?after=1`, results: [1] },
      { next: first, results: [2] },
    ]);
    const links = await drain(
      paginate({
        fetchPage: looping,
        items: (page) => page.results,
        next: nextUrlPagination({ next: (page) => page.next }),
        initial: { url: first, searchParams: {} },
      }),
    );
    expect(links.slice(0, 2)).toEqual([ok([1]), ok([2])]);
    expect(codeOf(links[2])).toBe('INVALID_RESPONSE');
  });
});

describe('strategy options', () => {
  it('throw CONFIG_ERROR, not a TypeError, for options that cannot work', () => {
    const bad: [() => unknown, string][] = [
      [() => cursorPagination(undefined as never), 'options'],
      [() => cursorPagination({ param: '', cursor: () => 'x' }), 'param'],
      [() => cursorPagination({ param: 'after' } as never), 'cursor'],
      [() => nextUrlPagination({} as never), 'next'],
      [() => nextUrlPagination({ next: () => null, baseUrl: 'not a url' }), 'baseUrl'],
      [() => nextUrlPagination({ next: () => null, baseUrl: 'ftp://files.example.com' }), 'baseUrl'],
      [() => offsetPagination({ limit: 0 }), 'limit'],
      [() => offsetPagination({ limit: Number.NaN }), 'limit'],
      [() => offsetPagination({ limit: 10, offsetParam: 5 } as never), 'offsetParam'],
    ];
    for (const [build, field] of bad) {
      let thrown: unknown;
      try {
        build();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(IntegrationError);
      expect(thrown).toMatchObject({ code: 'CONFIG_ERROR', field });
    }
  });

  it('ends with INVALID_RESPONSE on a cursor that is not a string or a finite number', async () => {
    const next = cursorPagination<{ cursor: unknown }>({
      param: 'after',
      cursor: (page) => page.cursor as string,
    });
    const current = { searchParams: {} };
    expect(next({ cursor: 7 }, current, 1)).toEqual({ searchParams: { after: 7 } });
    for (const cursor of [{ id: 1 }, ['a'], Number.NaN, true]) {
      expect(() => next({ cursor }, current, 1)).toThrow(
        expect.objectContaining({ code: 'INVALID_RESPONSE', field: 'after' }),
      );
    }
  });

  it('keeps paging on an offset total that is not a number instead of stopping short', () => {
    const next = offsetPagination<{ total: unknown }>({ limit: 2, total: (page) => page.total as number });
    const current = { searchParams: { limit: 2 } };
    expect(next({ total: Number.NaN }, current, 2)).toEqual({ searchParams: { limit: 2, offset: 2 } });
    expect(next({ total: 'many' }, current, 2)).toEqual({ searchParams: { limit: 2, offset: 2 } });
    expect(next({ total: 2 }, current, 2)).toBeUndefined();
  });
});

describe('nextUrlPagination origins', () => {
  const base = 'https://api.example.com/v2/';
  const nextOf = (options: { baseUrl?: string } = { baseUrl: base }) =>
    nextUrlPagination<{ next: unknown }>({ next: (page) => page.next as string, ...options });
  const follow = (
    link: unknown,
    current: PageRequest = { searchParams: {} },
    options?: { baseUrl?: string },
  ) => {
    try {
      return nextOf(options)({ next: link }, current, 1);
    } catch (error) {
      return error as IntegrationError;
    }
  };

  it.each([
    'https://evil.example.net/v2/items?page=2',
    'http://api.example.com/v2/items?page=2',
    'https://api.example.com:8443/v2/items',
    '//evil.example.net/v2/items',
    '\\\\evil.example.net/v2/items',
    ' https://evil.example.net/x',
    'ht\ttps://evil.example.net/x',
    'https://api.example.com@evil.example.net/x',
    'javascript:alert(1)',
    'file:///etc/passwd',
  ])('refuses a link to another origin: %s', (link) => {
    const refused = follow(link);
    expect(refused).toBeInstanceOf(IntegrationError);
    expect(refused).toMatchObject({ code: 'INVALID_RESPONSE', field: 'url' });
    expect((refused as IntegrationError).message).toContain('https://api.example.com');
  });

  it('checks against the page the link came from when there is no baseUrl', () => {
    const current = { url: 'https://api.example.com/v2/items', searchParams: {} };
    expect(follow('https://evil.example.net/items', current, {})).toMatchObject({
      code: 'INVALID_RESPONSE',
      field: 'url',
    });
    expect(follow('items?page=3', current, {})).toEqual({
      url: 'https://api.example.com/v2/items?page=3',
      searchParams: {},
    });
  });

  it('refuses to guess: an absolute first link with no baseUrl is a CONFIG_ERROR', () => {
    expect(follow('https://api.example.com/v2/items?page=2', { searchParams: {} }, {})).toMatchObject({
      code: 'CONFIG_ERROR',
      field: 'baseUrl',
    });
  });

  it('follows same-origin links, and passes paths through for the client to place', () => {
    expect(follow('https://api.example.com/v2/items?page=2')).toEqual({
      url: 'https://api.example.com/v2/items?page=2',
      searchParams: {},
    });
    expect(follow('//api.example.com/v2/items?page=2')).toEqual({
      url: 'https://api.example.com/v2/items?page=2',
      searchParams: {},
    });
    expect(follow('/v2/items?page=2')).toEqual({ url: '/v2/items?page=2', searchParams: {} });
    expect(follow('items?page=3', { url: '/v2/items', searchParams: {} }, {})).toEqual({
      url: '/v2/items?page=3',
      searchParams: {},
    });
  });

  it('ends with INVALID_RESPONSE on a link that is not a string', () => {
    for (const link of [42, { href: 'https://api.example.com' }, ['x']]) {
      expect(follow(link)).toMatchObject({ code: 'INVALID_RESPONSE', field: 'url' });
    }
  });
});

describe('collectPages', () => {
  it(`gathers at most ${DEFAULT_MAX_ITEMS} items by default, then stops fetching`, async () => {
    const fetchPage = vi.fn(async (request: PageRequest) => {
      const n = Number(request.searchParams.cursor ?? 0);
      return ok({ items: Array.from({ length: 1_000 }, (_, i) => n * 1_000 + i), cursor: String(n + 1) });
    });
    const all = await collectPages(
      paginate({
        fetchPage,
        items: (page) => page.items,
        next: cursorPagination({ param: 'cursor', cursor: (page) => page.cursor }),
      }),
    );
    expect(errorOf(all)).toMatchObject({ code: 'OPERATION_FAILED', field: 'maxItems', retryable: false });
    expect(fetchPage).toHaveBeenCalledTimes(DEFAULT_MAX_ITEMS / 1_000 + 1);
  });

  it('takes maxItems, and returns everything when the pages end within it', async () => {
    const pages = () =>
      paginate({
        fetchPage: serve([
          { items: [1, 2], cursor: 'a' },
          { items: [3, 4], cursor: 'b' },
          { items: [5], cursor: null },
        ]),
        items: (page) => page.items,
        next: cursorPagination({ param: 'cursor', cursor: (page) => page.cursor }),
      });
    expect(await collectPages(pages(), { maxItems: 5 })).toEqual(ok([1, 2, 3, 4, 5]));
    expect(errorOf(await collectPages(pages(), { maxItems: 4 }))).toMatchObject({ field: 'maxItems' });
    expect(await collectPages(pages(), { maxItems: Number.POSITIVE_INFINITY })).toEqual(ok([1, 2, 3, 4, 5]));
  });

  it('answers CONFIG_ERROR for a bad maxItems or something that is not pages, and never throws', async () => {
    async function* one(): AsyncIterable<ApiResult<number[]>> {
      yield ok([1]);
    }
    for (const maxItems of [0, -5, 2.5, Number.NaN, '10']) {
      expect(errorOf(await collectPages(one(), { maxItems: maxItems as number }))).toMatchObject({
        code: 'CONFIG_ERROR',
        field: 'maxItems',
      });
    }
    for (const pages of [undefined, null, 42, [ok([1])]]) {
      expect(errorOf(await collectPages(pages as never))).toMatchObject({
        code: 'CONFIG_ERROR',
        field: 'pages',
      });
    }
    async function* throwing(): AsyncIterable<ApiResult<number[]>> {
      yield ok([1]);
      throw new Error('boom');
    }
    expect(errorOf(await collectPages(throwing()))).toMatchObject({ code: 'OPERATION_FAILED' });
    async function* garbage(): AsyncIterable<ApiResult<number[]>> {
      yield 'page' as never;
    }
    expect(errorOf(await collectPages(garbage()))).toMatchObject({ code: 'INVALID_RESPONSE' });
  });

  it('gathers every item of every page in order', async () => {
    const fetchPage = serve([
      { items: [1, 2], cursor: 'a' },
      { items: [], cursor: 'b' },
      { items: [3], cursor: null },
    ]);
    const all = await collectPages(
      paginate({
        fetchPage,
        items: (page) => page.items,
        next: cursorPagination({ param: 'cursor', cursor: (page) => page.cursor }),
      }),
    );
    expect(all).toEqual(ok([1, 2, 3]));
  });

  it('returns the first failure instead of the items', async () => {
    const failure = new IntegrationError('SERVER_ERROR', 'Bad gateway', { status: 502 });
    async function* pages(): AsyncIterable<ApiResult<number[]>> {
      yield ok([1]);
      yield err(failure);
      yield err(new IntegrationError('NOT_FOUND', 'never reached'));
    }
    expect(await collectPages(pages())).toEqual(err(failure));
  });

  it('returns an empty list for no pages', async () => {
    async function* none(): AsyncIterable<ApiResult<string[]>> {}
    expect(await collectPages(none())).toEqual(ok([]));
  });
});
