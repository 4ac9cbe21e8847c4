import { afterEach, describe, expect, it } from 'vitest';
import {
  hostileValues,
  isPlainObject,
  throwingProxy,
  thrownBy,
  watchProcessFailures,
} from '../../test-support/hostile-values.ts';
import { createCounters } from './counters.ts';
import { createFaults, type FaultSpec } from './faults.ts';
import { type EmulatorServer, serveEmulator } from './serve.ts';
import type { EmulatorHandler } from './types.ts';
import { withFaultsAndCounters } from './wrap.ts';

// A tiny emulated service: POST /notes stores a note, GET /notes lists them.
function notesService() {
  const notes: unknown[] = [];
  const handler: EmulatorHandler = async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname !== '/notes') return Response.json({ statusCode: 404 }, { status: 404 });
    if (request.method === 'POST') {
      const note: unknown = await request.json();
      notes.push(note);
      return Response.json(
        { data: { id: notes.length, note } },
        { status: 201, headers: { 'x-note': 'yes' } },
      );
    }
    return Response.json({ data: { notes } });
  };
  return { notes, handler };
}

const servers: EmulatorServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

// The service behind faults and counters, served on loopback.
async function setup(
  options: { seed?: number; specs?: FaultSpec[]; sleep?: (ms: number) => Promise<void> } = {},
) {
  const service = notesService();
  const faults = createFaults({ seed: options.seed });
  for (const spec of options.specs ?? []) faults.inject(spec);
  const counters = createCounters();
  const handler = withFaultsAndCounters(service.handler, { faults, counters, sleep: options.sleep });
  const server = await serveEmulator(handler);
  servers.push(server);
  const post = (note: unknown) =>
    fetch(`${server.url}/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(note),
    });
  return { ...service, faults, counters, server, post, url: `${server.url}/notes` };
}

describe('withFaultsAndCounters over HTTP', () => {
  it('passes requests through untouched without faults, counting them', async () => {
    const { post, url, counters } = await setup();
    const created = await post({ text: 'hi' });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-note')).toBe('yes');
    expect(await created.json()).toEqual({ data: { id: 1, note: { text: 'hi' } } });
    expect(await (await fetch(url)).json()).toEqual({ data: { notes: [{ text: 'hi' }] } });
    expect(counters.snapshot()).toEqual({
      total: 2,
      byRoute: {
        'POST /notes': { total: 1, byOutcome: { '201': 1 } },
        'GET /notes': { total: 1, byOutcome: { '200': 1 } },
      },
    });
  });

  it('error: answers a JSON 5xx without calling the service', async () => {
    const { post, notes, counters } = await setup({ specs: [{ kind: 'error', status: 503 }] });
    const res = await post({ text: 'lost' });
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual({
      statusCode: 503,
      error: 'ServiceUnavailableException',
      messages: ['Injected error fault'],
    });
    expect(notes).toEqual([]);
    expect(counters.count({ outcome: 503 })).toBe(1);
  });

  it('error: defaults to 500', async () => {
    const { url } = await setup({ specs: [{ kind: 'error' }] });
    const res = await fetch(url);
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ statusCode: 500, error: 'InternalServerErrorException' });
  });

  it('rate-limit: answers 429 with Retry-After without calling the service', async () => {
    const { post, notes, counters } = await setup({ specs: [{ kind: 'rate-limit', retryAfterSeconds: 7 }] });
    const res = await post({ text: 'lost' });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(await res.json()).toEqual({
      statusCode: 429,
      error: 'TooManyRequestsException',
      messages: ['Too many requests'],
    });
    expect(notes).toEqual([]);
    expect(counters.count({ route: 'POST /notes', outcome: 429 })).toBe(1);
  });

  it('rate-limit: defaults Retry-After to 1 second', async () => {
    const { url } = await setup({ specs: [{ kind: 'rate-limit' }] });
    expect((await fetch(url)).headers.get('retry-after')).toBe('1');
  });

  it('reset: the client sees a network error', async () => {
    const { post, notes, counters } = await setup({ specs: [{ kind: 'reset' }] });
    await expect(post({ text: 'lost' })).rejects.toThrow(TypeError);
    expect(notes).toEqual([]);
    expect(counters.count({ outcome: 'reset' })).toBe(1);
  });

  it('hang: the client times out', async () => {
    const { url, counters } = await setup({ specs: [{ kind: 'hang' }] });
    await expect(fetch(url, { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(counters.count({ outcome: 'hang' })).toBe(1);
  });

  it('malformed: keeps status and headers but cuts the body so it no longer parses', async () => {
    const { post, notes, counters } = await setup({ specs: [{ kind: 'malformed' }] });
    const res = await post({ text: 'kept' });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-note')).toBe('yes');
    expect(res.headers.get('content-type')).toContain('application/json');
    await expect(res.json()).rejects.toThrow(SyntaxError);
    expect(notes).toEqual([{ text: 'kept' }]);
    expect(counters.count({ outcome: 201 })).toBe(1);
  });

  it('malformed: the body is the first half of the real one', async () => {
    const { url } = await setup({ specs: [{ kind: 'malformed' }] });
    const full = JSON.stringify({ data: { notes: [] } });
    expect(await (await fetch(url)).text()).toBe(full.slice(0, Math.floor(full.length / 2)));
  });

  it('commit-then-fail: applies the write, then answers 500', async () => {
    const { post, notes, counters } = await setup({
      specs: [{ kind: 'commit-then-fail', route: 'POST /notes', times: 1 }],
    });
    const res = await post({ text: 'dup' });
    expect(res.status).toBe(500);
    expect(notes).toEqual([{ text: 'dup' }]);
    // The client's natural retry then writes it a second time: the duplicate this fault exists to expose.
    expect((await post({ text: 'dup' })).status).toBe(201);
    expect(notes).toEqual([{ text: 'dup' }, { text: 'dup' }]);
    expect(counters.snapshot().byRoute['POST /notes']?.byOutcome).toEqual({ '500': 1, '201': 1 });
  });

  it('commit-then-fail with status 0: applies the write, then resets the connection', async () => {
    const { post, notes, counters } = await setup({ specs: [{ kind: 'commit-then-fail', status: 0 }] });
    await expect(post({ text: 'dup' })).rejects.toThrow(TypeError);
    expect(notes).toEqual([{ text: 'dup' }]);
    expect(counters.count({ outcome: 'reset' })).toBe(1);
  });

  it('latency: delays the answer measurably', async () => {
    const { url } = await setup({ specs: [{ kind: 'latency', latencyMs: 150 }] });
    const started = performance.now();
    const res = await fetch(url);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(res.status).toBe(200);
  });

  it('latency: adds up, and precedes another fault', async () => {
    const waits: number[] = [];
    const { url, counters } = await setup({
      sleep: async (ms) => {
        waits.push(ms);
      },
      specs: [
        { kind: 'latency', latencyMs: 30 },
        { kind: 'error', status: 502, latencyMs: 20 },
      ],
    });
    expect((await fetch(url)).status).toBe(502);
    expect(waits).toEqual([50]);
    expect(counters.count({ outcome: 502 })).toBe(1);
  });

  it('lets the first non-latency fault decide when several fire', async () => {
    const { url } = await setup({ specs: [{ kind: 'rate-limit' }, { kind: 'reset' }] });
    expect((await fetch(url)).status).toBe(429);
  });

  it('applies faults by route, after and times', async () => {
    const { post, url, counters } = await setup({
      specs: [{ kind: 'error', route: 'POST /notes', after: 1, times: 2 }],
    });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await post({ i })).status);
    statuses.push((await fetch(url)).status);
    expect(statuses).toEqual([201, 500, 500, 201, 200]);
    expect(counters.count({ route: 'POST /notes', outcome: '5xx' })).toBe(2);
    expect(counters.count({ route: 'POST /notes', outcome: '2xx' })).toBe(2);
  });

  it('replays the same fault sequence for the same seed', async () => {
    const run = async (seed: number) => {
      const { url } = await setup({ seed, specs: [{ kind: 'error', rate: 0.4 }] });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await fetch(url)).status);
      return statuses;
    };
    const first = await run(2024);
    expect(await run(2024)).toEqual(first);
    expect(first).toContain(500);
    expect(first).toContain(200);
    expect(await run(2025)).not.toEqual(first);
  });

  it('counts a throwing service as a 500', async () => {
    const faults = createFaults();
    const counters = createCounters();
    const handler = withFaultsAndCounters(
      async () => {
        throw new Error('bug');
      },
      { faults, counters },
    );
    const server = await serveEmulator(handler);
    servers.push(server);
    expect((await fetch(`${server.url}/x`)).status).toBe(500);
    expect(counters.snapshot().byRoute).toEqual({ 'GET /x': { total: 1, byOutcome: { '500': 1 } } });
  });

  it('counts transport failures the service itself replies', async () => {
    const counters = createCounters();
    const handler = withFaultsAndCounters(async () => ({ kind: 'reset' }), {
      faults: createFaults(),
      counters,
      routeKey: (request) => `custom:${request.method}`,
    });
    expect(await handler(new Request('http://h.test/a'))).toEqual({ kind: 'reset' });
    expect(counters.snapshot().byRoute).toEqual({ 'custom:GET': { total: 1, byOutcome: { reset: 1 } } });
  });

  it('leaves a body-less status alone when asked to make it malformed', async () => {
    const faults = createFaults();
    faults.inject({ kind: 'malformed' });
    const handler = withFaultsAndCounters(async () => new Response(null, { status: 204 }), {
      faults,
      counters: createCounters(),
    });
    const reply = await handler(new Request('http://h.test/a', { method: 'DELETE' }));
    expect(reply).toBeInstanceOf(Response);
    expect((reply as Response).status).toBe(204);
  });
});

describe('withFaultsAndCounters with hostile input', () => {
  const ok = async () => new Response('ok');
  const parts = () => ({ faults: createFaults(), counters: createCounters() });

  it.each(hostileValues().filter(([, value]) => typeof value !== 'function'))(
    'a handler that is %s',
    (_, value) => {
      expect(thrownBy(() => withFaultsAndCounters(value as EmulatorHandler, parts()))).toMatchObject({
        code: 'CONFIG_ERROR',
        field: 'handler',
      });
    },
  );

  it.each([
    ...hostileValues()
      .filter(([, value]) => !isPlainObject(value))
      .map(([label, value]) => [`options ${label}`, value, /^options$/] as const),
    ['options that are a Proxy', throwingProxy(), /^options\.faults$/] as const,
    ['no faults', { counters: createCounters() }, /^faults/] as const,
    ['faults without pick', { faults: {}, counters: createCounters() }, /^faults\.pick$/] as const,
    [
      'counters that are a Proxy',
      { faults: createFaults(), counters: throwingProxy() },
      /^counters\.record$/,
    ] as const,
    ['a routeKey that is a number', { ...parts(), routeKey: 42 }, /^routeKey$/] as const,
    ['a sleep that is a string', { ...parts(), sleep: 'x' }, /^sleep$/] as const,
  ])('%s', (_, options, field) => {
    const thrown = thrownBy(() => withFaultsAndCounters(ok, options as never));
    expect(thrown).toMatchObject({ code: 'CONFIG_ERROR' });
    expect((thrown as { field: string }).field).toMatch(field);
  });

  it.each([...hostileValues(), ['a look-alike request', { method: 'GET', url: 'http://h/x' }]])(
    'answers 400, never rejects, when called with %s',
    async (_, value) => {
      const { faults, counters } = parts();
      const watch = watchProcessFailures();
      const reply = await withFaultsAndCounters(ok, { faults, counters })(value as Request);
      expect(await watch.stop()).toEqual([]);
      expect(reply).toBeInstanceOf(Response);
      expect((reply as Response).status).toBe(400);
      expect(await (reply as Response).json()).toMatchObject({
        statusCode: 400,
        error: 'BadRequestException',
      });
      expect(counters.snapshot().total).toBe(0);
    },
  );

  it.each([
    [
      'throws',
      async () => {
        throw new Error('bug');
      },
    ],
    ['answers nothing', async () => undefined],
    ['answers a number', async () => 42],
    ['answers a Proxy', async () => throwingProxy()],
  ])('a service that %s is answered and counted as a 500, never a rejection', async (_, service) => {
    const { faults, counters } = parts();
    const handler = withFaultsAndCounters(service as unknown as EmulatorHandler, { faults, counters });
    const reply = await handler(new Request('http://h.test/a'));
    expect((reply as Response).status).toBe(500);
    expect(counters.count({ outcome: 500 })).toBe(1);
  });

  it('a routeKey function that throws or answers no string is a 400, not a rejection', async () => {
    for (const routeKey of [
      () => {
        throw new Error('no key');
      },
      () => 42 as unknown as string,
    ]) {
      const handler = withFaultsAndCounters(ok, { ...parts(), routeKey });
      expect(((await handler(new Request('http://h.test/a'))) as Response).status).toBe(400);
    }
  });
});
