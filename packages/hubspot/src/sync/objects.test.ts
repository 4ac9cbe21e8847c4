import { describe, expect, it } from 'vitest';
import { DEFAULT_COMPANY_ID_PROPERTY, hubspotSyncTypes } from './objects.ts';

const byEmail = hubspotSyncTypes({
  contactIdProperty: 'email',
  companyIdProperty: DEFAULT_COMPANY_ID_PROPERTY,
  contactCompanyAssociation: 'default',
});
const byId = hubspotSyncTypes({
  contactIdProperty: 'app_user_id',
  companyIdProperty: 'app_company_id',
  contactCompanyAssociation: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 },
});

describe('hubspotSyncTypes', () => {
  it('keys companies by the custom property, sent with the record', () => {
    const { company } = byEmail.objects;
    const record = { externalId: 'c-1', name: 'Acme', domain: 'acme.test' };
    expect(company.externalId(record)).toBe('c-1');
    expect(company.toInput(record, () => undefined)).toEqual({
      properties: { [DEFAULT_COMPANY_ID_PROPERTY]: 'c-1', name: 'Acme', domain: 'acme.test' },
    });
    expect(byEmail.types.company).toMatchObject({
      objectType: 'companies',
      idProperty: DEFAULT_COMPANY_ID_PROPERTY,
    });
  });

  it('keys contacts by their lower-case email by default, with their company as a parent to associate', () => {
    const { contact } = byEmail.objects;
    const record = {
      email: 'Ada@Example.com',
      name: 'Ada Lovelace',
      companyExternalId: 'c-1',
      companyName: null,
    };
    expect(contact.externalId(record)).toBe('ada@example.com');
    expect(contact.parents!(record)).toEqual([
      {
        type: 'company',
        externalId: 'c-1',
        seed: { externalId: 'c-1', name: 'c-1' },
        field: 'companyExternalId',
      },
    ]);
    expect(
      contact.toInput(record, (type, id) => (type === 'company' && id === 'c-1' ? '42' : undefined)),
    ).toEqual({
      properties: { email: 'ada@example.com', firstname: 'Ada', lastname: 'Lovelace' },
      associate: '42',
    });
    // A company that could not be resolved, or none: nothing to associate.
    expect(contact.toInput(record, () => undefined).associate).toBeNull();
    expect(contact.parents!({ email: 'x@example.com' })).toEqual([]);
    expect(byEmail.types.contact).toMatchObject({
      idProperty: 'email',
      association: { toObjectType: 'companies', type: 'default' },
    });
  });

  it('keys contacts by a custom property when told, sending your id with the record', () => {
    const { contact } = byId.objects;
    const record = { externalId: 'u-1', email: 'ada@example.com', firstName: 'Ada' };
    expect(contact.externalId(record)).toBe('u-1');
    expect(contact.toInput(record, () => undefined)).toEqual({
      properties: { app_user_id: 'u-1', email: 'ada@example.com', firstname: 'Ada' },
      associate: null,
    });
    expect(contact.schema['~standard'].validate({ email: 'ada@example.com' })).toMatchObject({
      issues: expect.any(Array),
    });
    expect(byId.types.contact.properties).toContain('app_user_id');
    expect(byId.types.contact.association?.type).toEqual({
      associationCategory: 'HUBSPOT_DEFINED',
      associationTypeId: 1,
    });
  });

  it('compares a record read back from HubSpot equal to what would be sent', () => {
    const { contact } = byEmail.objects;
    const record = {
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      phone: '+1 555',
      companyExternalId: 'c-1',
    };
    const sent = contact.toInput(record, () => '42');
    const found = {
      id: '7',
      properties: { email: 'ada@example.com', firstname: 'Ada', lastname: 'Lovelace', phone: '+1 555' },
      associated: ['42'],
    };
    expect(contact.comparable!(found)).toEqual(sent);
  });
});
