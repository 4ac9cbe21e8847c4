import { createMemoryStore } from '@patchbay/core/store';
import { describe, expect, it } from 'vitest';
import type { HubSpotSyncOptions } from './sync.ts';
import { parseSyncOptions } from './sync-options.ts';

const store = createMemoryStore();
const parse = (options: Partial<HubSpotSyncOptions>) =>
  parseSyncOptions({ store, accessToken: 'pat-token', ...options } as HubSpotSyncOptions);
const issueOf = (options: Partial<HubSpotSyncOptions>) => {
  try {
    parse(options);
  } catch (error) {
    return error as { code: string; field?: string; message: string };
  }
  return undefined;
};

describe('parseSyncOptions', () => {
  it('fills in the defaults and passes every other option to the client', () => {
    const parsed = parse({ baseUrl: 'http://hubspot.test', rateLimit: false });
    expect(parsed).toMatchObject({
      batchSize: 100,
      concurrency: 2,
      mode: 'platform',
      contactIdProperty: 'email',
      companyIdProperty: 'patchbay_external_id',
      contactCompanyAssociation: 'default',
      maxReportedFailures: 100,
    });
    expect(parsed.clientOptions).toEqual({
      accessToken: 'pat-token',
      baseUrl: 'http://hubspot.test',
      rateLimit: false,
    });
  });

  it('keeps a labelled association type and custom unique properties', () => {
    const parsed = parse({
      contactIdProperty: 'app_user_id',
      companyIdProperty: 'app_company_id',
      contactCompanyAssociation: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 },
    });
    expect(parsed).toMatchObject({
      contactIdProperty: 'app_user_id',
      companyIdProperty: 'app_company_id',
      contactCompanyAssociation: { associationTypeId: 1 },
    });
  });

  it('is a CONFIG_ERROR naming the field, never a value', () => {
    expect(issueOf({ batchSize: 101 })).toMatchObject({ code: 'CONFIG_ERROR', field: 'batchSize' });
    expect(issueOf({ companyIdProperty: 'Not Valid' })).toMatchObject({ field: 'companyIdProperty' });
    expect(issueOf({ contactIdProperty: '' })).toMatchObject({ field: 'contactIdProperty' });
    expect(issueOf({ mode: 'direct_crm' as never })).toMatchObject({ field: 'mode' });
    expect(issueOf({ contactCompanyAssociation: 'primary' as never })).toMatchObject({
      field: 'contactCompanyAssociation',
    });
    expect(issueOf({ store: {} as never })).toMatchObject({ field: 'store' });
    expect(issueOf({ client: { http: {} } as never })).toMatchObject({ field: 'client' });
    const secret = issueOf({ accessToken: 'pat-secret-value', batchSize: 0 });
    expect(secret?.message).not.toContain('pat-secret-value');
  });

  it('refuses options that are not an object', () => {
    expect(() => parseSyncOptions(null as never)).toThrow(/HubSpot sync options/);
  });
});
