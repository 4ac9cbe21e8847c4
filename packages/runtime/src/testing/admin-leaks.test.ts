import { describe, expect, it } from 'vitest';
import { watchAdminLeaks } from './admin-leaks.ts';

const SECRET = 'sk_Wq4Lr8Zp2Xn6';
const echo =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  async () =>
    new Response(JSON.stringify(body), { status, headers });

describe('watchAdminLeaks', () => {
  const { call, expectNoPartOfSecrets } = watchAdminLeaks({
    secrets: [SECRET],
    baseUrl: 'http://app.test/admin',
  });

  it('sends JSON to baseUrl + path and reads status, headers, text and JSON', async () => {
    let seen: Request | undefined;
    const answer = await call(
      async (request) => {
        seen = request;
        return new Response('{"ok":true}', { status: 201, headers: { 'x-a': '1' } });
      },
      'PUT',
      '/config',
      { enabled: true },
    );
    expect(seen?.url).toBe('http://app.test/admin/config');
    expect(seen?.headers.get('content-type')).toBe('application/json');
    expect(await seen?.text()).toBe('{"enabled":true}');
    expect(answer).toMatchObject({ status: 201, text: '{"ok":true}', json: { ok: true } });
    expect(answer.headers.get('x-a')).toBe('1');
  });

  it('sends a raw body, or no content type', async () => {
    const requests: Request[] = [];
    const handle = async (request: Request) => {
      requests.push(request);
      return new Response('{}');
    };
    await call(handle, 'PUT', '/config', undefined, { raw: '{oops', contentType: 'text/plain' });
    await call(handle, 'POST', '/test', undefined, { contentType: null });
    expect(await requests[0]?.text()).toBe('{oops');
    expect(requests[0]?.headers.get('content-type')).toBe('text/plain');
    expect(requests[1]?.headers.has('content-type')).toBe(false);
  });

  it('finds any 4 characters in a row of a secret', () => {
    expect(() => expectNoPartOfSecrets('nothing here')).not.toThrow();
    expect(() => expectNoPartOfSecrets(`ends in ${SECRET.slice(-4)}`)).toThrow();
    expect(() => expectNoPartOfSecrets(`middle ${SECRET.slice(5, 9)} part`)).toThrow();
  });

  // Each of these fails in the watch's afterEach, after its body passed: `it.fails` turns that into a pass.
  it.fails('fails a test whose answer echoes part of a secret', async () => {
    await call(echo(400, { error: { message: `bad key ${SECRET.slice(3, 10)}` } }), 'PUT', '/config', {});
  });

  it.fails('fails a test whose answer puts a secret in a header', async () => {
    await call(echo(200, {}, { 'x-debug': SECRET }), 'GET', '/config');
  });

  it.fails('fails a test that logs', () => {
    console.warn('anything');
  });
});
