import { describe, expect, it } from 'vitest';
import { emulatedHubSpot } from '../../test-support/sync-fixtures.ts';
import { ensureUniqueProperty } from './properties.ts';

const spec = {
  objectType: 'companies',
  name: 'patchbay_external_id',
  label: 'External ID',
  groupName: 'companyinformation',
  field: 'companyIdProperty',
};

describe('ensureUniqueProperty', () => {
  it('creates the unique text property through the dated properties API, then finds it exists', async () => {
    const { hubspot, client, fetch } = emulatedHubSpot();
    const sent: string[] = [];
    const watched = client({
      fetch: (input, init) => {
        const request = new Request(input, init);
        sent.push(`${request.method} ${new URL(request.url).pathname}`);
        return fetch(request);
      },
    });
    expect(await ensureUniqueProperty(watched, spec)).toEqual({ success: true, data: { created: true } });
    expect(sent).toEqual(['POST /crm/properties/2026-03/companies']);
    expect(hubspot.schema.resolve('companies').uniqueProperties.has('patchbay_external_id')).toBe(true);
    expect(await ensureUniqueProperty(watched, spec)).toEqual({ success: true, data: { created: false } });
    expect(sent.slice(1)).toEqual([
      'POST /crm/properties/2026-03/companies',
      'GET /crm/properties/2026-03/companies/patchbay_external_id',
    ]);
  });

  it('uses the v3 path on a v3 client', async () => {
    const { client, fetch } = emulatedHubSpot();
    const sent: string[] = [];
    const v3 = client({
      apiVersion: 'v3',
      fetch: (input, init) => {
        const request = new Request(input, init);
        sent.push(new URL(request.url).pathname);
        return fetch(request);
      },
    });
    expect((await ensureUniqueProperty(v3, spec)).success).toBe(true);
    expect(sent).toEqual(['/crm/v3/properties/companies']);
  });

  it('is a CONFIG_ERROR naming the option when the property exists without unique values', async () => {
    const { client } = emulatedHubSpot({ properties: { companies: ['patchbay_external_id'] } });
    const ensured = await ensureUniqueProperty(client(), spec);
    expect(!ensured.success && ensured.error).toMatchObject({
      code: 'CONFIG_ERROR',
      field: 'companyIdProperty',
      retryable: false,
    });
  });

  it('returns HubSpot’s failure as is, without the token', async () => {
    const { client, hubspot } = emulatedHubSpot();
    const denied = await ensureUniqueProperty(client({ accessToken: 'pat-wrong-token' }), spec);
    expect(!denied.success && denied.error.code).toBe('AUTH_ERROR');
    expect(JSON.stringify(!denied.success && denied.error)).not.toContain('pat-wrong-token');
    hubspot.faults.inject({ kind: 'error', status: 503, route: /properties/ });
    const down = await ensureUniqueProperty(client(), spec);
    expect(!down.success && down.error.code).toBe('SERVER_ERROR');
  });
});
