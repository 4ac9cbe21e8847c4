// The emulator kit through msw (no socket): how tests that already use msw get an emulator.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { hostileValues, throwingProxy, thrownBy } from '../test-support/hostile-values.ts';
import { createCounters } from './kit/counters.ts';
import { createFaults } from './kit/faults.ts';
import type { EmulatorHandler } from './kit/types.ts';
import { withFaultsAndCounters } from './kit/wrap.ts';
import { toMswHandlers } from './msw.ts';

const BASE = 'https://crm.example.test';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const echo: EmulatorHandler = async (request) =>
  Response.json(
    {
      method: request.method,
      url: request.url,
      body: request.method === 'GET' ? null : await request.text(),
    },
    { status: request.method === 'POST' ? 201 : 200, headers: { 'x-emulated': 'yes' } },
  );

describe('toMswHandlers', () => {
  it('sends every method under the base URL to the emulator', async () => {
    server.use(...toMswHandlers(BASE, echo));
    const created = await fetch(`${BASE}/rest/people?limit=1`, { method: 'POST', body: '{"a":1}' });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-emulated')).toBe('yes');
    expect(await created.json()).toEqual({
      method: 'POST',
      url: `${BASE}/rest/people?limit=1`,
      body: '{"a":1}',
    });
    for (const method of ['GET', 'PATCH', 'PUT', 'DELETE']) {
      const res = await fetch(`${BASE}/rest/people/1`, { method });
      expect(await res.json()).toMatchObject({ method });
    }
    expect((await fetch(BASE)).status).toBe(200);
  });

  it('honours a path in the base URL, and nothing outside it', async () => {
    server.use(...toMswHandlers(`${BASE}/api/`, echo));
    expect((await fetch(`${BASE}/api/rest/people`)).status).toBe(200);
    expect((await fetch(`${BASE}/api`)).status).toBe(200);
    // msw reports each unhandled request on the console; silenced here, asserted instead.
    const report = vi.spyOn(console, 'error').mockImplementation(() => {});
    await expect(fetch(`${BASE}/apiary`)).rejects.toThrow();
    await expect(fetch('https://other.example.test/api/rest')).rejects.toThrow();
    expect(report).toHaveBeenCalledTimes(2);
    report.mockRestore();
  });

  it('turns a reset reply into a network error', async () => {
    server.use(...toMswHandlers(BASE, async () => ({ kind: 'reset' })));
    await expect(fetch(`${BASE}/rest/people`)).rejects.toThrow(TypeError);
  });

  it('holds a hang reply until the caller aborts, then fails', async () => {
    let handlerSignal: AbortSignal | undefined;
    server.use(
      ...toMswHandlers(BASE, async (request) => {
        handlerSignal = request.signal;
        return { kind: 'hang' };
      }),
    );
    const started = performance.now();
    await expect(fetch(`${BASE}/rest/people`, { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    expect(handlerSignal?.aborted).toBe(true);
  });

  it('serves a wrapped emulator with its faults and counters', async () => {
    const faults = createFaults();
    const counters = createCounters();
    faults.inject({ kind: 'rate-limit', route: 'GET /rest/people', times: 1 });
    server.use(...toMswHandlers(BASE, withFaultsAndCounters(echo, { faults, counters })));
    const limited = await fetch(`${BASE}/rest/people`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect((await fetch(`${BASE}/rest/people`)).status).toBe(200);
    expect(counters.snapshot().byRoute).toEqual({
      'GET /rest/people': { total: 2, byOutcome: { '429': 1, '200': 1 } },
    });
  });
});

describe('toMswHandlers with hostile input', () => {
  it.each([
    ...hostileValues().filter(([, value]) => typeof value !== 'string'),
    ['a relative URL', '/rest'],
    ['an ftp URL', 'ftp://crm.example.test'],
  ])('a baseUrl that is %s throws an EmulatorConfigError naming it', (_, value) => {
    expect(thrownBy(() => toMswHandlers(value as string, echo))).toMatchObject({
      code: 'CONFIG_ERROR',
      field: 'baseUrl',
    });
  });

  it.each(hostileValues().filter(([, value]) => typeof value !== 'function'))(
    'a handler that is %s throws an EmulatorConfigError naming it',
    (_, value) => {
      expect(thrownBy(() => toMswHandlers(BASE, value as EmulatorHandler))).toMatchObject({
        field: 'handler',
      });
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
    ['answers a Proxy whose traps throw', async () => throwingProxy()],
  ])('a handler that %s answers 500 in the emulators error shape', async (_, handler) => {
    server.use(...toMswHandlers(BASE, handler as unknown as EmulatorHandler));
    const res = await fetch(`${BASE}/rest/people`);
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ statusCode: 500, error: 'InternalServerErrorException' });
  });
});
