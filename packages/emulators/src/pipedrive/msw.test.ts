import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pipedriveMswHandlers as fromEntry } from '../msw.ts';
import { createPipedriveEmulator } from './emulator.ts';
import { pipedriveMswHandlers } from './msw.ts';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('pipedriveMswHandlers', () => {
  it('serves an emulator at its base URL, sharing its store and counters', async () => {
    const pipedrive = createPipedriveEmulator({ rateLimit: false, baseUrl: 'https://acme.pipedrive.test/' });
    server.use(...pipedriveMswHandlers(pipedrive));
    const created = await fetch('https://acme.pipedrive.test/api/v2/organizations', {
      method: 'POST',
      headers: { 'x-api-token': pipedrive.apiToken, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Acme' }),
    });
    expect(created.status).toBe(200);
    expect(pipedrive.list('organization')).toHaveLength(1);
    expect(pipedrive.counters.count({ route: 'POST /api/v2/organizations', outcome: 200 })).toBe(1);
  });

  it('builds a fresh emulator from options, and is exported from the msw entry', async () => {
    expect(fromEntry).toBe(pipedriveMswHandlers);
    server.use(...pipedriveMswHandlers({ apiToken: 'k', baseUrl: 'https://other.test' }));
    const res = await fetch('https://other.test/api/v2/persons', { headers: { 'x-api-token': 'k' } });
    expect(res.status).toBe(200);
    expect(() => pipedriveMswHandlers({ plan: 'gold' } as never)).toThrow(
      expect.objectContaining({ field: 'plan' }),
    );
  });
});
