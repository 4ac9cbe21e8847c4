import { Secret } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { createFakeHubSpot } from '../test-support/fake-hubspot.ts';
import { hubspotConnector } from './connector.ts';

const TOKEN = 'pat-na1-connector-test-5d1e';

const configFor = (accessToken: Secret | undefined, baseUrl = 'https://api.hubapi.test') => ({
  integration: 'hubspot',
  baseUrl,
  credentials: accessToken === undefined ? {} : { accessToken },
  enabled: true,
  syncMode: 'disabled' as const,
  settings: {},
});

describe('hubspotConnector', () => {
  it('declares HUBSPOT_* variables, the API host and a secret access token', () => {
    expect(hubspotConnector).toMatchObject({
      id: 'hubspot',
      envPrefix: 'HUBSPOT',
      displayName: 'HubSpot',
      baseUrl: { default: 'https://api.hubapi.com' },
      credentials: { accessToken: { secret: true, required: true } },
      env: {
        baseUrl: 'HUBSPOT_BASE_URL',
        enabled: 'HUBSPOT_ENABLED',
        credentials: { accessToken: 'HUBSPOT_ACCESS_TOKEN' },
      },
    });
  });

  it('tests the connection with one contact read', async () => {
    const fake = createFakeHubSpot({ token: TOKEN });
    fake.seed('contacts', 3);
    const result = await hubspotConnector.testConnection?.(configFor(new Secret(TOKEN)), {
      fetch: fake.fetch,
    });
    expect(result).toMatchObject({ ok: true, message: 'Successfully connected' });
    expect(fake.sent).toHaveLength(1);
    expect(new URL(fake.sent[0]!.url).searchParams.get('limit')).toBe('1');
  });

  it('reports a refused token once, without showing it', async () => {
    const fake = createFakeHubSpot({ token: 'another-token' });
    const result = await hubspotConnector.testConnection?.(configFor(new Secret(TOKEN)), {
      fetch: fake.fetch,
    });
    expect(result).toMatchObject({ ok: false, details: { status: 401, code: 'AUTH_ERROR' } });
    expect(fake.sent).toHaveLength(1);
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });

  it('reports a missing token as CONFIG_ERROR without a request', async () => {
    const result = await hubspotConnector.testConnection?.(configFor(undefined), {});
    expect(result).toMatchObject({ ok: false, details: { code: 'CONFIG_ERROR' } });
  });
});
