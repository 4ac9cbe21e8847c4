import { describe, expect, it } from 'vitest';
import { createFakeHubSpot, rateLimited } from '../test-support/fake-hubspot.ts';
import { createHubSpotClient, type HubSpotClientOptions } from './client.ts';

const TOKEN = 'pat-na1-test-token';
const BASE = 'https://api.hubapi.test';

function setup(options: Partial<HubSpotClientOptions> = {}) {
  const fake = createFakeHubSpot({ token: TOKEN });
  const client = createHubSpotClient({
    accessToken: TOKEN,
    baseUrl: BASE,
    fetch: fake.fetch,
    rateLimit: false,
    searchRateLimit: false,
    retry: { retries: 2, initialDelayMs: 1, maxDelayMs: 2 },
    ...options,
  });
  return { fake, client };
}

describe('createHubSpotClient: options', () => {
  it('refuses bad options with CONFIG_ERROR naming the field, never the value', () => {
    const attempt = (options: unknown) => {
      try {
        createHubSpotClient(options as HubSpotClientOptions);
        return undefined;
      } catch (error) {
        return error as { code: string; field?: string; message: string };
      }
    };
    expect(attempt({})).toMatchObject({ code: 'CONFIG_ERROR', field: 'accessToken' });
    expect(attempt({ accessToken: TOKEN, oauth: { getAccessToken: async () => ({}) } })).toMatchObject({
      code: 'CONFIG_ERROR',
      field: 'accessToken',
    });
    expect(attempt({ accessToken: '  ' })).toMatchObject({ code: 'CONFIG_ERROR', field: 'accessToken' });
    expect(attempt({ accessToken: TOKEN, apiVersion: 'v9' })).toMatchObject({
      code: 'CONFIG_ERROR',
      field: 'apiVersion',
    });
    const bad = attempt({ accessToken: TOKEN, baseUrl: 'ftp://secret-host' });
    expect(bad).toMatchObject({ code: 'CONFIG_ERROR', field: 'baseUrl' });
    expect(bad?.message).not.toContain('secret-host');
    expect(attempt({ accessToken: TOKEN })).toBeUndefined();
  });

  it('sends the bearer token and uses the dated paths by default, v3 when chosen', async () => {
    const { fake, client } = setup();
    fake.seed('contacts', 1, () => ({ email: 'ada@example.com' }));
    expect((await client.contacts.get('1000')).success).toBe(true);
    expect(fake.sent[0]?.path).toBe('/crm/objects/2026-03/contacts/1000');
    expect(fake.sent[0]?.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    const v3 = setup({ apiVersion: 'v3' });
    v3.fake.seed('contacts', 1);
    await v3.client.contacts.get('1000');
    expect(v3.fake.sent[0]?.path).toBe('/crm/v3/objects/contacts/1000');
    expect(v3.client.apiVersion).toBe('v3');
  });

  it('authenticates with an OAuth token source', async () => {
    const fake = createFakeHubSpot({ token: 'oauth-access' });
    fake.seed('deals', 1, () => ({ dealname: 'Big' }));
    const { Secret } = await import('@patchbay/core');
    const client = createHubSpotClient({
      oauth: { getAccessToken: async () => ({ success: true, data: new Secret('oauth-access') }) },
      baseUrl: BASE,
      fetch: fake.fetch,
      rateLimit: false,
    });
    const deal = await client.deals.get('1000');
    expect(deal.success && deal.data.properties.dealname).toBe('Big');
  });
});

describe('oauth', () => {
  it('refreshes once on a 401 and resends', async () => {
    const fake = createFakeHubSpot({ token: 'fresh-access' });
    fake.seed('contacts', 1);
    const { Secret } = await import('@patchbay/core');
    let current = 'revoked-access';
    let refreshes = 0;
    const client = createHubSpotClient({
      oauth: {
        getAccessToken: async () => ({ success: true, data: new Secret(current) }),
        refreshAccessToken: async () => {
          refreshes++;
          current = 'fresh-access';
          return { success: true, data: new Secret(current) };
        },
      },
      baseUrl: BASE,
      fetch: fake.fetch,
      rateLimit: false,
    });
    const result = await client.contacts.get('1000');
    expect(result.success).toBe(true);
    expect(refreshes).toBe(1);
    expect(fake.sent.map((r) => r.headers.get('authorization'))).toEqual([
      'Bearer revoked-access',
      'Bearer fresh-access',
    ]);
  });
});

describe('rate limits', () => {
  it('waits and retries a TEN_SECONDLY_ROLLING 429, a batch create included', async () => {
    const { fake, client } = setup();
    fake.script('/batch/create', () => rateLimited('TEN_SECONDLY_ROLLING', 5));
    fake.script('/contacts/1000', () => rateLimited('TEN_SECONDLY_ROLLING', 5));
    fake.seed('contacts', 1);
    expect((await client.contacts.get('1000')).success).toBe(true);
    const created = await client.contacts.batchCreate([{ properties: { email: 'x@example.com' } }]);
    expect(created.success && created.data.succeeded).toBe(1);
    expect(fake.sent).toHaveLength(4);
  });

  it('does not retry a DAILY 429: a final RATE_LIMIT saying when the budget resets', async () => {
    const { fake, client } = setup();
    fake.script('/contacts/1000', () => rateLimited('DAILY'));
    const result = await client.contacts.get('1000');
    expect(fake.sent).toHaveLength(1);
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(result.error).toMatchObject({ code: 'RATE_LIMIT', retryable: false, status: 429 });
      expect(result.error.retryAfterMs).toBeGreaterThan(0);
      expect(result.error.retryAfterMs).toBeLessThanOrEqual(86_400_000);
    }
  });

  it('spends from the client limiter, following the headers', async () => {
    const { fake, client } = setup({ rateLimit: { limit: 100 } });
    fake.seed('contacts', 1);
    await client.contacts.get('1000');
    const state = await client.http.rateLimiter?.state();
    // The server said 99 remain, the local bucket held 9 after this call: the lower wins.
    expect(state?.tokens).toBeLessThanOrEqual(9);
  });
});
