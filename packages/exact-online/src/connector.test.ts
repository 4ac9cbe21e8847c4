import { toSecret } from '@patchbay/core';
import { serializeOAuth2TokenSet } from '@patchbay/core/oauth';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import { createFakeExact, tokenSet } from '../test-support/fake-exact.ts';
import { exactOnlineConnector, type exactSettingsSchema } from './connector.ts';

const config = (oauth2?: string, settings: z.output<typeof exactSettingsSchema> = {}, baseUrl?: string) => ({
  integration: 'exact-online',
  ...(baseUrl ? { baseUrl } : {}),
  credentials: {
    clientId: 'app-1',
    clientSecret: toSecret('s3cret'),
    ...(oauth2 ? { oauth2: toSecret(oauth2) } : {}),
  },
  enabled: true,
  syncMode: 'platform' as const,
  settings,
});
const stored = (access: string, expiresInMs: number) =>
  serializeOAuth2TokenSet(tokenSet(access, 'refresh-0', Date.now() + expiresInMs));

describe('exactOnlineConnector', () => {
  it('declares its variables, its secrets and its modes', () => {
    expect(exactOnlineConnector.env).toMatchObject({
      baseUrl: 'EXACT_ONLINE_BASE_URL',
      enabled: 'EXACT_ONLINE_ENABLED',
      credentials: {
        clientId: 'EXACT_ONLINE_CLIENT_ID',
        clientSecret: 'EXACT_ONLINE_CLIENT_SECRET',
        oauth2: 'EXACT_ONLINE_OAUTH2',
      },
    });
    expect(exactOnlineConnector.credentials.clientSecret.secret).toBe(true);
    expect(exactOnlineConnector.credentials.clientId.secret).toBe(false);
    expect(exactOnlineConnector.credentials.oauth2).toMatchObject({ secret: true, required: false });
    expect(exactOnlineConnector.modes).toEqual(['disabled', 'platform']);
  });

  it('tests the connection with one current/Me read and the stored token, never refreshing', async () => {
    const fake = createFakeExact({ accessToken: 'access-0' });
    const good = await exactOnlineConnector.testConnection!(
      config(stored('access-0', 300_000), { region: 'be' }, 'https://start.exactonline.nl'),
      { fetch: fake.fetch },
    );
    expect(good).toMatchObject({ ok: true });
    expect(fake.requests.map((request) => request.url.pathname)).toEqual(['/api/v1/current/Me']);
    const refused = await exactOnlineConnector.testConnection!(
      config(stored('wrong-token', 300_000), {}, 'https://start.exactonline.nl'),
      { fetch: fake.fetch },
    );
    expect(refused).toMatchObject({ ok: false, details: { code: 'AUTH_ERROR', status: 401 } });
    expect(JSON.stringify(refused)).not.toContain('wrong-token');
    const lapsed = await exactOnlineConnector.testConnection!(config(stored('access-0', 1_000)), {
      fetch: fake.fetch,
    });
    expect(lapsed).toMatchObject({ ok: false, details: { code: 'AUTH_ERROR' } });
    expect(fake.tokenCalls).toEqual([]);
  });

  it('says when no token set is stored, or it does not read', async () => {
    for (const oauth2 of [undefined, 'not json', '{"accessToken":1}']) {
      const result = await exactOnlineConnector.testConnection!(config(oauth2), {});
      expect(result).toMatchObject({ ok: false, details: { code: 'AUTH_ERROR' } });
      expect(result.message).toContain('authorize');
    }
  });
});
