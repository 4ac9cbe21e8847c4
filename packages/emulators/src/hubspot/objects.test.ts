import { describe, expect, it } from 'vitest';
import { emulatorWithCaller } from '../../test-support/hubspot-caller.ts';

const BASES = ['/crm/objects/2026-03', '/crm/v3/objects'];

describe.each(BASES)('single records on %s', (base) => {
  it('creates (201), reads, updates and archives (204) a contact', async () => {
    const { call } = emulatorWithCaller();
    const created = await call('POST', `${base}/contacts`, {
      properties: { email: 'Ada@Example.com', firstname: 'Ada' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: '1001',
      archived: false,
      properties: { email: 'ada@example.com', firstname: 'Ada', hs_object_id: '1001' },
    });
    expect(typeof created.body.properties.createdate).toBe('string');
    expect(typeof created.body.createdAt).toBe('string');

    const read = await call('GET', `${base}/contacts/1001`);
    expect(read.status).toBe(200);
    expect(Object.keys(read.body.properties).sort()).toEqual([
      'createdate',
      'email',
      'firstname',
      'hs_object_id',
      'lastmodifieddate',
      'lastname',
    ]);
    expect(read.body.properties.lastname).toBeNull();

    const some = await call('GET', `${base}/contacts/1001?properties=firstname,nope`);
    expect(Object.keys(some.body.properties).sort()).toEqual([
      'createdate',
      'firstname',
      'hs_object_id',
      'lastmodifieddate',
    ]);

    const updated = await call('PATCH', `${base}/contacts/1001`, { properties: { lastname: 'Lovelace' } });
    expect(updated.status).toBe(200);
    expect(updated.body.properties.lastname).toBe('Lovelace');

    expect((await call('DELETE', `${base}/contacts/1001`)).status).toBe(204);
    expect((await call('DELETE', `${base}/contacts/1001`)).status).toBe(204);
    const gone = await call('GET', `${base}/contacts/1001`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({
      status: 'error',
      message: 'resource not found',
      category: 'OBJECT_NOT_FOUND',
    });
    expect(typeof gone.body.correlationId).toBe('string');
    const archived = await call('GET', `${base}/contacts/1001?archived=true`);
    expect(archived.body).toMatchObject({ id: '1001', archived: true });
    expect(typeof archived.body.archivedAt).toBe('string');
  });

  it('looks a record up by a unique idProperty, and refuses a non-unique one', async () => {
    const { call, hubspot } = emulatorWithCaller();
    hubspot.seedRecords('contacts', [{ email: 'x@example.com' }]);
    hubspot.seedRecords('companies', [{ domain: 'example.com' }]);
    const found = await call('GET', `${base}/contacts/X@example.com?idProperty=email`);
    expect(found.body.id).toBe('1001');
    const patched = await call('PATCH', `${base}/contacts/x@example.com?idProperty=email`, {
      properties: { city: 'Paris' },
    });
    expect(patched.status).toBe(200);
    const byDomain = await call('GET', `${base}/companies/example.com?idProperty=domain`);
    expect(byDomain.status).toBe(400);
    expect(byDomain.body).toMatchObject({
      category: 'VALIDATION_ERROR',
      message: 'Unable to perform update/upsert by non-unique 0-2 property domain in portal ID 12345678',
    });
  });

  it('refuses unknown properties, bad e-mails and a taken e-mail (409)', async () => {
    const { call } = emulatorWithCaller();
    const unknown = await call('POST', `${base}/contacts`, { properties: { nope: '1' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.category).toBe('VALIDATION_ERROR');
    expect(unknown.body.message).toMatch(/^Property values were not valid: \[/);
    expect(unknown.body.message).toContain('PROPERTY_DOESNT_EXIST');
    const bad = await call('POST', `${base}/contacts`, { properties: { email: 'not-an-email' } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('INVALID_EMAIL');
    await call('POST', `${base}/contacts`, { properties: { email: 'a@example.com' } });
    const again = await call('POST', `${base}/contacts`, { properties: { email: 'A@example.com' } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      status: 'error',
      category: 'CONFLICT',
      message: 'Contact already exists. Existing ID: 1001',
    });
  });

  it('lists with limit ≤ 100 and after paging', async () => {
    const { call, hubspot } = emulatorWithCaller();
    hubspot.seedRecords(
      'companies',
      Array.from({ length: 25 }, (_, i) => ({ name: `C${i}` })),
    );
    const ids: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await call('GET', `${base}/companies?limit=10${after ? `&after=${after}` : ''}`);
      expect(page.status).toBe(200);
      ids.push(...page.body.results.map((r: { id: string }) => r.id));
      after = page.body.paging?.next.after;
      if (after) expect(page.body.paging.next.link).toContain(`after=${after}`);
      pages += 1;
    } while (after);
    expect(pages).toBe(3);
    expect(ids).toHaveLength(25);
    expect((await call('GET', `${base}/companies?limit=101`)).status).toBe(400);
    expect((await call('GET', `${base}/companies?after=abc`)).status).toBe(400);
    expect((await call('GET', `${base}/companies`)).body.results).toHaveLength(10);
  });

  it('creates with associations and reads them back with ?associations=', async () => {
    const { call } = emulatorWithCaller();
    const company = await call('POST', `${base}/companies`, { properties: { name: 'Acme' } });
    const contact = await call('POST', `${base}/contacts`, {
      properties: { email: 'c@acme.example' },
      associations: [
        {
          to: { id: company.body.id },
          types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 }],
        },
      ],
    });
    expect(contact.status).toBe(201);
    const read = await call('GET', `${base}/contacts/${contact.body.id}?associations=companies`);
    expect(read.body.associations).toEqual({
      companies: { results: [{ id: company.body.id, type: 'contact_to_company_unlabeled' }] },
    });
    const missing = await call('POST', `${base}/contacts`, {
      properties: { email: 'd@acme.example' },
      associations: [
        { to: { id: '999' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 }] },
      ],
    });
    expect(missing.status).toBe(400);
    const list = await call('GET', `${base}/contacts`);
    expect(list.body.results).toHaveLength(1);
  });
});

describe('object types in paths', () => {
  it('accepts type ids, singular names and registered custom objects; refuses unknown types', async () => {
    const { call, hubspot } = emulatorWithCaller({
      customObjects: [
        { objectTypeId: '2-12345', name: 'cars', properties: ['vin', 'model'], uniqueProperties: ['vin'] },
      ],
    });
    expect((await call('POST', '/crm/v3/objects/0-1', { properties: { firstname: 'A' } })).status).toBe(201);
    expect((await call('GET', '/crm/v3/objects/contact/1001')).status).toBe(200);
    const car = await call('POST', '/crm/objects/2026-03/2-12345', { properties: { vin: 'V1', model: 'T' } });
    expect(car.status).toBe(201);
    expect((await call('GET', '/crm/objects/2026-03/cars/V1?idProperty=vin')).body.id).toBe(car.body.id);
    expect(hubspot.count('2-12345')).toBe(1);
    const unknown = await call('GET', '/crm/v3/objects/nothings');
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toBe('Unable to infer object type from: nothings');
  });
});
