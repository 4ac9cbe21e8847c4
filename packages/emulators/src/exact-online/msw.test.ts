import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { exactOnlineMswHandlers as fromEntry } from '../msw.ts';
import { createExactOnlineEmulator } from './emulator.ts';
import { exactOnlineMswHandlers } from './msw.ts';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('exactOnlineMswHandlers', () => {
  it('serves an emulator at its base URL, sharing its store and counters', async () => {
    const exact = createExactOnlineEmulator({ rateLimit: false, baseUrl: 'https://start.exactonline.test/' });
    server.use(...exactOnlineMswHandlers(exact));
    const { access_token } = exact.issueTokens();
    const created = await fetch(`https://start.exactonline.test/api/v1/${exact.division}/crm/Accounts`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${access_token}`,
        Accept: 'application/json',
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ Name: 'Acme' }),
    });
    expect(created.status).toBe(201);
    expect(exact.list('crm/Accounts')).toHaveLength(1);
    expect(exact.counters.count({ route: 'POST /api/v1/{division}/crm/Accounts', outcome: 201 })).toBe(1);
  });

  it('builds a fresh emulator from options, and is exported from the msw entry', () => {
    expect(fromEntry).toBe(exactOnlineMswHandlers);
    expect(() => exactOnlineMswHandlers({ divisions: [] })).toThrow(
      expect.objectContaining({ field: 'divisions' }),
    );
  });
});
