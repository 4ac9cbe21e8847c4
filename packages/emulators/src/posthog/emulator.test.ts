import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createPostHogEmulator,
  POSTHOG_EMULATOR_PROJECT_KEY as KEY,
  POSTHOG_EMULATOR_PERSONAL_KEY as PERSONAL,
  type PostHogEmulator,
  startPostHogEmulator,
} from './emulator.ts';

function post(posthog: PostHogEmulator, path: string, body: unknown, headers: Record<string, string> = {}) {
  const payload: BodyInit =
    body instanceof Uint8Array ? (body as Uint8Array<ArrayBuffer>) : JSON.stringify(body);
  return posthog.handler(
    new Request(`${posthog.baseUrl}${path}`, { method: 'POST', headers, body: payload }),
  ) as Promise<Response>;
}

const batch = (...events: Record<string, unknown>[]) => ({ api_key: KEY, batch: events });

async function query(posthog: PostHogEmulator, body: unknown, path = '/api/projects/1/query/') {
  const response = (await posthog.handler(
    new Request(`${posthog.baseUrl}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${PERSONAL}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }),
  )) as Response;
  return { status: response.status, headers: response.headers, body: await response.json() };
}

async function poll(posthog: PostHogEmulator, id: string) {
  const response = (await posthog.handler(
    new Request(`${posthog.baseUrl}/api/projects/1/query/${id}/`, {
      headers: { Authorization: `Bearer ${PERSONAL}` },
    }),
  )) as Response;
  return { status: response.status, body: await response.json() };
}

const count = (event: string) => ({
  query: { kind: 'HogQLQuery', query: `select count() from events where event = '${event}'` },
});

describe('createPostHogEmulator', () => {
  it('accepts a /batch/ with 200 {"status":"Ok"} and keeps its events', async () => {
    const posthog = createPostHogEmulator();
    const response = await post(posthog, '/batch/', batch({ event: 'a', distinct_id: 'u1', uuid: 'x1' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'Ok' });
    expect(posthog.events()).toMatchObject([{ uuid: 'x1', event: 'a', distinct_id: 'u1', token: KEY }]);
    expect(posthog.counters.count({ route: 'POST /batch/', outcome: 200 })).toBe(1);
  });

  it.each(['/i/v0/e/', '/e/', '/capture/'])('accepts a single event on %s', async (path) => {
    const posthog = createPostHogEmulator();
    const response = await post(posthog, path, { event: 'a', distinct_id: 'u', api_key: KEY });
    expect(response.status).toBe(200);
    expect(posthog.events()).toMatchObject([{ path }]);
  });

  it('reads gzip bodies by header and by ?compression=gzip-js', async () => {
    const posthog = createPostHogEmulator();
    const zipped = new Uint8Array(gzipSync(JSON.stringify(batch({ event: 'a', distinct_id: 'u' }))));
    expect((await post(posthog, '/batch/', zipped, { 'Content-Encoding': 'gzip' })).status).toBe(200);
    expect((await post(posthog, '/batch/?compression=gzip-js', zipped)).status).toBe(200);
    expect(posthog.events()).toHaveLength(2);
  });

  it('refuses the whole batch with a plain-text 400 when one event is invalid, keeping nothing (older service)', async () => {
    const posthog = createPostHogEmulator({ captureErrors: 'text' });
    const response = await post(posthog, '/batch/', batch({ event: 'a', distinct_id: 'u' }, { event: 'b' }));
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toMatch(/distinct_id/);
    expect(posthog.events()).toEqual([]);
  });

  it('answers 401 for another project key (older service), 413 for an oversized event, 404/405 off the capture routes', async () => {
    const posthog = createPostHogEmulator({ maxEventBytes: 500, captureErrors: 'text' });
    const other = await post(posthog, '/batch/', {
      api_key: 'phc_other',
      batch: [{ event: 'a', distinct_id: 'u' }],
    });
    expect([other.status, await other.text()]).toEqual([401, 'API key is not valid']);
    const big = batch({ event: 'a', distinct_id: 'u', properties: { blob: 'x'.repeat(600) } });
    expect((await post(posthog, '/batch/', big)).status).toBe(413);
    expect((await post(posthog, '/nope/', batch())).status).toBe(404);
    const get = await posthog.handler(new Request(`${posthog.baseUrl}/batch/`));
    expect((get as Response).status).toBe(405);
    expect(posthog.events()).toEqual([]);
  });

  it('counts a resent uuid as a duplicate and keeps both copies', async () => {
    const posthog = createPostHogEmulator();
    const body = batch(
      { event: 'a', distinct_id: 'u', uuid: 'same' },
      { event: 'b', distinct_id: 'u', uuid: 'o' },
    );
    await post(posthog, '/batch/', body);
    await post(posthog, '/batch/', body);
    expect(posthog.events()).toHaveLength(4);
    expect(posthog.eventsByUuid('same')).toHaveLength(2);
    expect(posthog.duplicateCount()).toBe(2);
    posthog.reset();
    expect([posthog.events(), posthog.duplicateCount(), posthog.counters.snapshot().total]).toEqual([
      [],
      0,
      0,
    ]);
  });

  it('answers 429 with Retry-After past the configured per-token limit, keeping nothing of the refused request', async () => {
    const posthog = createPostHogEmulator({ rateLimit: { limit: 1, windowMs: 60_000 } });
    expect((await post(posthog, '/batch/', batch({ event: 'a', distinct_id: 'u' }))).status).toBe(200);
    const limited = await post(posthog, '/batch/', batch({ event: 'b', distinct_id: 'u' }));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(posthog.events()).toHaveLength(1);
  });

  it('injects kit faults (a 503 the client should retry)', async () => {
    const posthog = createPostHogEmulator();
    posthog.faults.inject({ kind: 'error', status: 503, route: 'POST /batch/', times: 1 });
    expect((await post(posthog, '/batch/', batch({ event: 'a', distinct_id: 'u' }))).status).toBe(503);
    expect((await post(posthog, '/batch/', batch({ event: 'a', distinct_id: 'u' }))).status).toBe(200);
    expect(posthog.events()).toHaveLength(1);
  });

  it('answers refusals as the newest service by default: JSON { status, code, error }, 403 for another key', async () => {
    const posthog = createPostHogEmulator();
    const invalid = await post(posthog, '/batch/', batch({ event: 'a' }));
    expect([invalid.status, await invalid.json()]).toEqual([
      400,
      { status: 400, code: 'missing_distinct_id', error: 'event submitted without a distinct_id' },
    ]);
    const other = await post(posthog, '/batch/', {
      api_key: 'phc_other',
      batch: [{ event: 'a', distinct_id: 'u' }],
    });
    expect([other.status, (await other.json()).code]).toEqual([403, 'ingest_key_unknown']);
    expect(posthog.counters.count({ route: 'POST /batch/', outcome: '4xx' })).toBe(2);
  });

  it('accepts capture v1 with per-event results, and drops silently over quota', async () => {
    const posthog = createPostHogEmulator({ overQuota: true });
    const uuid = '0190f1d2-3c4b-7a5e-8f60-000000000001';
    const send = () =>
      posthog.handler(
        new Request(`${posthog.baseUrl}/i/v1/analytics/events`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${KEY}`,
            'Content-Type': 'application/json',
            'User-Agent': 'test/1',
            'PostHog-Sdk-Info': 'posthog-node/5.74.0',
            'PostHog-Attempt': '1',
            'PostHog-Request-Id': '0190f1d2-3c4b-7a5e-8f60-0000000000ff',
            'PostHog-Request-Timestamp': '2026-01-15T10:00:00Z',
          },
          body: JSON.stringify({
            created_at: '2026-01-15T10:00:00Z',
            batch: [{ event: 'e', uuid, distinct_id: 'u', timestamp: '2026-01-15T09:00:00Z' }],
          }),
        }),
      ) as Promise<Response>;
    expect(await (await send()).json()).toEqual({
      results: { [uuid]: { result: 'drop', details: 'billing_limit_exceeded' } },
    });
    expect((await post(posthog, '/batch/', batch({ event: 'a', distinct_id: 'u' }))).status).toBe(200);
    expect([posthog.events(), posthog.droppedOverQuota()]).toEqual([[], 2]);
    posthog.setOverQuota(false);
    expect(await (await send()).json()).toEqual({ results: { [uuid]: { result: 'ok' } } });
    expect(posthog.events()).toMatchObject([{ uuid, path: '/i/v1/analytics/events' }]);
    expect(posthog.v1Requests()).toHaveLength(2);
    expect(() => posthog.setOverQuota('yes' as never)).toThrow(
      expect.objectContaining({ field: 'overQuota' }),
    );
    posthog.reset();
    expect([posthog.droppedOverQuota(), posthog.v1Requests()]).toEqual([0, []]);
  });

  it('stamps receivedAt from the now option', async () => {
    const posthog = createPostHogEmulator({ now: () => Date.UTC(2026, 1, 2, 3, 4, 5) });
    await post(posthog, '/batch/', batch({ event: 'a', distinct_id: 'u' }));
    expect(posthog.events()[0]?.receivedAt).toBe('2026-02-02T03:04:05.000Z');
  });

  it('makes captured events (v0 and v1) queryable, and not those dropped over quota', async () => {
    const posthog = createPostHogEmulator();
    await post(
      posthog,
      '/batch/',
      batch({ event: 'signed_up', distinct_id: 'u1' }, { event: 'signed_up', distinct_id: 'u2' }),
    );
    expect(await query(posthog, count('signed_up'))).toMatchObject({ status: 200, body: { results: [[2]] } });
    posthog.setOverQuota(true);
    await post(posthog, '/batch/', batch({ event: 'signed_up', distinct_id: 'u3' }));
    expect((await query(posthog, count('signed_up'))).body.results).toEqual([[2]]);
    expect(posthog.eventCount()).toBe(2);
    expect(posthog.queryRequests()).toHaveLength(2);
  });

  it('reads seeded events too, and reset forgets them with every query status and count', async () => {
    const posthog = createPostHogEmulator({ now: () => Date.UTC(2026, 0, 15, 12) });
    posthog.seedEvents([
      {
        uuid: 's1',
        event: 'seeded',
        distinct_id: 'u',
        properties: {},
        timestamp: '2026-01-15T10:00:00Z',
        token: KEY,
        path: '/batch/',
      },
    ]);
    expect(posthog.eventCount()).toBe(1);
    expect(posthog.events()).toEqual([]);
    expect((await query(posthog, count('seeded'))).body.results).toEqual([[1]]);
    await query(posthog, { ...count('seeded'), refresh: 'async', client_query_id: 'kept' });
    posthog.reset();
    expect([
      posthog.eventCount(),
      posthog.queryStats().queries,
      (await poll(posthog, 'kept')).status,
    ]).toEqual([0, 0, 404]);
    expect(() => posthog.seedEvents('no' as never)).toThrow(expect.objectContaining({ field: 'events' }));
  });

  it('makes every query async with asyncQueries, finishing by the now clock', async () => {
    let now = Date.UTC(2026, 0, 15, 12);
    const posthog = createPostHogEmulator({ asyncQueries: { completeAfterMs: 5_000 }, now: () => now });
    const posted = await query(posthog, count('x'));
    expect(posted.status).toBe(202);
    expect(posted.body.query_status.id).toMatch(/^[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
    expect((await poll(posthog, posted.body.query_status.id)).status).toBe(202);
    now += 5_000;
    const done = await poll(posthog, posted.body.query_status.id);
    expect([done.status, done.body.query_status.results.results]).toEqual([200, [[0]]]);
    expect(posthog.queryStats()).toMatchObject({ queries: 1, asyncQueries: 1, polls: 2, running: 0 });
  });

  it("throttles queries at the configured rate (PostHog's 240/min and 2 400/h by default), or not at all", async () => {
    const limited = createPostHogEmulator({ queryRateLimits: { perHour: 2 } });
    expect((await query(limited, count('x'))).status).toBe(200);
    expect((await query(limited, count('x'))).status).toBe(200);
    const refused = await query(limited, count('x'));
    expect([refused.status, refused.body.code, refused.headers.get('retry-after')]).toEqual([
      429,
      'throttled',
      '3600',
    ]);
    expect(limited.queryStats().throttled).toBe(1);
    expect(limited.counters.count({ route: 'POST /api/projects/1/query/', outcome: 429 })).toBe(1);
    const free = createPostHogEmulator({ queryRateLimits: false });
    for (let i = 0; i < 250; i++) await query(free, count('x'));
    expect(free.queryStats()).toMatchObject({ queries: 250, throttled: 0 });
  });

  it('serves the configured project and personal key only', async () => {
    const posthog = createPostHogEmulator({ projectId: 7, personalApiKey: 'phx_mine' });
    expect([posthog.projectId, posthog.personalApiKey]).toEqual([7, 'phx_mine']);
    expect((await query(posthog, count('x'), '/api/projects/7/query/')).status).toBe(403);
    const ok = (await posthog.handler(
      new Request(`${posthog.baseUrl}/api/projects/7/query/`, {
        method: 'POST',
        headers: { Authorization: 'Bearer phx_mine' },
        body: JSON.stringify(count('x')),
      }),
    )) as Response;
    expect(ok.status).toBe(200);
  });

  it('marks the environments alias with the configured headers', async () => {
    const posthog = createPostHogEmulator({ environmentsAlias: { sunset: 'Wed, 01 Sep 2027 00:00:00 GMT' } });
    const answer = await query(posthog, count('x'), '/api/environments/1/query/');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('sunset')).toBe('Wed, 01 Sep 2027 00:00:00 GMT');
    expect(answer.headers.get('deprecation')).toBe('@1779926400');
  });

  it.each([
    ['personalApiKey', { personalApiKey: '' }],
    ['projectId', { projectId: 0 }],
    ['asyncQueries', { asyncQueries: {} }],
    ['asyncQueries.completeAfterPolls', { asyncQueries: { completeAfterPolls: 0 } }],
    ['queryRateLimits.perMinute', { queryRateLimits: { perMinute: 0 } }],
    ['maxConcurrentQueries', { maxConcurrentQueries: 0 }],
    ['concurrencyWaitMs', { concurrencyWaitMs: -1 }],
    ['queryLatencyMs', { queryLatencyMs: 1.5 }],
    ['environmentsAlias.sunset', { environmentsAlias: { sunset: '' } }],
    ['captureErrors', { captureErrors: 'xml' }],
    ['overQuota', { overQuota: 1 }],
    ['now', { now: 5 }],
    ['projectKey', { projectKey: '' }],
    ['maxEventBytes', { maxEventBytes: 0 }],
    ['rateLimit.limit', { rateLimit: { limit: 0, windowMs: 1 } }],
    ['baseUrl', { baseUrl: 3 }],
  ])('refuses a bad %s by name', (field, options) => {
    expect(() => createPostHogEmulator(options as never)).toThrow(expect.objectContaining({ field }));
  });

  it('hands out copies: changing a read event leaves the stored one alone', async () => {
    const posthog = createPostHogEmulator();
    await post(posthog, '/batch/', batch({ event: 'a', distinct_id: 'u', properties: { n: 1 } }));
    const [event] = posthog.events();
    if (event) event.properties.n = 2;
    expect(posthog.events()[0]?.properties.n).toBe(1);
  });
});

describe('startPostHogEmulator', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('serves capture over HTTP, gzip included', async () => {
    const running = await startPostHogEmulator({ port: 0 });
    close = running.close;
    const response = await fetch(`${running.url}/batch/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      body: gzipSync(JSON.stringify(batch({ event: 'a', distinct_id: 'u' }))),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'Ok' });
    expect(running.emulator.events()).toHaveLength(1);
  });

  it('serves the query API over HTTP', async () => {
    const running = await startPostHogEmulator({ port: 0 });
    close = running.close;
    await fetch(`${running.url}/batch/`, {
      method: 'POST',
      body: JSON.stringify(batch({ event: 'a', distinct_id: 'u' })),
    });
    const response = await fetch(`${running.url}/api/projects/1/query/`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${PERSONAL}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(count('a')),
    });
    expect([response.status, (await response.json()).results]).toEqual([200, [[1]]]);
  });

  it('rejects bad options by name', async () => {
    await expect(startPostHogEmulator({ port: -1 })).rejects.toMatchObject({ field: 'port' });
    await expect(startPostHogEmulator({ projectId: 'one' as never })).rejects.toMatchObject({
      field: 'projectId',
    });
  });
});
