import { describe, expect, it } from 'vitest';
import { checkPersonalKey, drfError, findPersonalKey } from './query-auth.ts';

const KEY = 'phx_right';
const request = (headers: Record<string, string> = {}, query = '') =>
  new Request(`http://posthog.test/api/projects/1/query/${query}`, { method: 'POST', headers });

describe('drfError', () => {
  it('renders { type, code, detail, attr } with the status and headers', async () => {
    const response = drfError(429, 'throttled_error', 'throttled', 'slow down', {
      headers: { 'Retry-After': '2' },
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(await response.json()).toEqual({
      type: 'throttled_error',
      code: 'throttled',
      detail: 'slow down',
      attr: null,
    });
    expect(
      await drfError(400, 'validation_error', 'invalid_input', 'x', { attr: 'refresh' }).json(),
    ).toMatchObject({
      attr: 'refresh',
    });
  });
});

describe('findPersonalKey', () => {
  it('reads the Bearer header first, then the body, then the query string', () => {
    expect(
      findPersonalKey(request({ Authorization: 'Bearer  phx_a ' }), { personal_api_key: 'phx_b' }),
    ).toEqual({
      key: 'phx_a',
      source: 'Authorization header',
    });
    expect(findPersonalKey(request(), { personal_api_key: 'phx_b' })).toEqual({
      key: 'phx_b',
      source: 'body',
    });
    expect(findPersonalKey(request({}, '?personal_api_key=phx_c'), undefined)).toEqual({
      key: 'phx_c',
      source: 'query string',
    });
    expect(findPersonalKey(request(), undefined)).toBeUndefined();
  });

  it('leaves OAuth tokens (pha_) and other schemes to other authenticators', () => {
    expect(findPersonalKey(request({ Authorization: 'Bearer pha_token' }), undefined)).toBeUndefined();
    expect(findPersonalKey(request({ Authorization: 'Basic abc' }), undefined)).toBeUndefined();
  });
});

describe('checkPersonalKey', () => {
  it('lets the right key through', () => {
    expect(
      checkPersonalKey(request({ Authorization: `Bearer ${KEY}` }), undefined, KEY, 403),
    ).toBeUndefined();
  });

  it('answers no key with not_authenticated', async () => {
    const refused = checkPersonalKey(request(), undefined, KEY, 403) as Response;
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({
      type: 'authentication_error',
      code: 'not_authenticated',
      detail: 'Authentication credentials were not provided.',
      attr: null,
    });
  });

  it('answers a wrong key with authentication_failed naming where it was found', async () => {
    const header = checkPersonalKey(
      request({ Authorization: 'Bearer phx_wrong' }),
      undefined,
      KEY,
      401,
    ) as Response;
    expect(header.status).toBe(401);
    expect(await header.json()).toEqual({
      type: 'authentication_error',
      code: 'authentication_failed',
      detail: 'Personal API key found in request Authorization header is invalid.',
      attr: null,
    });
    const body = checkPersonalKey(request(), { personal_api_key: 'phx_wrong' }, KEY, 403) as Response;
    expect((await body.json()).detail).toBe('Personal API key found in request body is invalid.');
  });
});
