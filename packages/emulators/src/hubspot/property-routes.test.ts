import { describe, expect, it } from 'vitest';
import { emulatorWithCaller } from '../../test-support/hubspot-caller.ts';
import { parsePropertyPath } from './property-routes.ts';

const unique = {
  name: 'patchbay_external_id',
  label: 'External ID',
  type: 'string',
  fieldType: 'text',
  groupName: 'companyinformation',
  hasUniqueValue: true,
};

describe('parsePropertyPath', () => {
  it('reads v3 and dated paths, with or without a property name', () => {
    expect(parsePropertyPath('/crm/v3/properties/companies')).toEqual({ type: 'companies' });
    expect(parsePropertyPath('/crm/properties/2026-03/contacts/email')).toEqual({
      type: 'contacts',
      name: 'email',
    });
  });

  it('serves no other path', () => {
    expect(parsePropertyPath('/crm/properties/1999-01/contacts')).toBeUndefined();
    expect(parsePropertyPath('/crm/v3/properties')).toBeUndefined();
    expect(parsePropertyPath('/crm/v3/properties/contacts/batch/create')).toBeUndefined();
    expect(parsePropertyPath('/crm/v3/objects/contacts')).toBeUndefined();
    expect(parsePropertyPath('/crm/v3/properties/%E0%A4%A')).toBeUndefined();
  });
});

describe('HubSpot emulator: properties API', () => {
  it('creates a unique property (201, the spec Property shape) that batch upsert then accepts as idProperty', async () => {
    const { call } = emulatorWithCaller();
    const before = await call('POST', '/crm/objects/2026-03/companies/batch/upsert', {
      inputs: [{ id: 'c-1', idProperty: unique.name, properties: { name: 'Acme' } }],
    });
    expect(before.status).toBe(400);

    const created = await call('POST', '/crm/properties/2026-03/companies', unique);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: unique.name,
      label: 'External ID',
      type: 'string',
      fieldType: 'text',
      groupName: 'companyinformation',
      hasUniqueValue: true,
      hubspotDefined: false,
      options: [],
      description: '',
    });

    const upserted = await call('POST', '/crm/objects/2026-03/companies/batch/upsert', {
      inputs: [{ id: 'c-1', idProperty: unique.name, properties: { name: 'Acme' } }],
    });
    expect(upserted.status).toBe(200);
    expect(upserted.body.results[0]).toMatchObject({ new: true, properties: { [unique.name]: 'c-1' } });
  });

  it('answers 409 for a name already taken, standard or created', async () => {
    const { call } = emulatorWithCaller();
    expect((await call('POST', '/crm/v3/properties/companies', unique)).status).toBe(201);
    const again = await call('POST', '/crm/v3/properties/companies', unique);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ status: 'error', category: 'OBJECT_ALREADY_EXISTS' });
    const standard = await call('POST', '/crm/v3/properties/contacts', { ...unique, name: 'email' });
    expect(standard.status).toBe(409);
  });

  it('refuses a create missing a required field, with a bad type, name or uniqueness', async () => {
    const { call } = emulatorWithCaller();
    const { groupName: _, ...noGroup } = unique;
    const missing = await call('POST', '/crm/v3/properties/companies', noGroup);
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ category: 'VALIDATION_ERROR' });
    expect(missing.body.errors[0]).toMatchObject({ in: 'groupName' });
    expect((await call('POST', '/crm/v3/properties/companies', { ...unique, type: 'text' })).status).toBe(
      400,
    );
    expect((await call('POST', '/crm/v3/properties/companies', { ...unique, name: 'Bad Name' })).status).toBe(
      400,
    );
    expect(
      (
        await call('POST', '/crm/v3/properties/companies', {
          ...unique,
          type: 'bool',
          fieldType: 'booleancheckbox',
        })
      ).status,
    ).toBe(400);
    expect(
      (await call('POST', '/crm/v3/properties/companies', { ...unique, hasUniqueValue: 'yes' })).status,
    ).toBe(400);
    expect((await call('POST', '/crm/v3/properties/companies', [unique])).status).toBe(400);
    expect((await call('POST', '/crm/v3/properties/unknown_things', unique)).status).toBe(400);
  });

  it('reads one property and lists a type’s properties; an unknown one is a 404', async () => {
    const { call } = emulatorWithCaller();
    await call('POST', '/crm/v3/properties/companies', unique);
    const one = await call('GET', `/crm/v3/properties/companies/${unique.name}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ name: unique.name, hasUniqueValue: true });
    const email = await call('GET', '/crm/properties/2026-03/contacts/email');
    expect(email.body).toMatchObject({ name: 'email', hasUniqueValue: true, hubspotDefined: true });
    const list = await call('GET', '/crm/v3/properties/companies');
    expect(list.body.results.map((p: { name: string }) => p.name)).toContain(unique.name);
    const missing = await call('GET', '/crm/v3/properties/companies/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ category: 'OBJECT_NOT_FOUND' });
    expect((await call('DELETE', `/crm/v3/properties/companies/${unique.name}`)).status).toBe(404);
    expect((await call('PATCH', '/crm/v3/properties/companies')).status).toBe(404);
  });

  it('checks auth first and the schema scopes when the emulator has scopes', async () => {
    const { call } = emulatorWithCaller({ scopes: ['crm.schemas.companies.read'] });
    expect((await call('GET', '/crm/v3/properties/companies', undefined, {})).status).toBe(401);
    expect((await call('GET', '/crm/v3/properties/companies')).status).toBe(200);
    const write = await call('POST', '/crm/v3/properties/companies', unique);
    expect(write.status).toBe(403);
    expect(write.body).toMatchObject({ category: 'MISSING_SCOPES' });
  });

  it('counts property requests and lets the kit inject faults on them', async () => {
    const { hubspot, call } = emulatorWithCaller();
    hubspot.faults.inject({
      kind: 'error',
      status: 503,
      route: 'POST /crm/v3/properties/companies',
      times: 1,
    });
    expect((await call('POST', '/crm/v3/properties/companies', unique)).status).toBe(503);
    expect((await call('POST', '/crm/v3/properties/companies', unique)).status).toBe(201);
    expect(hubspot.counters.snapshot().total).toBe(2);
  });
});
