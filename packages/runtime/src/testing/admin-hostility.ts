// The admin handler's hostile-request suite, for the runtime's own handler and for every connector front over it:
// whatever the request (not a Request, a Proxy, a body that fails mid-read, headers or a URL that throw) and
// whatever `authorize` answers, the handler resolves to a JSON error with a typed code, never a rejection.
import { hostileValues, throwingProxy, watchProcessFailures } from '@patchbay/core/testing';
import { describe, expect, it } from 'vitest';
import type { AdminErrorBody } from '../admin-http.ts';

/** What {@link describeAdminHandlerHostility} runs against. */
export interface AdminHandlerHostilityTarget {
  /** The absolute URL of one connector's `config` route, e.g. `http://app.test/api/admin/acme-crm/config`. */
  configUrl: string;
  /** A fresh handler over an empty store, authorizing with `authorize`. */
  createHandler: (authorize: () => unknown) => (request: Request) => Promise<Response>;
}

/**
 * Registers the hostile-request tests (vitest) for an admin handler: hostile values as the request, a request
 * whose `url`, `method`, `headers` or `body` throws, a body stream that fails mid-read, a body declared over the
 * cap, and `authorize` answering `null`, junk or a rejecting Proxy. Each must be a JSON error response with a
 * typed code, and nothing may end up as an unhandled rejection.
 * @example describeAdminHandlerHostility('acme admin', { configUrl, createHandler: (authorize) => createAdminHandler({ ..., authorize }) });
 */
export function describeAdminHandlerHostility(name: string, target: AdminHandlerHostilityTarget): void {
  const { configUrl, createHandler } = target;
  const admin = { userId: 'admin-1' };
  const handler = (authorize: () => unknown = () => admin) => createHandler(authorize);

  /** A real request, with one property replaced by a getter that throws. */
  const requestWithThrowing = (property: 'url' | 'method' | 'headers' | 'body'): Request => {
    const request = new Request(configUrl, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"enabled":true}',
    });
    return new Proxy(request, {
      get(original, key) {
        if (key === property) throw new Error(`${property} exploded`);
        const value = Reflect.get(original, key, original);
        return typeof value === 'function' ? value.bind(original) : value;
      },
    });
  };

  /** A PUT whose body stream errors after its first bytes. */
  const failingBody = (): Request => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"enabled":'));
      },
      pull(controller) {
        controller.error(new Error('connection reset'));
      },
    });
    return new Request(configUrl, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
  };

  describe(`${name}: hostile requests`, () => {
    it.each(hostileValues())(
      'handle(%s) answers 400 VALIDATION_ERROR naming the request',
      async (_, value) => {
        const watch = watchProcessFailures();
        const response = await handler()(value as never);
        expect(response.status).toBe(400);
        const error = await errorOf(response);
        expect(error.code).toBe('VALIDATION_ERROR');
        expect(error.issues?.[0]?.field).toMatch(/^request(\.url)?$/);
        expect(await watch.stop()).toEqual([]);
      },
    );

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
      const request = new Request(configUrl, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) },
        body: '{}',
      });
      const response = await handler()(request);
      expect(response.status).toBe(413);
      expect((await errorOf(response)).code).toBe('PAYLOAD_TOO_LARGE');
    });

    it.each([
      ['null', () => null, 401],
      ['a principal whose userId getter throws', () => throwingProxy(), 500],
      ['a principal with a numeric userId', () => ({ userId: 42 }), 500],
      ['a revoked Proxy', revokedProxy, 500],
    ])('authorize answering %s gives a typed error response', async (_, principal, status) => {
      const response = await handler(principal)(new Request(configUrl));
      expect(response.status).toBe(status);
      expect((await errorOf(response)).code).toMatch(/^(AUTH_ERROR|SERVER_ERROR)$/);
    });

    it('an authorize that rejects with a Proxy is a 500, not an unhandled rejection', async () => {
      const watch = watchProcessFailures();
      const response = await handler(() => Promise.reject(throwingProxy()))(new Request(configUrl));
      expect(response.status).toBe(500);
      expect(await watch.stop()).toEqual([]);
    });
  });
}

function revokedProxy(): object {
  const revocable = Proxy.revocable({}, {});
  revocable.revoke();
  return revocable.proxy;
}

async function errorOf(response: Response): Promise<AdminErrorBody['error']> {
  expect(response).toBeInstanceOf(Response);
  expect(response.headers.get('content-type')).toContain('application/json');
  const body = (await response.json()) as AdminErrorBody;
  expect(typeof body.error.code).toBe('string');
  return body.error;
}
