import { afterEach, describe, expect, it } from 'vitest';
import { createOAuth2Emulator, type OAuth2Emulator, startOAuth2Emulator } from './emulator.ts';

const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
  body: new URLSearchParams(fields).toString(),
});

function call(oauth: OAuth2Emulator, path: string, init?: RequestInit) {
  return oauth.handler(new Request(`${oauth.baseUrl}${path}`, init)) as Promise<Response>;
}

const credentials = (oauth: OAuth2Emulator) => ({
  client_id: oauth.clientId,
  client_secret: oauth.clientSecret ?? '',
});

describe('createOAuth2Emulator', () => {
  it('injects faults on the token route and resets everything', async () => {
    const oauth = createOAuth2Emulator();
    oauth.faults.inject({ kind: 'error', status: 503, route: 'POST /oauth2/token', times: 1 });
    const tokens = oauth.issueTokens();
    const refresh = () =>
      call(
        oauth,
        '/oauth2/token',
        form({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, ...credentials(oauth) }),
      );
    expect((await refresh()).status).toBe(503);
    expect((await refresh()).status).toBe(200);
    oauth.reset();
    expect(oauth.counters.snapshot().total).toBe(0);
    expect(oauth.stats().refreshes).toBe(0);
    expect(oauth.acceptsAccessToken(tokens.access_token)).toBe(false);
  });

  it.each([
    ['clientId', { clientId: '' }],
    ['clientSecret', { clientSecret: 42 }],
    ['accessTokenLifetimeSeconds', { accessTokenLifetimeSeconds: -1 }],
    ['refreshWindowMs', { refreshWindowMs: Number.NaN }],
    ['rotateRefreshTokens', { rotateRefreshTokens: 'yes' }],
    ['reusedRefreshToken.status', { reusedRefreshToken: { status: 200 } }],
    ['redirectUris.0', { redirectUris: ['not a uri'] }],
    ['now', { now: 5 }],
    ['baseUrl', { baseUrl: 'ftp://x' }],
  ])('throws an EmulatorConfigError naming %s', (field, options) => {
    expect(() => createOAuth2Emulator(options as never)).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', field }),
    );
  });
});

describe('startOAuth2Emulator', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('serves the endpoints over HTTP on loopback', async () => {
    const oauth = await startOAuth2Emulator({ accessTokenLifetimeSeconds: 120 });
    close = oauth.close;
    expect(oauth.tokenUrl).toBe(`${oauth.url}/oauth2/token`);
    const first = oauth.emulator.issueTokens();
    const answer = await fetch(
      oauth.tokenUrl,
      form({
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token,
        ...credentials(oauth.emulator),
      }),
    );
    const tokens = (await answer.json()) as { access_token: string };
    expect(tokens).toMatchObject({ expires_in: 120 });
    const me = await fetch(oauth.resourceUrl, {
      headers: { Authorization: `Bearer ${tokens.access_token}` },
    });
    expect(me.status).toBe(200);
    expect(oauth.emulator.stats().refreshes).toBe(1);
  });

  it('rejects options of the wrong kind', async () => {
    await expect(startOAuth2Emulator({ port: -1 })).rejects.toMatchObject({ field: 'port' });
    await expect(startOAuth2Emulator({ clientId: 5 } as never)).rejects.toMatchObject({ field: 'clientId' });
  });
});
