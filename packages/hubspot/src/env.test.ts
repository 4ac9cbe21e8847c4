import { describe, expect, it } from 'vitest';
import { createFakeHubSpot } from '../test-support/fake-hubspot.ts';
import { createHubSpotClientFromEnv, resolveHubSpotConfig } from './env.ts';

const TOKEN = 'pat-na1-env-test-91ac';

describe('createHubSpotClientFromEnv', () => {
  it('builds a client from HUBSPOT_ACCESS_TOKEN and HUBSPOT_BASE_URL', async () => {
    const fake = createFakeHubSpot({ token: TOKEN });
    fake.seed('contacts', 1);
    const built = await createHubSpotClientFromEnv({
      env: { HUBSPOT_ACCESS_TOKEN: TOKEN, HUBSPOT_BASE_URL: 'https://api.hubapi.test' },
      fetch: fake.fetch,
      rateLimit: false,
    });
    expect(built.success).toBe(true);
    if (!built.success) return;
    expect((await built.data.contacts.get('1000')).success).toBe(true);
    expect(fake.sent[0]?.url.startsWith('https://api.hubapi.test/crm/objects/2026-03/contacts/')).toBe(true);
  });

  it('names a missing token and where to set it', async () => {
    const built = await createHubSpotClientFromEnv({ env: {} });
    expect(built).toMatchObject({ success: false, error: { code: 'CONFIG_ERROR', field: 'accessToken' } });
    if (!built.success) expect(built.error.message).toContain('HUBSPOT_ACCESS_TOKEN');
  });

  it('answers CONFIG_ERROR for env that is not an object, and for unreadable options', async () => {
    expect(await resolveHubSpotConfig({ env: null as never })).toMatchObject({
      success: false,
      error: { code: 'CONFIG_ERROR', field: 'env' },
    });
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('trap');
        },
      },
    );
    expect((await createHubSpotClientFromEnv(hostile as never)).success).toBe(false);
  });

  it('defaults the base URL to the HubSpot API host', async () => {
    const resolved = await resolveHubSpotConfig({ env: { HUBSPOT_ACCESS_TOKEN: TOKEN } });
    expect(resolved.success && resolved.data.config.baseUrl).toBe('https://api.hubapi.com');
  });
});
