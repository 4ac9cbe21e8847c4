import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuth2Emulator } from './emulator.ts';
import { oauth2MswHandlers } from './msw.ts';

const oauth = createOAuth2Emulator();
const server = setupServer(...oauth2MswHandlers(oauth));
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

describe('oauth2MswHandlers', () => {
  it('serves the emulator at its baseUrl through msw', async () => {
    const tokens = oauth.issueTokens();
    const answer = await fetch(`${oauth.baseUrl}${oauth.paths.token}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
        client_id: oauth.clientId,
        client_secret: oauth.clientSecret ?? '',
      }),
    });
    expect(answer.status).toBe(200);
    expect(oauth.stats().refreshes).toBe(1);
  });

  it('builds a fresh emulator from options, refusing bad ones by name', () => {
    expect(oauth2MswHandlers({ accessTokenLifetimeSeconds: 60 })).toHaveLength(1);
    expect(() => oauth2MswHandlers({ accessTokenLifetimeSeconds: -1 })).toThrow(
      expect.objectContaining({ field: 'accessTokenLifetimeSeconds' }),
    );
  });
});
