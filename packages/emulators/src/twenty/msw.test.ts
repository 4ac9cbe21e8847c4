// The Twenty emulator through msw: no socket, the same wire answers.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hostileValues, isPlainObject, throwingProxy, thrownBy } from '../../test-support/hostile-values.ts';
import { twentyMswHandlers as fromEntry } from '../msw.ts';
import { createTwentyEmulator } from './emulator.ts';
import { twentyMswHandlers } from './msw.ts';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('twentyMswHandlers', () => {
  it('serves an emulator at its base URL, sharing its store and counters', async () => {
    const twenty = createTwentyEmulator({ rateLimit: false, baseUrl: 'https://crm.example.test/' });
    server.use(...twentyMswHandlers(twenty));
    const created = await fetch('https://crm.example.test/rest/people', {
      method: 'POST',
      headers: { Authorization: `Bearer ${twenty.apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ city: 'Paris' }),
    });
    expect(created.status).toBe(201);
    expect(twenty.store.count('people')).toBe(1);
    expect(twenty.counters.count({ route: 'POST /rest/people', outcome: 201 })).toBe(1);
  });

  it('turns a reset fault into a network error', async () => {
    const twenty = createTwentyEmulator({ rateLimit: false });
    twenty.faults.inject({ kind: 'reset', route: 'GET /rest/people' });
    server.use(...twentyMswHandlers(twenty));
    await expect(
      fetch(`${twenty.baseUrl}/rest/people`, { headers: { Authorization: `Bearer ${twenty.apiKey}` } }),
    ).rejects.toThrow();
  });

  it('builds a fresh emulator from options, and is exported from the msw entry', async () => {
    expect(fromEntry).toBe(twentyMswHandlers);
    server.use(...twentyMswHandlers({ apiKey: 'k', baseUrl: 'https://other.test' }));
    const res = await fetch('https://other.test/rest/people', { headers: { Authorization: 'Bearer k' } });
    expect(res.status).toBe(200);
  });
});

describe('twentyMswHandlers with hostile input', () => {
  it.each(hostileValues().filter(([, value]) => value !== undefined && !isPlainObject(value)))(
    'refuses %s with an EmulatorConfigError naming options',
    (_, value) => {
      expect(thrownBy(() => twentyMswHandlers(value as never))).toMatchObject({
        code: 'CONFIG_ERROR',
        field: 'options',
      });
    },
  );

  it('treats an object without a handler as options, and names a bad one', () => {
    expect(thrownBy(() => twentyMswHandlers({ handler: 'x', latencyMs: -1 } as never))).toMatchObject({
      field: 'latencyMs',
    });
    expect(thrownBy(() => twentyMswHandlers(throwingProxy()))).toMatchObject({ code: 'CONFIG_ERROR' });
  });
});
