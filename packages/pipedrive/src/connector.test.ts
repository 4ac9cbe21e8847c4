import { toSecret } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { createFakePipedrive } from '../test-support/fake-pipedrive.ts';
import { pipedriveConnector } from './connector.ts';

const config = (apiToken?: string, companyDomain?: string, baseUrl?: string) => ({
  integration: 'pipedrive',
  ...(baseUrl ? { baseUrl } : {}),
  credentials: apiToken ? { apiToken: toSecret(apiToken) } : {},
  enabled: true,
  syncMode: 'platform' as const,
  settings: companyDomain ? { companyDomain } : {},
});

describe('pipedriveConnector', () => {
  it('declares its variables and the secret token', () => {
    expect(pipedriveConnector.env).toMatchObject({
      baseUrl: 'PIPEDRIVE_BASE_URL',
      enabled: 'PIPEDRIVE_ENABLED',
      credentials: { apiToken: 'PIPEDRIVE_API_TOKEN' },
    });
    expect(pipedriveConnector.credentials.apiToken.secret).toBe(true);
    expect(pipedriveConnector.modes).toEqual(['disabled', 'platform']);
  });

  it('tests the connection with one person read, and says what is missing', async () => {
    const fake = createFakePipedrive({ token: 'tok' });
    const good = await pipedriveConnector.testConnection!(
      config('tok', undefined, 'https://acme.pipedrive.test'),
      { fetch: fake.fetch },
    );
    expect(good).toMatchObject({ ok: true });
    expect(fake.sent[0]?.path).toBe('/api/v2/persons');
    const bad = await pipedriveConnector.testConnection!(
      config('wrong-token', undefined, 'https://acme.pipedrive.test'),
      { fetch: fake.fetch },
    );
    expect(bad).toMatchObject({ ok: false, details: { code: 'AUTH_ERROR', status: 401 } });
    expect(JSON.stringify(bad)).not.toContain('wrong-token');
    expect(await pipedriveConnector.testConnection!(config('tok'), {})).toMatchObject({
      ok: false,
      message: 'companyDomain is required',
    });
    expect(await pipedriveConnector.testConnection!(config(undefined, 'acme'), {})).toMatchObject({
      ok: false,
      message: 'apiToken is required',
    });
  });
});
