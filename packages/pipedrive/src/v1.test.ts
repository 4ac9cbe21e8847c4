// createV1Resource (notes and leads, which API v2 lacks) on core's HttpClient over a recording fetch stub:
// `start`/`limit` paging over additional_data.pagination, the token cost spent before every request and nothing
// sent once the budget is spent, the v1 paths and verbs (notes PUT, leads PATCH, UUID ids), malformed answers as
// INVALID_RESPONSE, and hostile arguments refused by field before any request.
import { type ApiResult, createHttpClient } from '@patchbay/core';
import { expectErr, expectOk, throwingProxy, withThrowingGetter } from '@patchbay/core/testing';
import { describe, expect, it } from 'vitest';
import { mapPipedriveError } from './pipedrive-errors.ts';
import type { PipedrivePage } from './resource.ts';
import { createPipedriveTokenBudget } from './token-budget.ts';
import {
  createV1Resource,
  type PipedriveLead,
  type PipedriveLeadInput,
  type PipedriveNote,
  type PipedriveNoteInput,
  pipedriveLeadSchema,
  pipedriveNoteSchema,
} from './v1.ts';

const BASE = 'https://acme.pipedrive.test';
const LEAD = '5d2f1c0e-1111-4a2b-9c3d-0123456789ab';

interface Sent {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const one = (data: unknown) => json(200, { success: true, data });
// A v1 list page as Pipedrive answers it.
const v1Page = (data: unknown[] | null, pagination?: Record<string, unknown>) =>
  json(200, {
    success: true,
    data,
    additional_data: pagination === undefined ? undefined : { pagination },
    related_objects: {},
  });

function setup(answer: (sent: Sent) => Response | Promise<Response>, dailyTokens?: number) {
  const events: string[] = [];
  const sent: Sent[] = [];
  const fetchStub: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const text = request.method === 'GET' || request.method === 'DELETE' ? '' : await request.text();
    const entry = {
      method: request.method,
      path: url.pathname,
      query: url.searchParams,
      body: text ? JSON.parse(text) : undefined,
    };
    sent.push(entry);
    events.push(`send ${request.method} ${url.pathname}`);
    return answer(entry);
  };
  const http = createHttpClient({
    baseUrl: BASE,
    fetch: fetchStub,
    retry: false,
    mapError: mapPipedriveError,
  });
  const budget = createPipedriveTokenBudget(dailyTokens === undefined ? {} : { dailyTokens });
  const spend = (cost: number, operation: string) => {
    events.push(`spend ${cost} ${operation}`);
    return budget.spend(cost, operation);
  };
  return {
    notes: createV1Resource<PipedriveNote, PipedriveNoteInput, number>(http, spend, 'notes'),
    leads: createV1Resource<PipedriveLead, PipedriveLeadInput, string>(http, spend, 'leads'),
    sent,
    events,
  };
}

async function pages<T>(iterable: AsyncIterable<ApiResult<PipedrivePage<T>>>) {
  const out: ApiResult<PipedrivePage<T>>[] = [];
  for await (const result of iterable) out.push(result);
  return out;
}

describe('v1 schemas', () => {
  it('accept a v1 note and lead with nulls and extra fields (v1 answers nested objects beside the ids)', () => {
    const note = {
      id: 1,
      content: '<p>Called</p>',
      person_id: 12,
      org_id: null,
      deal_id: null,
      lead_id: null,
      user_id: 3,
      pinned_to_deal_flag: false,
      add_time: '2026-03-01 10:00:00',
      update_time: '2026-03-01 10:00:00',
      active_flag: true,
      person: { name: 'Ada' },
      organization: null,
    };
    expect(pipedriveNoteSchema.safeParse(note).data).toMatchObject({
      active_flag: true,
      person: { name: 'Ada' },
    });
    const lead = {
      id: LEAD,
      title: 'Lead',
      owner_id: 3,
      person_id: null,
      organization_id: 5,
      value: null,
      expected_close_date: null,
      is_archived: false,
      label_ids: [],
      source_name: 'API',
      was_seen: false,
      add_time: '2026-03-01T10:00:00.000Z',
      update_time: '2026-03-01T10:00:00.000Z',
    };
    expect(pipedriveLeadSchema.safeParse(lead).success).toBe(true);
    expect(pipedriveLeadSchema.safeParse({ ...lead, value: { amount: 100, currency: 'EUR' } }).success).toBe(
      true,
    );
  });

  it('refuse a numeric lead id, a note id as text, and a lead value without its currency', () => {
    expect(pipedriveLeadSchema.safeParse({ id: 5 }).success).toBe(false);
    expect(pipedriveNoteSchema.safeParse({ id: '1' }).success).toBe(false);
    expect(pipedriveLeadSchema.safeParse({ id: LEAD, value: { amount: 100 } }).success).toBe(false);
  });
});

describe('list (start/limit)', () => {
  it('starts at 0 with limit 100, follows next_start while more_items_in_collection, spending 20 a page', async () => {
    const { notes, sent, events } = setup(({ query }) => {
      const start = Number(query.get('start'));
      const more = start < 200;
      return v1Page([{ id: start + 1 }], {
        start,
        limit: 100,
        more_items_in_collection: more,
        ...(more ? { next_start: start + 100 } : {}),
      });
    });
    const results = await pages(notes.list());
    expect(results.map((result) => expectOk(result))).toEqual([
      { items: [expect.objectContaining({ id: 1 })], nextCursor: '100' },
      { items: [expect.objectContaining({ id: 101 })], nextCursor: '200' },
      { items: [expect.objectContaining({ id: 201 })] },
    ]);
    expect(sent.map((request) => Object.fromEntries(request.query))).toEqual([
      { limit: '100', start: '0' },
      { limit: '100', start: '100' },
      { limit: '100', start: '200' },
    ]);
    expect(events).toEqual([
      'spend 20 notes.list',
      'send GET /v1/notes',
      'spend 20 notes.list',
      'send GET /v1/notes',
      'spend 20 notes.list',
      'send GET /v1/notes',
    ]);
  });

  it('resumes at a saved start with the limit given', async () => {
    const { leads, sent } = setup(() =>
      v1Page([], { start: 40, limit: 20, more_items_in_collection: false }),
    );
    expect(await pages(leads.list({ start: 40, limit: 20 }))).toEqual([
      { success: true, data: { items: [] } },
    ]);
    expect(Object.fromEntries(sent[0]!.query)).toEqual({ limit: '20', start: '40' });
    expect(sent[0]?.path).toBe('/v1/leads');
  });

  it('reads data null (an empty collection in v1) as no items, and a missing pagination as the last page', async () => {
    for (const response of [
      () => v1Page(null, { start: 0, limit: 100, more_items_in_collection: false }),
      () => v1Page([]),
      () => json(200, { success: true, data: [], additional_data: null }),
    ]) {
      const { notes, sent } = setup(response);
      expect(await pages(notes.list())).toEqual([{ success: true, data: { items: [] } }]);
      expect(sent).toHaveLength(1);
    }
  });

  it('stops when more_items_in_collection is false even if next_start is given, or true without next_start', async () => {
    for (const pagination of [
      { more_items_in_collection: false, next_start: 100 },
      { more_items_in_collection: true },
      { more_items_in_collection: true, next_start: null },
    ]) {
      const { notes, sent } = setup(() => v1Page([{ id: 1 }], pagination));
      const results = await pages(notes.list());
      expect(results).toEqual([{ success: true, data: { items: [expect.objectContaining({ id: 1 })] } }]);
      expect(sent).toHaveLength(1);
    }
  });

  it('stops at maxPages with OPERATION_FAILED while more is offered', async () => {
    const { notes, sent } = setup(({ query }) => {
      const start = Number(query.get('start'));
      return v1Page([{ id: start + 1 }], { more_items_in_collection: true, next_start: start + 1 });
    });
    const results = await pages(notes.list({ maxPages: 3, limit: 1 }));
    expect(results.map((result) => result.success || result.error.code)).toEqual([
      true,
      true,
      true,
      'OPERATION_FAILED',
    ]);
    expect(sent).toHaveLength(3);
  });

  it('ends with INVALID_RESPONSE when next_start points back at a start already read', async () => {
    const { notes, sent } = setup(() =>
      v1Page([{ id: 1 }], { more_items_in_collection: true, next_start: 0 }),
    );
    const results = await pages(notes.list());
    expect(results.map((result) => result.success || result.error.code)).toEqual([true, 'INVALID_RESPONSE']);
    expect(sent).toHaveLength(1);
  });

  it('stops with a final RATE_LIMIT once the budget cannot pay the next page, sending nothing more', async () => {
    const { notes, sent } = setup(({ query }) => {
      const start = Number(query.get('start'));
      return v1Page([{ id: start + 1 }], { more_items_in_collection: true, next_start: start + 100 });
    }, 45);
    const results = await pages(notes.list());
    expect(results.map((result) => result.success || result.error.code)).toEqual([true, true, 'RATE_LIMIT']);
    expect(sent).toHaveLength(2);
  });

  it.each([
    ['data as an object', { success: true, data: { id: 1 } }],
    ['a note id as text', { success: true, data: [{ id: '1' }] }],
    [
      'next_start as text',
      { success: true, data: [], additional_data: { pagination: { next_start: '100' } } },
    ],
    [
      'more_items_in_collection as text',
      { success: true, data: [], additional_data: { pagination: { more_items_in_collection: 'yes' } } },
    ],
  ])('answers a page with %s as INVALID_RESPONSE and stops', async (_, body) => {
    const { notes, sent } = setup(() => json(200, body));
    const results = await pages(notes.list());
    expect(results.map((result) => result.success || result.error.code)).toEqual(['INVALID_RESPONSE']);
    expect(sent).toHaveLength(1);
  });

  it('answers a lead page with numeric ids as INVALID_RESPONSE', async () => {
    const { leads } = setup(() => v1Page([{ id: 5 }], { more_items_in_collection: false }));
    const results = await pages(leads.list());
    expect(results.map((result) => result.success || result.error.code)).toEqual(['INVALID_RESPONSE']);
  });

  it.each([
    ['limit 0', { limit: 0 }, 'options.limit'],
    ['limit 501', { limit: 501 }, 'options.limit'],
    ['start -1', { start: -1 }, 'options.start'],
    ['start 1.5', { start: 1.5 }, 'options.start'],
    ['start as text', { start: '100' }, 'options.start'],
    ['maxPages 0', { maxPages: 0 }, 'options.maxPages'],
    ['a signal that is not one', { signal: true }, 'options.signal'],
    ['a throwing start getter', withThrowingGetter({ limit: 5 }, 'start'), /^options/],
    ['a Proxy whose traps throw', throwingProxy(), 'options'],
    ['a string', 'all', 'options'],
  ])('refuses %s by field in one result, before any request', async (_, options, field) => {
    const { notes, events } = setup(() => v1Page([]));
    const results = await pages(notes.list(options as never));
    expect(results).toHaveLength(1);
    expectErr(results[0], 'VALIDATION_ERROR', field);
    expect(events).toEqual([]);
  });

  it('passes a Pipedrive 401 through as AUTH_ERROR and stops', async () => {
    const { notes, sent } = setup(() =>
      json(401, { success: false, error: 'unauthorized access', data: null }),
    );
    const results = await pages(notes.list());
    expect(results).toHaveLength(1);
    expectErr(results[0], 'AUTH_ERROR');
    expect(sent).toHaveLength(1);
  });
});

describe('notes', () => {
  it('get, create, update (PUT) and delete on /v1/notes with their v1 token costs spent first', async () => {
    const { notes, sent, events } = setup(({ method, body }) =>
      method === 'DELETE' ? one({ id: 4 }) : one({ id: 4, content: 'x', ...(body as object) }),
    );
    expect(expectOk(await notes.get(4))).toMatchObject({ id: 4 });
    expect(expectOk(await notes.create({ content: 'Called', person_id: 12, lead_id: LEAD }))).toMatchObject({
      content: 'Called',
    });
    expect(expectOk(await notes.update(4, { content: 'Changed' }))).toMatchObject({ content: 'Changed' });
    expect(await notes.delete(4)).toEqual({ success: true, data: undefined });
    expect(sent.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /v1/notes/4',
      'POST /v1/notes',
      'PUT /v1/notes/4',
      'DELETE /v1/notes/4',
    ]);
    expect(sent[1]?.body).toEqual({ content: 'Called', person_id: 12, lead_id: LEAD });
    expect(sent[2]?.body).toEqual({ content: 'Changed' });
    expect(events.filter((event) => event.startsWith('spend'))).toEqual([
      'spend 2 notes.get',
      'spend 10 notes.create',
      'spend 10 notes.update',
      'spend 6 notes.delete',
    ]);
    for (let i = 0; i < events.length; i += 2) expect(events[i]).toMatch(/^spend/);
  });

  it.each([
    ['0', 0],
    ['-4', -4],
    ['a UUID (a lead id)', LEAD],
    ['"4/../5"', '4/../5'],
    ['null', null],
    ['a Proxy whose traps throw', throwingProxy()],
  ])('refuses the id %s by field before any request', async (_, id) => {
    const { notes, events } = setup(() => one({ id: 1 }));
    expectErr(await notes.get(id as never), 'VALIDATION_ERROR', 'id');
    expectErr(await notes.update(id as never, { content: 'x' }), 'VALIDATION_ERROR', 'id');
    expectErr(await notes.delete(id as never), 'VALIDATION_ERROR', 'id');
    expect(events).toEqual([]);
  });

  it.each([
    ['no content', {}, 'input.content'],
    ['empty content', { content: '' }, 'input.content'],
    ['a person_id of 0', { content: 'x', person_id: 0 }, 'input.person_id'],
    ['a lead_id that is no UUID', { content: 'x', lead_id: 'lead-1' }, 'input.lead_id'],
    ['a throwing getter', withThrowingGetter({ content: 'x' }, 'deal_id'), /deal_id|^input$/],
    ['a Proxy whose traps throw', throwingProxy(), /^input/],
  ])('refuses a note with %s by field before any request', async (_, input, field) => {
    const { notes, events } = setup(() => one({ id: 1 }));
    expectErr(await notes.create(input as never), 'VALIDATION_ERROR', field);
    expect(events).toEqual([]);
  });

  it('refuses an update whose content is empty, and options that are not options', async () => {
    const { notes, events } = setup(() => one({ id: 1 }));
    expectErr(await notes.update(1, { content: '' }), 'VALIDATION_ERROR', 'input.content');
    expectErr(await notes.get(1, throwingProxy()), 'VALIDATION_ERROR', 'options');
    expectErr(
      await notes.create({ content: 'x' }, { signal: 'no' } as never),
      'VALIDATION_ERROR',
      'options.signal',
    );
    expect(events).toEqual([]);
  });

  it('sends nothing when the budget cannot pay a call', async () => {
    const { notes, sent } = setup(() => one({ id: 1 }), 1);
    for (const result of [
      await notes.get(1),
      await notes.create({ content: 'x' }),
      await notes.update(1, { content: 'x' }),
      await notes.delete(1),
    ]) {
      expectErr(result, 'RATE_LIMIT');
    }
    expect(sent).toEqual([]);
  });

  it('answers a malformed note as INVALID_RESPONSE, and a 404 as NOT_FOUND', async () => {
    const { notes } = setup(({ path }) =>
      path.endsWith('/1')
        ? one({ content: 'no id' })
        : json(404, { success: false, error: 'Note not found' }),
    );
    expectErr(await notes.get(1), 'INVALID_RESPONSE');
    const missing = await notes.get(2);
    expect(missing.success || missing.error).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('retries an update (PUT) after a 503, as it is safe to repeat', async () => {
    let calls = 0;
    const http = createHttpClient({
      baseUrl: BASE,
      fetch: async () => (++calls === 1 ? json(503, { success: false }) : one({ id: 1, content: 'x' })),
      retry: { retries: 1, initialDelayMs: 1, maxDelayMs: 1 },
    });
    const notes = createV1Resource<PipedriveNote, PipedriveNoteInput, number>(
      http,
      () => ({ success: true, data: undefined }),
      'notes',
    );
    expect((await notes.update(1, { content: 'x' })).success).toBe(true);
    expect(calls).toBe(2);
  });
});

describe('leads', () => {
  it('reads, updates (PATCH) and deletes by UUID, and creates with value and labels', async () => {
    const { leads, sent } = setup(({ method, body }) =>
      method === 'DELETE' ? one({ id: LEAD }) : one({ id: LEAD, title: 'Lead', ...(body as object) }),
    );
    expect(expectOk(await leads.get(LEAD.toUpperCase())).id).toBe(LEAD);
    expectOk(
      await leads.create({
        title: 'Lead',
        value: { amount: 100, currency: 'EUR' },
        label_ids: [LEAD],
        expected_close_date: '2026-04-01',
      }),
    );
    expectOk(await leads.update(LEAD, { title: 'Warm' }));
    expectOk(await leads.delete(LEAD));
    expect(sent.map((request) => `${request.method} ${request.path}`)).toEqual([
      `GET /v1/leads/${LEAD.toUpperCase()}`,
      'POST /v1/leads',
      `PATCH /v1/leads/${LEAD}`,
      `DELETE /v1/leads/${LEAD}`,
    ]);
    expect(sent[1]?.body).toEqual({
      title: 'Lead',
      value: { amount: 100, currency: 'EUR' },
      label_ids: [LEAD],
      expected_close_date: '2026-04-01',
    });
  });

  it.each([
    ['a number', 5],
    ['text that is no UUID', 'not-a-uuid'],
    ['a UUID with a path in it', `${LEAD.slice(0, 30)}/../x`],
    ['a UUID with a query', `${LEAD}?x=1`],
    ['a Proxy whose traps throw', throwingProxy()],
  ])('refuses %s as a lead id by field before any request', async (_, id) => {
    const { leads, events } = setup(() => one({ id: LEAD }));
    expectErr(await leads.get(id as never), 'VALIDATION_ERROR', 'id');
    expectErr(await leads.update(id as never, { title: 'x' }), 'VALIDATION_ERROR', 'id');
    expectErr(await leads.delete(id as never), 'VALIDATION_ERROR', 'id');
    expect(events).toEqual([]);
  });

  it.each([
    ['no title', {}, 'input.title'],
    ['a lower-case currency', { title: 'L', value: { amount: 1, currency: 'eur' } }, 'input.value.currency'],
    ['an amount as text', { title: 'L', value: { amount: '1', currency: 'EUR' } }, 'input.value.amount'],
    ['a label id that is no UUID', { title: 'L', label_ids: ['hot'] }, 'input.label_ids.0'],
    [
      'a close date with a time',
      { title: 'L', expected_close_date: '2026-04-01T00:00:00Z' },
      'input.expected_close_date',
    ],
  ])('refuses a lead with %s by field before any request', async (_, input, field) => {
    const { leads, events } = setup(() => one({ id: LEAD }));
    expectErr(await leads.create(input as never), 'VALIDATION_ERROR', field);
    expect(events).toEqual([]);
  });

  it('answers a lead whose id comes back as a number as INVALID_RESPONSE', async () => {
    const { leads } = setup(() => one({ id: 5, title: 'Lead' }));
    expectErr(await leads.get(LEAD), 'INVALID_RESPONSE');
  });
});
