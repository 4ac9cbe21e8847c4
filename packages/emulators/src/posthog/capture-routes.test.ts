import { describe, expect, it } from 'vitest';
import { createWindowRateLimiter } from '../kit/rate-limiter.ts';
import type { CapturedEvent } from './capture.ts';
import { type CaptureRoutesConfig, createCaptureRoutes } from './capture-routes.ts';

const KEY = 'phc_key';
const BASE = 'http://posthog.test';
let n = 0;
function routes(overrides: Partial<CaptureRoutesConfig> = {}) {
  const accepted: CapturedEvent[][] = [];
  const capture = createCaptureRoutes({
    projectKey: KEY,
    limits: { maxBodyBytes: 100_000, maxEventBytes: 10_000 },
    limiter: undefined,
    errors: 'json',
    overQuota: false,
    clock: () => Date.UTC(2026, 0, 15, 10, 0, 0),
    newUuid: () => `gen-${++n}`,
    onAccepted: (events) => accepted.push(events),
    ...overrides,
  });
  return { capture, accepted };
}
const v0 = (body: unknown, path = '/batch/') =>
  new Request(`${BASE}${path}`, { method: 'POST', body: JSON.stringify(body) });
const uuid = (i: number) => `0190f1d2-3c4b-7a5e-8f60-${String(i).padStart(12, '0')}`;
const v1 = (events: unknown[], headers: Record<string, string> = {}) =>
  new Request(`${BASE}/i/v1/analytics/events`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${KEY}`,
      'Content-Type': 'application/json',
      'User-Agent': 'test/1',
      'PostHog-Sdk-Info': 'posthog-node/5.74.0',
      'PostHog-Attempt': '1',
      'PostHog-Request-Id': uuid(999),
      'PostHog-Request-Timestamp': '2026-01-15T10:00:00Z',
      ...headers,
    },
    body: JSON.stringify({ created_at: '2026-01-15T10:00:00Z', batch: events }),
  });
const v1Event = (i: number) => ({
  event: 'e',
  uuid: uuid(i),
  distinct_id: 'u',
  timestamp: '2026-01-15T09:00:00Z',
});

describe('createCaptureRoutes', () => {
  it('leaves other paths alone', async () => {
    const { capture } = routes();
    expect(await capture.handle(new Request(`${BASE}/api/projects/1/query/`))).toBeUndefined();
  });

  it('keeps accepted v0 events with their arrival time and hands copies to onAccepted', async () => {
    const { capture, accepted } = routes();
    const answer = (await capture.handle(
      v0({ api_key: KEY, batch: [{ event: 'a', distinct_id: 'u', uuid: 'x' }] }),
    ))!;
    expect([answer.status, await answer.json()]).toEqual([200, { status: 'Ok' }]);
    expect(capture.events()).toMatchObject([{ uuid: 'x', receivedAt: '2026-01-15T10:00:00.000Z' }]);
    expect(accepted).toEqual([[expect.objectContaining({ uuid: 'x', token: KEY })]]);
  });

  it('answers another key with 403 ingest_key_unknown (json) or 401 text (older service)', async () => {
    const body = { api_key: 'phc_other', batch: [{ event: 'a', distinct_id: 'u' }] };
    const json = (await routes().capture.handle(v0(body)))!;
    expect([json.status, (await json.json()).code]).toEqual([403, 'ingest_key_unknown']);
    const text = (await routes({ errors: 'text' }).capture.handle(v0(body)))!;
    expect([text.status, await text.text()]).toEqual([401, 'API key is not valid']);
  });

  it('answers two keys in one request with 400 unroutable_events (json), a missing key with 401', async () => {
    const { capture } = routes();
    const two = (await capture.handle(
      v0({ api_key: KEY, batch: [{ event: 'a', distinct_id: 'u', properties: { token: 'phc_b' } }] }),
    ))!;
    expect([two.status, (await two.json()).code]).toEqual([400, 'unroutable_events']);
    const none = (await capture.handle(v0({ batch: [{ event: 'a', distinct_id: 'u' }] })))!;
    expect([none.status, (await none.json()).code]).toEqual([401, 'ingest_key_required']);
  });

  it('answers the per-token 429 with Retry-After in both styles', async () => {
    for (const errors of ['json', 'text'] as const) {
      const limiter = createWindowRateLimiter({ limit: 1, windowMs: 60_000 });
      const { capture } = routes({ limiter, errors });
      const body = { api_key: KEY, batch: [{ event: 'a', distinct_id: 'u' }] };
      expect((await capture.handle(v0(body)))!.status).toBe(200);
      const limited = (await capture.handle(v0(body)))!;
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('60');
    }
  });

  it('over quota: v0 answers 200 Ok and v1 drop billing_limit_exceeded, keeping and indexing nothing', async () => {
    const { capture, accepted } = routes({ overQuota: true });
    const answer = (await capture.handle(
      v0({
        api_key: KEY,
        batch: [
          { event: 'a', distinct_id: 'u' },
          { event: 'b', distinct_id: 'u' },
        ],
      }),
    ))!;
    expect([answer.status, await answer.json()]).toEqual([200, { status: 'Ok' }]);
    const v1Answer = (await capture.handle(v1([v1Event(1)])))!;
    expect(await v1Answer.json()).toEqual({
      results: { [uuid(1)]: { result: 'drop', details: 'billing_limit_exceeded' } },
    });
    expect([capture.events(), accepted, capture.droppedOverQuota()]).toEqual([[], [], 3]);
    capture.setOverQuota(false);
    expect((await capture.handle(v1([v1Event(2)])))!.status).toBe(200);
    expect(capture.events()).toHaveLength(1);
    capture.reset();
    expect([capture.events(), capture.droppedOverQuota()]).toEqual([[], 0]);
  });

  it('v1: answers ok per event, logs request ids and attempts, counts a resent uuid as a duplicate', async () => {
    const { capture } = routes();
    const first = (await capture.handle(v1([v1Event(1), v1Event(2)])))!;
    expect(await first.json()).toEqual({
      results: { [uuid(1)]: { result: 'ok' }, [uuid(2)]: { result: 'ok' } },
    });
    await capture.handle(v1([v1Event(1), v1Event(2)], { 'PostHog-Attempt': '2' }));
    expect(capture.v1Requests()).toEqual([
      { requestId: uuid(999), attempt: 1, eventCount: 2, status: 200 },
      { requestId: uuid(999), attempt: 2, eventCount: 2, status: 200 },
    ]);
    expect([capture.events().length, capture.duplicateCount()]).toEqual([4, 2]);
    expect(capture.events()[0]).toMatchObject({ path: '/i/v1/analytics/events', token: KEY });
  });

  it('v1: refuses another key with 401, a bad body with 400, the limit with a final 429, GET with 405', async () => {
    const limiter = createWindowRateLimiter({ limit: 1, windowMs: 60_000 });
    const { capture } = routes({ limiter });
    const other = (await capture.handle(v1([v1Event(1)], { Authorization: 'Bearer phc_other' })))!;
    expect([other.status, (await other.json()).error]).toEqual([401, 'invalid_api_token']);
    const empty = (await capture.handle(v1([])))!;
    expect([empty.status, (await empty.json()).error]).toEqual([400, 'empty_batch']);
    expect((await capture.handle(v1([v1Event(1)])))!.status).toBe(200);
    const limited = (await capture.handle(v1([v1Event(2)])))!;
    expect([limited.status, limited.headers.get('retry-after'), (await limited.json()).error]).toEqual([
      429,
      '1',
      'rate_limited',
    ]);
    const get = (await capture.handle(new Request(`${BASE}/i/v1/analytics/events`)))!;
    expect(get.status).toBe(405);
    const noHeaders = (await capture.handle(
      new Request(`${BASE}/i/v1/analytics/events`, { method: 'POST', body: '{}' }),
    ))!;
    expect(noHeaders.status).toBe(401);
    expect(capture.v1Requests().map((r) => r.status)).toEqual([401, 400, 200, 429]);
    expect(capture.events()).toHaveLength(1);
  });
});
