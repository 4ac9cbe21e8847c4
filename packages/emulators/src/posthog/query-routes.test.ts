import { describe, expect, it } from 'vitest';
import type { CapturedEvent } from './capture.ts';
import {
  createQueryRoutes,
  type QueryEngine,
  type QueryRoutesConfig,
  withCacheFields,
} from './query-routes.ts';
import { createQueryStatusRegistry } from './query-status.ts';
import { createConcurrencySlots, createQueryThrottle } from './query-throttle.ts';

const KEY = 'phx_key';
const BASE = 'http://posthog.test';
const T0 = Date.UTC(2026, 0, 15, 10, 0, 0);
const hogql = { kind: 'HogQLQuery', query: 'select 1' };

// A stand-in engine: HogQL "select 1" answers one row, "fail" a HogQL error, "crash" a 500.
const engine: QueryEngine = {
  run(query) {
    const sql = (query as { query?: string }).query;
    if (sql === 'fail') {
      return {
        ok: false,
        status: 400,
        body: {
          type: 'validation_error',
          code: 'invalid_input',
          detail: 'Unable to resolve field: nope',
          attr: null,
        },
      };
    }
    if (sql === 'crash')
      return {
        ok: false,
        status: 500,
        body: { type: 'server_error', code: 'error', detail: 'x', attr: null },
      };
    return { ok: true, body: { results: [[1]], columns: ['1'], types: [['1', 'UInt8']], hasMore: false } };
  },
};

function setup(overrides: Partial<QueryRoutesConfig> & { limit?: number; completeAfterPolls?: number } = {}) {
  const clock = { now: T0 };
  const { limit = 3, completeAfterPolls = 1, ...rest } = overrides;
  const slots = createConcurrencySlots(limit, async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
  });
  let ids = 0;
  const registry = createQueryStatusRegistry({
    teamId: 1,
    slots,
    completion: rest.asyncAll ?? { completeAfterPolls },
    queueWaitMs: 30_000,
    clock: () => clock.now,
    newTaskId: () => `task-${++ids}`,
  });
  const events: CapturedEvent[] = [];
  const routes = createQueryRoutes({
    projectId: 1,
    personalApiKey: KEY,
    engine,
    throttle: undefined,
    slots,
    registry,
    asyncAll: undefined,
    concurrencyWaitMs: 30,
    queryLatencyMs: 0,
    clock: () => clock.now,
    newQueryId: () => `generated${++ids}`,
    listEvents: () => events,
    deprecation: { deprecation: '@1779926400', sunset: 'Fri, 28 May 2027 00:00:00 GMT' },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    ...rest,
  });
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = (await routes.handle(
      new Request(`${BASE}${path}`, {
        method,
        headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json', ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      }),
    )) as Response;
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
  return { routes, call, clock, slots, events };
}

describe('createQueryRoutes: the query endpoint', () => {
  it('leaves non-API paths alone and answers unknown API paths 404 Endpoint not found', async () => {
    const { routes, call } = setup();
    expect(await routes.handle(new Request(`${BASE}/batch/`, { method: 'POST' }))).toBeUndefined();
    expect(await call('GET', '/api/projects/1/dashboards/')).toMatchObject({
      status: 404,
      body: { type: 'invalid_request', code: 'not_found', detail: 'Endpoint not found.', attr: null },
    });
    expect((await call('GET', '/api/nothing')).status).toBe(404);
  });

  it('answers a blocking query 200 with the engine response and the cache fields', async () => {
    const { call, routes } = setup();
    const answer = await call('POST', '/api/projects/1/query/', { query: hogql, name: 'test' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      results: [[1]],
      columns: ['1'],
      is_cached: false,
      cache_key: expect.stringMatching(/^cache_[0-9a-f]{32}$/),
      last_refresh: '2026-01-15T10:00:00Z',
      timezone: 'UTC',
      query_status: null,
    });
    expect(routes.queries()).toEqual([
      {
        query: hogql,
        refresh: undefined,
        clientQueryId: undefined,
        name: 'test',
        queryId: 'generated1',
        async: false,
        status: 200,
      },
    ]);
    expect(routes.stats()).toMatchObject({ queries: 1, asyncQueries: 0 });
  });

  it('passes an engine error through with its status', async () => {
    const { call } = setup();
    expect(
      await call('POST', '/api/projects/1/query/', { query: { kind: 'HogQLQuery', query: 'fail' } }),
    ).toMatchObject({
      status: 400,
      body: { type: 'validation_error', detail: 'Unable to resolve field: nope' },
    });
  });

  it('refuses a missing or wrong personal key with 403 authentication_error, before anything is counted', async () => {
    const { call, routes } = setup();
    const none = await call('POST', '/api/projects/1/query/', { query: hogql }, { Authorization: '' });
    expect(none).toMatchObject({ status: 403, body: { code: 'not_authenticated' } });
    const wrong = await call(
      'POST',
      '/api/projects/1/query/',
      { query: hogql },
      { Authorization: 'Bearer phx_wrong' },
    );
    expect(wrong).toMatchObject({
      status: 403,
      body: {
        type: 'authentication_error',
        code: 'authentication_failed',
        detail: 'Personal API key found in request Authorization header is invalid.',
      },
    });
    expect(routes.stats().queries).toBe(0);
  });

  it('answers another project 404 Project not found, and accepts @current', async () => {
    const { call } = setup();
    expect(await call('POST', '/api/projects/2/query/', { query: hogql })).toMatchObject({
      status: 404,
      body: { code: 'not_found', detail: 'Project not found.' },
    });
    expect((await call('POST', '/api/projects/abc/query/', { query: hogql })).status).toBe(404);
    expect((await call('POST', '/api/projects/@current/query/', { query: hogql })).status).toBe(200);
  });

  it.each([
    ['malformed JSON', '{nope', 'parse_error', null],
    ['a body without query', {}, 'invalid_input', 'query'],
    ['a query without kind', { query: { query: 'x' } }, 'invalid_input', 'query'],
    ['an unknown refresh', { query: hogql, refresh: 'sometimes' }, 'invalid_input', 'refresh'],
  ])('refuses %s with 400', async (_, body, code, attr) => {
    const { call } = setup();
    expect(await call('POST', '/api/projects/1/query/', body)).toMatchObject({
      status: 400,
      body: { code, attr },
    });
  });

  it('serves /query/{Kind}/ when the kind matches the body, 400 when not, 405 for other methods', async () => {
    const { call } = setup();
    expect((await call('POST', '/api/projects/1/query/HogQLQuery/', { query: hogql })).status).toBe(200);
    expect(await call('POST', '/api/projects/1/query/TrendsQuery/', { query: hogql })).toMatchObject({
      status: 400,
      body: { detail: 'Query kind mismatch: path kind "TrendsQuery" does not match body kind "HogQLQuery".' },
    });
    expect(await call('GET', '/api/projects/1/query/')).toMatchObject({
      status: 405,
      body: { type: 'invalid_request', code: 'method_not_allowed', detail: 'Method "GET" not allowed.' },
    });
    expect((await call('POST', '/api/projects/1/query/lowercase/', { query: hogql })).status).toBe(405);
    expect((await call('PUT', '/api/projects/1/query/abc/', { query: hogql })).status).toBe(405);
  });
});

describe('createQueryRoutes: the async flow', () => {
  it('answers refresh async with 202 { cache_key, query_status }, then the poll 200 with the whole response', async () => {
    const { call, routes } = setup();
    const posted = await call('POST', '/api/projects/1/query/', {
      query: hogql,
      refresh: 'async',
      client_query_id: 'mine',
    });
    expect(posted.status).toBe(202);
    expect(posted.body).toEqual({
      cache_key: expect.stringMatching(/^cache_/),
      query_status: expect.objectContaining({
        id: 'mine',
        team_id: 1,
        complete: false,
        error: false,
        query_async: true,
      }),
    });
    const polled = await call('GET', '/api/projects/1/query/mine/');
    expect(polled.status).toBe(200);
    expect(polled.body.query_status).toMatchObject({
      complete: true,
      results: { results: [[1]], is_cached: false },
    });
    expect(routes.stats()).toMatchObject({ queries: 1, asyncQueries: 1, polls: 1 });
    // The same id again (not forced): the stored status, now complete.
    const again = await call('POST', '/api/projects/1/query/', {
      query: hogql,
      refresh: 'async',
      client_query_id: 'mine',
    });
    expect([again.status, again.body.query_status.complete]).toEqual([200, true]);
  });

  it('answers force_async with { query_status } only, and lazy_async like async', async () => {
    const { call } = setup();
    const forced = await call('POST', '/api/projects/1/query/', { query: hogql, refresh: 'force_async' });
    expect([forced.status, Object.keys(forced.body)]).toEqual([202, ['query_status']]);
    expect(forced.body.query_status.id).toBe('generated1');
    const lazy = await call('POST', '/api/projects/1/query/', { query: hogql, refresh: 'lazy_async' });
    expect([lazy.status, Object.keys(lazy.body).sort()]).toEqual([202, ['cache_key', 'query_status']]);
    const legacy = await call('POST', '/api/projects/1/query/', { query: hogql, async: true });
    expect([legacy.status, Object.keys(legacy.body).sort()]).toEqual([202, ['cache_key', 'query_status']]);
  });

  it('makes every query async with asyncAll, and polls a failing one as 400 with error_message', async () => {
    const { call } = setup({ asyncAll: { completeAfterPolls: 2 } });
    const posted = await call('POST', '/api/projects/1/query/', {
      query: { kind: 'HogQLQuery', query: 'fail' },
    });
    expect(posted.status).toBe(202);
    const id = posted.body.query_status.id;
    expect((await call('GET', `/api/projects/1/query/${id}/`)).status).toBe(202);
    expect(await call('GET', `/api/projects/1/query/${id}/`)).toMatchObject({
      status: 400,
      body: { query_status: { complete: true, error: true, error_message: 'Unable to resolve field: nope' } },
    });
    const crashed = await call('POST', '/api/projects/1/query/', {
      query: { kind: 'HogQLQuery', query: 'crash' },
    });
    await call('GET', `/api/projects/1/query/${crashed.body.query_status.id}/`);
    expect((await call('GET', `/api/projects/1/query/${crashed.body.query_status.id}/`)).status).toBe(500);
  });

  it('cancels with DELETE (200 { message }), after which polls are 404', async () => {
    const { call, routes } = setup({ completeAfterPolls: 5 });
    await call('POST', '/api/projects/1/query/', { query: hogql, refresh: 'async', client_query_id: 'c1' });
    expect(await call('DELETE', '/api/projects/1/query/c1/')).toEqual(
      expect.objectContaining({ status: 200, body: { message: 'Cancelled query on clickhouse' } }),
    );
    expect(await call('GET', '/api/projects/1/query/c1/')).toMatchObject({
      status: 404,
      body: { detail: 'Query c1 not found for team 1' },
    });
    expect((await call('DELETE', '/api/projects/1/query/c2/?dequeue_only=true')).body).toEqual({
      message: 'Only tried to dequeue, not cancelling query on clickhouse',
    });
    expect(routes.stats()).toMatchObject({ cancels: 2, polls: 1, running: 0 });
  });
});

describe('createQueryRoutes: limits', () => {
  it('throttles per key with Retry-After; polls and DELETEs count; auth failures do not', async () => {
    const clock = { now: T0 };
    const { call, routes } = setup({
      clock: () => clock.now,
      throttle: createQueryThrottle([{ limit: 3, windowMs: 60_000 }], () => clock.now),
    });
    await call('POST', '/api/projects/1/query/', { query: hogql, refresh: 'async', client_query_id: 'q' });
    await call('GET', '/api/projects/1/query/q/');
    await call('POST', '/api/projects/1/query/', { query: hogql }, { Authorization: 'Bearer phx_wrong' });
    await call('DELETE', '/api/projects/1/query/q/');
    clock.now += 15_000;
    const limited = await call('POST', '/api/projects/1/query/', { query: hogql });
    expect(limited).toMatchObject({
      status: 429,
      body: {
        type: 'throttled_error',
        code: 'throttled',
        detail: 'Request was throttled. Expected available in 45 seconds.',
        attr: null,
      },
    });
    expect(limited.headers.get('retry-after')).toBe('45');
    expect(routes.stats()).toMatchObject({ throttled: 1, queries: 1 });
  });

  it('refuses a blocking query when running async queries hold every slot: 429, no Retry-After', async () => {
    const { call, routes } = setup({ limit: 2, completeAfterPolls: 1 });
    await call('POST', '/api/projects/1/query/', { query: hogql, refresh: 'async', client_query_id: 'a' });
    await call('POST', '/api/projects/1/query/', { query: hogql, refresh: 'async', client_query_id: 'b' });
    const refused = await call('POST', '/api/projects/1/query/', { query: hogql, client_query_id: 'c' });
    expect(refused).toMatchObject({
      status: 429,
      body: {
        type: 'throttled_error',
        detail: 'Exceeded maximum concurrency limit: 2 for key: api:query:per-team:1 and task: c',
      },
    });
    expect(refused.headers.get('retry-after')).toBeNull();
    expect(routes.stats()).toMatchObject({ concurrencyRefused: 1, running: 2 });
    await call('GET', '/api/projects/1/query/a/'); // finishes a, freeing a slot
    expect((await call('POST', '/api/projects/1/query/', { query: hogql })).status).toBe(200);
  });

  it('lets a waiting blocking query take a slot freed within the wait', async () => {
    const { call } = setup({ limit: 1, completeAfterPolls: 1, concurrencyWaitMs: 2_000 });
    await call('POST', '/api/projects/1/query/', { query: hogql, refresh: 'async', client_query_id: 'a' });
    const waiting = call('POST', '/api/projects/1/query/', { query: hogql });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await call('DELETE', '/api/projects/1/query/a/');
    expect((await waiting).status).toBe(200);
  });

  it('counts in-flight blocking queries (queryLatencyMs) against the limit', async () => {
    const { call } = setup({ limit: 1, queryLatencyMs: 100, concurrencyWaitMs: 10 });
    const first = call('POST', '/api/projects/1/query/', { query: hogql });
    const second = call('POST', '/api/projects/1/query/', { query: hogql });
    expect([(await first).status, (await second).status]).toEqual([200, 429]);
  });

  it('reset forgets stats, statuses and slots', async () => {
    const { call, routes, slots } = setup({ completeAfterPolls: 3 });
    await call('POST', '/api/projects/1/query/', { query: hogql, refresh: 'async', client_query_id: 'a' });
    routes.reset();
    expect([routes.stats(), routes.queries(), slots.inUse()]).toEqual([
      { queries: 0, asyncQueries: 0, polls: 0, cancels: 0, throttled: 0, concurrencyRefused: 0, running: 0 },
      [],
      0,
    ]);
  });
});

describe('createQueryRoutes: other routes', () => {
  it('serves /api/environments/ as the deprecated alias, marked on every answer', async () => {
    const { call } = setup();
    const ok = await call('POST', '/api/environments/1/query/', { query: hogql });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('deprecation')).toBe('@1779926400');
    expect(ok.headers.get('sunset')).toBe('Fri, 28 May 2027 00:00:00 GMT');
    expect(ok.headers.get('link')).toBe('</api/projects/1/query/>; rel="successor-version"');
    const refused = await call('POST', '/api/environments/1/query/', { query: hogql }, { Authorization: '' });
    expect([refused.status, refused.headers.get('deprecation')]).toEqual([403, '@1779926400']);
    expect(
      (await call('POST', '/api/projects/1/query/', { query: hogql })).headers.get('deprecation'),
    ).toBeNull();
  });

  it('answers the removed insight trend and funnel endpoints 404 (GET) and 405 (POST), after auth', async () => {
    const { call } = setup();
    expect(await call('GET', '/api/projects/1/insights/trend/')).toMatchObject({
      status: 404,
      body: { type: 'invalid_request', code: 'not_found', detail: 'Not found.' },
    });
    expect((await call('POST', '/api/projects/1/insights/funnel', {})).status).toBe(405);
    expect(
      (await call('GET', '/api/projects/1/insights/trend/', undefined, { Authorization: '' })).status,
    ).toBe(403);
  });

  it('lists events (deprecated): newest first, last 24 h unless after, paged by before', async () => {
    const { call, events } = setup();
    const at = (hoursAgo: number) => new Date(T0 - hoursAgo * 3_600_000).toISOString();
    const make = (uuid: string, hoursAgo: number, event = 'e'): CapturedEvent => ({
      uuid,
      event,
      distinct_id: 'u',
      properties: {},
      timestamp: at(hoursAgo),
      token: 'phc',
      path: '/batch/',
    });
    events.push(make('old', 30), make('a', 3), make('b', 2), make('c', 1, 'other'));
    const recent = await call('GET', '/api/projects/1/events/');
    expect(recent.body.results.map((r: { id: string }) => r.id)).toEqual(['c', 'b', 'a']);
    expect(recent.body.results[0]).toMatchObject({ id: 'c', event: 'other', distinct_id: 'u', person: null });
    expect(recent.body.next).toBeNull();
    const paged = await call('GET', `/api/projects/1/events/?limit=2&after=${encodeURIComponent(at(48))}`);
    expect(paged.body.results.map((r: { id: string }) => r.id)).toEqual(['c', 'b']);
    const next = new URL(paged.body.next);
    const second = await call('GET', `${next.pathname}${next.search}`);
    expect(second.body.results.map((r: { id: string }) => r.id)).toEqual(['a', 'old']);
    const filtered = await call('GET', '/api/projects/1/events/?event=e');
    expect(filtered.body.results.map((r: { id: string }) => r.id)).toEqual(['b', 'a']);
    expect((await call('GET', '/api/projects/1/events/', undefined, { Authorization: '' })).status).toBe(401);
  });
});

describe('withCacheFields', () => {
  it('adds only the fields the engine left out, and leaves non-objects alone', () => {
    expect(withCacheFields({ results: [], timezone: 'Europe/Amsterdam' }, 'cache_x', T0)).toMatchObject({
      timezone: 'Europe/Amsterdam',
      cache_key: 'cache_x',
      next_allowed_client_refresh: '2026-01-15T10:01:00Z',
    });
    expect(withCacheFields([1], 'k', T0)).toEqual([1]);
  });
});
