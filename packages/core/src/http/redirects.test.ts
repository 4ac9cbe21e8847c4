import { describe, expect, it } from 'vitest';
import { credentialHeaderNames, describeOrigin, nextHopRequest, REDIRECT_STATUSES } from './redirects.ts';

const FROM = 'https://api.example.com/v1/things?x=1';
const TO = new URL('https://other.example.com/v2/things');

function request(method: string, init: { body?: string; headers?: Record<string, string> } = {}): Request {
  return new Request(FROM, {
    method,
    headers: {
      authorization: 'Bearer s3cret',
      'content-type': 'application/json',
      'content-language': 'en',
      accept: 'application/json',
      ...init.headers,
    },
    body: init.body,
  });
}

const withBody = (method: string): string | undefined =>
  method === 'GET' || method === 'HEAD' ? undefined : '{"a":1}';

describe('REDIRECT_STATUSES', () => {
  it('holds exactly the statuses fetch follows', () => {
    expect([...REDIRECT_STATUSES].sort()).toEqual([301, 302, 303, 307, 308]);
    for (const status of [300, 304, 305, 306, 200, 400]) expect(REDIRECT_STATUSES.has(status)).toBe(false);
  });
});

describe('nextHopRequest', () => {
  it.each([
    // [status, method in, method out, body kept]
    [301, 'POST', 'GET', false],
    [302, 'POST', 'GET', false],
    [303, 'POST', 'GET', false],
    [303, 'PUT', 'GET', false],
    [303, 'PATCH', 'GET', false],
    [303, 'DELETE', 'GET', false],
    [303, 'GET', 'GET', false],
    [303, 'HEAD', 'HEAD', false],
    [301, 'PUT', 'PUT', true],
    [302, 'PATCH', 'PATCH', true],
    [301, 'GET', 'GET', false],
    [302, 'HEAD', 'HEAD', false],
    [307, 'POST', 'POST', true],
    [308, 'POST', 'POST', true],
    [307, 'PUT', 'PUT', true],
    [308, 'DELETE', 'DELETE', true],
    [307, 'GET', 'GET', false],
    [308, 'HEAD', 'HEAD', false],
  ] as const)('%i after %s is a %s (body kept: %s)', async (status, method, expected, kept) => {
    const body = withBody(method);
    const next = nextHopRequest({ from: request(method, { body }), status, to: TO, body });
    expect(next.method).toBe(expected);
    expect(next.url).toBe(TO.href);
    expect(next.redirect).toBe('manual');
    if (kept) {
      expect(await next.text()).toBe('{"a":1}');
      expect(next.headers.get('content-type')).toBe('application/json');
      expect(next.headers.get('content-language')).toBe('en');
    } else {
      expect(next.body).toBeNull();
    }
  });

  it('drops the headers describing a body when the request becomes a GET, and keeps the others', () => {
    const body = '{"a":1}';
    const from = request('POST', {
      body,
      headers: {
        'content-encoding': 'identity',
        'content-location': '/x',
        'content-length': String(body.length),
      },
    });
    const next = nextHopRequest({ from, status: 303, to: TO, body });
    for (const name of [
      'content-type',
      'content-length',
      'content-encoding',
      'content-language',
      'content-location',
    ]) {
      expect(next.headers.has(name)).toBe(false);
    }
    expect(next.headers.get('accept')).toBe('application/json');
    expect(next.headers.get('authorization')).toBe('Bearer s3cret');
  });

  it('sends the body it is given, not the one already read', async () => {
    const from = request('PUT', { body: 'first' });
    await from.text();
    const next = nextHopRequest({ from, status: 307, to: TO, body: 'again' });
    expect(await next.text()).toBe('again');
  });

  it('drops the named headers, case-insensitively, and only those', () => {
    const from = request('GET', { headers: { 'x-api-key': 'k', cookie: 'c=1' } });
    const next = nextHopRequest({
      from,
      status: 302,
      to: TO,
      body: undefined,
      dropHeaders: ['Authorization', 'x-api-key', 'cookie', 'not-there'],
    });
    expect(next.headers.has('authorization')).toBe(false);
    expect(next.headers.has('x-api-key')).toBe(false);
    expect(next.headers.has('cookie')).toBe(false);
    expect(next.headers.get('accept')).toBe('application/json');
  });

  it('keeps every header when nothing is to be dropped', () => {
    const next = nextHopRequest({ from: request('GET'), status: 307, to: TO, body: undefined });
    expect(next.headers.get('authorization')).toBe('Bearer s3cret');
    expect(next.headers.get('content-type')).toBe('application/json');
  });

  it('leaves the original request untouched', () => {
    const from = request('POST', { body: 'x' });
    nextHopRequest({ from, status: 303, to: TO, body: 'x', dropHeaders: ['authorization'] });
    expect(from.method).toBe('POST');
    expect(from.headers.get('authorization')).toBe('Bearer s3cret');
    expect(from.headers.get('content-type')).toBe('application/json');
  });

  it('carries the abort signal over', () => {
    const controller = new AbortController();
    const from = new Request(FROM, { signal: controller.signal });
    const next = nextHopRequest({ from, status: 302, to: TO, body: undefined });
    expect(next.signal.aborted).toBe(false);
    controller.abort(new Error('stop'));
    expect(next.signal.aborted).toBe(true);
  });

  it('sends a stream body again (half duplex)', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('streamed'));
        controller.close();
      },
    });
    const from = request('POST', { body: 'first' });
    const next = nextHopRequest({ from, status: 308, to: TO, body: stream });
    expect(next.method).toBe('POST');
    expect(await next.text()).toBe('streamed');
  });

  it('drops a stream body when the request becomes a GET', () => {
    const stream = new ReadableStream<Uint8Array>();
    const next = nextHopRequest({ from: request('POST', { body: 'x' }), status: 302, to: TO, body: stream });
    expect(next.method).toBe('GET');
    expect(next.body).toBeNull();
  });
});

describe('credentialHeaderNames', () => {
  it('always names Authorization, Proxy-Authorization and Cookie', () => {
    expect(credentialHeaderNames(new Headers()).sort()).toEqual([
      'authorization',
      'cookie',
      'proxy-authorization',
    ]);
  });

  it('adds the extra names, lower-cased, and headers whose name looks like a credential', () => {
    const headers = new Headers({
      'X-Api-Key': 'k',
      'X-Session-Id': 's',
      'X-Signature': 'sig',
      Accept: 'application/json',
      'User-Agent': 'patchbay',
    });
    const names = credentialHeaderNames(headers, ['X-Vendor-Auth']);
    expect(names).toEqual(
      expect.arrayContaining([
        'authorization',
        'proxy-authorization',
        'cookie',
        'x-vendor-auth',
        'x-api-key',
        'x-session-id',
        'x-signature',
      ]),
    );
    expect(names).not.toContain('accept');
    expect(names).not.toContain('user-agent');
  });

  it('names each header once', () => {
    const headers = new Headers({ authorization: 'a', cookie: 'c', 'x-api-key': 'k' });
    const names = credentialHeaderNames(headers, ['AUTHORIZATION', 'x-api-key']);
    expect(new Set(names).size).toBe(names.length);
  });

  it('never includes the header values', () => {
    const headers = new Headers({ 'x-api-key': 'super-secret-value' });
    expect(JSON.stringify(credentialHeaderNames(headers))).not.toContain('super-secret-value');
  });
});

describe('describeOrigin', () => {
  it.each([
    ['https://user:pass@api.example.com/v1/x?token=abc#frag', 'https://api.example.com'],
    ['http://localhost:8080/path', 'http://localhost:8080'],
    ['https://api.example.com:443/', 'https://api.example.com'],
    ['mailto:someone@example.com', 'mailto:'],
    ['data:text/plain,secret', 'data:'],
    ['file:///etc/passwd', 'file:'],
  ])('%s is named %s', (url, expected) => {
    expect(describeOrigin(new URL(url))).toBe(expected);
  });

  it('never names the user, password, path or query', () => {
    const named = describeOrigin(new URL('https://alice:hunter2@api.example.com/private?api_key=k'));
    for (const part of ['alice', 'hunter2', 'private', 'api_key']) expect(named).not.toContain(part);
  });
});
