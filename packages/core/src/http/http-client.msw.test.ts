// The same client against msw handlers (no socket): how users of Patchbay test their own code.
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { createHttpClient } from './http-client.ts';

const BASE = 'https://crm.example.test';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = () =>
  createHttpClient({
    baseUrl: BASE,
    auth: { type: 'bearer', token: 'msw-token-123' },
    retry: { initialDelayMs: 5 },
  });

it('validates a mocked response with its schema', async () => {
  server.use(
    http.get(`${BASE}/rest/companies/:id`, ({ params }) =>
      HttpResponse.json({ id: params.id, name: 'Acme' }),
    ),
  );
  const result = await client().get('/rest/companies/c1', {
    schema: z.object({ id: z.string(), name: z.string() }),
  });
  expect(result).toEqual({ success: true, data: { id: 'c1', name: 'Acme' } });
});

it('turns a mocked network failure into NETWORK_ERROR after retrying it', async () => {
  let calls = 0;
  server.use(
    http.get(`${BASE}/rest/people`, () => {
      calls += 1;
      return HttpResponse.error();
    }),
  );
  const result = await client().get('/rest/people');
  expect(result.success || result.error).toMatchObject({ code: 'NETWORK_ERROR', attempts: 4 });
  expect(calls).toBe(4);
});

it('retries a mocked 429 and sends the same idempotency key each time', async () => {
  const keys: (string | null)[] = [];
  server.use(
    http.post(`${BASE}/rest/people`, ({ request }) => {
      keys.push(request.headers.get('idempotency-key'));
      return keys.length === 1
        ? HttpResponse.json(
            { statusCode: 429, error: 'RATE_LIMITED' },
            { status: 429, headers: { 'retry-after': '0' } },
          )
        : HttpResponse.json({ data: { createPerson: { id: 'p1' } } }, { status: 201 });
    }),
  );
  const result = await client().post('/rest/people', { json: { name: { firstName: 'Ada' } } });
  expect(result.success).toBe(true);
  expect(keys).toHaveLength(2);
  expect(keys[0]).toBe(keys[1]);
});
