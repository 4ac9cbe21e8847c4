import type { ApiResult } from '@patchbay/core';
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import {
  hogqlAnswer,
  json,
  QUERY_PATH,
  recordingFetch,
  type SeenRequest,
  TEST_HOST,
  TEST_KEY,
  testClient,
} from '../../test-support/query-fetch.ts';
import { createPostHogClient } from './client.ts';
import { isPostHogConfigured } from './client-options.ts';
import type {
  EventsQueryResponse,
  HogQLQueryResponse,
  PostHogQueryResponse,
  TrendsQueryResponse,
} from './query-responses.ts';

afterEach(() => {
  vi.useRealTimers();
});

const configError = (field: string) => expect.objectContaining({ code: 'CONFIG_ERROR', field });

describe('createPostHogClient: configuration', () => {
  it.each([
    [{ projectId: 1 }, 'personalApiKey'],
    [{ personalApiKey: '   ', projectId: 1 }, 'personalApiKey'],
    [{ personalApiKey: 'phx_1' }, 'projectId'],
    [{ personalApiKey: 'phx_1', projectId: 'abc' }, 'projectId'],
    [{ personalApiKey: 'phx_1', projectId: 0 }, 'projectId'],
    [{ personalApiKey: 'phx_1', projectId: 1.5 }, 'projectId'],
    [{ personalApiKey: 'phx_1', projectId: 1, host: 'us.posthog.com' }, 'host'],
    [{ personalApiKey: 'phx_1', projectId: 1, host: 'ftp://posthog.example.com' }, 'host'],
    [{ personalApiKey: 'phx_1', projectId: 1, rateLimits: { perMinute: 0 } }, 'rateLimits.perMinute'],
    [{ personalApiKey: 'phx_1', projectId: 1, rateLimits: { perHour: 1.5 } }, 'rateLimits.perHour'],
    [{ personalApiKey: 'phx_1', projectId: 1, rateLimits: { concurrent: 0 } }, 'rateLimits.concurrent'],
    [{ personalApiKey: 'phx_1', projectId: 1, rateLimits: { store: {} } }, 'rateLimits.store'],
    [{ personalApiKey: 'phx_1', projectId: 1, retry: { retries: -1 } }, 'retry.retries'],
    [{ personalApiKey: 'phx_1', projectId: 1, poll: { initialDelayMs: 0 } }, 'poll.initialDelayMs'],
    [{ personalApiKey: 'phx_1', projectId: 1, timeoutMs: -5 }, 'timeoutMs'],
    [{ personalApiKey: 'phx_1', projectId: 1, fetch: 'nope' }, 'fetch'],
  ])('refuses %j with CONFIG_ERROR naming %s, before any request', (options, field) => {
    const { fetch, seen } = recordingFetch(() => json({}));
    expect(() => createPostHogClient({ fetch, ...options } as never)).toThrow(configError(field));
    expect(seen).toEqual([]);
  });

  it('names the missing key and project id in words, and never a value', () => {
    let caught: unknown;
    try {
      createPostHogClient({ projectId: 'x', personalApiKey: undefined } as never);
    } catch (error) {
      caught = error;
    }
    expect(String(caught)).toContain('personalApiKey: is required: a personal API key');
    expect(String(caught)).toContain("projectId: is required: the project's id");
  });

  it('isPostHogConfigured says whether a key and a project id are there, never throwing', () => {
    expect(isPostHogConfigured({ personalApiKey: 'phx_1', projectId: '12345' })).toBe(true);
    expect(isPostHogConfigured({ personalApiKey: 'phx_1', projectId: 12345 })).toBe(true);
    expect(isPostHogConfigured({ personalApiKey: '', projectId: 1 })).toBe(false);
    expect(isPostHogConfigured({ personalApiKey: 'phx_1' })).toBe(false);
    expect(isPostHogConfigured({ projectId: 1 })).toBe(false);
    expect(isPostHogConfigured(undefined)).toBe(false);
    expect(isPostHogConfigured(null)).toBe(false);
    const throwing = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
        ownKeys() {
          throw new Error('boom');
        },
      },
    );
    expect(isPostHogConfigured(throwing)).toBe(false);
  });
});

describe('createPostHogClient: the wire', () => {
  it('reads from us.posthog.com by default, with the key as a Bearer token, on /api/projects/{id}/query/', async () => {
    const { fetch, seen } = recordingFetch(() => json(hogqlAnswer([[1]])));
    const client = createPostHogClient({ personalApiKey: TEST_KEY, projectId: '  77 ', fetch });
    expect(client.host).toBe('https://us.posthog.com');
    expect(client.projectId).toBe('77');
    await client.hogql('select 1');
    expect(seen[0]?.url).toBe('https://us.posthog.com/api/projects/77/query/');
    expect(seen[0]?.headers.get('authorization')).toBe(`Bearer ${TEST_KEY}`);
    expect(seen[0]?.headers.get('content-type')).toBe('application/json');
  });

  it("reads an ingestion host's region from its app host", async () => {
    const { fetch, seen } = recordingFetch(() => json(hogqlAnswer([[1]])));
    const client = createPostHogClient({
      personalApiKey: TEST_KEY,
      projectId: 1,
      host: 'https://eu.i.posthog.com/js',
      fetch,
    });
    await client.hogql('select 1');
    expect(seen[0]?.url).toBe('https://eu.posthog.com/api/projects/1/query/');
  });

  it('answers 401 and 403 as AUTH_ERROR without retrying', async () => {
    const { client, seen } = testClient(() =>
      json(
        {
          type: 'authentication_error',
          code: 'permission_denied',
          detail: "API key missing required scope 'query:read'",
          attr: null,
        },
        403,
      ),
    );
    const result = await client.hogql('select 1');
    expect(result).toMatchObject({ success: false, error: { code: 'AUTH_ERROR', status: 403 } });
    expect(!result.success && result.error.message).toContain("missing required scope 'query:read'");
    expect(seen).toHaveLength(1);
  });

  it('retries a 5xx and a network failure, then answers', async () => {
    const { client, seen } = testClient((_, index) => {
      if (index === 0) return new Response('Bad Gateway', { status: 502 });
      if (index === 1) throw new TypeError('fetch failed');
      return json(hogqlAnswer([[1]]));
    });
    expect((await client.hogql('select 1')).success).toBe(true);
    expect(seen).toHaveLength(3);
    // The same client_query_id each time: PostHog sees one query, tried again.
    expect(new Set(seen.map((r) => r.body?.client_query_id)).size).toBe(1);
  });
});

// PostHog's side of the limits: DRF's sliding windows per key and the concurrency limit per organisation, each
// answering 429 (with Retry-After and the throttled body, or without a wait) when exceeded.
function throttlingServer(
  limits: { perMinute: number; perHour: number; concurrent: number },
  latencyMs: number,
) {
  const times: number[] = [];
  let running = 0;
  const counts = { ok: 0, throttled: 0, maxRunning: 0 };
  const respond = async (request: SeenRequest): Promise<Response> => {
    const now = Date.now();
    const inWindow = (windowMs: number) => times.filter((t) => now - t < windowMs).length;
    for (const [limit, windowMs] of [
      [limits.perMinute, 60_000],
      [limits.perHour, 3_600_000],
    ] as const) {
      if (inWindow(windowMs) >= limit) {
        counts.throttled += 1;
        const wait = Math.ceil((windowMs - (now - times[times.length - limit]!)) / 1000);
        return json(
          {
            type: 'throttled_error',
            code: 'throttled',
            detail: `Request was throttled. Expected available in ${wait} seconds.`,
            attr: null,
          },
          429,
          { 'retry-after': String(wait) },
        );
      }
    }
    times.push(now);
    if (request.method === 'POST') {
      if (running >= limits.concurrent) {
        counts.throttled += 1;
        return json({ type: 'throttled_error', detail: 'Too many concurrent queries', attr: null }, 429);
      }
      running += 1;
      counts.maxRunning = Math.max(counts.maxRunning, running);
      await new Promise((resolve) => setTimeout(resolve, latencyMs));
      running -= 1;
    }
    counts.ok += 1;
    return json(hogqlAnswer([[1]]));
  };
  return { respond, counts, times };
}

describe('createPostHogClient: staying under the limits', () => {
  it('fires 300 queries at once and draws no 429: 240 a minute, 2 400 an hour, 3 at a time', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 7) });
    const server = throttlingServer({ perMinute: 240, perHour: 2400, concurrent: 3 }, 200);
    const { client } = testClient(server.respond);
    const results = Promise.all(Array.from({ length: 300 }, (_, i) => client.hogql(`select ${i}`)));
    let settled = false;
    void results.then(() => {
      settled = true;
    });
    while (!settled) await vi.advanceTimersByTimeAsync(1_000);
    const answers = await results;
    expect(answers.every((answer) => answer.success)).toBe(true);
    expect(server.counts).toEqual({ ok: 300, throttled: 0, maxRunning: 3 });
    // Paced by the minute's bucket, not crawling: done within two and a half minutes.
    expect(server.times.at(-1)! - server.times[0]!).toBeLessThan(150_000);
  });

  it('keeps a project limited to 120 queries an hour under its limit when told', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 7) });
    const server = throttlingServer({ perMinute: 240, perHour: 120, concurrent: 3 }, 50);
    const { client } = testClient(server.respond, { rateLimits: { perHour: 120 } });
    const results = Promise.all(Array.from({ length: 150 }, (_, i) => client.hogql(`select ${i}`)));
    let settled = false;
    void results.then(() => {
      settled = true;
    });
    while (!settled) await vi.advanceTimersByTimeAsync(60_000);
    expect((await results).every((answer) => answer.success)).toBe(true);
    expect(server.counts.throttled).toBe(0);
  });

  it('counts status polls against the limits too', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 7) });
    const { client, seen } = testClient(
      (request) =>
        request.method === 'POST'
          ? json({ query_status: { id: 'q', complete: false } }, 202)
          : json({ query_status: { id: 'q', complete: false } }, 202),
      { rateLimits: { perMinute: 8 }, poll: { initialDelayMs: 1, maxDelayMs: 1, timeoutMs: 60_000 } },
    );
    const pending = client.query({ kind: 'HogQLQuery', query: 'select 1' });
    await vi.advanceTimersByTimeAsync(60_000);
    // 8 a minute: a burst of 2, then one every 8.6 s, polls included, the DELETE after the deadline too.
    expect(seen.length).toBeLessThanOrEqual(8);
    await vi.runAllTimersAsync();
    await pending;
  });

  it('recovers from a 429 drawn anyway (another process spends the key): waits as asked, then answers', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 7) });
    const { client, seen } = testClient((_, index) =>
      index === 0
        ? json(
            { type: 'throttled_error', detail: 'Request was throttled. Expected available in 9 seconds.' },
            429,
          )
        : json(hogqlAnswer([[1]])),
    );
    const pending = client.hogql('select 1');
    await vi.runAllTimersAsync();
    expect((await pending).success).toBe(true);
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(9_000);
  });

  it('sends without a limit with rateLimits: false', async () => {
    const { client } = testClient(() => json(hogqlAnswer([[1]])), { rateLimits: false });
    expect(await client.rateLimitState()).toBeUndefined();
    const answers = await Promise.all(Array.from({ length: 100 }, () => client.hogql('select 1')));
    expect(answers.every((answer) => answer.success)).toBe(true);
  });

  it('reports the state of its limits', async () => {
    const { client } = testClient(() => json(hogqlAnswer([[1]])));
    await client.hogql('select 1');
    expect(await client.rateLimitState()).toEqual({
      minute: { tokens: 59 },
      hour: { tokens: 1199 },
      running: 0,
      queued: 0,
    });
  });
});

describe('createPostHogClient: types', () => {
  it("types query()'s answer by the node's kind", async () => {
    const { client } = testClient(() => json({ results: [], columns: [] }));
    const hogql = await client.query({ kind: 'HogQLQuery', query: 'select 1' });
    expectTypeOf(hogql).toEqualTypeOf<ApiResult<HogQLQueryResponse>>();
    const trends = await client.query({
      kind: 'TrendsQuery',
      series: [{ kind: 'EventsNode', event: '$pageview' }],
    });
    expectTypeOf(trends).toEqualTypeOf<ApiResult<TrendsQueryResponse>>();
    const events = await client.query({ kind: 'EventsQuery', select: ['event'] });
    expectTypeOf(events).toEqualTypeOf<ApiResult<EventsQueryResponse>>();
    const funnel = await client.query({ kind: 'FunnelsQuery', series: [] });
    expectTypeOf(funnel).toEqualTypeOf<ApiResult<PostHogQueryResponse>>();
    const rows = await client.hogql<[string, number]>('select event, count() from events group by event');
    if (rows.success) expectTypeOf(rows.data.rows).toEqualTypeOf<[string, number][]>();
  });
});

describe('createPostHogClient: every call resolves', () => {
  it('answers a fetch that throws something odd with a typed error', async () => {
    const { client } = testClient(
      () => {
        throw Symbol('odd');
      },
      { retry: false },
    );
    const result = await client.hogql('select 1');
    expect(result.success).toBe(false);
    expect(!result.success && result.error.name).toBe('IntegrationError');
    expect(QUERY_PATH).toBe('/api/projects/42/query/');
    expect(TEST_HOST).toMatch(/^https:/);
  });
});
