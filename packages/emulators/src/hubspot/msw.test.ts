import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hubspotMswHandlers as fromEntry } from '../msw.ts';
import { createHubSpotEmulator } from './emulator.ts';
import { hubspotMswHandlers } from './msw.ts';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('hubspotMswHandlers', () => {
  it('serves an emulator at its base URL, sharing its store and counters', async () => {
    const hubspot = createHubSpotEmulator({ rateLimit: false, baseUrl: 'https://api.hubapi.test/' });
    server.use(...hubspotMswHandlers(hubspot));
    const created = await fetch('https://api.hubapi.test/crm/v3/objects/companies', {
      method: 'POST',
      headers: { Authorization: `Bearer ${hubspot.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ properties: { name: 'Acme' } }),
    });
    expect(created.status).toBe(201);
    expect(hubspot.count('companies')).toBe(1);
    expect(hubspot.counters.count({ route: 'POST /crm/v3/objects/companies', outcome: 201 })).toBe(1);
  });

  it('builds a fresh emulator from options, and is exported from the msw entry', async () => {
    expect(fromEntry).toBe(hubspotMswHandlers);
    server.use(...hubspotMswHandlers({ token: 'k', baseUrl: 'https://other.test' }));
    const res = await fetch('https://other.test/crm/v3/objects/contacts', {
      headers: { Authorization: 'Bearer k' },
    });
    expect(res.status).toBe(200);
    expect(() => hubspotMswHandlers({ plan: 'gold' } as never)).toThrow(
      expect.objectContaining({ field: 'plan' }),
    );
  });
});
