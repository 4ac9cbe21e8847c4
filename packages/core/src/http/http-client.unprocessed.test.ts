import { afterEach, describe, expect, it } from 'vitest';
import { json, type LoopbackServer, startLoopbackServer } from '../../test-support/loopback-server.ts';
import { createRateLimiter } from '../resilience/rate-limiter.ts';
import { createHttpClient, type HttpClientOptions } from './http-client.ts';

// retry.unprocessedStatuses: a status that says the request was refused before processing is retried for
// any method, a POST without an idempotency key included.
const fast = { retries: 3, initialDelayMs: 5, maxDelayMs: 20 };

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler: Parameters<typeof startLoopbackServer>[0]) {
  server = await startLoopbackServer(handler);
  return server;
}

// No idempotency keys: POST and PATCH are retried only as unprocessed.
const client = (url: string, options: Partial<HttpClientOptions> = {}) =>
  createHttpClient({ baseUrl: url, idempotency: false, retry: fast, ...options });

describe('createHttpClient: unprocessed statuses', () => {
  it('retries a POST answered 429 once, then succeeds', async () => {
    const s = await serve((_req, res, i) => (i === 0 ? json(res, 429, {}) : json(res, 201, { id: 'p1' })));
    const result = await client(s.url).post('/x', { json: { a: 1 } });
    expect(result).toEqual({ success: true, data: { id: 'p1' } });
    expect(s.requests.map((r) => r.method)).toEqual(['POST', 'POST']);
    expect(s.requests.map((r) => r.body)).toEqual(['{"a":1}', '{"a":1}']);
    expect(s.requests[0]?.headers['idempotency-key']).toBeUndefined();
  });

  it('retries a PATCH answered 429 too', async () => {
    const s = await serve((_req, res, i) => (i === 0 ? json(res, 429, {}) : json(res, 200, {})));
    const result = await client(s.url).patch('/x', { json: {} });
    expect(result.success).toBe(true);
    expect(s.requests).toHaveLength(2);
  });

  it('does not retry a POST answered 500 or 503 without idempotency', async () => {
    for (const status of [500, 503]) {
      const s = await serve((_req, res) => json(res, status, {}, { 'retry-after': '0' }));
      const result = await client(s.url).post('/x', { json: {} });
      expect(result.success || result.error.status).toBe(status);
      expect(s.requests).toHaveLength(1);
      await s.close();
    }
  });

  it('does not retry a POST that timed out (it may have been processed)', async () => {
    const s = await serve(() => {
      // Never answers: the attempt times out.
    });
    const result = await client(s.url, { timeoutMs: 50 }).post('/x', { json: {} });
    expect(result.success || result.error.code).toBe('TIMEOUT');
    expect(s.requests).toHaveLength(1);
  });

  it('with unprocessedStatuses [] a POST answered 429 is not retried', async () => {
    const s = await serve((_req, res, i) => (i === 0 ? json(res, 429, {}) : json(res, 201, {})));
    const result = await client(s.url, { retry: { ...fast, unprocessedStatuses: [] } }).post('/x', {
      json: {},
    });
    expect(result.success || result.error).toMatchObject({ code: 'RATE_LIMIT', status: 429 });
    expect(s.requests).toHaveLength(1);
  });

  it('retries an opted-in status (503) for a POST, and only while statusCodes lists it', async () => {
    const s = await serve((_req, res, i) => (i % 2 === 0 ? json(res, 503, {}) : json(res, 201, {})));
    const optedIn = await client(s.url, { retry: { ...fast, unprocessedStatuses: [429, 503] } }).post('/x');
    expect(optedIn.success).toBe(true);
    expect(s.requests).toHaveLength(2);
    const notRetried = await client(s.url, {
      retry: { ...fast, statusCodes: [429], unprocessedStatuses: [503] },
    }).post('/x');
    expect(notRetried.success).toBe(false);
    expect(s.requests).toHaveLength(3);
  });

  it('keeps a connector mapping that calls the 429 final', async () => {
    const s = await serve((_req, res) => json(res, 429, { policy: 'DAILY' }));
    const result = await client(s.url, { mapError: () => ({ code: 'RATE_LIMIT', retryable: false }) }).post(
      '/x',
    );
    expect(result.success).toBe(false);
    expect(s.requests).toHaveLength(1);
  });

  it("retries a POST refused by the client's own limiter (never sent), unless disabled", async () => {
    const blocked = () => {
      const limiter = createRateLimiter({ limit: 100, intervalMs: 1_000 });
      limiter.observe({ status: 429, headers: new Headers({ 'retry-after': '0.2' }) });
      return limiter;
    };
    const s = await serve((_req, res) => json(res, 201, {}));
    // The block (200 ms) outlasts the attempt timeout (50 ms): the limiter refuses at once with the wait.
    const retried = await client(s.url, { timeoutMs: 50, rateLimiter: blocked() }).post('/x');
    expect(retried.success).toBe(true);
    expect(s.requests).toHaveLength(1);
    const refused = await client(s.url, {
      timeoutMs: 50,
      rateLimiter: blocked(),
      retry: { ...fast, unprocessedStatuses: [] },
    }).post('/x');
    expect(refused.success || refused.error).toMatchObject({ code: 'RATE_LIMIT' });
    expect(s.requests).toHaveLength(1);
  });

  it('names the field of a malformed unprocessedStatuses', () => {
    expect(() =>
      createHttpClient({
        baseUrl: 'https://api.example.com',
        retry: { unprocessedStatuses: ['429'] as never },
      }),
    ).toThrow(expect.objectContaining({ code: 'CONFIG_ERROR', field: 'retry.unprocessedStatuses.0' }));
  });
});
