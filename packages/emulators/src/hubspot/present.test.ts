import { describe, expect, it } from 'vitest';
import { presentRecord, propertiesParam } from './present.ts';
import { createHubSpotSchema } from './schema.ts';
import { createHubSpotStore } from './store.ts';

describe('presentRecord', () => {
  const schema = createHubSpotSchema();
  const companies = schema.resolve('companies');

  it('answers the default properties, or the asked ones plus id and dates, nulls for unset', () => {
    const store = createHubSpotStore({ now: () => 0 });
    const record = store.create(companies, { name: 'Acme', city: 'Paris' });
    expect(presentRecord(companies, record)).toEqual({
      id: '1001',
      properties: {
        createdate: '1970-01-01T00:00:00.000Z',
        domain: null,
        hs_lastmodifieddate: '1970-01-01T00:00:00.000Z',
        hs_object_id: '1001',
        name: 'Acme',
      },
      createdAt: '1970-01-01T00:00:00.000Z',
      updatedAt: '1970-01-01T00:00:00.000Z',
      archived: false,
    });
    expect(Object.keys(presentRecord(companies, record, ['city', 'unknown']).properties)).toEqual([
      'createdate',
      'hs_object_id',
      'hs_lastmodifieddate',
      'city',
    ]);
    store.archive(companies, record.id);
    expect(presentRecord(companies, record).archivedAt).toBe('1970-01-01T00:00:00.000Z');
  });

  it('reads properties given comma-separated or repeated', () => {
    expect(propertiesParam(new URLSearchParams('properties=a,b&properties=c'))).toEqual(['a', 'b', 'c']);
    expect(propertiesParam(new URLSearchParams('properties='))).toBeUndefined();
    expect(propertiesParam(new URLSearchParams('associations=companies'), 'associations')).toEqual([
      'companies',
    ]);
  });
});
