// The Twenty emulator over a real HTTP server: every fault kind of the kit, counters by route, options.
import { afterEach, describe, expect, it } from 'vitest';
import {
  hostileValues,
  isPlainObject,
  throwingProxy,
  thrownBy,
  watchProcessFailures,
  withThrowingGetter,
} from '../../test-support/hostile-values.ts';
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

describe('createTwentyEmulator and startTwentyEmulator with hostile options', () => {
  const notPositiveIntegers = hostileValues().filter(
    ([, value]) =>
      value !== undefined && !(typeof value === 'number' && Number.isInteger(value) && value >= 1),
  );
  const cases: [label: string, options: unknown, field: RegExp][] = [
    ...hostileValues()
      .filter(([, value]) => value !== undefined && !isPlainObject(value))
      .map(([label, value]): [string, unknown, RegExp] => [`options ${label}`, value, /^options$/]),
    ['options that are a Proxy', throwingProxy(), /^options\./],
    ...hostileValues()
      .filter(
        ([, value]) =>
          value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0),
      )
      .map(([label, value]): [string, unknown, RegExp] => [
        `latencyMs ${label}`,
        { latencyMs: value },
        /^latencyMs$/,
      ]),
    ['a latency no timer can hold', { latencyMs: 2 ** 31 }, /^latencyMs$/],
    ...(['batchLimit', 'defaultLimit', 'maxLimit'] as const).flatMap((key) =>
      notPositiveIntegers.map(([label, value]): [string, unknown, RegExp] => [
        `${key} ${label}`,
        { [key]: value },
        new RegExp(`^${key}$`),
      ]),
    ),
    ...hostileValues()
      .filter(([, value]) => value !== undefined && typeof value !== 'string')
      .map(([label, value]): [string, unknown, RegExp] => [`apiKey ${label}`, { apiKey: value }, /^apiKey$/]),
    ['an empty apiKey', { apiKey: '' }, /^apiKey$/],
    ['an apiKey with a space', { apiKey: 'a b' }, /^apiKey$/],
    ...hostileValues()
      .filter(([, value]) => value !== undefined && value !== false && !isPlainObject(value))
      .map(([label, value]): [string, unknown, RegExp] => [
        `rateLimit ${label}`,
        { rateLimit: value },
        /^rateLimit$/,
      ]),
    [
      'a rateLimit with a NaN window',
      { rateLimit: { limit: 1, windowMs: Number.NaN } },
      /^rateLimit\.windowMs$/,
    ],
    ['a rateLimit of 0', { rateLimit: { limit: 0, windowMs: 1_000 } }, /^rateLimit\.limit$/],
    [
      'an unknown algorithm',
      { rateLimit: { limit: 1, windowMs: 1, algorithm: 'leaky' } },
      /^rateLimit\.algorithm$/,
    ],
    ...hostileValues()
      .filter(([, value]) => value !== undefined && !(typeof value === 'number' && Number.isFinite(value)))
      .map(([label, value]): [string, unknown, RegExp] => [`seed ${label}`, { seed: value }, /^seed$/]),
    ...hostileValues()
      .filter(([, value]) => value !== undefined && typeof value !== 'string')
      .map(([label, value]): [string, unknown, RegExp] => [
        `baseUrl ${label}`,
        { baseUrl: value },
        /^baseUrl$/,
      ]),
    ['a baseUrl that is no URL', { baseUrl: 'twenty' }, /^baseUrl$/],
    ['an unknown metadataFormat', { metadataFormat: 'v2' }, /^metadataFormat$/],
    ...hostileValues()
      .filter(([, value]) => value !== undefined && typeof value !== 'function')
      .map(([label, value]): [string, unknown, RegExp] => [`now ${label}`, { now: value }, /^now$/]),
    ['a negative maxBodyBytes', { maxBodyBytes: -1 }, /^maxBodyBytes$/],
    ['a getter that throws', withThrowingGetter({}, 'latencyMs'), /^options\.latencyMs$/],
  ];

  it.each(cases)('createTwentyEmulator: %s', (_, options, field) => {
    const thrown = thrownBy(() => createTwentyEmulator(options as never));
    expect(thrown).toBeInstanceOf(RangeError);
    expect(thrown).toMatchObject({ name: 'EmulatorConfigError', code: 'CONFIG_ERROR' });
    expect((thrown as { field: string }).field).toMatch(field);
  });

  it.each([
    ...cases.filter((_, index) => index % 7 === 0),
    ['a port that is NaN', { port: Number.NaN }, /^port$/] as [string, unknown, RegExp],
    ['a port that is text', { port: '3000' }, /^port$/] as [string, unknown, RegExp],
    ['a host that is a number', { host: 127 }, /^host$/] as [string, unknown, RegExp],
  ])('startTwentyEmulator rejects %s, never throwing synchronously', async (_, options, field) => {
    const watch = watchProcessFailures();
    let pending: Promise<unknown> | undefined;
    expect(() => {
      pending = startTwentyEmulator(options as never);
    }).not.toThrow();
    const reason = await pending?.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(reason).toMatchObject({ code: 'CONFIG_ERROR' });
    expect((reason as { field: string }).field).toMatch(field);
    expect(await watch.stop()).toEqual([]);
  });

  it('rejects a port in use, naming it', async () => {
    const { twenty } = await start();
    const port = Number(new URL(twenty.url).port);
    await expect(startTwentyEmulator({ port })).rejects.toMatchObject({
      code: 'CONFIG_ERROR',
      field: 'port',
      cause: { code: 'EADDRINUSE' },
    });
  });
});

describe("the HTTP surface with hostile requests: a 4xx in Twenty's error shape, the emulator alive after", () => {
  const JSON_HEADERS = { 'Content-Type': 'application/json' };
  const nested = (depth: number, leaf = '1') => '['.repeat(depth) + leaf + ']'.repeat(depth);
  const filterOf = (depth: number) => `${'and('.repeat(depth)}name.firstName[eq]:a${')'.repeat(depth)}`;
  const requests: [
    label: string,
    path: string,
    init: RequestInit,
    status: number,
    message: RegExp | undefined,
  ][] = [
    [
      'malformed JSON',
      '/rest/people',
      { method: 'POST', headers: JSON_HEADERS, body: '{"name":' },
      400,
      /JSON/,
    ],
    [
      'a JSON string body',
      '/rest/people',
      { method: 'POST', headers: JSON_HEADERS, body: '"x"' },
      400,
      /Unexpected token/,
    ],
    [
      'a JSON number body',
      '/rest/batch/people',
      { method: 'POST', headers: JSON_HEADERS, body: '42' },
      400,
      /Unexpected token/,
    ],
    [
      'bytes that are no UTF-8',
      '/rest/people',
      { method: 'POST', headers: JSON_HEADERS, body: new Uint8Array([0x7b, 0xff, 0x7d]) },
      400,
      /JSON/,
    ],
    [
      'an object for a batch',
      '/rest/batch/people',
      { method: 'POST', headers: JSON_HEADERS, body: '{}' },
      400,
      /Body must be an array/,
    ],
    [
      'a body nested 100 000 deep',
      '/rest/people',
      { method: 'POST', headers: JSON_HEADERS, body: `{"name":${nested(100_000)}}` },
      400,
      /call stack/,
    ],
    [
      'a patch nested 100 000 deep',
      '/rest/people/00000000-0000-4000-8000-000000000000',
      { method: 'PATCH', headers: JSON_HEADERS, body: `{"name":${nested(100_000)}}` },
      400,
      /call stack/,
    ],
    [
      'a body over maxBodyBytes',
      '/rest/people',
      { method: 'POST', headers: JSON_HEADERS, body: `{"city":"${'x'.repeat(300_000)}"}` },
      413,
      /request entity too large/,
    ],
    ['limit=abc', '/rest/people?limit=abc', {}, 400, /limit 'abc' is invalid/],
    ['limit=-1', '/rest/people?limit=-1', {}, 400, /limit '-1' is invalid/],
    ['limit=1e309', '/rest/people?limit=1e309', {}, 400, /is invalid/],
    ['a repeated limit', '/rest/people?limit=1&limit=2', {}, 400, /is invalid/],
    ['a cursor that is no cursor', '/rest/people?starting_after=garbage', {}, 400, /Invalid cursor/],
    [
      'a cursor of base64 JSON null',
      `/rest/people?starting_after=${btoa('null')}`,
      {},
      400,
      /Invalid cursor/,
    ],
    ['both cursors', '/rest/people?starting_after=a&ending_before=b', {}, 400, /both before and after/],
    [
      'a filter nested 101 deep',
      `/rest/people?filter=${encodeURIComponent(filterOf(101))}`,
      {},
      400,
      /Nesting deeper than 100/,
    ],
    [
      'unbalanced filter brackets',
      `/rest/people?filter=${encodeURIComponent('and(((')}`,
      {},
      400,
      /brackets/,
    ],
    ['a URL over 16 KiB', `/rest/people?filter=${'a'.repeat(17_000)}`, {}, 431, undefined],
  ];

  it.each(requests)('%s', async (_, path, init, status, message) => {
    const watch = watchProcessFailures();
    const { twenty } = await start({ maxBodyBytes: 256 * 1024 });
    const res = await fetch(`${twenty.url}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${twenty.apiKey}`, ...(init.headers as Record<string, string>) },
    });
    expect(res.status).toBe(status);
    if (message) {
      const body = (await res.json()) as { statusCode: number; error: string; messages: string[] };
      expect(body.statusCode).toBe(status);
      expect(typeof body.error).toBe('string');
      expect(body.messages[0]).toMatch(message);
    }
    const alive = await fetch(`${twenty.url}/rest/people?limit=1`, {
      headers: { Authorization: `Bearer ${twenty.apiKey}` },
    });
    expect(alive.status).toBe(200);
    expect(await watch.stop()).toEqual([]);
  });

  it('answers the same through msw (no Node parser in front): 431, nesting bound, stack overflow', async () => {
    const twenty = createTwentyEmulator({ rateLimit: false });
    const send = (path: string, init: RequestInit = {}) =>
      twenty.handler(
        new Request(`${twenty.baseUrl}${path}`, {
          ...init,
          headers: { Authorization: `Bearer ${twenty.apiKey}`, ...(init.headers as Record<string, string>) },
        }),
      ) as Promise<Response>;
    const started = performance.now();
    expect((await send(`/rest/people?filter=${encodeURIComponent(filterOf(50_000))}`)).status).toBe(431);
    expect((await send(`/rest/people?filter=${encodeURIComponent(filterOf(1_000))}`)).status).toBe(400);
    expect(performance.now() - started).toBeLessThan(2_000);
    const deep = await send('/rest/people', {
      method: 'POST',
      headers: JSON_HEADERS,
      body: `{"name":${nested(100_000)}}`,
    });
    expect(deep.status).toBe(400);
    const small = createTwentyEmulator({ rateLimit: false, maxBodyBytes: 1_024 });
    const big = (await small.handler(
      new Request(`${small.baseUrl}/rest/people`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${small.apiKey}`, ...JSON_HEADERS },
        body: `{"city":"${'x'.repeat(2_000)}"}`,
      }),
    )) as Response;
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({
      statusCode: 413,
      error: 'PayloadTooLargeException',
      messages: ['request entity too large'],
    });
  });
});
