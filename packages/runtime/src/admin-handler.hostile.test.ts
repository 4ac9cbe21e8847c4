// The admin handler against what a server framework or a caller could hand it: whatever the request (not a
// Request, a Proxy, a body that fails mid-read, headers or a URL that throw) and whatever `authorize` answers,
// it resolves to a JSON error response with a typed code, never a rejection, and never an unhandled rejection.
import { createConfigStore, createMemoryStore, defineConnector } from '@patchbay/core';
import { hostileValues, throwingProxy, watchProcessFailures } from '@patchbay/core/testing';
import { describe, expect, it } from 'vitest';
import { createAdminHandler } from './admin-handler.ts';
import type { AdminErrorBody } from './admin-http.ts';

const SECRET_KEY = 'a-test-secret-key-of-32-characters!';
const URL_BASE = 'http://app.test/api/admin/acme-crm';
const admin = { userId: 'admin-1' };
const acme = defineConnector({
  id: 'acme-crm',
  envPrefix: 'ACME_CRM',
  credentials: { apiKey: { secret: true } },
});

const handler = (authorize: () => unknown = () => admin) => {
  const store = createMemoryStore();
  return createAdminHandler({
    connectors: [acme],
    configs: createConfigStore({ rows: store.configs, secretKey: SECRET_KEY }),
    rows: store.configs,
    authorize: authorize as never,
  });
};

async function errorOf(response: Response): Promise<AdminErrorBody['error']> {
  expect(response).toBeInstanceOf(Response);
  expect(response.headers.get('content-type')).toContain('application/json');
  const body = (await response.json()) as AdminErrorBody;
  expect(typeof body.error.code).toBe('string');
  return body.error;
}

/** A PUT whose body stream errors after its first bytes. */
function failingBody(): Request {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"enabled":'));
    },
    pull(controller) {
      controller.error(new Error('connection reset'));
    },
  });
  return new Request(`${URL_BASE}/config`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body,
    duplex: 'half',
  } as RequestInit);
}

/** A real request, with one property replaced by a getter that throws. */
function requestWithThrowing(property: 'url' | 'method' | 'headers' | 'body'): Request {
  const request = new Request(`${URL_BASE}/config`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: '{"enabled":true}',
  });
  return new Proxy(request, {
    get(target, key) {
      if (key === property) throw new Error(`${property} exploded`);
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('admin handler: hostile requests', () => {
  it.each(hostileValues())('handle(%s) answers 400 VALIDATION_ERROR naming the request', async (_, value) => {
    const watch = watchProcessFailures();
    const response = await handler()(value as never);
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.issues?.[0]?.field).toMatch(/^request(\.url)?$/);
    expect(await watch.stop()).toEqual([]);
  });

  it.each(['url', 'method', 'headers'] as const)(
    'a request whose %s throws is a 400 naming it',
    async (property) => {
      const error = await errorOf(await handler()(requestWithThrowing(property)));
      expect(error).toMatchObject({ code: 'VALIDATION_ERROR', issues: [{ field: `request.${property}` }] });
    },
  );

  it('a body that fails mid-read, or whose getter throws, is a 400 naming the body', async () => {
    const watch = watchProcessFailures();
    for (const request of [failingBody(), requestWithThrowing('body')]) {
      const response = await handler()(request);
      expect(response.status).toBe(400);
      expect(await errorOf(response)).toMatchObject({
        code: 'VALIDATION_ERROR',
        issues: [{ field: '(body)', message: 'could not be read' }],
      });
    }
    expect(await watch.stop()).toEqual([]);
  });

  it('a body declared over the cap is refused before it is read', async () => {
    const request = new Request(`${URL_BASE}/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) },
      body: '{}',
    });
    const response = await handler()(request);
    expect(response.status).toBe(413);
    expect((await errorOf(response)).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it.each([
    ['null', null, 401],
    ['a principal whose userId getter throws', throwingProxy(), 500],
    ['a principal with a numeric userId', { userId: 42 }, 500],
    [
      'a revoked Proxy',
      (() => {
        const r = Proxy.revocable({}, {});
        r.revoke();
        return r.proxy;
      })(),
      500,
    ],
  ])('authorize answering %s gives a typed error response', async (_, principal, status) => {
    const response = await handler(() => principal)(new Request(`${URL_BASE}/config`));
    expect(response.status).toBe(status);
    expect((await errorOf(response)).code).toMatch(/^(AUTH_ERROR|SERVER_ERROR)$/);
  });

  it('an authorize that rejects with a Proxy is a 500, not an unhandled rejection', async () => {
    const watch = watchProcessFailures();
    const response = await handler(() => Promise.reject(throwingProxy()))(new Request(`${URL_BASE}/config`));
    expect(response.status).toBe(500);
    expect(await watch.stop()).toEqual([]);
  });

  it.each(hostileValues())('a PUT body of %s is a typed 400, never a crash', async (_, value) => {
    let text: string;
    try {
      text = JSON.stringify(value) ?? 'undefined';
    } catch {
      text = '{';
    }
    const response = await handler()(
      new Request(`${URL_BASE}/config`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: text,
      }),
    );
    expect([200, 400]).toContain(response.status);
    if (response.status === 400) expect((await errorOf(response)).code).toBe('VALIDATION_ERROR');
  });
});
