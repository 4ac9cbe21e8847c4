import { describe, expect, it } from 'vitest';
import { createOAuth2Emulator, type OAuth2Emulator } from './emulator.ts';
import { s256Challenge } from './pkce.ts';

const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const REDIRECT = 'https://app.test/callback';

const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
  body: new URLSearchParams(fields).toString(),
});

function call(oauth: OAuth2Emulator, path: string, init?: RequestInit) {
  return oauth.handler(new Request(`${oauth.baseUrl}${path}`, init)) as Promise<Response>;
}

async function authorize(oauth: OAuth2Emulator, params: Record<string, string> = {}) {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: oauth.clientId,
    redirect_uri: REDIRECT,
    state: 'st-1',
    code_challenge: s256Challenge(VERIFIER),
    code_challenge_method: 'S256',
    ...params,
  });
  // An empty value leaves the parameter out.
  for (const [key, value] of [...query]) if (value === '') query.delete(key);
  return call(oauth, `/oauth2/authorize?${query}`);
}

const credentials = (oauth: OAuth2Emulator) => ({
  client_id: oauth.clientId,
  client_secret: oauth.clientSecret ?? '',
});

describe('the OAuth2 routes (authorize, token, resource)', () => {
  it('runs the authorization-code flow with PKCE, then the resource accepts the token', async () => {
    const oauth = createOAuth2Emulator({ accessTokenLifetimeSeconds: 600 });
    const redirect = await authorize(oauth, { scope: 'read write' });
    expect(redirect.status).toBe(302);
    const location = new URL(redirect.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('st-1');
    const code = location.searchParams.get('code') ?? '';
    const answer = await call(
      oauth,
      '/oauth2/token',
      form({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        code_verifier: VERIFIER,
        ...credentials(oauth),
      }),
    );
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const tokens = (await answer.json()) as Record<string, unknown>;
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 600, scope: 'read write' });
    const me = await call(oauth, '/api/me', { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ client_id: oauth.clientId, scope: 'read write' });
    expect(oauth.counters.count({ route: 'POST /oauth2/token', outcome: 200 })).toBe(1);
    expect(oauth.stats().codeExchanges).toBe(1);
  });

  it('accepts HTTP Basic client authentication with form-encoded credentials', async () => {
    const oauth = createOAuth2Emulator({ clientId: 'id:1', clientSecret: 's p+c' });
    const tokens = oauth.issueTokens();
    const basic = Buffer.from('id%3A1:s+p%2Bc').toString('base64');
    const answer = await call(
      oauth,
      '/oauth2/token',
      form(
        { grant_type: 'refresh_token', refresh_token: tokens.refresh_token },
        { Authorization: `Basic ${basic}` },
      ),
    );
    expect(answer.status).toBe(200);
  });

  it('answers a wrong client with 401 invalid_client, and two methods at once with invalid_request', async () => {
    const oauth = createOAuth2Emulator();
    const tokens = oauth.issueTokens();
    const wrong = await call(
      oauth,
      '/oauth2/token',
      form({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
        client_id: oauth.clientId,
        client_secret: 'nope',
      }),
    );
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });
    const both = await call(
      oauth,
      '/oauth2/token',
      form(
        { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, ...credentials(oauth) },
        {
          Authorization: `Basic ${Buffer.from(`${oauth.clientId}:${oauth.clientSecret}`).toString('base64')}`,
        },
      ),
    );
    expect(await both.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('accepts a public client without a secret when clientSecret is null', async () => {
    const oauth = createOAuth2Emulator({ clientSecret: null });
    const tokens = oauth.issueTokens();
    const answer = await call(
      oauth,
      '/oauth2/token',
      form({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: oauth.clientId }),
    );
    expect(answer.status).toBe(200);
  });

  it('answers a reused refresh token with "Old refresh token used." and kills the connection', async () => {
    const oauth = createOAuth2Emulator();
    const first = oauth.issueTokens();
    const refresh = (token: string) =>
      call(
        oauth,
        '/oauth2/token',
        form({ grant_type: 'refresh_token', refresh_token: token, ...credentials(oauth) }),
      );
    const second = (await (await refresh(first.refresh_token)).json()) as {
      access_token: string;
      refresh_token: string;
    };
    const reused = await refresh(first.refresh_token);
    expect(reused.status).toBe(400);
    expect(await reused.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'Old refresh token used.',
    });
    expect(oauth.acceptsAccessToken(second.access_token)).toBe(false);
    expect((await refresh(second.refresh_token)).status).toBe(400);
    expect(oauth.stats()).toMatchObject({ refreshes: 1, reusedRefreshTokens: 1, revokedGrants: 1 });
  });

  it('applies the too-early rule with 400 access_denied and a Reason header', async () => {
    let now = Date.UTC(2026, 0, 1);
    const oauth = createOAuth2Emulator({
      accessTokenLifetimeSeconds: 600,
      refreshWindowMs: 30_000,
      now: () => now,
    });
    const tokens = oauth.issueTokens();
    const refresh = () =>
      call(
        oauth,
        '/oauth2/token',
        form({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, ...credentials(oauth) }),
      );
    const early = await refresh();
    expect(early.status).toBe(400);
    expect(early.headers.get('reason')).toBe('TooEarlyToRefreshTokens');
    expect(await early.json()).toMatchObject({ error: 'access_denied' });
    now += 575_000;
    expect((await refresh()).status).toBe(200);
  });

  it.each([
    ['an unknown client', { client_id: 'other' }, 400],
    ['an unregistered redirect URI', { redirect_uri: 'https://evil.test/cb' }, 400],
  ])('refuses %s without redirecting', async (_, params, status) => {
    const oauth = createOAuth2Emulator({ redirectUris: [REDIRECT] });
    const answer = await authorize(oauth, params);
    expect(answer.status).toBe(status);
    expect(answer.headers.get('location')).toBeNull();
  });

  it.each([
    ['no PKCE challenge', { code_challenge: '' }, 'invalid_request'],
    ['another response type', { response_type: 'token' }, 'unsupported_response_type'],
    ['an unknown challenge method', { code_challenge_method: 'S512' }, 'invalid_request'],
  ])('redirects back with an error for %s', async (_, params, error) => {
    const oauth = createOAuth2Emulator();
    const answer = await authorize(oauth, params);
    expect(answer.status).toBe(302);
    const location = new URL(answer.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe(error);
    expect(location.searchParams.get('state')).toBe('st-1');
  });

  it('refuses token requests that are not forms, lack a grant type or use another grant', async () => {
    const oauth = createOAuth2Emulator();
    const json = await call(oauth, '/oauth2/token', {
      method: 'POST',
      body: '{}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(await json.json()).toMatchObject({ error: 'invalid_request' });
    expect(await (await call(oauth, '/oauth2/token', form({ ...credentials(oauth) }))).json()).toMatchObject({
      error: 'invalid_request',
    });
    expect(
      await (
        await call(oauth, '/oauth2/token', form({ grant_type: 'password', ...credentials(oauth) }))
      ).json(),
    ).toMatchObject({ error: 'unsupported_grant_type' });
    expect((await call(oauth, '/nowhere')).status).toBe(404);
  });

  it('answers the resource 401 invalid_token for no token, an expired one or a revoked one', async () => {
    let now = Date.UTC(2026, 0, 1);
    const oauth = createOAuth2Emulator({ accessTokenLifetimeSeconds: 60, now: () => now });
    const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });
    expect((await call(oauth, '/api/me')).status).toBe(401);
    const expiring = oauth.issueTokens();
    now += 60_000;
    const expired = await call(oauth, '/api/me', bearer(expiring.access_token));
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('invalid_token');
    const live = oauth.issueTokens();
    expect(oauth.revoke(live.access_token)).toBe(true);
    expect((await call(oauth, '/api/me', bearer(live.access_token))).status).toBe(401);
  });
});
