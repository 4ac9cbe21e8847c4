// The reading client against msw handlers written here (no socket): every read method, the async protocol, a
// cancel and the throttled path, as users of the package test their own code.
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPostHogClient } from './client.ts';

const HOST = 'https://posthog.msw.test';
const KEY = 'phx_msw_key_77aa';
const QUERY = `${HOST}/api/projects/:projectId/query/`;
const STATUS = `${HOST}/api/projects/:projectId/query/:queryId/`;

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = () =>
  createPostHogClient({
    host: HOST,
    personalApiKey: KEY,
    projectId: 9,
    retry: { retries: 2, initialDelayMs: 1, maxDelayMs: 2 },
    poll: { initialDelayMs: 1, maxDelayMs: 2 },
  });

interface QueryBody {
  query: { kind: string; query?: string; values?: Record<string, unknown>; series?: unknown[] };
  refresh?: string;
  client_query_id: string;
}

const denied = () =>
  HttpResponse.json(
    { type: 'authentication_error', code: 'not_authenticated', detail: 'No key', attr: null },
    { status: 401 },
  );

describe('every read method through msw', () => {
  it('query, hogql, trends and getTotalPageViews', async () => {
    const kinds: string[] = [];
    server.use(
      http.post(QUERY, async ({ request, params }) => {
        if (request.headers.get('authorization') !== `Bearer ${KEY}` || params.projectId !== '9')
          return denied();
        const body = (await request.json()) as QueryBody;
        kinds.push(body.query.kind);
        if (body.query.kind === 'TrendsQuery') {
          return HttpResponse.json({
            results: [{ data: [1, 2], labels: ['a', 'b'], days: ['d1', 'd2'], count: 3, label: '$pageview' }],
          });
        }
        if (body.query.query?.startsWith('SELECT count()'))
          return HttpResponse.json({ results: [[321]], columns: ['count()'] });
        return HttpResponse.json({ results: [['x', 1]], columns: ['event', 'n'], types: [], hasMore: false });
      }),
    );
    const posthog = client();
    expect(await posthog.query({ kind: 'HogQLQuery', query: 'select event, 1' })).toMatchObject({
      success: true,
      data: { results: [['x', 1]], columns: ['event', 'n'] },
    });
    expect(await posthog.hogql('select event, 1')).toMatchObject({
      success: true,
      data: { rows: [['x', 1]] },
    });
    expect(await posthog.trends({ series: [{ event: '$pageview' }], interval: 'day' })).toMatchObject({
      success: true,
      data: [{ data: [1, 2], count: 3 }],
    });
    expect(await posthog.getTotalPageViews({ days: 7 })).toEqual({ success: true, data: 321 });
    expect(kinds).toEqual(['HogQLQuery', 'HogQLQuery', 'TrendsQuery', 'HogQLQuery']);
  });

  it('events, a page at a time', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => [
      `u${i}`,
      '$pageview',
      `2026-12-01T00:00:0${i}.000000Z`,
      'd',
      '{}',
    ]);
    server.use(
      http.post(QUERY, async ({ request }) => {
        const { query } = (await request.json()) as QueryBody;
        const from =
          query.values?.cursor_uuid === undefined ? 0 : Number(String(query.values.cursor_uuid).slice(1)) + 1;
        return HttpResponse.json({ results: rows.slice(from, from + 2) });
      }),
    );
    const pages: string[][] = [];
    for await (const page of client().events({ after: '2026-12-01', before: '2026-12-02', pageSize: 2 })) {
      if (!page.success) throw page.error;
      pages.push(page.data.map((event) => event.uuid));
    }
    expect(pages).toEqual([['u0', 'u1'], ['u2', 'u3'], ['u4']]);
  });
});

describe('the async protocol through msw', () => {
  it('polls a 202 until complete', async () => {
    let polls = 0;
    server.use(
      http.post(QUERY, async ({ request }) => {
        const body = (await request.json()) as QueryBody;
        return HttpResponse.json(
          { query_status: { id: body.client_query_id, complete: false } },
          { status: 202 },
        );
      }),
      http.get(STATUS, ({ params }) => {
        polls += 1;
        if (polls < 3)
          return HttpResponse.json(
            { query_status: { id: params.queryId, complete: false } },
            { status: 202 },
          );
        return HttpResponse.json({
          query_status: { id: params.queryId, complete: true, results: { results: [[7]], columns: ['n'] } },
        });
      }),
    );
    expect(await client().hogql('select 7', { refresh: 'async' })).toMatchObject({
      success: true,
      data: { rows: [[7]] },
    });
    expect(polls).toBe(3);
  });

  it('cancels with DELETE when the caller aborts', async () => {
    const controller = new AbortController();
    const cancelled: string[] = [];
    server.use(
      http.post(QUERY, () =>
        HttpResponse.json({ query_status: { id: 'q-42', complete: false } }, { status: 202 }),
      ),
      http.get(STATUS, ({ params }) => {
        controller.abort();
        return HttpResponse.json({ query_status: { id: params.queryId, complete: false } }, { status: 202 });
      }),
      http.delete(STATUS, ({ params }) => {
        cancelled.push(String(params.queryId));
        return HttpResponse.json({ message: 'Query cancelled' });
      }),
    );
    expect(await client().hogql('select 1', { refresh: 'async', signal: controller.signal })).toMatchObject({
      success: false,
      error: { code: 'ABORTED' },
    });
    expect(cancelled).toEqual(['q-42']);
  });

  it("ends a failed query with PostHog's message", async () => {
    server.use(
      http.post(QUERY, () =>
        HttpResponse.json({ query_status: { id: 'q', complete: false } }, { status: 202 }),
      ),
      http.get(STATUS, () =>
        HttpResponse.json(
          { query_status: { id: 'q', complete: true, error: true, error_message: 'Unknown table "evnts"' } },
          { status: 400 },
        ),
      ),
    );
    const result = await client().hogql('select 1 from evnts', { refresh: 'async' });
    expect(result).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR', retryable: false } });
    expect(!result.success && result.error.message).toContain('Unknown table "evnts"');
  });

  it('waits out a 429 and answers', async () => {
    let calls = 0;
    server.use(
      http.post(QUERY, () => {
        calls += 1;
        return calls === 1
          ? HttpResponse.json(
              {
                type: 'throttled_error',
                code: 'throttled',
                detail: 'Request was throttled. Expected available in 1 second.',
                attr: null,
              },
              { status: 429, headers: { 'Retry-After': '1' } },
            )
          : HttpResponse.json({ results: [[1]] });
      }),
    );
    const started = Date.now();
    expect((await client().hogql('select 1')).success).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(calls).toBe(2);
  });

  it('answers a malformed body with INVALID_RESPONSE', async () => {
    server.use(http.post(QUERY, () => HttpResponse.json({ results: 'not rows' })));
    expect(await client().hogql('select 1')).toMatchObject({
      success: false,
      error: { code: 'INVALID_RESPONSE' },
    });
  });
});
