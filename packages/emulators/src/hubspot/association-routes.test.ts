import { describe, expect, it } from 'vitest';
import { emulatorWithCaller } from '../../test-support/hubspot-caller.ts';

function seeded() {
  const setup = emulatorWithCaller();
  setup.hubspot.seedRecords('contacts', [{ email: 'a@x.example' }, { email: 'b@x.example' }]); // 1001, 1002
  setup.hubspot.seedRecords('companies', [{ name: 'Acme' }]); // 1003
  return setup;
}

describe.each([
  ['/crm/v4/associations', '/crm/v4/objects'],
  ['/crm/associations/2026-03', '/crm/objects/2026-03'],
])('associations on %s', (assocBase, objectsBase) => {
  it('batch create (201) and batch read with numeric toObjectId', async () => {
    const { call } = seeded();
    const created = await call('POST', `${assocBase}/contacts/companies/batch/create`, {
      inputs: [
        {
          from: { id: '1001' },
          to: { id: '1003' },
          types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 }],
        },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body.results).toEqual([
      {
        fromObjectTypeId: '0-1',
        fromObjectId: 1001,
        toObjectTypeId: '0-2',
        toObjectId: 1003,
        labels: ['Primary'],
      },
    ]);
    const read = await call('POST', `${assocBase}/contacts/companies/batch/read`, {
      inputs: [{ id: '1001' }, { id: '1002' }],
    });
    expect(read.status).toBe(207);
    expect(read.body.results).toEqual([
      {
        from: { id: '1001' },
        to: [
          {
            toObjectId: 1003,
            associationTypes: [
              { category: 'HUBSPOT_DEFINED', typeId: 1, label: 'Primary' },
              { category: 'HUBSPOT_DEFINED', typeId: 279, label: null },
            ],
          },
        ],
      },
    ]);
    expect(read.body.errors[0]).toMatchObject({
      category: 'OBJECT_NOT_FOUND',
      context: { fromObjectId: ['1002'] },
    });
    // The inverse direction exists too.
    const back = await call('POST', `${assocBase}/companies/contacts/batch/read`, {
      inputs: [{ id: '1003' }],
    });
    expect(back.status).toBe(200);
    expect(back.body.results[0].to[0].associationTypes.map((t: { typeId: number }) => t.typeId)).toEqual([
      2, 280,
    ]);
  });

  it('creates a default association (PUT) both ways, lists and removes it', async () => {
    const { call } = seeded();
    const put = await call('PUT', `${objectsBase}/contacts/1002/associations/default/companies/1003`);
    expect(put.status).toBe(200);
    expect(put.body.results).toEqual([
      {
        from: { id: '1002' },
        to: { id: '1003' },
        associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 },
      },
      {
        from: { id: '1003' },
        to: { id: '1002' },
        associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 280 },
      },
    ]);
    const list = await call('GET', `${objectsBase}/companies/1003/associations/contacts`);
    expect(list.body.results).toEqual([
      { toObjectId: 1002, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 280, label: null }] },
    ]);
    expect((await call('DELETE', `${objectsBase}/contacts/1002/associations/companies/1003`)).status).toBe(
      204,
    );
    expect((await call('GET', `${objectsBase}/companies/1003/associations/contacts`)).body.results).toEqual(
      [],
    );
    expect(
      (await call('PUT', `${objectsBase}/contacts/999/associations/default/companies/1003`)).status,
    ).toBe(404);
  });

  it('batch associate default, batch archive, labeled PUT', async () => {
    const { call, hubspot } = seeded();
    const made = await call('POST', `${assocBase}/contacts/companies/batch/associate/default`, {
      inputs: [
        { from: { id: '1001' }, to: { id: '1003' } },
        { from: { id: '1002' }, to: { id: '42' } },
      ],
    });
    expect(made.status).toBe(207);
    expect(made.body.results).toHaveLength(2);
    expect(made.body.errors).toHaveLength(1);
    const archived = await call('POST', `${assocBase}/contacts/companies/batch/archive`, {
      inputs: [{ from: { id: '1001' }, to: [{ id: '1003' }] }],
    });
    expect(archived.status).toBe(204);
    expect(hubspot.associations.list('0-1', '1001', '0-2')).toEqual([]);
    const labelId = hubspot.associations.defineLabel('0-1', '0-2', 'Billing contact');
    const labeled = await call('PUT', `${objectsBase}/contacts/1001/associations/companies/1003`, [
      { associationCategory: 'USER_DEFINED', associationTypeId: labelId },
    ]);
    expect(labeled.status).toBe(201);
    expect(labeled.body.labels).toEqual(['Billing contact']);
  });

  it('refuses an unknown type id per input (207) and more than 1 000 reads', async () => {
    const { call } = seeded();
    const unknown = await call('POST', `${assocBase}/contacts/companies/batch/create`, {
      inputs: [
        {
          from: { id: '1001' },
          to: { id: '1003' },
          types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 77777 }],
        },
      ],
    });
    expect(unknown.status).toBe(207);
    expect(unknown.body.errors[0].category).toBe('VALIDATION_ERROR');
    const many = Array.from({ length: 1001 }, (_, i) => ({ id: String(i) }));
    expect((await call('POST', `${assocBase}/contacts/companies/batch/read`, { inputs: many })).status).toBe(
      400,
    );
    const thousand = many.slice(0, 1000);
    expect(
      (await call('POST', `${assocBase}/contacts/companies/batch/read`, { inputs: thousand })).status,
    ).toBe(207);
  });
});

describe('association labels', () => {
  it('lists the pair types and creates a user-defined label', async () => {
    const { call } = seeded();
    const list = await call('GET', '/crm/v4/associations/contacts/companies/labels');
    expect(list.status).toBe(200);
    expect(list.body.results).toEqual(
      expect.arrayContaining([
        { category: 'HUBSPOT_DEFINED', typeId: 279, label: null },
        { category: 'HUBSPOT_DEFINED', typeId: 1, label: 'Primary' },
      ]),
    );
    const made = await call('POST', '/crm/associations/2026-03/contacts/companies/labels', {
      label: 'Billing',
      name: 'billing',
    });
    expect(made.status).toBe(200);
    expect(made.body.results[0]).toMatchObject({ category: 'USER_DEFINED', label: 'Billing' });
    const typeId = made.body.results[0].typeId;
    const put = await call('PUT', `/crm/v4/objects/contacts/1001/associations/companies/1003`, [
      { associationCategory: 'USER_DEFINED', associationTypeId: typeId },
    ]);
    expect(put.body.labels).toEqual(['Billing']);
    expect((await call('POST', '/crm/v4/associations/contacts/companies/labels', { name: 'x' })).status).toBe(
      400,
    );
  });
});
