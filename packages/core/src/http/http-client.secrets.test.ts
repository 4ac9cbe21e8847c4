// Every auth type × every way out of the client (hooks, logger, the returned error in every rendering): a
// credential the server echoes back never reaches any of them.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { json, useLoopbackServers } from '../../test-support/loopback-server.ts';
import { fromBase64, toBase64, utf8 } from '../encoding/encoding.ts';
import type { LogFields } from '../logging/logger.ts';
import type { IntegrationError } from '../result/errors.ts';
import { Secret } from '../secrets/secret.ts';
import type { AuthOption } from './auth.ts';
import { createHttpClient, type HttpClientOptions } from './http-client.ts';

const KEY = 'pk_live_9f8e7d6c5b4a39281706';
// A query credential with characters that change when encoded, so the encoded echo is tested too.
const QUERY_KEY = 'qk+live/9f8e=7d6c&5b4a';
const PASSWORD = 'open sesame/42+"x"';
const USER = 'api-user';
const DYNAMIC = 'oauth-rotating-7c1e55d0a2';

const serve = useLoopbackServers();

// The auth types of auth.ts, and every form of each credential that must never be seen.
const authTypes: [string, () => AuthOption, string[]][] = [
  ['bearer string', () => ({ type: 'bearer', token: KEY }), [KEY]],
  ['bearer Secret', () => ({ type: 'bearer', token: new Secret(KEY) }), [KEY]],
  ['bearer function', () => ({ type: 'bearer', token: () => DYNAMIC }), [DYNAMIC]],
  [
    'bearer async function (a new token each call)',
    () => {
      let n = 0;
      return { type: 'bearer', token: async () => new Secret(`${DYNAMIC}-${++n}`) };
    },
    [DYNAMIC],
  ],
  ['header', () => ({ type: 'header', name: 'X-Api-Key', value: new Secret(KEY) }), [KEY]],
  [
    'basic',
    () => ({ type: 'basic', username: USER, password: new Secret(PASSWORD) }),
    [PASSWORD, `${USER}:${PASSWORD}`, toBase64(utf8(`${USER}:${PASSWORD}`)), encodeURIComponent(PASSWORD)],
  ],
  ['basic with the key as user name', () => ({ type: 'basic', username: KEY, password: '' }), [KEY]],
  [
    'query',
    () => ({ type: 'query', name: 'api_token', value: QUERY_KEY }),
    [QUERY_KEY, encodeURIComponent(QUERY_KEY)],
  ],
  ['query with a plain name', () => ({ type: 'query', name: 'k', value: new Secret(KEY) }), [KEY]],
];

// What a careless server sends back: every credential-bearing part of the request it received.
function echoOf(req: { url: string; headers: Record<string, string | string[] | undefined> }): string[] {
  const authorization = String(req.headers.authorization ?? '');
  const decoded = authorization.startsWith('Basic ')
    ? new TextDecoder().decode(fromBase64(authorization.slice(6)))
    : '';
  const query = new URL(req.url, 'http://x').searchParams;
  return [
    authorization,
    String(req.headers['x-api-key'] ?? ''),
    req.url,
    decodeURIComponent(req.url),
    decoded,
    [...query.values()].join(' '),
  ].filter(Boolean);
}

interface Exits {
  text: () => string;
  hooks: HttpClientOptions['hooks'];
  logger: NonNullable<HttpClientOptions['logger']>;
}

// Captures everything that leaves the client, rendered every way a user could print it.
function exits(): Exits {
  const seen: unknown[] = [];
  const errors: IntegrationError[] = [];
  const log = (level: string) => (message: string, fields?: LogFields) =>
    void seen.push({ level, message, fields });
  return {
    hooks: {
      beforeRequest: ({ url }) => void seen.push({ beforeRequest: url }),
      afterResponse: (event) => void seen.push({ afterResponse: event }),
      beforeRetry: (event) => {
        seen.push({ beforeRetry: { ...event, error: undefined } });
        errors.push(event.error);
      },
      onError: (error) => void errors.push(error),
    },
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    text: () => [JSON.stringify(seen), ...errors.map(renderings)].join('\n'),
  };
}

function renderings(error: IntegrationError): string {
  const cause =
    error.cause instanceof Error ? `${error.cause.message}\n${error.cause.stack}` : String(error.cause);
  return [
    error.message,
    String(error),
    error.stack,
    JSON.stringify(error),
    JSON.stringify(error.toJSON()),
    inspect(error, { depth: 10, showHidden: true }),
    cause,
    error.path,
    error.requestId,
    JSON.stringify(error.issues),
  ].join('\n');
}

function expectNoLeak(text: string, secrets: string[]) {
  for (const secret of secrets) expect(text).not.toContain(secret);
}

// A schema whose issue quotes the value it got: a third-party validator may do this.
const quotingSchema = {
  '~standard': {
    version: 1 as const,
    vendor: 'test',
    validate: (value: unknown) => ({
      issues: [{ message: `unexpected ${JSON.stringify(value)}`, path: ['echo'] }],
    }),
  },
};

describe.each(authTypes)('secrets never leak with %s auth', (_label, makeAuth, secrets) => {
  const clientWith = (baseUrl: string, out: Exits, extra: Partial<HttpClientOptions> = {}) =>
    createHttpClient({
      baseUrl,
      auth: makeAuth(),
      retry: { retries: 1, initialDelayMs: 1, maxDelayMs: 2 },
      hooks: out.hooks,
      logger: out.logger,
      ...extra,
    });

  it('when the server echoes the credentials in error bodies, request ids and messages, across a retry', async () => {
    const s = await serve((req, res, i) => {
      const echo = echoOf(req);
      json(
        res,
        i === 0 ? 503 : 401,
        { detail: echo.join(' '), errors: echo.map((detail) => ({ detail, pointer: `/${detail}` })) },
        { 'x-request-id': echo[0] ?? '' },
      );
    });
    const out = exits();
    const result = await clientWith(s.url, out).get('/v1/people?limit=5');
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error).toMatchObject({ code: 'AUTH_ERROR', attempts: 2 });
    expect(s.requests).toHaveLength(2);
    expectNoLeak(`${renderings(result.error)}\n${out.text()}`, secrets);
    expect(out.text()).toContain('[REDACTED]');
  });

  it('when the echo sits where the server message is cut (300 characters)', async () => {
    const s = await serve((req, res) =>
      json(res, 400, { message: `${'x'.repeat(285)} ${echoOf(req).join(' ')}` }),
    );
    const out = exits();
    const result = await clientWith(s.url, out).get('/x');
    if (result.success) throw new Error('expected a failure');
    expectNoLeak(`${renderings(result.error)}\n${out.text()}`, [
      ...secrets,
      ...secrets.map((x) => x.slice(0, 12)),
    ]);
  });

  it('when the server answers a plain-text echo', async () => {
    const s = await serve((req, res) => {
      res.writeHead(422, { 'content-type': 'text/plain' });
      res.end(`rejected: ${echoOf(req).join(' | ')}`);
    });
    const out = exits();
    const result = await clientWith(s.url, out).post('/x', { json: {} });
    if (result.success) throw new Error('expected a failure');
    expectNoLeak(`${renderings(result.error)}\n${out.text()}`, secrets);
  });

  it('when a response schema quotes the echoed value in its issue', async () => {
    const s = await serve((req, res) => json(res, 200, { echo: echoOf(req) }));
    const out = exits();
    const result = await clientWith(s.url, out).get('/x', { schema: quotingSchema as never });
    if (result.success) throw new Error('expected a failure');
    expect(result.error.code).toBe('INVALID_RESPONSE');
    expectNoLeak(`${renderings(result.error)}\n${out.text()}`, secrets);
  });

  it('when the caller put the credential in the path itself', async () => {
    const s = await serve((_req, res) => json(res, 404, {}));
    const out = exits();
    const [secret = KEY] = secrets;
    const result = await clientWith(s.url, out).get(
      `/keys/${encodeURIComponent(secret)}?q=${encodeURIComponent(secret)}`,
    );
    if (result.success) throw new Error('expected a failure');
    // A dynamic token is only known once sent; the static ones are scrubbed from the path up front.
    if (secret !== DYNAMIC) expectNoLeak(`${renderings(result.error)}\n${out.text()}`, secrets);
  });

  it('on a network error, a timeout and a refused redirect', async () => {
    const hang = await serve(() => {
      /* never answers */
    });
    const out = exits();
    const timedOut = await clientWith(hang.url, out, { timeoutMs: 50, retry: false }).get('/x');
    expect(timedOut.success || timedOut.error.code).toBe('TIMEOUT');
    const closed = await serve((_req, res) => json(res, 200, {}));
    const url = closed.url;
    await closed.close();
    const refused = await clientWith(url, out, { retry: false }).get('/x');
    expect(refused.success || refused.error.code).toBe('NETWORK_ERROR');
    const elsewhere = await serve((_req, res) => json(res, 200, {}));
    const redirecting = await serve((req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/steal?${new URL(req.url, 'http://x').searchParams}` });
      res.end();
    });
    const redirected = await clientWith(redirecting.url, out, { retry: false }).get('/x');
    expect(redirected.success || redirected.error.code).toBe('INVALID_RESPONSE');
    for (const result of [timedOut, refused, redirected]) {
      if (!result.success) expectNoLeak(renderings(result.error), secrets);
    }
    expectNoLeak(out.text(), secrets);
  });
});

describe('secrets: credentials passed by hand are scrubbed too', () => {
  it('a credential-named client header, call header or query parameter echoed back', async () => {
    const s = await serve((req, res) =>
      json(
        res,
        401,
        { errors: [{ detail: JSON.stringify(req.headers) }, { detail: req.url }] },
        { 'x-request-id': req.url },
      ),
    );
    const out = exits();
    const c = createHttpClient({
      baseUrl: s.url,
      retry: false,
      headers: { 'X-Api-Key': KEY },
      hooks: out.hooks,
      logger: out.logger,
    });
    const result = await c.get('/x', {
      headers: { 'X-Session-Token': `${DYNAMIC}-session` },
      searchParams: { access_token: `${DYNAMIC}-query`, page: 1 },
    });
    if (result.success) throw new Error('expected a failure');
    expectNoLeak(`${renderings(result.error)}\n${out.text()}`, [
      KEY,
      `${DYNAMIC}-session`,
      `${DYNAMIC}-query`,
    ]);
  });
});

describe('secrets: the hooks see no credential header', () => {
  it('beforeRequest runs before auth is applied, so its headers hold none', async () => {
    const s = await serve((_req, res) => json(res, 200, {}));
    const seen: string[] = [];
    const c = createHttpClient({
      baseUrl: s.url,
      auth: { type: 'header', name: 'X-Api-Key', value: KEY },
      hooks: {
        beforeRequest: ({ headers }) => {
          seen.push(JSON.stringify([...headers]));
          headers.set('X-Trace', 't1');
        },
      },
    });
    expect((await c.get('/x')).success).toBe(true);
    expectNoLeak(seen.join('\n'), [KEY]);
    expect(s.requests[0]?.headers).toMatchObject({ 'x-trace': 't1', 'x-api-key': KEY });
  });
});
