import { describe, expect, it } from 'vitest';
import { createFakeHubSpot } from '../test-support/fake-hubspot.ts';
import { createHubSpotClient } from './client.ts';

const TOKEN = 'pat-na1-test-token';

function setup(apiVersion: '2026-03' | 'v3' = '2026-03') {
  const fake = createFakeHubSpot({ token: TOKEN });
  const client = createHubSpotClient({
    accessToken: TOKEN,
    baseUrl: 'https://api.hubapi.test',
    fetch: fake.fetch,
    rateLimit: false,
    apiVersion,
  });
  return { fake, client };
}

describe('associations', () => {
  it('creates labelled associations on the dated path, one outcome per input', async () => {
    const { fake, client } = setup();
    const result = await client.associations.batchCreate('contacts', 'companies', [
      {
        from: { id: '1' },
        to: { id: '10' },
        types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 }],
      },
      {
        from: { id: '2' },
        to: { id: '20' },
        types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 }],
      },
    ]);
    expect(fake.sent[0]?.path).toBe('/crm/associations/2026-03/contacts/companies/batch/create');
    expect(result.success && result.data.outcomes).toMatchObject([
      { ok: true, index: 0, record: { fromObjectId: '1', toObjectId: '10' } },
      { ok: true, index: 1, record: { fromObjectId: '2', toObjectId: '20' } },
    ]);
  });

  it('creates default associations on the v4 path', async () => {
    const { fake, client } = setup('v3');
    const result = await client.associations.batchCreateDefault('contacts', 'companies', [
      { from: { id: '1' }, to: { id: '10' } },
    ]);
    expect(fake.sent[0]?.path).toBe('/crm/v4/associations/contacts/companies/batch/associate/default');
    expect(result.success && result.data.succeeded).toBe(1);
  });

  it('reads associations, normalising numeric toObjectId to a string, a record without any as an empty list', async () => {
    const { fake, client } = setup();
    fake.associations.push({ from: 'contacts', to: 'companies', fromId: '1', toId: '10', typeId: 1 });
    const result = await client.associations.batchRead('contacts', 'companies', ['1', '2']);
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.data.outcomes[0]).toMatchObject({
      ok: true,
      record: { from: { id: '1' }, to: [{ toObjectId: '10' }] },
    });
    expect(result.data.outcomes[1]).toEqual({ ok: true, index: 1, record: { from: { id: '2' }, to: [] } });
    expect(result.data).toMatchObject({ succeeded: 2, failed: 0 });
  });

  it('reads 1 000 ids per request', async () => {
    const { fake, client } = setup();
    const ids = Array.from({ length: 2_500 }, (_, i) => String(i + 1));
    await client.associations.batchRead('contacts', 'companies', ids);
    expect(fake.sent.map((r) => (r.body as { inputs: unknown[] }).inputs.length)).toEqual([
      1_000, 1_000, 500,
    ]);
  });

  it('refuses bad inputs and types by field before sending', async () => {
    const { fake, client } = setup();
    const bad = await client.associations.batchCreate('contacts', 'companies', [
      { from: { id: '1' }, to: { id: '' }, types: [] },
    ]);
    expect(bad).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR' } });
    const type = await client.associations.batchRead('contacts', '../admin', ['1']);
    expect(type).toMatchObject({ success: false, error: { field: 'toType' } });
    expect(fake.sent).toHaveLength(0);
  });
});
