// Wire contract of PostHog's capture service and query API, with plain fetch. Runs against the emulator, or against
// a live PostHog: the query half when POSTHOG_URL (e.g. https://eu.posthog.com), POSTHOG_PERSONAL_API_KEY (scope
// query:read) and POSTHOG_PROJECT_ID are set, the capture half when POSTHOG_CAPTURE_URL (e.g.
// https://eu.i.posthog.com) and POSTHOG_KEY (the project key) are set. Emulator-only checks are skipped live. Every
// expectation was read off PostHog's source (see the files beside this one); run it live before trusting the emulator.

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  POSTHOG_EMULATOR_PERSONAL_KEY,
  POSTHOG_EMULATOR_PROJECT_KEY,
  startPostHogEmulator,
} from './emulator.ts';

const env = process.env;
const LIVE_QUERY = Boolean(env.POSTHOG_URL && env.POSTHOG_PERSONAL_API_KEY && env.POSTHOG_PROJECT_ID);
const LIVE_CAPTURE = Boolean(env.POSTHOG_CAPTURE_URL && env.POSTHOG_KEY);
const LIVE = LIVE_QUERY || LIVE_CAPTURE;
const emulatorOnly = it.skipIf(LIVE);
const queryIt = it.skipIf(LIVE_CAPTURE && !LIVE_QUERY);
const captureIt = it.skipIf(LIVE_QUERY && !LIVE_CAPTURE);
if (LIVE) vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let apiBase = '';
let captureBase = '';
let personalKey = '';
let projectId = '';
let projectKey = '';
const closers: (() => Promise<void>)[] = [];
// Unique per run, so a live project's events never collide with the test's.
const tag = `pb_contract_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;

interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: wire bodies are inspected freely in assertions
  body: any;
}

async function send(url: string, init: RequestInit): Promise<Answer> {
  let response = await fetch(url, init);
  // A live project allows 240 queries a minute: wait out a 429 that says how long (the emulator is not limited here).
  for (let attempt = 0; LIVE && response.status === 429 && attempt < 3; attempt++) {
    const seconds = Number(response.headers.get('retry-after'));
    if (!Number.isFinite(seconds) || seconds <= 0) break;
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    response = await fetch(url, init);
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Plain text stays text.
  }
  return { status: response.status, headers: response.headers, body };
}

const api = (method: string, path: string, body?: unknown, key: string | null = personalKey) =>
  send(`${apiBase}${path}`, {
    method,
    headers: {
      ...(key === null ? {} : { Authorization: `Bearer ${key}` }),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const capture = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  send(`${captureBase}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

const v1Headers = (attempt = 1): Record<string, string> => ({
  Authorization: `Bearer ${projectKey}`,
  'User-Agent': 'patchbay-contract/1.0',
  'PostHog-Sdk-Info': 'patchbay-contract/1.0.0',
  'PostHog-Attempt': String(attempt),
  'PostHog-Request-Id': randomUUID(),
  'PostHog-Request-Timestamp': new Date().toISOString(),
});

const hogql = (sql: string) => ({ kind: 'HogQLQuery', query: sql });

async function pollUntilDone(id: string): Promise<Answer> {
  const deadline = Date.now() + (LIVE ? 60_000 : 5_000);
  for (;;) {
    const answer = await api('GET', `/api/projects/${projectId}/query/${id}/`);
    if (answer.status !== 202 || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, LIVE ? 500 : 5));
  }
}

beforeAll(async () => {
  if (LIVE) {
    apiBase = (env.POSTHOG_URL ?? '').replace(/\/+$/, '');
    captureBase = (env.POSTHOG_CAPTURE_URL ?? '').replace(/\/+$/, '');
    personalKey = env.POSTHOG_PERSONAL_API_KEY ?? '';
    projectId = env.POSTHOG_PROJECT_ID ?? '';
    projectKey = env.POSTHOG_KEY ?? '';
    return;
  }
  const posthog = await startPostHogEmulator();
  closers.push(posthog.close);
  apiBase = posthog.url;
  captureBase = posthog.url;
  personalKey = POSTHOG_EMULATOR_PERSONAL_KEY;
  projectId = String(posthog.emulator.projectId);
  projectKey = POSTHOG_EMULATOR_PROJECT_KEY;
});

afterAll(async () => {
  for (const close of closers) await close();
});

describe('capture v0', () => {
  captureIt('accepts a batch with 200 and a status', async () => {
    const answer = await capture('/batch/', {
      api_key: projectKey,
      batch: [{ event: `${tag}_batch`, distinct_id: tag, properties: { source: 'contract' } }],
    });
    expect(answer.status).toBe(200);
    // Wire notes: `{"status":"Ok"}`, older servers `{"status":1}`.
    expect(['Ok', 1]).toContain(answer.body.status);
  });

  captureIt(
    'refuses the whole request for one event without a distinct id: 400 missing_distinct_id',
    async () => {
      const answer = await capture('/batch/', {
        api_key: projectKey,
        batch: [{ event: `${tag}_ok`, distinct_id: tag }, { event: `${tag}_bad` }],
      });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        status: 400,
        code: 'missing_distinct_id',
        error: 'event submitted without a distinct_id',
      });
    },
  );

  captureIt('refuses an empty batch: 400 empty_batch', async () => {
    const answer = await capture('/batch/', { api_key: projectKey, batch: [] });
    expect([answer.status, answer.body.code]).toEqual([400, 'empty_batch']);
  });

  captureIt('refuses a key naming no project: 403 ingest_key_unknown', async () => {
    const answer = await capture('/batch/', {
      api_key: `phc_${tag}_unknown`,
      batch: [{ event: `${tag}_x`, distinct_id: tag }],
    });
    expect([answer.status, answer.body.code]).toEqual([403, 'ingest_key_unknown']);
  });

  captureIt('refuses a request without a key: 401 ingest_key_required', async () => {
    const answer = await capture('/batch/', { batch: [{ event: `${tag}_x`, distinct_id: tag }] });
    expect([answer.status, answer.body.code]).toEqual([401, 'ingest_key_required']);
  });
});

describe('capture v1', () => {
  captureIt('answers each event by uuid', async () => {
    const uuids = [randomUUID(), randomUUID()];
    const answer = await capture(
      '/i/v1/analytics/events',
      {
        created_at: new Date().toISOString(),
        batch: uuids.map((uuid) => ({
          event: `${tag}_v1`,
          uuid,
          distinct_id: tag,
          timestamp: new Date().toISOString(),
          properties: {},
        })),
      },
      v1Headers(),
    );
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body.results).sort()).toEqual([...uuids].sort());
    for (const uuid of uuids) expect(['ok', 'warning']).toContain(answer.body.results[uuid].result);
  });

  captureIt('refuses missing headers with 400 missing_required_headers', async () => {
    const headers = v1Headers();
    delete headers['PostHog-Attempt'];
    const answer = await capture('/i/v1/analytics/events', { created_at: 'x', batch: [] }, headers);
    expect([answer.status, answer.body.error]).toEqual([400, 'missing_required_headers']);
    expect(answer.body.error_uri).toBe('https://posthog.com/docs/api');
  });
});

describe('query API: auth and routing', () => {
  queryIt(
    'refuses a request without a key: authentication_error not_authenticated (403 on this viewset)',
    async () => {
      const answer = await api(
        'POST',
        `/api/projects/${projectId}/query/`,
        { query: hogql('select 1') },
        null,
      );
      expect(answer.status).toBe(403);
      expect(answer.body).toEqual({
        type: 'authentication_error',
        code: 'not_authenticated',
        detail: 'Authentication credentials were not provided.',
        attr: null,
      });
    },
  );

  queryIt('refuses a wrong personal key: authentication_failed', async () => {
    const answer = await api(
      'POST',
      `/api/projects/${projectId}/query/`,
      { query: hogql('select 1') },
      `phx_${tag}`,
    );
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({
      type: 'authentication_error',
      code: 'authentication_failed',
      detail: 'Personal API key found in request Authorization header is invalid.',
      attr: null,
    });
  });

  queryIt('answers a project that does not exist 404 Project not found.', async () => {
    const answer = await api('POST', '/api/projects/2147483646/query/', { query: hogql('select 1') });
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ type: 'invalid_request', code: 'not_found' });
  });

  queryIt('answers the removed insights/trend endpoint 404', async () => {
    const answer = await api('GET', `/api/projects/${projectId}/insights/trend/`);
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ type: 'invalid_request', code: 'not_found' });
  });

  queryIt('serves /api/environments/ as a deprecated alias', async () => {
    const answer = await api('POST', `/api/environments/${projectId}/query/`, { query: hogql('select 1') });
    expect(answer.status).toBe(200);
    expect(answer.body.results).toEqual([[1]]);
    expect(answer.headers.get('deprecation')).toBeTruthy();
    expect(answer.headers.get('sunset')).toBeTruthy();
  });
});

describe('query API: queries', () => {
  queryIt('answers a blocking HogQL query 200 with results, columns and types', async () => {
    const answer = await api('POST', `/api/projects/${projectId}/query/`, {
      query: hogql('select 1'),
      name: 'patchbay contract',
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      results: [[1]],
      columns: expect.any(Array),
      types: expect.any(Array),
    });
    expect(answer.body.is_cached === false || answer.body.is_cached === true).toBe(true);
  });

  queryIt('answers a HogQL error 400 validation_error', async () => {
    const answer = await api('POST', `/api/projects/${projectId}/query/`, {
      query: hogql('select no_such_column_xyz from events'),
      refresh: 'force_blocking',
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ type: 'validation_error', detail: expect.any(String) });
  });

  queryIt('runs force_async: 202 { query_status }, polls to 200 with the whole response', async () => {
    const posted = await api('POST', `/api/projects/${projectId}/query/`, {
      query: hogql('select 1'),
      refresh: 'force_async',
      client_query_id: `${tag}_async`,
    });
    expect(posted.status).toBe(202);
    expect(posted.body.query_status).toMatchObject({
      id: `${tag}_async`,
      complete: false,
      error: false,
      query_async: true,
      team_id: Number(projectId),
    });
    const done = await pollUntilDone(`${tag}_async`);
    expect(done.status).toBe(200);
    expect(done.body.query_status).toMatchObject({
      complete: true,
      error: false,
      results: { results: [[1]] },
    });
    const cancel = await api('DELETE', `/api/projects/${projectId}/query/${tag}_async/`);
    expect([cancel.status, cancel.body]).toEqual([200, { message: 'Query already complete' }]);
  });

  queryIt('polls an unknown query 404 and cancels it with 200 { message }', async () => {
    const poll = await api('GET', `/api/projects/${projectId}/query/${tag}_missing/`);
    expect(poll.status).toBe(404);
    expect(poll.body).toMatchObject({ type: 'invalid_request', code: 'not_found' });
    const cancel = await api('DELETE', `/api/projects/${projectId}/query/${tag}_missing/?dequeue_only=true`);
    expect([cancel.status, cancel.body]).toEqual([
      200,
      { message: 'Only tried to dequeue, not cancelling query on clickhouse' },
    ]);
  });

  queryIt('lists events (deprecated) as { next, results }', async () => {
    const answer = await api('GET', `/api/projects/${projectId}/events/?limit=1`);
    expect(answer.status).toBe(200);
    expect(answer.body).toHaveProperty('next');
    expect(Array.isArray(answer.body.results)).toBe(true);
  });

  it.skipIf(LIVE && !(LIVE_QUERY && LIVE_CAPTURE))('makes captured events queryable', async () => {
    const event = `${tag}_queryable`;
    const sent = await capture('/batch/', {
      api_key: projectKey,
      batch: [1, 2, 3].map((n) => ({
        event,
        distinct_id: `${tag}_${n}`,
        timestamp: new Date().toISOString(),
      })),
    });
    expect(sent.status).toBe(200);
    // Live ingestion takes a while; the emulator answers at once.
    const deadline = Date.now() + (LIVE ? 90_000 : 1_000);
    let count = 0;
    while (count < 3 && Date.now() < deadline) {
      const answer = await api('POST', `/api/projects/${projectId}/query/`, {
        query: hogql(`select count() from events where event = '${event}'`),
        refresh: 'force_blocking',
      });
      expect(answer.status).toBe(200);
      count = Number(answer.body.results[0][0]);
      if (count < 3) await new Promise((resolve) => setTimeout(resolve, 3_000));
    }
    expect(count).toBe(3);
  });
});

describe('emulator-only limits', () => {
  emulatorOnly('throttles the query endpoint per key: 429 throttled_error with Retry-After', async () => {
    const posthog = await startPostHogEmulator({ queryRateLimits: { perMinute: 2 } });
    closers.push(posthog.close);
    const post = () =>
      send(`${posthog.url}/api/projects/1/query/`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${POSTHOG_EMULATOR_PERSONAL_KEY}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ query: hogql('select 1') }),
      });
    await post();
    await post();
    const limited = await post();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.body).toEqual({
      type: 'throttled_error',
      code: 'throttled',
      detail: expect.stringMatching(/^Request was throttled\. Expected available in \d+ seconds?\.$/),
      attr: null,
    });
    expect(posthog.emulator.queryStats().throttled).toBe(1);
  });

  emulatorOnly('refuses a fourth concurrent query after the wait: 429 without Retry-After', async () => {
    const posthog = await startPostHogEmulator({
      asyncQueries: { completeAfterPolls: 10 },
      concurrencyWaitMs: 20,
    });
    closers.push(posthog.close);
    const post = (body: unknown) =>
      send(`${posthog.url}/api/projects/1/query/`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${POSTHOG_EMULATOR_PERSONAL_KEY}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify(body),
      });
    for (const n of [1, 2, 3]) {
      expect((await post({ query: hogql('select 1'), client_query_id: `q${n}` })).status).toBe(202);
    }
    expect(posthog.emulator.queryStats().running).toBe(3);
    const fourth = await post({ query: hogql('select 1'), client_query_id: 'q4' });
    expect(fourth.status).toBe(202);
    const poll = await send(`${posthog.url}/api/projects/1/query/q4/`, {
      headers: { Authorization: `Bearer ${POSTHOG_EMULATOR_PERSONAL_KEY}` },
    });
    expect([poll.status, poll.body.query_status.pickup_time]).toEqual([202, null]);
  });

  emulatorOnly('drops events silently over quota: 200, nothing queryable', async () => {
    const posthog = await startPostHogEmulator({ overQuota: true });
    closers.push(posthog.close);
    const answer = await send(`${posthog.url}/batch/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        api_key: POSTHOG_EMULATOR_PROJECT_KEY,
        batch: [{ event: 'x', distinct_id: 'u' }],
      }),
    });
    expect([answer.status, posthog.emulator.droppedOverQuota(), posthog.emulator.eventCount()]).toEqual([
      200, 1, 0,
    ]);
  });
});
