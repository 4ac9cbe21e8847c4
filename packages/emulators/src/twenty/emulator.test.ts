// The Twenty emulator over a real HTTP server: every fault kind of the kit, counters by route, options.
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTwentyEmulator,
  type RunningTwentyEmulator,
  startTwentyEmulator,
  TWENTY_EMULATOR_DEMO_API_KEY,
} from './emulator.ts';

let running: RunningTwentyEmulator | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(options: Parameters<typeof startTwentyEmulator>[0] = {}) {
  running = await startTwentyEmulator({ rateLimit: false, ...options });
  const twenty = running;
  const send = (method: string, path: string, body?: unknown, signal?: AbortSignal) =>
    fetch(`${twenty.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${twenty.apiKey}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  return { twenty, send };
}

describe('startTwentyEmulator', () => {
  it('serves the REST API on loopback with the demo key by default', async () => {
    const { twenty, send } = await start();
    expect(twenty.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(twenty.apiKey).toBe(TWENTY_EMULATOR_DEMO_API_KEY);
    const created = await send('POST', '/rest/people', { city: 'Paris' });
    expect(created.status).toBe(201);
    expect(twenty.store.count('people')).toBe(1);
  });

  it('rate-limits record requests at 100 per minute by default', async () => {
    running = await startTwentyEmulator();
    const url = `${running.url}/rest/people?limit=1`;
    const headers = { Authorization: `Bearer ${running.apiKey}` };
    const statuses = await Promise.all(
      Array.from({ length: 101 }, () => fetch(url, { headers }).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(100);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
  });
});

describe('faults through the emulator', () => {
  it('adds latency', async () => {
    const { twenty, send } = await start();
    twenty.faults.inject({ kind: 'latency', latencyMs: 80, route: 'GET /rest/people' });
    const started = performance.now();
    expect((await send('GET', '/rest/people')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
  });

  it('answers an injected error without touching the store', async () => {
    const { twenty, send } = await start();
    twenty.faults.inject({ kind: 'error', status: 503, route: 'POST /rest/batch/people', times: 1 });
    const failed = await send('POST', '/rest/batch/people', [{ city: 'A' }]);
    expect(failed.status).toBe(503);
    expect(await failed.json()).toMatchObject({ statusCode: 503, error: 'ServiceUnavailableException' });
    expect(twenty.store.count('people')).toBe(0);
    expect((await send('POST', '/rest/batch/people', [{ city: 'A' }])).status).toBe(201);
  });

  it('answers an injected 429 with Retry-After', async () => {
    const { twenty, send } = await start();
    twenty.faults.inject({ kind: 'rate-limit', retryAfterSeconds: 7, times: 1 });
    const limited = await send('GET', '/rest/companies');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
  });

  it('hangs until the client gives up', async () => {
    const { twenty, send } = await start();
    twenty.faults.inject({ kind: 'hang', route: 'GET /rest/people' });
    await expect(send('GET', '/rest/people', undefined, AbortSignal.timeout(100))).rejects.toThrow();
    expect(twenty.counters.count({ route: 'GET /rest/people', outcome: 'hang' })).toBe(1);
  });

  it('resets the connection', async () => {
    const { twenty, send } = await start();
    twenty.faults.inject({ kind: 'reset', route: 'GET /rest/people', times: 1 });
    await expect(send('GET', '/rest/people')).rejects.toThrow();
    expect((await send('GET', '/rest/people')).status).toBe(200);
  });

  it('truncates the body of a malformed answer', async () => {
    const { twenty, send } = await start();
    twenty.faults.inject({ kind: 'malformed', route: 'GET /rest/people' });
    const answer = await send('GET', '/rest/people');
    expect(answer.status).toBe(200);
    await expect(answer.json()).rejects.toThrow();
  });

  it('commits a batch, then fails: the records exist though the client saw a 500', async () => {
    const { twenty, send } = await start();
    twenty.faults.inject({ kind: 'commit-then-fail', route: 'POST /rest/batch/people', times: 1 });
    const failed = await send('POST', '/rest/batch/people', [
      { emails: { primaryEmail: 'a@x.io' } },
      { emails: { primaryEmail: 'b@x.io' } },
    ]);
    expect(failed.status).toBe(500);
    expect(twenty.store.count('people')).toBe(2);
    // A naive retry now hits the unique constraint; an upsert retry converges.
    const retry = await send('POST', '/rest/batch/people', [{ emails: { primaryEmail: 'a@x.io' } }]);
    expect(retry.status).toBe(400);
    const upsert = await send('POST', '/rest/batch/people?upsert=true', [
      { emails: { primaryEmail: 'a@x.io' } },
    ]);
    expect(upsert.status).toBe(201);
    expect(twenty.store.duplicates('people', 'emails.primaryEmail')).toEqual([]);
  });

  it('fires rate-based faults the same way for the same seed', async () => {
    const pattern = async (seed: number) => {
      const twenty = createTwentyEmulator({ rateLimit: false, seed });
      twenty.faults.inject({ kind: 'error', rate: 0.5 });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) {
        const reply = await twenty.handler(
          new Request(`${twenty.baseUrl}/rest/people`, {
            headers: { Authorization: `Bearer ${twenty.apiKey}` },
          }),
        );
        statuses.push('kind' in reply ? 0 : reply.status);
      }
      return statuses;
    };
    expect(await pattern(42)).toEqual(await pattern(42));
    expect(await pattern(42)).toContain(500);
  });
});

describe('counters', () => {
  it('count requests by route (ids as :id) and outcome', async () => {
    const { twenty, send } = await start();
    const created = await (await send('POST', '/rest/people', { city: 'A' })).json();
    const id = created.data.createPerson.id;
    await send('GET', `/rest/people/${id}`);
    await send('PATCH', `/rest/people/${id}`, { city: 'B' });
    await send('GET', '/rest/person');
    expect(twenty.counters.snapshot()).toEqual({
      total: 4,
      byRoute: {
        'POST /rest/people': { total: 1, byOutcome: { '201': 1 } },
        'GET /rest/people/:id': { total: 1, byOutcome: { '200': 1 } },
        'PATCH /rest/people/:id': { total: 1, byOutcome: { '200': 1 } },
        'GET /rest/person': { total: 1, byOutcome: { '400': 1 } },
      },
    });
    expect(twenty.counters.count({ route: '* /rest/people/:id' })).toBe(2);
  });
});

describe('createTwentyEmulator', () => {
  it('derives record ids from the seed', async () => {
    const ids = async () => {
      const twenty = createTwentyEmulator({ rateLimit: false, seed: 7 });
      return twenty.store.seed('people', [{}, {}]).map((p) => p.id);
    };
    const first = await ids();
    expect(await ids()).toEqual(first);
    expect(first[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('adds the configured latency to every request', async () => {
    const twenty = createTwentyEmulator({ rateLimit: false, latencyMs: 40 });
    const started = performance.now();
    await twenty.handler(
      new Request(`${twenty.baseUrl}/rest/people`, { headers: { Authorization: `Bearer ${twenty.apiKey}` } }),
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
  });

  it('resets store, counters, faults and rate-limit windows', async () => {
    const twenty = createTwentyEmulator({ rateLimit: { limit: 1, windowMs: 60_000 } });
    const get = () =>
      twenty.handler(
        new Request(`${twenty.baseUrl}/rest/people`, {
          headers: { Authorization: `Bearer ${twenty.apiKey}` },
        }),
      );
    twenty.store.seed('people', [{}]);
    twenty.faults.inject({ kind: 'latency', latencyMs: 1 });
    await get();
    expect(((await get()) as Response).status).toBe(429);
    twenty.reset();
    expect(twenty.store.count('people')).toBe(0);
    expect(twenty.counters.snapshot().total).toBe(0);
    expect(((await get()) as Response).status).toBe(200);
  });

  it('refills its rate limit like a token bucket by default, or counts fixed windows on request', async () => {
    let clock = 0;
    const statuses = async (algorithm?: 'token-bucket' | 'fixed-window') => {
      clock = 0;
      const twenty = createTwentyEmulator({
        rateLimit: { limit: 2, windowMs: 1_000, algorithm },
        now: () => clock,
      });
      const get = async () =>
        (
          (await twenty.handler(
            new Request(`${twenty.baseUrl}/rest/people`, {
              headers: { Authorization: `Bearer ${twenty.apiKey}` },
            }),
          )) as Response
        ).status;
      const seen = [await get(), await get(), await get()];
      clock = 500; // half a window: one token back, but the fixed window is still spent
      seen.push(await get());
      return seen;
    };
    expect(await statuses()).toEqual([200, 200, 429, 200]);
    expect(await statuses('fixed-window')).toEqual([200, 200, 429, 429]);
  });

  it('refuses a bad batch limit and trims the base URL', () => {
    expect(() => createTwentyEmulator({ batchLimit: 0 })).toThrow(RangeError);
    expect(createTwentyEmulator({ baseUrl: 'https://crm.test///' }).baseUrl).toBe('https://crm.test');
  });
});
