// The client against the Twenty emulator's msw handlers (no socket): how users test code that uses it.
import { createTwentyEmulator } from '@patchbay/emulators';
import { twentyMswHandlers } from '@patchbay/emulators/msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTwentyClient } from './client.ts';

const twenty = createTwentyEmulator({ rateLimit: false });
const server = setupServer(...twentyMswHandlers(twenty));
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

it('creates and lists people through msw', async () => {
  const client = createTwentyClient({ baseUrl: twenty.baseUrl, apiKey: twenty.apiKey, rateLimit: false });
  const created = await client.people.createMany([
    { name: { firstName: 'Ada' }, emails: { primaryEmail: 'ada@example.com' } },
    { name: { firstName: 'Grace' }, emails: { primaryEmail: 'grace@example.com' } },
  ]);
  expect(created.success).toBe(true);
  const all = await client.people.listAll();
  expect(all.success && all.data.map((p) => p.name?.firstName).sort()).toEqual(['Ada', 'Grace']);
  expect(twenty.counters.count({ route: 'POST /rest/batch/people' })).toBe(1);
});

it('sees injected faults through msw too', async () => {
  twenty.faults.inject({ kind: 'reset', route: 'GET /rest/people', times: 1 });
  const client = createTwentyClient({
    baseUrl: twenty.baseUrl,
    apiKey: twenty.apiKey,
    rateLimit: false,
    retry: { retries: 1, initialDelayMs: 1 },
  });
  const result = await client.people.listAll();
  expect(result.success).toBe(true);
  expect(twenty.counters.count({ route: 'GET /rest/people', outcome: 'reset' })).toBe(1);
});
