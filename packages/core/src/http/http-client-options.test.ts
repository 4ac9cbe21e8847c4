// Hostile input to the client's factory and to every call method: a factory throws only CONFIG_ERROR
// naming the field; a call resolves to a typed failure and never rejects.
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { json, type LoopbackServer, startLoopbackServer } from '../../test-support/loopback-server.ts';
import { createCircuitBreaker } from '../resilience/circuit-breaker.ts';
import { createRateLimiter } from '../resilience/rate-limiter.ts';
import { IntegrationError } from '../result/errors.ts';
import { Secret } from '../secrets/secret.ts';
import { createHttpClient, type HttpClient, type HttpClientOptions } from './http-client.ts';

const SECRET = 'pk_live_hostile_5b4a39281706';
const BASE = 'https://api.example.test';

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function thrownBy(build: () => unknown): unknown {
  try {
    build();
  } catch (error) {
    return error;
  }
  return undefined;
}

const throwingGetter = (key: string, base: Record<string, unknown> = {}) =>
  Object.defineProperty({ ...base }, key, {
    enumerable: true,
    get() {
      throw new TypeError(`getter ${key} exploded with ${SECRET}`);
    },
  });

describe('createHttpClient: hostile options throw only CONFIG_ERROR naming the field', () => {
  const cases: [string, unknown, string][] = [
    ['undefined options', undefined, '(root)'],
    ['null options', null, '(root)'],
    ['a number', 42, '(root)'],
    ['a string', 'https://api.example.test', '(root)'],
    ['a function', () => ({ baseUrl: BASE }), '(root)'],
    ['an array', [BASE], '(root)'],
    ['no baseUrl', {}, 'baseUrl'],
    ['a numeric baseUrl', { baseUrl: 42 }, 'baseUrl'],
    ['an unknown auth type', { baseUrl: BASE, auth: { type: 'magic' } }, 'auth.type'],
    ['null auth', { baseUrl: BASE, auth: null }, 'auth'],
    ['auth as a string', { baseUrl: BASE, auth: SECRET }, 'auth'],
    ['bearer without a token', { baseUrl: BASE, auth: { type: 'bearer' } }, 'auth.token'],
    ['a numeric bearer token', { baseUrl: BASE, auth: { type: 'bearer', token: 42 } }, 'auth.token'],
    [
      'a header credential with a line break',
      { baseUrl: BASE, auth: { type: 'header', name: 'X-Api-Key', value: `${SECRET}\r\nX-Evil: 1` } },
      'auth.value',
    ],
    [
      'an invalid header name',
      { baseUrl: BASE, auth: { type: 'header', name: 'X Api Key', value: SECRET } },
      'auth.name',
    ],
    [
      'a basic user name with a colon',
      { baseUrl: BASE, auth: { type: 'basic', username: 'a:b', password: SECRET } },
      'auth.username',
    ],
    [
      'an empty query credential',
      { baseUrl: BASE, auth: { type: 'query', name: 'k', value: '' } },
      'auth.value',
    ],
    ['a fetch that is not a function', { baseUrl: BASE, fetch: 'fetch' }, 'fetch'],
    ['a fetch object', { baseUrl: BASE, fetch: { fetch: () => undefined } }, 'fetch'],
    ['headers with a number', { baseUrl: BASE, headers: { 'X-Count': 5 } }, 'headers.X-Count'],
    ['headers with an object', { baseUrl: BASE, headers: { 'X-Obj': { a: 1 } } }, 'headers.X-Obj'],
    ['headers with a line break', { baseUrl: BASE, headers: { 'X-A': 'a\r\nb' } }, 'headers.X-A'],
    ['headers with a bad name', { baseUrl: BASE, headers: { 'bad name': 'x' } }, 'headers'],
    ['headers as a string', { baseUrl: BASE, headers: 'X-A: 1' }, 'headers'],
    ['a logger missing methods', { baseUrl: BASE, logger: { info: () => {} } }, 'logger'],
    ['a logger as a function', { baseUrl: BASE, logger: () => {} }, 'logger'],
    ['hooks with a non-function', { baseUrl: BASE, hooks: { onError: 'log it' } }, 'hooks'],
    ['hooks as a function', { baseUrl: BASE, hooks: () => {} }, 'hooks'],
    ['retry as a string', { baseUrl: BASE, retry: 'yes' }, 'retry'],
    ['retry as null', { baseUrl: BASE, retry: null }, 'retry'],
    ['retry as true', { baseUrl: BASE, retry: true }, 'retry'],
    ['retries not a number', { baseUrl: BASE, retry: { retries: 'three' } }, 'retry.retries'],
    ['idempotency as a number', { baseUrl: BASE, idempotency: 1 }, 'idempotency'],
    [
      'an invalid idempotency header',
      { baseUrl: BASE, idempotency: { header: 'Idem Key' } },
      'idempotency.header',
    ],
    ['a numeric rate limiter', { baseUrl: BASE, rateLimiter: 5 }, 'rateLimiter'],
    ['a rate limiter as a function', { baseUrl: BASE, rateLimiter: () => {} }, 'rateLimiter'],
    ['a limiter without observe', { baseUrl: BASE, rateLimiter: { acquire: async () => {} } }, 'rateLimiter'],
    [
      'a limiter with a non-function acquire',
      { baseUrl: BASE, rateLimiter: { acquire: 1, observe: 1 } },
      'rateLimiter',
    ],
    [
      'limiter options without a limit',
      { baseUrl: BASE, rateLimiter: { intervalMs: 1000 } },
      'rateLimiter.limit',
    ],
    [
      'limiter options with a bad clock',
      { baseUrl: BASE, rateLimiter: { limit: 1, intervalMs: 1, now: 5 } },
      'rateLimiter.now',
    ],
    [
      'limiter options with a bad store',
      { baseUrl: BASE, rateLimiter: { limit: 1, intervalMs: 1, store: {} } },
      'rateLimiter.store',
    ],
    ['a numeric circuit breaker', { baseUrl: BASE, circuitBreaker: 3 }, 'circuitBreaker'],
    [
      'a breaker without recordFailure',
      { baseUrl: BASE, circuitBreaker: { tryAcquire: () => ({ allowed: true }) } },
      'circuitBreaker',
    ],
    [
      'breaker options with a bad threshold',
      { baseUrl: BASE, circuitBreaker: { failureThreshold: 'x' } },
      'circuitBreaker.failureThreshold',
    ],
    [
      'breaker options with a bad clock',
      { baseUrl: BASE, circuitBreaker: { now: 'now' } },
      'circuitBreaker.now',
    ],
    [
      'breaker options with a bad observer',
      { baseUrl: BASE, circuitBreaker: { onStateChange: 1 } },
      'circuitBreaker.onStateChange',
    ],
    ['a negative timeout', { baseUrl: BASE, timeoutMs: -1 }, 'timeoutMs'],
    ['a NaN timeout', { baseUrl: BASE, timeoutMs: Number.NaN }, 'timeoutMs'],
    [
      'an infinite total timeout',
      { baseUrl: BASE, totalTimeoutMs: Number.POSITIVE_INFINITY },
      'totalTimeoutMs',
    ],
    ['a getter that throws', throwingGetter('auth', { baseUrl: BASE }), 'auth'],
    ['a baseUrl getter that throws', throwingGetter('baseUrl'), 'baseUrl'],
    [
      'a nested getter that throws',
      { baseUrl: BASE, auth: throwingGetter('token', { type: 'bearer' }) },
      'auth',
    ],
    ['a retry getter that throws', { baseUrl: BASE, retry: throwingGetter('retries') }, 'retry'],
    [
      'limiter options with a getter that throws',
      { baseUrl: BASE, rateLimiter: throwingGetter('limit') },
      'rateLimiter',
    ],
    [
      'a Proxy whose every read throws',
      new Proxy(
        {},
        {
          get() {
            throw new Error(SECRET);
          },
        },
      ),
      'baseUrl',
    ],
  ];

  it.each(cases.map(([label, options, field]) => [label, field, () => options] as const))(
    '%s → CONFIG_ERROR at %s',
    (_label, field, options) => {
      const error = thrownBy(() => createHttpClient(options() as HttpClientOptions));
      expect(error).toBeInstanceOf(IntegrationError);
      expect(error).toMatchObject({ code: 'CONFIG_ERROR', field, retryable: false });
      expect(JSON.stringify(error)).not.toContain(SECRET);
      expect(String((error as Error).stack)).not.toContain(SECRET);
    },
  );

  it('accepts instances and options of every shape it documents', () => {
    const logger = { debug() {}, info() {}, warn() {}, error() {} };
    expect(() =>
      createHttpClient({
        baseUrl: BASE,
        auth: { type: 'basic', username: 'api', password: new Secret(SECRET) },
        rateLimiter: createRateLimiter({ limit: 5, intervalMs: 1000 }),
        circuitBreaker: createCircuitBreaker(),
        logger,
        hooks: { onError: () => {} },
        headers: { 'X-Team': 'core' },
        fetch: async () => new Response('{}'),
        retry: false,
        idempotency: false,
      }),
    ).not.toThrow();
    expect(() =>
      createHttpClient({
        baseUrl: BASE,
        rateLimiter: { limit: 5, intervalMs: 1000 },
        circuitBreaker: { failureThreshold: 2 },
      }),
    ).not.toThrow();
  });

  it('keeps a logger that needs its own this (a class instance)', async () => {
    class ClassLogger {
      lines: string[] = [];
      debug(message: string) {
        this.lines.push(message);
      }
      info(message: string) {
        this.lines.push(message);
      }
      warn(message: string) {
        this.lines.push(message);
      }
      error(message: string) {
        this.lines.push(message);
      }
    }
    const logger = new ClassLogger();
    const c = createHttpClient({
      baseUrl: BASE,
      logger,
      fetch: async () => new Response('{}'),
      retry: false,
    });
    expect((await c.get('/x')).success).toBe(true);
    expect(logger.lines).toContain('http attempt');
  });
});

describe('rate limiter and breaker factories: hostile options', () => {
  it.each([
    [null, '(root)'],
    [42, '(root)'],
    [{ limit: 1 }, 'intervalMs'],
    [{ limit: Number.POSITIVE_INFINITY, intervalMs: 1 }, 'limit'],
    [{ limit: 1, intervalMs: 1, key: 5 }, 'key'],
    [{ limit: 1, intervalMs: 1, now: 'now' }, 'now'],
    [{ limit: 1, intervalMs: 1, store: { take: () => 0 } }, 'store'],
  ])('createRateLimiter(%o) → CONFIG_ERROR at %s', (options, field) => {
    const error = thrownBy(() => createRateLimiter(options as never));
    expect(error).toMatchObject({ code: 'CONFIG_ERROR', field });
  });

  it.each([
    [null, '(root)'],
    ['x', '(root)'],
    [{ failureThreshold: 1.5 }, 'failureThreshold'],
    [{ cooldownMs: Number.POSITIVE_INFINITY }, 'cooldownMs'],
    [{ now: 1 }, 'now'],
    [{ onStateChange: {} }, 'onStateChange'],
  ])('createCircuitBreaker(%o) → CONFIG_ERROR at %s', (options, field) => {
    const error = thrownBy(() => createCircuitBreaker(options as never));
    expect(error).toMatchObject({ code: 'CONFIG_ERROR', field });
  });
});

describe('call methods: hostile arguments resolve to typed failures, never rejections', () => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  const throwingSchema = {
    '~standard': {
      version: 1,
      vendor: 'hostile',
      validate: () => {
        throw new Error(`schema exploded on ${SECRET}`);
      },
    },
  };

  type Invoke = (c: HttpClient) => Promise<unknown>;
  const cases: [string, Invoke, string, string][] = [
    ['get(null)', (c) => c.get(null as never), 'VALIDATION_ERROR', 'path'],
    ['get(42)', (c) => c.get(42 as never), 'VALIDATION_ERROR', 'path'],
    ['get(undefined)', (c) => c.get(undefined as never), 'VALIDATION_ERROR', 'path'],
    ['get({})', (c) => c.get({} as never), 'VALIDATION_ERROR', 'path'],
    ['head(Symbol)', (c) => c.head(Symbol('x') as never), 'VALIDATION_ERROR', 'path'],
    ['send(null method)', (c) => c.send(null as never, '/x'), 'VALIDATION_ERROR', 'method'],
    ['send(TRACE)', (c) => c.send('TRACE' as never, '/x'), 'VALIDATION_ERROR', 'method'],
    ['send(GET, null path)', (c) => c.send('GET', null as never), 'VALIDATION_ERROR', 'path'],
    ['get with null options', (c) => c.get('/x', null as never), 'VALIDATION_ERROR', 'options'],
    ['get with numeric options', (c) => c.get('/x', 5 as never), 'VALIDATION_ERROR', 'options'],
    ['get with function options', (c) => c.get('/x', (() => {}) as never), 'VALIDATION_ERROR', 'options'],
    [
      'get with a throwing getter',
      (c) => c.get('/x', throwingGetter('signal') as never),
      'VALIDATION_ERROR',
      'options.signal',
    ],
    [
      'head with a throwing getter',
      (c) => c.head('/x', throwingGetter('headers') as never),
      'VALIDATION_ERROR',
      'options.headers',
    ],
    [
      'send with a Proxy that throws on every read',
      (c) =>
        c.send(
          'GET',
          '/x',
          new Proxy(
            {},
            {
              get() {
                throw new Error(SECRET);
              },
            },
          ) as never,
        ),
      'VALIDATION_ERROR',
      'options.schema',
    ],
    ['post with a cyclic json', (c) => c.post('/x', { json: cyclic }), 'VALIDATION_ERROR', 'options.json'],
    [
      'post with a BigInt json',
      (c) => c.post('/x', { json: { n: 10n } }),
      'VALIDATION_ERROR',
      'options.json',
    ],
    ['put with a BigInt at the root', (c) => c.put('/x', { json: 10n }), 'VALIDATION_ERROR', 'options.json'],
    [
      'patch with a throwing toJSON',
      (c) =>
        c.patch('/x', {
          json: {
            toJSON() {
              throw new Error(SECRET);
            },
          },
        }),
      'VALIDATION_ERROR',
      'options.json',
    ],
    [
      'post with a function as json',
      (c) => c.post('/x', { json: () => 1 }),
      'VALIDATION_ERROR',
      'options.json',
    ],
    [
      'post with json and body',
      (c) => c.post('/x', { json: {}, body: 'x' }),
      'VALIDATION_ERROR',
      'options.body',
    ],
    ['get with a json body', (c) => c.get('/x', { json: { a: 1 } }), 'VALIDATION_ERROR', 'options.json'],
    [
      'post with a plain object body',
      (c) => c.post('/x', { body: { a: 1 } as never }),
      'VALIDATION_ERROR',
      'options.body',
    ],
    [
      'get with a schema that is not one',
      (c) => c.get('/x', { schema: {} as never }),
      'VALIDATION_ERROR',
      'options.schema',
    ],
    [
      'get with a numeric schema',
      (c) => c.get('/x', { schema: 5 as never }),
      'VALIDATION_ERROR',
      'options.schema',
    ],
    [
      'get with a throwing schema',
      (c) => c.get('/x', { schema: throwingSchema as never }),
      'OPERATION_FAILED',
      'schema',
    ],
    [
      'get with a signal that is not one',
      (c) => c.get('/x', { signal: {} as never }),
      'VALIDATION_ERROR',
      'options.signal',
    ],
    [
      'get with a numeric header',
      (c) => c.get('/x', { headers: { 'X-N': 5 as never } }),
      'VALIDATION_ERROR',
      'options.headers.X-N',
    ],
    [
      'get with a header line break',
      (c) => c.get('/x', { headers: { 'X-A': `${SECRET}\r\nX-B: 1` } }),
      'VALIDATION_ERROR',
      'options.headers.X-A',
    ],
    [
      'get with object search params',
      (c) => c.get('/x', { searchParams: { a: {} as never } }),
      'VALIDATION_ERROR',
      'options.searchParams.a',
    ],
    [
      'get with null search params',
      (c) => c.get('/x', { searchParams: null as never }),
      'VALIDATION_ERROR',
      'options.searchParams',
    ],
    [
      'get with a negative timeout',
      (c) => c.get('/x', { timeoutMs: -5 }),
      'VALIDATION_ERROR',
      'options.timeoutMs',
    ],
    [
      'get with a huge timeout',
      (c) => c.get('/x', { timeoutMs: 2 ** 40 }),
      'VALIDATION_ERROR',
      'options.timeoutMs',
    ],
    [
      'get with an unknown response type',
      (c) => c.get('/x', { responseType: 'xml' as never }),
      'VALIDATION_ERROR',
      'options.responseType',
    ],
    [
      'post with a bad idempotency key',
      (c) => c.post('/x', { idempotencyKey: 'a\nb' }),
      'VALIDATION_ERROR',
      'options.idempotencyKey',
    ],
    [
      'post with a numeric skipRetry',
      (c) => c.post('/x', { skipRetry: 1 as never }),
      'VALIDATION_ERROR',
      'options.skipRetry',
    ],
    ['get with an unparsable absolute URL', (c) => c.get('http://[::1'), 'VALIDATION_ERROR', 'path'],
  ];

  it.each(cases)('%s → %s at %s', async (_label, invoke, code, field) => {
    let sent = 0;
    const errors: IntegrationError[] = [];
    const c = createHttpClient({
      baseUrl: BASE,
      auth: { type: 'bearer', token: SECRET },
      retry: false,
      fetch: async () => {
        sent += 1;
        return new Response('{"ok":true}', { headers: { 'content-type': 'application/json' } });
      },
      hooks: { onError: (error) => void errors.push(error) },
    });
    const settled = await invoke(c).then(
      (value) => ({ resolved: true as const, value }),
      (reason: unknown) => ({ resolved: false as const, reason }),
    );
    expect(settled.resolved).toBe(true);
    if (!settled.resolved) return;
    const result = settled.value as { success: boolean; error?: IntegrationError };
    expect(result.success).toBe(false);
    expect(result.error).toBeInstanceOf(IntegrationError);
    expect(result.error).toMatchObject({ code, field, retryable: false });
    expect(errors).toEqual([result.error]);
    expect(JSON.stringify(result.error)).not.toContain(SECRET);
    expect(String(result.error?.stack)).not.toContain(SECRET);
    // Bad input is refused before anything is sent (a throwing schema only fails on the answer).
    expect(sent).toBe(code === 'OPERATION_FAILED' ? 1 : 0);
  });

  it('a throwing hook, logger or fetch never rejects a call', async () => {
    const explode = () => {
      throw new Error(SECRET);
    };
    const c = createHttpClient({
      baseUrl: BASE,
      retry: false,
      fetch: async () => new Response('{}', { status: 500 }),
      logger: { debug: explode, info: explode, warn: explode, error: explode },
      hooks: { afterResponse: explode, onError: explode, beforeRetry: explode },
    });
    const result = await c.get('/x');
    expect(result.success || result.error.code).toBe('SERVER_ERROR');

    const throwingFetch = createHttpClient({
      baseUrl: BASE,
      auth: { type: 'bearer', token: SECRET },
      retry: false,
      fetch: explode as never,
    });
    const failed = await throwingFetch.get('/x');
    expect(failed.success || failed.error.code).toBe('OPERATION_FAILED');
    expect(JSON.stringify(failed)).not.toContain(SECRET);

    const notAResponse = createHttpClient({
      baseUrl: BASE,
      retry: false,
      fetch: (async () => 'nope') as never,
    });
    const odd = await notAResponse.get('/x');
    expect(odd.success || odd.error.code).toBe('OPERATION_FAILED');

    const hookThrows = createHttpClient({
      baseUrl: BASE,
      auth: { type: 'header', name: 'X-Api-Key', value: SECRET },
      retry: false,
      fetch: async () => new Response('{}'),
      hooks: { beforeRequest: explode },
    });
    const refused = await hookThrows.get('/x');
    expect(refused.success || refused.error.code).toBe('OPERATION_FAILED');
    expect(JSON.stringify(refused)).not.toContain(SECRET);
  });

  it('a failing beforeRequest hook or token function hands a half-open probe back', async () => {
    server = await startLoopbackServer((_req, res) => json(res, 200, {}));
    let now = 0;
    const breaker = createCircuitBreaker({ failureThreshold: 1, cooldownMs: 10, now: () => now });
    breaker.recordFailure();
    now = 20;
    let fail = true;
    const c = createHttpClient({
      baseUrl: server.url,
      retry: false,
      circuitBreaker: breaker,
      auth: {
        type: 'bearer',
        token: () => {
          if (fail) throw new Error('token service down');
          return SECRET;
        },
      },
    });
    expect((await c.get('/x')).success).toBe(false);
    fail = false;
    // The probe slot is free again: the next call goes out and closes the breaker.
    expect((await c.get('/x')).success).toBe(true);
    expect(breaker.state).toBe('closed');
  });

  it('a valid call still works, with a schema', async () => {
    server = await startLoopbackServer((_req, res) => json(res, 200, { id: 'p1' }));
    const c = createHttpClient({ baseUrl: server.url, retry: false });
    expect(await c.get('/x', { schema: z.object({ id: z.string() }) })).toEqual({
      success: true,
      data: { id: 'p1' },
    });
    expect((await c.send('get' as never, '/x')).success).toBe(true);
  });
});
