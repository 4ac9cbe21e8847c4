// createResource and createSyncRead on a small entity set of their own, against a hand-made fetch: the walk over
// `__next` (same origin only), bulk's `$select`, get by a GUID key, sync checkpoints as text, and the refusals made
// before any request. client.test.ts covers the accounts set end to end; this covers what a definition changes.
import { type ApiResult, ok } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { STUB_BASE, stubbedExactClient } from '../test-support/emulated-client.ts';
import type { ExactClient } from './client.ts';
import { exactGuid, exactInt64 } from './odata.ts';
import { createResource, createSyncRead, type ExactContext, queryOf } from './resource.ts';

const thing = z.looseObject({
  ID: exactGuid,
  InvoiceID: z.optional(exactGuid),
  Name: z.optional(z.nullable(z.string())),
  Timestamp: z.optional(exactInt64),
});
const definition = {
  path: 'crm/Things',
  schema: thing,
  fields: ['ID', 'Name'],
  syncPath: 'sync/CRM/Things',
};
const guidOf = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** A client whose fetch answers with `answer`, every request kept. */
function stub(answer: (url: URL) => Response | Promise<Response>) {
  const urls: URL[] = [];
  const client = stubbedExactClient(async (input, init) => {
    const url = new URL(new Request(input, init).url);
    urls.push(url);
    return answer(url);
  });
  return { client, urls };
}

/** The context of `client`, with a division read that counts its calls. */
function contextOf(client: ExactClient, division: () => Promise<ApiResult<number>> = async () => ok(7)) {
  const calls = { division: 0 };
  const context: ExactContext = {
    baseUrl: client.baseUrl,
    division: () => {
      calls.division++;
      return division();
    },
    http: (number) => client.http(number),
    budget: client.errorBudget,
  };
  return { context, calls };
}

const page = (results: unknown[], next?: string) =>
  Response.json({ d: { results, ...(next === undefined ? {} : { __next: next }) } });

async function pagesOf<T>(pages: AsyncIterable<ApiResult<T>>) {
  const out: ApiResult<T>[] = [];
  for await (const one of pages) out.push(one);
  return out;
}

describe('createResource: list', () => {
  it('follows __next on the same origin, page by page, with the __metadata dropped', async () => {
    const second = `${STUB_BASE}/api/v1/7/crm/Things?$skiptoken=guid'${guidOf(1)}'`;
    const third = `/api/v1/7/crm/Things?$skiptoken=guid'${guidOf(2)}'`;
    const { client, urls } = stub((url) => {
      const skip = url.searchParams.get('$skiptoken');
      if (skip === null) return page([{ __metadata: { uri: 'x' }, ID: guidOf(1).toUpperCase() }], second);
      if (skip.includes(guidOf(1))) return page([{ ID: guidOf(2), Name: 'two' }], third);
      return page([{ ID: guidOf(3), Name: null }]);
    });
    const pages = await pagesOf(createResource(contextOf(client).context, definition).list());
    expect(pages).toEqual([
      { success: true, data: [{ ID: guidOf(1) }] },
      { success: true, data: [{ ID: guidOf(2), Name: 'two' }] },
      { success: true, data: [{ ID: guidOf(3), Name: null }] },
    ]);
    expect(urls.map((url) => `${url.origin}${url.pathname}`)).toEqual(
      Array(3).fill(`${STUB_BASE}/api/v1/7/crm/Things`),
    );
    expect(urls[0]?.searchParams.get('$select')).toBe('ID,Name');
    // A followed link is sent as Exact wrote it: the first page's query is not added again.
    expect(urls[1]?.href).toBe(new URL(second).href);
    expect(urls[1]?.searchParams.get('$select')).toBeNull();
  });

  it('ends with INVALID_RESPONSE, after the pages read, on a __next to another origin', async () => {
    for (const foreign of [
      "https://evil.test/api/v1/7/crm/Things?$skiptoken=guid'x'",
      "//evil.test/api/v1/7/crm/Things?$skiptoken=guid'x'",
      "http://start.exactonline.test/api/v1/7/crm/Things?$skiptoken=guid'x'",
      "https://start.exactonline.test:8443/api/v1/7/crm/Things?$skiptoken=guid'x'",
    ]) {
      const { client, urls } = stub(() => page([{ ID: guidOf(1) }], foreign));
      const pages = await pagesOf(createResource(contextOf(client).context, definition).list());
      expect(pages).toEqual([
        { success: true, data: [{ ID: guidOf(1) }] },
        { success: false, error: expect.objectContaining({ code: 'INVALID_RESPONSE' }) },
      ]);
      expect(urls).toHaveLength(1);
    }
  });

  it('yields a failure of the division read as its only page, and sends nothing', async () => {
    const { client, urls } = stub(() => page([]));
    const refused = new Error('no division');
    const { context } = contextOf(client, async () => ({
      success: false,
      error: Object.assign(refused, { code: 'AUTH_ERROR' }) as never,
    }));
    const pages = await pagesOf(createResource(context, definition).list());
    expect(pages).toEqual([{ success: false, error: refused }]);
    expect(urls).toEqual([]);
  });

  it('stops at a failed page: the failure is the last page yielded', async () => {
    let calls = 0;
    const { client } = stub(() =>
      ++calls === 1
        ? page([{ ID: guidOf(1) }], `${STUB_BASE}/api/v1/7/crm/Things?$skiptoken=x`)
        : Response.json({ error: { code: '', message: { lang: '', value: 'Boom' } } }, { status: 500 }),
    );
    const pages = await pagesOf(createResource(contextOf(client).context, definition).list());
    expect(pages.map((one) => one.success)).toEqual([true, false]);
    expect(calls).toBe(2);
  });
});

describe('createResource: bulk', () => {
  it('always sends $select (the default fields when none is given), on the bulk path or else the list path', async () => {
    const { client, urls } = stub(() => page([]));
    const { context } = contextOf(client);
    await pagesOf(createResource(context, { ...definition, bulkPath: 'bulk/CRM/Things' }).bulk());
    await pagesOf(createResource(context, definition).bulk({ select: ['Name'] }));
    expect(urls.map((url) => [url.pathname, url.searchParams.get('$select')])).toEqual([
      ['/api/v1/7/bulk/CRM/Things', 'ID,Name'],
      ['/api/v1/7/crm/Things', 'Name'],
    ]);
  });

  it('refuses a select it cannot send (`*`, expressions, too many) before any request', async () => {
    const { client, urls } = stub(() => page([]));
    const { context, calls } = contextOf(client);
    const things = createResource(context, { ...definition, bulkPath: 'bulk/CRM/Things' });
    for (const select of [['*'], ['ID', 'Name eq 1'], ['ID,Name'], Array(201).fill('ID')]) {
      const pages = await pagesOf(things.bulk({ select }));
      expect(pages).toEqual([
        {
          success: false,
          error: expect.objectContaining({ code: 'VALIDATION_ERROR', field: 'options.select' }),
        },
      ]);
    }
    expect(urls).toEqual([]);
    expect(calls.division).toBe(0);
  });
});

describe('createResource: get', () => {
  it('looks the record up by its key (lower-cased, one at most), with the select given', async () => {
    const id = guidOf(9);
    const { client, urls } = stub(() => page([{ ID: guidOf(1), InvoiceID: id.toUpperCase() }]));
    const invoices = createResource(contextOf(client).context, { ...definition, key: 'InvoiceID' });
    expect(await invoices.get(id.toUpperCase(), { select: ['InvoiceID'] })).toEqual({
      success: true,
      data: { ID: guidOf(1), InvoiceID: id },
    });
    expect(Object.fromEntries(urls[0]?.searchParams ?? [])).toEqual({
      $select: 'InvoiceID',
      $filter: `InvoiceID eq guid'${id}'`,
      $top: '1',
    });
  });

  it('refuses what is not a GUID with VALIDATION_ERROR (field id) before the division is even read', async () => {
    const { client, urls } = stub(() => page([]));
    const { context, calls } = contextOf(client);
    const things = createResource(context, definition);
    for (const id of [
      '',
      guidOf(1).slice(1),
      `{${guidOf(1)}}`,
      `guid'${guidOf(1)}'`,
      `${guidOf(1)}') or (1 eq 1`,
      42,
      null,
      undefined,
    ]) {
      expect(await things.get(id as string)).toMatchObject({
        success: false,
        error: { code: 'VALIDATION_ERROR', field: 'id' },
      });
    }
    expect(await things.get(guidOf(1), { select: ['*'] })).toMatchObject({
      success: false,
      error: { code: 'VALIDATION_ERROR', field: 'options.select' },
    });
    expect(urls).toEqual([]);
    expect(calls.division).toBe(0);
  });

  it('answers NOT_FOUND (field id, the id not quoted) for an empty page, and passes on a failed read', async () => {
    const id = guidOf(5);
    let status = 200;
    const { client } = stub(() =>
      status === 200 ? page([]) : Response.json({ error: { message: { value: 'Gone' } } }, { status }),
    );
    const things = createResource(contextOf(client).context, definition);
    const missing = await things.get(id);
    expect(missing).toMatchObject({ success: false, error: { code: 'NOT_FOUND', field: 'id' } });
    expect(JSON.stringify(missing)).not.toContain(id);
    status = 401;
    expect(await things.get(id)).toMatchObject({ success: false, error: { code: 'AUTH_ERROR' } });
  });

  it('answers, never rejects, when the division read throws', async () => {
    const { client } = stub(() => page([]));
    const { context } = contextOf(client, () => Promise.reject(new Error('store down')));
    expect(await createResource(context, definition).get(guidOf(1))).toMatchObject({
      success: false,
      error: { code: 'OPERATION_FAILED' },
    });
  });
});

describe('createSyncRead', () => {
  it('reads from row version 1 by default, adds Timestamp to the select once, and normalises since', async () => {
    const { client, urls } = stub(() => page([]));
    const things = createSyncRead(contextOf(client).context, definition);
    await pagesOf(things.sync());
    await pagesOf(things.sync({ since: '0042', select: ['Timestamp', 'Name'] }));
    await pagesOf(things.sync({ since: 0n }));
    expect(
      urls.map((url) => [url.pathname, url.searchParams.get('$select'), url.searchParams.get('$filter')]),
    ).toEqual([
      ['/api/v1/7/sync/CRM/Things', 'ID,Name,Timestamp', 'Timestamp gt 1L'],
      ['/api/v1/7/sync/CRM/Things', 'Timestamp,Name', 'Timestamp gt 42L'],
      ['/api/v1/7/sync/CRM/Things', 'ID,Name,Timestamp', 'Timestamp gt 0L'],
    ]);
  });

  it('carries the highest timestamp as text over the pages, never moving it back', async () => {
    const bodies = [
      page(
        [
          { ID: guidOf(1), Timestamp: '9007199254740995' },
          { ID: guidOf(2), Timestamp: 9007199254740991 },
        ],
        `${STUB_BASE}/api/v1/7/sync/CRM/Things?$skiptoken=a`,
      ),
      page(
        [
          { ID: guidOf(3), Timestamp: '12' },
          { ID: guidOf(4), Timestamp: null },
        ],
        `${STUB_BASE}/next`,
      ),
      page([]),
    ];
    const { client } = stub(() => bodies.shift() ?? page([]));
    const pages = await pagesOf(
      createSyncRead(contextOf(client).context, definition).sync({ since: '9007199254740993' }),
    );
    expect(pages.map((one) => (one.success ? one.data.timestamp : one.error.code))).toEqual([
      '9007199254740995',
      '9007199254740995',
      '9007199254740995',
    ]);
    expect(pages[0]).toMatchObject({
      success: true,
      data: { items: [{ Timestamp: '9007199254740995' }, {}] },
    });
  });

  it('ends at a failed page, and refuses bad options before any request', async () => {
    let calls = 0;
    const { client, urls } = stub(() =>
      ++calls === 1
        ? page([{ ID: guidOf(1), Timestamp: '5' }], `${STUB_BASE}/api/v1/7/sync/CRM/Things?$skiptoken=b`)
        : page([{ ID: 'not a guid', Timestamp: '6' }]),
    );
    const { context, calls: divisionCalls } = contextOf(client);
    const things = createSyncRead(context, definition);
    const pages = await pagesOf(things.sync());
    expect(pages).toEqual([
      { success: true, data: { items: [{ ID: guidOf(1), Timestamp: '5' }], timestamp: '5' } },
      { success: false, error: expect.objectContaining({ code: 'INVALID_RESPONSE' }) },
    ]);
    urls.length = 0;
    divisionCalls.division = 0;
    for (const [options, field] of [
      [{ since: 5 }, 'options.since'],
      [{ since: '1e3' }, 'options.since'],
      [{ since: 2n ** 63n }, 'options.since'],
      [{ since: '-1' }, 'options.since'],
      [{ since: -5n }, 'options.since'],
      [{ select: ['Timestamp desc'] }, 'options.select'],
      [{ signal: {} }, 'options.signal'],
      ['1', 'options'],
    ] as const) {
      expect(await pagesOf(things.sync(options as never))).toEqual([
        { success: false, error: expect.objectContaining({ code: 'VALIDATION_ERROR', field }) },
      ]);
    }
    expect(urls).toEqual([]);
    expect(divisionCalls.division).toBe(0);
  });
});

describe('queryOf', () => {
  it('renders orderBy and top, and takes the fields as the default select', () => {
    expect(queryOf({ orderBy: { field: 'Name' }, top: 100_000 }, ['ID'])).toEqual({
      success: true,
      data: { params: { $select: 'ID', $orderby: 'Name', $top: 100_000 }, signal: undefined },
    });
    expect(queryOf(undefined, ['ID'], { top: 1 })).toMatchObject({ data: { params: { $top: 1 } } });
  });

  it("continues after a key as Exact's skiptoken, where the read allows it", () => {
    const key = '0A6F0D4C-0000-4000-8000-000000000001';
    expect(queryOf({ after: key }, ['ID'], { after: true })).toMatchObject({
      data: { params: { $skiptoken: `guid'${key.toLowerCase()}'` } },
    });
    for (const [options, extra] of [
      [{ after: 'not-a-guid' }, { after: true }],
      [{ after: 42 }, { after: true }],
      [{ after: key, orderBy: { field: 'Name' } }, { after: true }],
    ] as const) {
      expect(queryOf(options, ['ID'], extra)).toMatchObject({
        success: false,
        error: { code: 'VALIDATION_ERROR', field: 'options.after' },
      });
    }
    // Not a key-ordered GUID read (the division list): the option is not read at all.
    expect(queryOf({ after: key }, ['ID'])).toEqual({
      success: true,
      data: { params: { $select: 'ID' }, signal: undefined },
    });
  });

  it('names the option that cannot be read or is out of range', () => {
    const throwing = new Proxy(['ID'], {
      get(target, key) {
        if (key === '0') throw new Error('trap');
        return Reflect.get(target, key);
      },
    });
    const orderBy = Object.defineProperty({}, 'field', {
      enumerable: true,
      get() {
        throw new Error('trap');
      },
    });
    for (const [options, field] of [
      [{ top: 100_001 }, 'options.top'],
      [{ top: 1.5 }, 'options.top'],
      [{ select: throwing }, 'options.select'],
      [{ orderBy }, 'options.orderBy'],
      [{ orderBy: null }, 'options.orderBy'],
    ] as const) {
      expect(queryOf(options, ['ID'])).toMatchObject({
        success: false,
        error: { code: 'VALIDATION_ERROR', field },
      });
    }
  });
});
