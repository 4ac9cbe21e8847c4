// The query protocol: the POST, a 202 polled until complete, cancels on abort and deadline, failed queries.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, QUERY_PATH, testClient } from '../../test-support/query-fetch.ts';

const HOGQL = { kind: 'HogQLQuery', query: 'select 1' } as const;
const answer = { results: [[1]], columns: ['1'], types: [['1', 'UInt8']], hasMore: false };
const running = (id = 'q-1') => ({ query_status: { id, complete: false, team_id: 42 } });
const done = (id = 'q-1', results: unknown = answer) => ({
  query_status: { id, complete: true, error: false, results, team_id: 42 },
});

afterEach(() => {
  vi.useRealTimers();
});

describe('the POST', () => {
  it('sends the node under `query` with a client_query_id, refresh and name, and reads a 200 as the answer', async () => {
    const { client, seen } = testClient(() => json(answer));
    const result = await client.query(HOGQL, { refresh: 'force_blocking', name: 'daily' });
    expect(result).toEqual({ success: true, data: answer });
    expect(seen).toHaveLength(1);
    const [post] = seen;
    expect(post?.method).toBe('POST');
    expect(post?.path).toBe(QUERY_PATH);
    expect(post?.body).toEqual({
      query: HOGQL,
      client_query_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      refresh: 'force_blocking',
      name: 'daily',
    });
  });

  it('sends no refresh unless asked (PostHog then blocks)', async () => {
    const { client, seen } = testClient(() => json(answer));
    await client.query(HOGQL);
    expect(seen[0]?.body).not.toHaveProperty('refresh');
  });

  it('reads a 200 carrying a complete query_status as the answer, without polling', async () => {
    const body = { ...answer, query_status: { id: 'q-1', complete: true } };
    const { client, seen } = testClient(() => json(body));
    expect(await client.query(HOGQL)).toMatchObject({ success: true, data: { results: [[1]] } });
    expect(seen).toHaveLength(1);
  });
});

describe('the asynchronous protocol', () => {
  it('polls a 202 with backoff until complete and answers the response inside query_status.results', async () => {
    vi.useFakeTimers();
    const { client, seen } = testClient(
      (request, index) => {
        if (request.method === 'POST') return json(running(), 202);
        return index < 3 ? json(running(), 202) : json(done(), 200);
      },
      { poll: { initialDelayMs: 500, maxDelayMs: 2_000 } },
    );
    const pending = client.query(HOGQL, { refresh: 'async' });
    await vi.runAllTimersAsync();
    expect(await pending).toEqual({ success: true, data: answer });
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST ${QUERY_PATH}`,
      `GET ${QUERY_PATH}q-1/`,
      `GET ${QUERY_PATH}q-1/`,
      `GET ${QUERY_PATH}q-1/`,
    ]);
    const gaps = seen.slice(1).map((r, i) => r.at - seen[i]!.at);
    expect(gaps).toEqual([500, 1_000, 2_000]);
  });

  it('polls the id of the query_status, encoded, and refuses one that would change the route', async () => {
    const { client, seen } = testClient((request) =>
      request.method === 'POST' ? json(running('a b'), 202) : json(done('a b')),
    );
    expect((await client.query(HOGQL)).success).toBe(true);
    expect(seen[1]?.path).toBe(`${QUERY_PATH}a%20b/`);
    const bad = testClient(() => json(running('../../insights'), 202));
    expect(await bad.client.query(HOGQL)).toMatchObject({
      success: false,
      error: { code: 'INVALID_RESPONSE', field: 'query_status.id' },
    });
    expect(bad.seen).toHaveLength(1);
  });

  it('cancels the query (DELETE) when the caller aborts while it runs, and resolves ABORTED', async () => {
    const controller = new AbortController();
    const { client, seen } = testClient((request) => {
      if (request.method === 'POST') return json(running(), 202);
      if (request.method === 'GET') controller.abort();
      return json(
        request.method === 'DELETE' ? { message: 'cancelled' } : running(),
        request.method === 'DELETE' ? 200 : 202,
      );
    });
    const result = await client.query(HOGQL, { refresh: 'async', signal: controller.signal });
    expect(result).toMatchObject({ success: false, error: { code: 'ABORTED' } });
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST ${QUERY_PATH}`,
      `GET ${QUERY_PATH}q-1/`,
      `DELETE ${QUERY_PATH}q-1/`,
    ]);
  });

  it('cancels a query aborted between two polls', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const { client, seen } = testClient(
      (request) =>
        json(
          request.method === 'DELETE' ? { message: 'ok' } : running(),
          request.method === 'DELETE' ? 200 : 202,
        ),
      { poll: { initialDelayMs: 1_000 } },
    );
    const pending = client.query(HOGQL, { refresh: 'async', signal: controller.signal });
    await vi.advanceTimersByTimeAsync(1_500);
    controller.abort();
    await vi.runAllTimersAsync();
    expect(await pending).toMatchObject({ success: false, error: { code: 'ABORTED' } });
    expect(seen.map((r) => r.method)).toEqual(['POST', 'GET', 'DELETE']);
  });

  it('cancels a blocking query by its client_query_id when the caller aborts during the POST', async () => {
    const controller = new AbortController();
    const { client, seen } = testClient((request) => {
      if (request.method === 'POST') {
        controller.abort();
        return new Promise<Response>(() => {});
      }
      return json({ message: 'ok' });
    });
    const result = await client.query(HOGQL, { signal: controller.signal });
    expect(result).toMatchObject({ success: false, error: { code: 'ABORTED' } });
    const id = seen[0]?.body?.client_query_id as string;
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST ${QUERY_PATH}`,
      `DELETE ${QUERY_PATH}${id}/`,
    ]);
  });

  it('sends nothing for a query aborted before it starts', async () => {
    const { client, seen } = testClient(() => json(answer));
    expect(await client.query(HOGQL, { signal: AbortSignal.abort() })).toMatchObject({
      success: false,
      error: { code: 'ABORTED' },
    });
    expect(seen).toEqual([]);
  });

  it("ends a failed query (a 400 poll with error_message) with PostHog's message, without retrying", async () => {
    const { client, seen } = testClient((request) =>
      request.method === 'POST'
        ? json(running(), 202)
        : json(
            {
              query_status: {
                id: 'q-1',
                complete: true,
                error: true,
                error_message: 'Query exceeds memory limits',
              },
            },
            400,
          ),
    );
    const result = await client.query(HOGQL, { refresh: 'async' });
    expect(result).toMatchObject({
      success: false,
      error: { code: 'VALIDATION_ERROR', status: 400, retryable: false },
    });
    expect(!result.success && result.error.message).toContain('Query exceeds memory limits');
    expect(seen).toHaveLength(2);
  });

  it('ends a query whose status says error (500 without a message) as a final SERVER_ERROR', async () => {
    const { client, seen } = testClient((request) =>
      request.method === 'POST'
        ? json(running(), 202)
        : json({ query_status: { id: 'q-1', complete: true, error: true } }, 500),
    );
    expect(await client.query(HOGQL)).toMatchObject({
      success: false,
      error: { code: 'SERVER_ERROR', retryable: false },
    });
    expect(seen).toHaveLength(2);
  });

  it('ends a query whose 2xx status says error with PostHog message', async () => {
    const failed = { query_status: { id: 'q-1', complete: true, error: true, error_message: 'Bad field' } };
    const { client } = testClient(() => json(failed, 202));
    const result = await client.query(HOGQL);
    expect(result).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR', retryable: false } });
    expect(!result.success && result.error.message).toBe('PostHog query failed: Bad field');
  });

  it('cancels a query still running at poll.timeoutMs and ends with TIMEOUT', async () => {
    vi.useFakeTimers();
    const { client, seen } = testClient(
      (request) =>
        json(
          request.method === 'DELETE' ? { message: 'ok' } : running(),
          request.method === 'DELETE' ? 200 : 202,
        ),
      { poll: { initialDelayMs: 1_000, maxDelayMs: 1_000, timeoutMs: 10_000 } },
    );
    const pending = client.query(HOGQL, { refresh: 'async' });
    await vi.runAllTimersAsync();
    expect(await pending).toMatchObject({
      success: false,
      error: { code: 'TIMEOUT', field: 'poll.timeoutMs' },
    });
    expect(seen.at(-1)?.method).toBe('DELETE');
    expect(seen.filter((r) => r.method === 'GET').length).toBe(10);
  });

  it('retries a status poll that fails on the way (a 502), then goes on polling', async () => {
    const { client, seen } = testClient((request, index) => {
      if (request.method === 'POST') return json(running(), 202);
      if (index === 1) return new Response('Bad Gateway', { status: 502 });
      return json(done());
    });
    expect((await client.query(HOGQL)).success).toBe(true);
    expect(seen.map((r) => r.method)).toEqual(['POST', 'GET', 'GET']);
  });
});

describe('answers', () => {
  it('validates the answer of a typed kind: a body without results is INVALID_RESPONSE naming the field', async () => {
    const { client } = testClient(() => json({ columns: ['x'] }));
    expect(await client.query(HOGQL)).toMatchObject({
      success: false,
      error: { code: 'INVALID_RESPONSE', field: 'results', retryable: false },
    });
  });

  it('validates the answer inside a finished poll too', async () => {
    const { client } = testClient((request) =>
      request.method === 'POST' ? json(running(), 202) : json(done('q-1', { results: 'nope' })),
    );
    expect(await client.query(HOGQL)).toMatchObject({ success: false, error: { code: 'INVALID_RESPONSE' } });
  });

  it.each([
    [
      'not JSON',
      () => new Response('<html>oops</html>', { status: 200, headers: { 'content-type': 'text/html' } }),
    ],
    ['a JSON array', () => json([1, 2])],
    ['a 202 without a status', () => json({ hello: 'world' }, 202)],
    ['a status without an id', () => json({ query_status: { complete: false } }, 202)],
  ])('answers a malformed body (%s) with INVALID_RESPONSE', async (_, respond) => {
    const { client } = testClient(
      (request) => (request.method === 'POST' ? respond() : json({ nope: true })),
      {
        retry: false,
      },
    );
    expect(await client.query(HOGQL)).toMatchObject({ success: false, error: { code: 'INVALID_RESPONSE' } });
  });

  it('passes another kind through with a loose answer', async () => {
    const funnel = { kind: 'FunnelsQuery', series: [{ kind: 'EventsNode', event: 'signup' }] };
    const body = { results: [{ count: 3 }], is_cached: true };
    const { client, seen } = testClient(() => json(body));
    expect(await client.query(funnel)).toEqual({ success: true, data: body });
    expect(seen[0]?.body?.query).toEqual(funnel);
  });
});

describe('timeouts', () => {
  it('cancels a blocking query that outlives timeoutMs instead of starting it again, and ends with TIMEOUT', async () => {
    const { client, seen } = testClient(
      (request) => (request.method === 'POST' ? new Promise<Response>(() => {}) : json({ message: 'ok' })),
      { timeoutMs: 50 },
    );
    expect(await client.query(HOGQL)).toMatchObject({ success: false, error: { code: 'TIMEOUT' } });
    expect(seen.map((r) => r.method)).toEqual(['POST', 'DELETE']);
  });

  it('retries a status poll that times out', async () => {
    let polls = 0;
    const { client } = testClient(
      (request) => {
        if (request.method === 'POST') return json(running(), 202);
        polls += 1;
        return polls === 1 ? new Promise<Response>(() => {}) : json(done());
      },
      { timeoutMs: 50 },
    );
    expect((await client.query(HOGQL)).success).toBe(true);
    expect(polls).toBe(2);
  });
});
