// createResource on core's HttpClient over a recording fetch stub: the v2 request each call makes (path, query,
// body with custom values encoded), the token spent before every request and nothing sent once the budget is
// spent, cursor paging with its bounds, malformed answers as INVALID_RESPONSE, and hostile arguments refused by
// field before any request. The end-to-end flows against a fake server live in client.test.ts.
import { type ApiResult, createHttpClient, err, IntegrationError, ok } from '@patchbay/core';
import { expectErr, expectOk, throwingProxy, withThrowingGetter } from '@patchbay/core/testing';
import { describe, expect, it } from 'vitest';
import type { CustomFields } from './custom-fields.ts';
import { mapPipedriveError } from './pipedrive-errors.ts';
import {
  type PipedrivePerson,
  type PipedrivePersonInput,
  personCreateSchema,
  pipedrivePersonSchema,
} from './records.ts';
import { createResource, type PipedrivePage } from './resource.ts';
import { createPipedriveTokenBudget } from './token-budget.ts';

const BASE = 'https://acme.pipedrive.test';
const EXTERNAL = 'a'.repeat(40);
const TIER = 'b'.repeat(40);

interface Sent {
  client: 'http' | 'search';
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const page = (data: unknown[], nextCursor: string | null = null) =>
  json(200, { success: true, data, additional_data: { next_cursor: nextCursor } });
const one = (data: unknown) => json(200, { success: true, data });

// Custom fields as the resource sees them: `externalId` (text) and `tier` (an enum, Gold = 11, Silver = 12).
function stubFields(): CustomFields & { encoded: string[] } {
  const encoded: string[] = [];
  const tiers: Record<string, number> = { Gold: 11, Silver: 12 };
  return {
    names: ['externalId', 'tier'],
    encoded,
    async decode(raw, operation) {
      const values = (raw ?? {}) as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      if (EXTERNAL in values) out.externalId = values[EXTERNAL];
      if (TIER in values) {
        const label = Object.keys(tiers).find((key) => tiers[key] === values[TIER]);
        if (!label) {
          return err(
            new IntegrationError('INVALID_RESPONSE', `${operation}: custom field tier names no option`, {
              field: 'custom.tier',
            }),
          );
        }
        out.tier = label;
      }
      return ok(out as never);
    },
    async encode(custom, field) {
      encoded.push(field);
      const out: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(custom ?? {})) {
        if (name === 'externalId') out[EXTERNAL] = value;
        else if (name === 'tier' && typeof value === 'string' && value in tiers) out[TIER] = tiers[value];
        else {
          return err(
            new IntegrationError('VALIDATION_ERROR', `${field}.${name} is not valid`, {
              field: `${field}.${name}`,
            }),
          );
        }
      }
      return ok(out);
    },
  };
}

function setup(answer: (sent: Sent) => Response | Promise<Response>, dailyTokens?: number) {
  const events: string[] = [];
  const sent: Sent[] = [];
  const fetchFor =
    (client: Sent['client']): typeof fetch =>
    async (input, init) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      const text = request.method === 'GET' || request.method === 'DELETE' ? '' : await request.text();
      const entry: Sent = {
        client,
        method: request.method,
        path: url.pathname,
        query: url.searchParams,
        body: text ? JSON.parse(text) : undefined,
      };
      sent.push(entry);
      events.push(`send ${request.method} ${url.pathname}`);
      return answer(entry);
    };
  const common = { baseUrl: BASE, retry: false as const, mapError: mapPipedriveError };
  const budget = createPipedriveTokenBudget(dailyTokens === undefined ? {} : { dailyTokens });
  const fields = stubFields();
  const persons = createResource<PipedrivePerson<'externalId' | 'tier'>, PipedrivePersonInput>(
    {
      http: createHttpClient({ ...common, fetch: fetchFor('http') }),
      searchHttp: createHttpClient({ ...common, fetch: fetchFor('search') }),
      spend: (cost, operation) => {
        events.push(`spend ${cost} ${operation}`);
        return budget.spend(cost, operation);
      },
    },
    { path: 'persons', schema: pipedrivePersonSchema, createSchema: personCreateSchema, fields },
  );
  return { persons, sent, events, fields, budget };
}

async function pages<T>(iterable: AsyncIterable<ApiResult<PipedrivePage<T>>>) {
  const out: ApiResult<PipedrivePage<T>>[] = [];
  for await (const result of iterable) out.push(result);
  return out;
}
const first = async <T>(iterable: AsyncIterable<ApiResult<T>>) => {
  for await (const result of iterable) return result;
  throw new Error('no page');
};

const BAD_IDS: [string, unknown][] = [
  ['0', 0],
  ['-1', -1],
  ['1.5', 1.5],
  ['NaN', Number.NaN],
  ['2^53', 2 ** 53],
  ['"07"', '07'],
  ['""', ''],
  ['"1/2"', '1/2'],
  ['"../1"', '../1'],
  ['"1e3"', '1e3'],
  ['10n', 10n],
  ['null', null],
  ['undefined', undefined],
  ['[1]', [1]],
  ['a Proxy whose traps throw', throwingProxy()],
];

describe('get', () => {
  it('spends 1 token, then reads /api/v2/persons/{id}, keeping extra fields and decoding custom by name', async () => {
    const { persons, sent, events } = setup(() =>
      one({ id: 7, name: 'Ada', job_title: 'Analyst', custom_fields: { [EXTERNAL]: 'ext-7', [TIER]: 12 } }),
    );
    const person = expectOk(await persons.get('7'));
    expect(person).toMatchObject({
      id: 7,
      job_title: 'Analyst',
      custom: { externalId: 'ext-7', tier: 'Silver' },
    });
    expect(events).toEqual(['spend 1 persons.get', 'send GET /api/v2/persons/7']);
    expect(sent[0]?.client).toBe('http');
  });

  it('answers custom {} for a record whose custom_fields is null', async () => {
    const { persons } = setup(() => one({ id: 7, custom_fields: null }));
    expect(expectOk(await persons.get(7)).custom).toEqual({});
  });

  it.each(BAD_IDS)('refuses the id %s by field, spending and sending nothing', async (_, id) => {
    const { persons, events } = setup(() => one({ id: 1 }));
    expectErr(await persons.get(id as never), 'VALIDATION_ERROR', 'id');
    expectErr(await persons.update(id as never, { name: 'A' }), 'VALIDATION_ERROR', 'id');
    expectErr(await persons.delete(id as never), 'VALIDATION_ERROR', 'id');
    expect(events).toEqual([]);
  });

  it.each([
    ['a string', 'fast'],
    ['a signal that is not one', { signal: { aborted: false } }],
    ['a Proxy whose traps throw', throwingProxy()],
    ['a throwing signal getter', withThrowingGetter({}, 'signal')],
  ])('refuses options of %s by field before any request', async (_, options) => {
    const { persons, events } = setup(() => one({ id: 1 }));
    expectErr(await persons.get(1, options as never), 'VALIDATION_ERROR', /^options/);
    expect(events).toEqual([]);
  });

  it('sends nothing once the daily budget cannot pay the call', async () => {
    const { persons, sent, budget } = setup(() => one({ id: 1 }), 3);
    expectOk(budget.spend(3, 'elsewhere'));
    const result = await persons.get(1);
    expectErr(result, 'RATE_LIMIT');
    expect(result.success || result.error.retryable).toBe(false);
    expect(sent).toEqual([]);
  });

  it.each([
    ['an id as text', { success: true, data: { id: '7' } }],
    ['no data', { success: true }],
    ['data as a list', { success: true, data: [{ id: 7 }] }],
    ['an e-mail without a value', { success: true, data: { id: 7, emails: [{ label: 'work' }] } }],
  ])('answers a body with %s as INVALID_RESPONSE', async (_, body) => {
    const { persons } = setup(() => json(200, body));
    const result = await persons.get(7);
    expect(result.success || result.error.code).toBe('INVALID_RESPONSE');
  });

  it('answers a custom value the definitions do not know as the decoder’s INVALID_RESPONSE', async () => {
    const { persons } = setup(() => one({ id: 7, custom_fields: { [TIER]: 99 } }));
    expectErr(await persons.get(7), 'INVALID_RESPONSE', 'custom.tier');
  });

  it('passes a Pipedrive 404 through as NOT_FOUND with its message', async () => {
    const { persons } = setup(() => json(404, { success: false, error: 'Person not found', data: null }));
    const result = await persons.get(7);
    expect(result.success || result.error).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('Person not found'),
    });
  });
});

describe('list', () => {
  it('walks next_cursor, spending 10 tokens before each page, and hands the cursor out to resume', async () => {
    const cursors = [null, 'c1', 'c2'];
    const { persons, sent, events } = setup(({ query }) => {
      const at = cursors.indexOf(query.get('cursor'));
      return page([{ id: at * 2 + 1 }, { id: at * 2 + 2 }], cursors[at + 1] ?? null);
    });
    const results = await pages(persons.list());
    expect(results.map((result) => expectOk(result))).toEqual([
      {
        items: [expect.objectContaining({ id: 1, custom: {} }), expect.objectContaining({ id: 2 })],
        nextCursor: 'c1',
      },
      { items: [expect.objectContaining({ id: 3 }), expect.objectContaining({ id: 4 })], nextCursor: 'c2' },
      { items: [expect.objectContaining({ id: 5 }), expect.objectContaining({ id: 6 })] },
    ]);
    expect(events).toEqual([
      'spend 10 persons.list',
      'send GET /api/v2/persons',
      'spend 10 persons.list',
      'send GET /api/v2/persons',
      'spend 10 persons.list',
      'send GET /api/v2/persons',
    ]);
    expect(sent.map((request) => request.query.get('cursor'))).toEqual([null, 'c1', 'c2']);
    expect(sent.every((request) => request.query.get('limit') === '100')).toBe(true);
  });

  it('sends the filters as Pipedrive names them: ids comma-joined, updated_since/until, sort, limit, cursor', async () => {
    const { persons, sent } = setup(() => page([]));
    const controller = new AbortController();
    const results = await pages(
      persons.list({
        limit: 50,
        cursor: 'saved',
        updated_since: '2026-03-01T10:00:00Z',
        updated_until: '2026-03-02T10:00:00+02:00',
        sort_by: 'update_time',
        sort_direction: 'desc',
        ids: [3, 1, 2],
        maxPages: 5,
        signal: controller.signal,
      }),
    );
    expect(results).toEqual([{ success: true, data: { items: [] } }]);
    expect(Object.fromEntries(sent[0]!.query)).toEqual({
      limit: '50',
      cursor: 'saved',
      updated_since: '2026-03-01T10:00:00Z',
      updated_until: '2026-03-02T10:00:00+02:00',
      sort_by: 'update_time',
      sort_direction: 'desc',
      ids: '3,1,2',
    });
  });

  it('stops at maxPages with OPERATION_FAILED (field maxPages) while the API offers more, after the pages read', async () => {
    let n = 0;
    const { persons, sent } = setup(() => page([{ id: ++n }], `c${n}`));
    const results = await pages(persons.list({ maxPages: 2 }));
    expect(results.map((result) => result.success)).toEqual([true, true, false]);
    expectErr(results[2], 'OPERATION_FAILED', 'maxPages');
    expect(sent).toHaveLength(2);
  });

  it('ends with INVALID_RESPONSE when the API hands the same cursor back (no endless loop)', async () => {
    const { persons, sent } = setup(() => page([{ id: 1 }], 'same'));
    const results = await pages(persons.list());
    expect(results.map((result) => result.success || result.error.code)).toEqual([
      true,
      true,
      'INVALID_RESPONSE',
    ]);
    expect(sent.map((request) => request.query.get('cursor'))).toEqual([null, 'same']);
  });

  it('stops with a final RATE_LIMIT when the budget runs out mid-walk: the page it cannot pay is not fetched', async () => {
    let n = 0;
    const { persons, sent } = setup(() => page([{ id: ++n }], `c${n}`), 25);
    const results = await pages(persons.list());
    expect(results.map((result) => (result.success ? 'page' : result.error.code))).toEqual([
      'page',
      'page',
      'RATE_LIMIT',
    ]);
    expect(sent).toHaveLength(2);
  });

  it('reads additional_data null or missing as the last page', async () => {
    for (const body of [
      { success: true, data: [{ id: 1 }], additional_data: null },
      { success: true, data: [{ id: 1 }] },
      { success: true, data: [{ id: 1 }], additional_data: { next_cursor: null, extra: 1 } },
    ]) {
      const { persons, sent } = setup(() => json(200, body));
      const results = await pages(persons.list());
      expect(results).toEqual([{ success: true, data: { items: [expect.objectContaining({ id: 1 })] } }]);
      expect(sent).toHaveLength(1);
    }
  });

  it.each([
    ['data null', { success: true, data: null }],
    ['a record without an id', { success: true, data: [{ id: 1 }, { name: 'no id' }] }],
    ['next_cursor as a number', { success: true, data: [], additional_data: { next_cursor: 5 } }],
  ])('answers a page with %s as INVALID_RESPONSE and stops', async (_, body) => {
    const { persons, sent } = setup(() => json(200, body));
    const results = await pages(persons.list());
    expect(results).toHaveLength(1);
    expect(results[0]?.success || results[0]?.error.code).toBe('INVALID_RESPONSE');
    expect(sent).toHaveLength(1);
  });

  it('stops at a record whose custom value cannot be decoded, without fetching the next page', async () => {
    const { persons, sent } = setup(() => page([{ id: 1 }, { id: 2, custom_fields: { [TIER]: 99 } }], 'c1'));
    const results = await pages(persons.list());
    expect(results).toHaveLength(1);
    expectErr(results[0], 'INVALID_RESPONSE', 'custom.tier');
    expect(sent).toHaveLength(1);
  });

  it.each([
    ['limit 0', { limit: 0 }, 'options.limit'],
    ['limit 501', { limit: 501 }, 'options.limit'],
    ['limit 1.5', { limit: 1.5 }, 'options.limit'],
    ['an empty cursor', { cursor: '' }, 'options.cursor'],
    ['updated_since as a date only', { updated_since: '2026-03-01' }, 'options.updated_since'],
    ['updated_until without an offset', { updated_until: '2026-03-01T10:00:00' }, 'options.updated_until'],
    ['sort_by name', { sort_by: 'name' }, 'options.sort_by'],
    ['sort_direction up', { sort_direction: 'up' }, 'options.sort_direction'],
    ['no ids', { ids: [] }, 'options.ids'],
    ['101 ids', { ids: Array.from({ length: 101 }, (_, i) => i + 1) }, 'options.ids'],
    ['an id of 0', { ids: [1, 0] }, 'options.ids.1'],
    ['ids as text', { ids: ['1'] }, 'options.ids.0'],
    ['ids as one string', { ids: '1,2' }, 'options.ids'],
    ['maxPages 0', { maxPages: 0 }, 'options.maxPages'],
    ['a signal that is not one', { signal: 'stop' }, 'options.signal'],
    ['a throwing ids getter', withThrowingGetter({ limit: 10 }, 'ids'), /^options/],
    ['a Proxy whose traps throw', throwingProxy(), 'options'],
    ['a number', 5, 'options'],
  ])('refuses %s by field in one result, before any request', async (_, options, field) => {
    const { persons, events } = setup(() => page([]));
    const results = await pages(persons.list(options as never));
    expect(results).toHaveLength(1);
    expectErr(results[0], 'VALIDATION_ERROR', field);
    expect(events).toEqual([]);
  });

  it('yields ABORTED without spending or sending when the signal is already aborted', async () => {
    const { persons, events } = setup(() => page([]));
    const results = await pages(persons.list({ signal: AbortSignal.abort() }));
    expect(results.map((result) => result.success || result.error.code)).toEqual(['ABORTED']);
    expect(events).toEqual([]);
  });
});

describe('search', () => {
  it('searches on the search client, 20 tokens a page, over next_cursor, with fields and exact_match', async () => {
    const { persons, sent, events } = setup(({ query }) =>
      json(200, {
        success: true,
        data: {
          items: [
            { result_score: 0.9, item: { id: 1, type: 'person', name: 'Grace' } },
            { item: { id: 2, type: 'person', name: 'Grace H.' } },
          ],
        },
        additional_data: { next_cursor: query.get('cursor') ? null : 'n1' },
      }),
    );
    const results = await pages(
      persons.search('grace', { fields: ['name', 'custom_fields'], exact_match: true, limit: 2 }),
    );
    expect(results.map((result) => expectOk(result))).toEqual([
      {
        items: [
          { score: 0.9, item: { id: 1, type: 'person', name: 'Grace' } },
          { score: 0, item: { id: 2, type: 'person', name: 'Grace H.' } },
        ],
        nextCursor: 'n1',
      },
      { items: expect.any(Array) },
    ]);
    expect(sent.map((request) => [request.client, request.path])).toEqual([
      ['search', '/api/v2/persons/search'],
      ['search', '/api/v2/persons/search'],
    ]);
    expect(Object.fromEntries(sent[0]!.query)).toEqual({
      term: 'grace',
      limit: '2',
      fields: 'name,custom_fields',
      exact_match: 'true',
    });
    expect(sent[1]?.query.get('cursor')).toBe('n1');
    expect(events.filter((event) => event.startsWith('spend'))).toEqual([
      'spend 20 persons.search',
      'spend 20 persons.search',
    ]);
  });

  it('sends exact_match false as text, and leaves fields out when not given', async () => {
    const { persons, sent } = setup(() => json(200, { success: true, data: { items: [] } }));
    await pages(persons.search('ab', { exact_match: false }));
    expect(Object.fromEntries(sent[0]!.query)).toEqual({ term: 'ab', limit: '100', exact_match: 'false' });
  });

  it.each([
    ['an empty term', ''],
    ['blanks', '   '],
    ['501 characters', 'x'.repeat(501)],
    ['a number', 42],
    ['a Proxy whose traps throw', throwingProxy()],
  ])('refuses %s as term (field term) before any request', async (_, term) => {
    const { persons, events } = setup(() => json(200, { success: true, data: { items: [] } }));
    expectErr(await first(persons.search(term as never)), 'VALIDATION_ERROR', 'term');
    expect(events).toEqual([]);
  });

  it.each([
    ['a field with capitals', { fields: ['Name'] }, 'options.fields.0'],
    ['a field with a dash', { fields: ['custom-fields'] }, 'options.fields.0'],
    ['21 fields', { fields: Array.from({ length: 21 }, () => 'name') }, 'options.fields'],
    ['exact_match as text', { exact_match: 'yes' }, 'options.exact_match'],
    ['limit 501', { limit: 501 }, 'options.limit'],
  ])('refuses options with %s by field', async (_, options, field) => {
    const { persons, events } = setup(() => json(200, { success: true, data: { items: [] } }));
    expectErr(await first(persons.search('ada', options as never)), 'VALIDATION_ERROR', field);
    expect(events).toEqual([]);
  });

  it('answers a search body without data.items, or an item that is no object, as INVALID_RESPONSE', async () => {
    for (const body of [
      { success: true, data: [] },
      { success: true, data: { items: [{ result_score: 1, item: 'ada' }] } },
      { success: true, data: { items: [{ result_score: 'high', item: {} }] } },
    ]) {
      const { persons, sent } = setup(() => json(200, body));
      const results = await pages(persons.search('ada'));
      expect(results.map((result) => result.success || result.error.code)).toEqual(['INVALID_RESPONSE']);
      expect(sent).toHaveLength(1);
    }
  });

  it('sends nothing when the budget cannot pay a search page', async () => {
    const { persons, sent } = setup(() => json(200, { success: true, data: { items: [] } }), 19);
    expect((await first(persons.search('ada'))).success || 'RATE_LIMIT').toBe('RATE_LIMIT');
    expect(sent).toEqual([]);
  });
});

describe('create', () => {
  it('encodes custom into custom_fields, spends 5 tokens, then POSTs, reading the record back by name', async () => {
    const { persons, sent, events, fields } = setup(({ body }) =>
      one({ id: 3, ...(body as object), update_time: null }),
    );
    const created = expectOk(
      await persons.create({
        name: 'Ada',
        emails: [{ value: 'ada@example.com' }],
        custom: { externalId: 'x-1', tier: 'Gold' },
      }),
    );
    expect(sent[0]).toMatchObject({ method: 'POST', path: '/api/v2/persons' });
    expect(sent[0]?.body).toEqual({
      name: 'Ada',
      emails: [{ value: 'ada@example.com' }],
      custom_fields: { [EXTERNAL]: 'x-1', [TIER]: 11 },
    });
    expect(created.custom).toEqual({ externalId: 'x-1', tier: 'Gold' });
    expect(fields.encoded).toEqual(['input.custom']);
    expect(events).toEqual(['spend 5 persons.create', 'send POST /api/v2/persons']);
  });

  it('sends no custom_fields key when there is nothing custom to send', async () => {
    const { persons, sent } = setup(({ body }) => one({ id: 3, ...(body as object) }));
    expectOk(await persons.create({ name: 'Ada', custom: {} }));
    expectOk(await persons.create({ name: 'Bob' }));
    expect(sent.map((request) => request.body)).toEqual([{ name: 'Ada' }, { name: 'Bob' }]);
  });

  it('refuses a custom value the encoder refuses, by its field, spending and sending nothing', async () => {
    const { persons, events } = setup(() => one({ id: 3 }));
    expectErr(
      await persons.create({ name: 'Ada', custom: { tier: 'Platinum' } }),
      'VALIDATION_ERROR',
      'input.custom.tier',
    );
    expect(events).toEqual([]);
  });

  it.each([
    ['no name', {}, 'input.name'],
    ['a name of a number', { name: 5 }, 'input.name'],
    ['an owner_id of -1', { name: 'A', owner_id: -1 }, 'input.owner_id'],
    ['a throwing getter', withThrowingGetter({ name: 'Ada' }, 'owner_id'), /owner_id/],
    ['a Proxy whose traps throw', throwingProxy(), /^input/],
    [
      'a cyclic object',
      (() => {
        const o: Record<string, unknown> = { name: 'A' };
        o.self = o;
        return o;
      })(),
      /^input/,
    ],
    ['null', null, /^input/],
  ])('refuses input with %s by field before any request', async (_, input, field) => {
    const { persons, events } = setup(() => one({ id: 3 }));
    expectErr(await persons.create(input as never), 'VALIDATION_ERROR', field);
    expect(events).toEqual([]);
  });

  it('sends nothing when the budget cannot pay a create', async () => {
    const { persons, sent } = setup(() => one({ id: 3 }), 4);
    expect((await persons.create({ name: 'Ada' })).success || 'spent').toBe('spent');
    expect(sent).toEqual([]);
  });

  it('answers a created record without an id as INVALID_RESPONSE (no throw)', async () => {
    const { persons } = setup(() => one({ name: 'Ada' }));
    const result = await persons.create({ name: 'Ada' });
    expect(result.success || result.error.code).toBe('INVALID_RESPONSE');
  });
});

describe('update', () => {
  it('PATCHes only the fields given, custom encoded, after spending 5 tokens', async () => {
    const { persons, sent, events } = setup(({ body }) => one({ id: 9, name: 'Ada', ...(body as object) }));
    const updated = expectOk(await persons.update(9, { custom: { tier: 'Silver' } }));
    expect(sent[0]).toMatchObject({
      method: 'PATCH',
      path: '/api/v2/persons/9',
      body: { custom_fields: { [TIER]: 12 } },
    });
    expect(updated.custom).toEqual({ tier: 'Silver' });
    expect(events).toEqual(['spend 5 persons.update', 'send PATCH /api/v2/persons/9']);
  });

  it('validates a partial input by field: a present name must still not be empty', async () => {
    const { persons, events } = setup(() => one({ id: 9 }));
    expectErr(await persons.update(9, { name: '' }), 'VALIDATION_ERROR', 'input.name');
    expectErr(await persons.update(9, { org_id: 0 }), 'VALIDATION_ERROR', 'input.org_id');
    expect(events).toEqual([]);
  });

  it('is retried like a read after a 503, spending its tokens once', async () => {
    let calls = 0;
    const events: string[] = [];
    const fetchStub: typeof fetch = async () =>
      ++calls === 1 ? json(503, { success: false, error: 'Unavailable' }) : one({ id: 9, name: 'Ada' });
    const http = createHttpClient({
      baseUrl: BASE,
      fetch: fetchStub,
      retry: { retries: 1, initialDelayMs: 1, maxDelayMs: 1 },
    });
    const persons = createResource(
      {
        http,
        searchHttp: http,
        spend: (cost, op) => {
          events.push(`${cost} ${op}`);
          return ok(undefined);
        },
      },
      {
        path: 'persons',
        schema: pipedrivePersonSchema,
        createSchema: personCreateSchema,
        fields: stubFields(),
      },
    );
    expect((await persons.update(9, { name: 'Ada' })).success).toBe(true);
    expect(calls).toBe(2);
    expect(events).toEqual(['5 persons.update']);
  });
});

describe('delete', () => {
  it('spends 3 tokens, DELETEs and answers the id Pipedrive gives back', async () => {
    const { persons, events } = setup(() => one({ id: 9 }));
    expect(await persons.delete('9')).toEqual({ success: true, data: { id: 9 } });
    expect(events).toEqual(['spend 3 persons.delete', 'send DELETE /api/v2/persons/9']);
  });

  it('answers a delete body without a numeric id as INVALID_RESPONSE', async () => {
    for (const body of [
      { success: true, data: { id: '9' } },
      { success: true, data: null },
      { success: true },
    ]) {
      const { persons } = setup(() => json(200, body));
      const result = await persons.delete(9);
      expect(result.success || result.error.code).toBe('INVALID_RESPONSE');
    }
  });

  it('refuses bad options before any request', async () => {
    const { persons, events } = setup(() => one({ id: 9 }));
    expectErr(await persons.delete(9, throwingProxy()), 'VALIDATION_ERROR', 'options');
    expect(events).toEqual([]);
  });
});

describe('a CustomFields that throws', () => {
  it('comes back as a typed failure, never a rejection', async () => {
    const { persons } = setup(() => one({ id: 1 }));
    const throwing = createResource(
      {
        http: createHttpClient({ baseUrl: BASE, fetch: async () => one({ id: 1 }), retry: false }),
        searchHttp: createHttpClient({ baseUrl: BASE, fetch: async () => one({ id: 1 }), retry: false }),
        spend: () => ok(undefined),
      },
      {
        path: 'persons',
        schema: pipedrivePersonSchema,
        createSchema: personCreateSchema,
        fields: {
          names: [],
          decode: () => Promise.reject(new Error('boom')),
          encode: () => Promise.reject(new Error('boom')),
        },
      },
    );
    expect((await persons.get(1)).success).toBe(true);
    const read = await throwing.get(1);
    expect(read.success || read.error.code).toBe('OPERATION_FAILED');
    const written = await throwing.create({ name: 'A' } as never);
    expect(written.success || written.error.code).toBe('OPERATION_FAILED');
  });
});
