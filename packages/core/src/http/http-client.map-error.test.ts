// The error-mapping hook on the wire: what a mapper sees, how its answer shapes the error and the retries, and
// that a mapper that throws or answers garbage never breaks a call.
import { describe, expect, it } from 'vitest';
import { json, useLoopbackServers } from '../../test-support/loopback-server.ts';
import type { LogFields } from '../logging/logger.ts';
import type { IntegrationError } from '../result/errors.ts';
import type { ErrorMapper, ErrorResponse } from './classify.ts';
import { createHttpClient, type HttpClientOptions } from './http-client.ts';

const KEY = 'pk_live_9f8e7d6c5b4a39281706';
const fast = { retries: 2, initialDelayMs: 1, maxDelayMs: 2 };
const serve = useLoopbackServers();

// A vendor whose errors are `{ failure: { reason, kind, wait } }`, which no generic reading knows.
const vendorBody = (reason: string, kind = 'invalid', wait?: number) => ({ failure: { reason, kind, wait } });
const vendorMapper: ErrorMapper = ({ body }) => {
  const failure = (body as { failure?: { reason?: string; kind?: string; wait?: number } } | undefined)
    ?.failure;
  if (!failure) return undefined;
  return {
    message: failure.reason,
    code: failure.kind === 'duplicate' ? 'CONFLICT' : undefined,
    retryAfterMs: failure.wait === undefined ? undefined : failure.wait * 1000,
  };
};

function memoryLogger() {
  const lines: { level: string; message: string; fields?: LogFields }[] = [];
  const at = (level: string) => (message: string, fields?: LogFields) => {
    lines.push({ level, message, fields });
  };
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

const client = (url: string, options: Partial<HttpClientOptions> = {}) =>
  createHttpClient({ baseUrl: url, auth: { type: 'bearer', token: KEY }, retry: fast, ...options });

function failureOf(result: { success: boolean; error?: IntegrationError }): IntegrationError {
  if (result.success || !result.error) throw new Error('expected a failure');
  return result.error;
}

describe('mapError: what the mapper is given', () => {
  it('status, status text, headers, the parsed body and the redacted request', async () => {
    const s = await serve((_req, res) =>
      json(res, 400, vendorBody('name is required'), { 'x-vendor-trace': 't-1' }),
    );
    const seen: ErrorResponse[] = [];
    const result = await client(s.url, {
      auth: { type: 'query', name: 'api_key', value: KEY },
      mapError: (response) => {
        seen.push(response);
        return undefined;
      },
    }).post(`/v1/items?page=2&access_token=${KEY}`, { json: {} });
    failureOf(result);
    expect(seen).toHaveLength(1);
    const [response] = seen;
    expect(response).toMatchObject({
      status: 400,
      statusText: 'Bad Request',
      body: { failure: { reason: 'name is required', kind: 'invalid' } },
      request: { method: 'POST', path: '/v1/items?page=2&access_token=[REDACTED]' },
    });
    expect(response?.headers.get('x-vendor-trace')).toBe('t-1');
    expect(JSON.stringify(response?.request)).not.toContain(KEY);
  });

  it('JSON sent as text/plain parsed; other text as it is; an oversized body as undefined', async () => {
    const bodies: unknown[] = [];
    const mapError: ErrorMapper = ({ body }) => {
      bodies.push(body);
      return undefined;
    };
    const s = await serve((_req, res, i) => {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(i === 0 ? ' {"failure":{"reason":"x"}}' : i === 1 ? 'plain words' : 'y'.repeat(5_000));
    });
    const c = client(s.url, { mapError, retry: false, maxResponseBytes: 1_000 });
    await c.get('/a');
    await c.get('/b');
    await c.get('/c');
    expect(bodies).toEqual([{ failure: { reason: 'x' } }, 'plain words', undefined]);
  });

  it('a body the server echoed a credential into reaches the mapper scrubbed', async () => {
    const s = await serve((req, res) => json(res, 401, vendorBody(`bad key ${req.headers.authorization}`)));
    const seen: unknown[] = [];
    await client(s.url, { mapError: ({ body }) => void seen.push(body) }).get('/x');
    expect(JSON.stringify(seen)).not.toContain(KEY);
    expect(JSON.stringify(seen)).toContain('[REDACTED]');
  });
});

describe('mapError: its answer shapes the error', () => {
  it('its message, code, field, issues and request id, with the generic reading for the rest', async () => {
    const s = await serve((_req, res) =>
      json(res, 400, { rejected: [{ at: 'email', why: 'taken' }], ref: 'r-9' }, { 'x-request-id': 'hdr-1' }),
    );
    const result = await client(s.url, {
      mapError: ({ body }) => {
        const { rejected, ref } = body as { rejected: { at: string; why: string }[]; ref: string };
        return {
          code: 'CONFLICT',
          message: rejected.map((r) => `${r.at} ${r.why}`).join('; '),
          field: rejected[0]?.at,
          issues: rejected.map((r) => ({ field: r.at, message: r.why })),
          requestId: ref,
        };
      },
    }).get('/v1/people');
    expect(failureOf(result)).toMatchObject({
      code: 'CONFLICT',
      status: 400,
      retryable: false,
      field: 'email',
      issues: [{ field: 'email', message: 'taken' }],
      requestId: 'r-9',
      attempts: 1,
      message: 'GET /v1/people failed with 400 Bad Request: email taken',
    });
  });

  it('undefined leaves the generic reading as it was', async () => {
    const s = await serve((_req, res) =>
      json(res, 404, { message: 'no such item' }, { 'x-request-id': 'h' }),
    );
    const mapped = failureOf(await client(s.url, { mapError: () => undefined }).get('/v1/items/1'));
    const plain = failureOf(await client(s.url).get('/v1/items/1'));
    expect(mapped.toJSON()).toEqual(plain.toJSON());
    expect(mapped.message).toBe('GET /v1/items/1 failed with 404 Not Found: no such item');
  });

  it('what the mapper answers is scrubbed like every other message', async () => {
    const s = await serve((req, res) =>
      json(res, 400, {}, { 'x-echo': String(req.headers.authorization ?? '') }),
    );
    const { logger, lines } = memoryLogger();
    const hookErrors: IntegrationError[] = [];
    const result = await client(s.url, {
      logger,
      hooks: { onError: (error) => hookErrors.push(error) },
      mapError: ({ headers }) => ({
        message: `server saw ${headers.get('x-echo')}`,
        field: headers.get('x-echo') ?? undefined,
        issues: [{ field: 'auth', message: headers.get('x-echo') ?? '' }],
        requestId: headers.get('x-echo') ?? undefined,
      }),
    }).get('/x');
    const error = failureOf(result);
    for (const text of [JSON.stringify(error), error.message, String(error.stack), JSON.stringify(lines)]) {
      expect(text).not.toContain(KEY);
    }
    expect(JSON.stringify(hookErrors)).not.toContain(KEY);
    expect(error.message).toContain('[REDACTED]');
  });
});

describe('mapError: its answer decides the retries', () => {
  it('retryable: false stops a 503 after one attempt', async () => {
    const s = await serve((_req, res) => json(res, 503, vendorBody('maintenance until Monday')));
    const result = await client(s.url, { mapError: () => ({ retryable: false }) }).get('/x');
    expect(failureOf(result)).toMatchObject({ code: 'SERVER_ERROR', retryable: false, attempts: 1 });
    expect(s.requests).toHaveLength(1);
  });

  it('retryable: true retries a status outside retry.statusCodes (a GET)', async () => {
    const s = await serve((_req, res, i) =>
      i < 2 ? json(res, 400, vendorBody('busy, try again')) : json(res, 200, { ok: true }),
    );
    const result = await client(s.url, { mapError: () => ({ retryable: true }) }).get('/x');
    expect(result).toEqual({ success: true, data: { ok: true } });
    expect(s.requests).toHaveLength(3);
  });

  it('a mapped code without retryable retries by that code (a 400 that is a rate limit)', async () => {
    const s = await serve((_req, res, i) =>
      i < 1 ? json(res, 400, vendorBody('slow down')) : json(res, 200, { ok: true }),
    );
    const result = await client(s.url, { mapError: () => ({ code: 'RATE_LIMIT' }) }).get('/x');
    expect(result.success).toBe(true);
    expect(s.requests).toHaveLength(2);
  });

  it('retryable: true does not make a POST without an idempotency key repeatable', async () => {
    const s = await serve((_req, res) => json(res, 503, {}));
    const result = await client(s.url, { idempotency: false, mapError: () => ({ retryable: true }) }).post(
      '/x',
      { json: {} },
    );
    failureOf(result);
    expect(s.requests).toHaveLength(1);
  });

  it("the mapped wait is the next attempt's delay", async () => {
    const s = await serve((_req, res, i) =>
      i === 0 ? json(res, 429, vendorBody('slow down', 'limit', 0.3)) : json(res, 200, { ok: true }),
    );
    const result = await client(s.url, { mapError: vendorMapper }).get('/x');
    expect(result.success).toBe(true);
    const [first, second] = s.requests;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(280);
  });

  it('a mapped wait over maxRetryAfterMs ends the call at once with RATE_LIMIT carrying it', async () => {
    const s = await serve((_req, res) => json(res, 429, vendorBody('daily limit', 'limit', 86_400)));
    const started = performance.now();
    const result = await client(s.url, { mapError: vendorMapper }).get('/x');
    expect(failureOf(result)).toMatchObject({
      code: 'RATE_LIMIT',
      retryable: true,
      retryAfterMs: 86_400_000,
      attempts: 1,
    });
    expect(s.requests).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('runs once per failed attempt, shared by the retry decision, beforeRetry and the final error', async () => {
    const s = await serve((_req, res) => json(res, 503, vendorBody('down')));
    let calls = 0;
    const retried: IntegrationError[] = [];
    const result = await client(s.url, {
      hooks: { beforeRetry: ({ error }) => retried.push(error) },
      mapError: (response) => {
        calls++;
        return vendorMapper(response);
      },
    }).get('/x');
    expect(failureOf(result)).toMatchObject({
      attempts: 3,
      message: 'GET /x failed with 503 Service Unavailable: down (after 3 attempts)',
    });
    expect(calls).toBe(3);
    expect(retried.map((error) => error.message)).toEqual([
      'GET /x failed with 503 Service Unavailable: down',
      'GET /x failed with 503 Service Unavailable: down (after 2 attempts)',
    ]);
  });
});

describe('mapError: a broken mapper never breaks a call', () => {
  const generic = async (url: string) => failureOf(await client(url, { retry: false }).get('/x')).toJSON();

  it.each<[string, ErrorMapper]>([
    [
      'throws',
      () => {
        throw new TypeError('cannot read properties of undefined');
      },
    ],
    ['answers a string', () => 'CONFLICT' as never],
    ['answers a number', () => 42 as never],
    ['answers null', () => null as never],
    [
      'answers fields of the wrong type',
      () => ({ code: 'TEAPOT', retryable: 'yes', retryAfterMs: -5 }) as never,
    ],
    [
      'answers an object whose getters throw',
      () =>
        Object.defineProperty({}, 'code', {
          enumerable: true,
          get() {
            throw new Error('boom');
          },
        }),
    ],
    ['is async and rejects', (async () => Promise.reject(new Error('late'))) as never],
  ])('a mapper that %s gives the generic error', async (_label, mapError) => {
    const s = await serve((_req, res) =>
      json(res, 409, { message: 'already there' }, { 'x-request-id': 'r' }),
    );
    const result = await client(s.url, { retry: false, mapError }).get('/x');
    expect(failureOf(result).toJSON()).toEqual(await generic(s.url));
  });

  it('a mapper that throws on a retryable status leaves the retry policy as configured', async () => {
    const s = await serve((_req, res, i) => (i < 2 ? json(res, 503, {}) : json(res, 200, { ok: 1 })));
    const result = await client(s.url, {
      mapError: () => {
        throw new Error('bug');
      },
    }).get('/x');
    expect(result).toEqual({ success: true, data: { ok: 1 } });
    expect(s.requests).toHaveLength(3);
  });

  it('logs what it ignored by name, never the value', async () => {
    const s = await serve((_req, res) => json(res, 400, {}));
    const { logger, lines } = memoryLogger();
    await client(s.url, {
      retry: false,
      logger,
      mapError: () => ({ code: `NOT-A-CODE ${KEY}`, message: 'kept' }) as never,
    }).get('/x');
    const warning = lines.find((line) => line.message === 'http mapError answer ignored');
    expect(warning?.fields).toMatchObject({ method: 'GET', path: '/x', status: 400, ignored: 'code' });
    expect(JSON.stringify(lines)).not.toContain(KEY);
  });

  it('is not called for a success, a timeout or a network error', async () => {
    let calls = 0;
    const mapError = () => {
      calls++;
      return undefined;
    };
    const ok = await serve((_req, res) => json(res, 200, {}));
    expect((await client(ok.url, { mapError }).get('/x')).success).toBe(true);
    const hang = await serve(() => {
      /* never answers */
    });
    const timedOut = await client(hang.url, { mapError, retry: false, timeoutMs: 50 }).get('/x');
    expect(failureOf(timedOut).code).toBe('TIMEOUT');
    const refused = await client('http://127.0.0.1:1', { mapError, retry: false }).get('/x');
    expect(failureOf(refused).code).toBe('NETWORK_ERROR');
    expect(calls).toBe(0);
  });

  it('an option that is not a function is a CONFIG_ERROR naming mapError', () => {
    expect(() =>
      createHttpClient({ baseUrl: 'https://h.example', mapError: 'twenty' as never }),
    ).toThrowError(expect.objectContaining({ code: 'CONFIG_ERROR', field: 'mapError' }));
  });
});
