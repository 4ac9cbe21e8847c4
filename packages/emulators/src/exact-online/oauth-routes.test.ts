import { describe, expect, it } from 'vitest';
import { createExactTokenService } from './oauth.ts';
import { authorize, type ExactApp, token } from './oauth-routes.ts';

const app: ExactApp = { clientId: 'cid', clientSecret: 'secret', redirectUri: undefined };
const base = 'https://start.exactonline.test';

function setup() {
  let clock = Date.UTC(2026, 1, 1);
  const tokens = createExactTokenService({ now: () => clock });
  const post = (fields: Record<string, string>) =>
    token(
      new Request(`${base}/api/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      }),
      tokens,
      app,
    );
  return { tokens, post, advance: (ms: number) => (clock += ms) };
}

describe('Exact OAuth2 routes', () => {
  it('runs the authorization code flow, state kept, then refreshes in the last 30 s', async () => {
    const { tokens, post, advance } = setup();
    const redirect = authorize(
      new URL(
        `${base}/api/oauth2/auth?client_id=cid&redirect_uri=https://app.test/cb&response_type=code&state=xyz`,
      ),
      tokens,
      app,
    );
    expect(redirect.status).toBe(302);
    const location = new URL(redirect.headers.get('Location')!);
    expect(location.searchParams.get('state')).toBe('xyz');
    const code = location.searchParams.get('code')!;
    const first = await post({
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'https://app.test/cb',
      client_id: 'cid',
      client_secret: 'secret',
    });
    const body = await first.json();
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: '600' });
    const early = await post({
      grant_type: 'refresh_token',
      refresh_token: body.refresh_token,
      client_id: 'cid',
      client_secret: 'secret',
    });
    expect(early.status).toBe(400);
    expect(early.headers.get('Reason')).toBe('TooEarlyToRefreshTokens');
    expect(await early.json()).toEqual({
      error: 'access_denied',
      error_description: 'Rate limit exceeded: access_token not expired',
    });
    advance(575_000);
    const refreshed = await post({
      grant_type: 'refresh_token',
      refresh_token: body.refresh_token,
      client_id: 'cid',
      client_secret: 'secret',
    });
    expect(refreshed.status).toBe(200);
    const reused = await post({
      grant_type: 'refresh_token',
      refresh_token: body.refresh_token,
      client_id: 'cid',
      client_secret: 'secret',
    });
    expect(reused.status).toBe(401);
    expect(await reused.json()).toEqual({
      error: 'unauthorized_client',
      error_description: 'Old refresh token used.',
    });
  });

  it('refuses bad clients, bodies and grant types', async () => {
    const { tokens, post } = setup();
    expect(
      (await post({ grant_type: 'refresh_token', refresh_token: 'x', client_id: 'cid', client_secret: 'no' }))
        .status,
    ).toBe(401);
    expect((await post({ grant_type: 'password', client_id: 'cid', client_secret: 'secret' })).status).toBe(
      400,
    );
    const json = await token(
      new Request(`${base}/api/oauth2/token`, { method: 'POST', body: '{}' }),
      tokens,
      app,
    );
    expect(json.status).toBe(400);
    expect(
      authorize(new URL(`${base}/api/oauth2/auth?client_id=other&redirect_uri=https://a.test`), tokens, app)
        .status,
    ).toBe(400);
  });
});
