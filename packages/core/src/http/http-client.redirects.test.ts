// Redirects against two real servers on two ports, i.e. two origins: what the second origin receives.
import { describe, expect, it } from 'vitest';
import {
  type Handler,
  json,
  type LoopbackServer,
  type RecordedRequest,
  useLoopbackServers,
} from '../../test-support/loopback-server.ts';
import { toBase64, utf8 } from '../encoding/encoding.ts';
import { ok } from '../result/result.ts';
import { Secret } from '../secrets/secret.ts';
import type { AuthOption } from './auth.ts';
import { createHttpClient, type HttpClientOptions } from './http-client.ts';

const KEY = 'pk_live_redirect_9f8e7d6c5b4a';
const PASSWORD = 'hunter2-open-sesame';
const BASIC = toBase64(utf8(`api-user:${PASSWORD}`));

const serve = useLoopbackServers();

const redirect = (res: Parameters<Handler>[1], status: number, location: string) => {
  res.writeHead(status, { location, 'content-type': 'text/plain' });
  res.end(`redirecting to ${location}`);
};

// Every auth type auth.ts supports, with what would betray each credential on the wire.
const authTypes: [string, AuthOption, string[]][] = [
  ['bearer', { type: 'bearer', token: KEY }, [KEY]],
  ['bearer Secret', { type: 'bearer', token: new Secret(KEY) }, [KEY]],
  ['bearer function', { type: 'bearer', token: async () => new Secret(KEY) }, [KEY]],
  ['header', { type: 'header', name: 'X-Api-Key', value: KEY }, [KEY]],
  ['basic', { type: 'basic', username: 'api-user', password: new Secret(PASSWORD) }, [PASSWORD, BASIC]],
  ['query', { type: 'query', name: 'api_token', value: KEY }, [KEY]],
  ['oauth2', { type: 'oauth2', tokens: { getAccessToken: async () => ok(new Secret(KEY)) } }, [KEY]],
];

// Everything a request carried that a credential could hide in.
const wireText = (request: RecordedRequest | undefined) =>
  request ? `${request.url}\n${JSON.stringify(request.headers)}\n${request.body}` : '';

function sentCredentials(request: RecordedRequest | undefined, auth: AuthOption): boolean {
  if (!request) return false;
  switch (auth.type) {
    case 'bearer':
    case 'oauth2':
      return request.headers.authorization === `Bearer ${KEY}`;
    case 'header':
      return request.headers['x-api-key'] === KEY;
    case 'basic':
      return request.headers.authorization === `Basic ${BASIC}`;
    case 'query':
      return new URL(request.url, 'http://x').searchParams.get('api_token') === KEY;
  }
}

const clientFor = (baseUrl: string, auth: AuthOption, extra: Partial<HttpClientOptions> = {}) =>
  createHttpClient({ baseUrl, auth, retry: false, ...extra });

describe.each(authTypes)('redirects with %s auth', (_label, auth, secrets) => {
  it.each([301, 302, 303, 307, 308])(
    'refuses a %i to another origin: it receives nothing, the error names its origin only',
    async (status) => {
      const other = await serve((_req, res) => json(res, 200, { stolen: true }));
      const home = await serve((_req, res) =>
        redirect(res, status, `${other.url.replace('http://', 'http://mallory:pw@')}/collect?q=1#frag`),
      );
      const result = await clientFor(home.url, auth).get('/things');
      expect(other.requests).toHaveLength(0);
      expect(result.success).toBe(false);
      if (result.success) return;
      expect(result.error).toMatchObject({
        code: 'INVALID_RESPONSE',
        status,
        retryable: false,
        field: 'redirects.crossOrigin',
      });
      expect(result.error.message).toContain(`another origin (${other.url})`);
      for (const hidden of ['mallory', '/collect', 'q=1', 'frag', ...secrets]) {
        expect(JSON.stringify(result.error)).not.toContain(hidden);
      }
      expect(sentCredentials(home.requests[0], auth)).toBe(true);
    },
  );

  it.each([302, 307])(
    'with crossOrigin follow-without-credentials, a %i reaches the other origin without any credential',
    async (status) => {
      const other = await serve((_req, res) => json(res, 200, { landed: true }));
      const home = await serve((req, res) =>
        // The home server even echoes the query into the Location, credential and all.
        redirect(res, status, `${other.url}/landing${new URL(req.url, 'http://x').search}`),
      );
      const c = clientFor(home.url, auth, {
        redirects: { crossOrigin: 'follow-without-credentials' },
        headers: { 'X-Team': 'core', 'X-Auth-Token': `${KEY}-static` },
      });
      const result = await c.post('/things', { json: { name: 'Ada' }, searchParams: { page: 2 } });
      expect(result).toEqual({ success: true, data: { landed: true } });
      expect(sentCredentials(home.requests[0], auth)).toBe(true);
      const landed = other.requests[0];
      expect(landed).toBeDefined();
      expect(sentCredentials(landed, auth)).toBe(false);
      for (const secret of [...secrets, `${KEY}-static`]) expect(wireText(landed)).not.toContain(secret);
      expect(landed?.headers.authorization).toBeUndefined();
      expect(landed?.headers['x-api-key']).toBeUndefined();
      expect(landed?.headers['x-auth-token']).toBeUndefined();
      expect(landed?.headers['x-team']).toBe('core');
      expect(new URL(landed?.url ?? '', 'http://x').searchParams.get('page')).toBe('2');
      // 302 after a POST becomes a GET without a body; 307 repeats both.
      expect(landed?.method).toBe(status === 302 ? 'GET' : 'POST');
      expect(landed?.body).toBe(status === 302 ? '' : '{"name":"Ada"}');
    },
  );

  it('a chain that leaves the origin and comes back stays without credentials', async () => {
    let home: LoopbackServer | undefined;
    const other = await serve((_req, res) => redirect(res, 302, `${home?.url}/back`));
    home = await serve((req, res) =>
      req.url.startsWith('/back') ? json(res, 200, { back: true }) : redirect(res, 302, `${other.url}/away`),
    );
    const result = await clientFor(home.url, auth, {
      redirects: { crossOrigin: 'follow-without-credentials' },
    }).get('/start');
    expect(result).toEqual({ success: true, data: { back: true } });
    expect(home.requests.map((r) => new URL(r.url, 'http://x').pathname)).toEqual(['/start', '/back']);
    expect(sentCredentials(home.requests[1], auth)).toBe(false);
    for (const secret of secrets) expect(wireText(other.requests[0])).not.toContain(secret);
  });

  it('follows same-origin redirects with the credentials re-applied', async () => {
    const home = await serve((req, res) => {
      const path = new URL(req.url, 'http://x').pathname;
      if (path === '/old') return redirect(res, 301, '/moved');
      if (path === '/moved') return redirect(res, 307, `${home.url}/final?kept=1`);
      return json(res, 200, { path });
    });
    const result = await clientFor(home.url, auth).get('/old');
    expect(result).toEqual({ success: true, data: { path: '/final' } });
    expect(home.requests).toHaveLength(3);
    for (const request of home.requests) expect(sentCredentials(request, auth)).toBe(true);
    expect(new URL(home.requests[2]?.url ?? '', 'http://x').searchParams.get('kept')).toBe('1');
  });
});

describe('redirects: methods, loops and limits', () => {
  it('a 303 after a POST becomes a GET without body or content type', async () => {
    const home = await serve((req, res) =>
      req.method === 'POST' ? redirect(res, 303, '/status/1') : json(res, 200, { method: req.method }),
    );
    const result = await clientFor(home.url, { type: 'bearer', token: KEY }).post('/jobs', {
      json: { run: true },
    });
    expect(result).toEqual({ success: true, data: { method: 'GET' } });
    const [first, second] = home.requests;
    expect(first).toMatchObject({ method: 'POST', body: '{"run":true}' });
    expect(second).toMatchObject({ method: 'GET', body: '' });
    expect(second?.headers['content-type']).toBeUndefined();
    expect(second?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('a 303 after a HEAD stays a HEAD; a 307 after a PUT repeats the method and the body', async () => {
    const home = await serve((req, res) => {
      if (req.url === '/a') return redirect(res, 303, '/b');
      if (req.url === '/c') return redirect(res, 307, '/d');
      res.writeHead(200, { 'content-type': 'application/json', 'x-method': req.method });
      res.end(req.method === 'HEAD' ? undefined : JSON.stringify({ method: req.method, body: req.body }));
    });
    const c = clientFor(home.url, { type: 'bearer', token: KEY });
    const head = await c.head('/a');
    expect(head.success && head.data.headers.get('x-method')).toBe('HEAD');
    expect(await c.put('/c', { json: { v: 1 } })).toEqual({
      success: true,
      data: { method: 'PUT', body: '{"v":1}' },
    });
  });

  it('a redirect loop ends with INVALID_RESPONSE after redirects.max hops', async () => {
    const home = await serve((_req, res) => redirect(res, 302, '/loop'));
    const result = await clientFor(home.url, { type: 'bearer', token: KEY }).get('/loop');
    expect(result.success || result.error).toMatchObject({
      code: 'INVALID_RESPONSE',
      status: 302,
      field: 'redirects.max',
      retryable: false,
    });
    expect(result.success || result.error.message).toContain('more than redirects.max (5)');
    expect(home.requests).toHaveLength(6);
  });

  it.each([
    [0, 1],
    [2, 3],
  ])('redirects.max %i allows that many hops (%i requests)', async (max, requests) => {
    const home = await serve((_req, res) => redirect(res, 307, '/again'));
    const result = await clientFor(home.url, { type: 'bearer', token: KEY }, { redirects: { max } }).get(
      '/x',
    );
    expect(result.success || result.error.field).toBe('redirects.max');
    expect(home.requests).toHaveLength(requests);
  });

  it.each([
    ['javascript:alert(1)', 'javascript:'],
    ['data:text/plain,hello', 'data:'],
    ['file:///etc/passwd', 'file:'],
  ])('refuses a redirect to %s', async (location, scheme) => {
    const home = await serve((_req, res) => redirect(res, 302, location));
    const result = await clientFor(home.url, { type: 'bearer', token: KEY }).get('/x');
    expect(result.success || result.error).toMatchObject({ code: 'INVALID_RESPONSE', field: 'redirects' });
    expect(result.success || result.error.message).toContain(scheme);
    expect(result.success || result.error.message).not.toContain('passwd');
  });

  it('a same-origin Location with user info is followed without it, and never quoted', async () => {
    const home = await serve((req, res) =>
      req.url === '/in'
        ? redirect(res, 302, `${home.url.replace('http://', 'http://mallory:hunter2@')}/landed`)
        : json(res, 200, { url: req.url, auth: req.headers.authorization ?? null }),
    );
    const result = await clientFor(home.url, { type: 'bearer', token: KEY }).get('/in');
    expect(result).toEqual({ success: true, data: { url: '/landed', auth: `Bearer ${KEY}` } });
    expect(JSON.stringify(home.requests)).not.toContain('hunter2');
  });

  it('a 3xx without a Location is returned as the failure it is', async () => {
    const home = await serve((_req, res) => {
      res.writeHead(302);
      res.end();
    });
    const result = await clientFor(home.url, { type: 'bearer', token: KEY }).get('/x');
    expect(result.success || result.error).toMatchObject({ code: 'INVALID_RESPONSE', status: 302 });
  });

  it('a refused redirect counts as an answer for the breaker, not a failure', async () => {
    const other = await serve((_req, res) => json(res, 200, {}));
    const home = await serve((_req, res) => redirect(res, 302, `${other.url}/x`));
    const c = clientFor(
      home.url,
      { type: 'bearer', token: KEY },
      { circuitBreaker: { failureThreshold: 1 } },
    );
    await c.get('/x');
    await c.get('/x');
    expect(c.circuitBreaker?.state).toBe('closed');
    expect(home.requests).toHaveLength(2);
  });

  it.each([
    [{ max: -1 }, 'redirects.max'],
    [{ max: 100 }, 'redirects.max'],
    [{ crossOrigin: 'always' }, 'redirects.crossOrigin'],
    ['follow', 'redirects'],
  ])('refuses redirects %o naming %s', (redirects, field) => {
    expect(() =>
      createHttpClient({ baseUrl: 'https://h.example', redirects: redirects as never }),
    ).toThrowError(expect.objectContaining({ code: 'CONFIG_ERROR', field }));
  });
});
