import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createPostHogEmulator,
  POSTHOG_EMULATOR_PROJECT_KEY as KEY,
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

  it('refuses the whole batch with a plain-text 400 when one event is invalid, keeping nothing', async () => {
    const posthog = createPostHogEmulator();
    const response = await post(posthog, '/batch/', batch({ event: 'a', distinct_id: 'u' }, { event: 'b' }));
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toMatch(/distinct_id/);
    expect(posthog.events()).toEqual([]);
  });

  it('answers 401 for another project key, 413 for an oversized event, 404/405 off the capture routes', async () => {
    const posthog = createPostHogEmulator({ maxEventBytes: 500 });
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

  it.each([
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

  it('rejects bad options by name', async () => {
    await expect(startPostHogEmulator({ port: -1 })).rejects.toMatchObject({ field: 'port' });
  });
});
