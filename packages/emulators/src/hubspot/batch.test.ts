import { describe, expect, it } from 'vitest';
import { emulatorWithCaller } from '../../test-support/hubspot-caller.ts';

const BASE = '/crm/objects/2026-03';

describe('batch create', () => {
  it('answers 201 with the batch envelope', async () => {
    const { call } = emulatorWithCaller();
    const answer = await call('POST', `${BASE}/contacts/batch/create`, {
      inputs: [{ properties: { email: 'a@x.example' } }, { properties: { email: 'b@x.example' } }],
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ status: 'COMPLETE', results: [{ id: '1001' }, { id: '1002' }] });
    expect(typeof answer.body.startedAt).toBe('string');
    expect(typeof answer.body.completedAt).toBe('string');
    expect(answer.body.numErrors).toBeUndefined();
  });

  it('fails the whole batch on one bad input without objectWriteTraceIds, creating nothing', async () => {
    const { call, hubspot } = emulatorWithCaller();
    const answer = await call('POST', `${BASE}/contacts/batch/create`, {
      inputs: [{ properties: { email: 'a@x.example' } }, { properties: { nope: 'x' } }],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.category).toBe('VALIDATION_ERROR');
    expect(hubspot.count('contacts')).toBe(0);
    // A duplicate inside one batch is the same 409 as a taken e-mail.
    const dup = await call('POST', `${BASE}/contacts/batch/create`, {
      inputs: [{ properties: { email: 'a@x.example' } }, { properties: { email: 'A@x.example' } }],
    });
    expect(dup.status).toBe(409);
    expect(hubspot.count('contacts')).toBe(0);
  });

  it('answers 207 with per-input errors when every input has an objectWriteTraceId', async () => {
    const { call, hubspot } = emulatorWithCaller();
    hubspot.seedRecords('contacts', [{ email: 'taken@x.example' }]);
    const answer = await call('POST', `${BASE}/contacts/batch/create`, {
      inputs: [
        { objectWriteTraceId: 't1', properties: { email: 'ok@x.example' } },
        { objectWriteTraceId: 't2', properties: { nope: '1' } },
        { objectWriteTraceId: 't3', properties: { email: 'taken@x.example' } },
      ],
    });
    expect(answer.status).toBe(207);
    expect(answer.body).toMatchObject({
      status: 'COMPLETE',
      numErrors: 2,
      results: [{ objectWriteTraceId: 't1', properties: { email: 'ok@x.example' } }],
      errors: [
        { status: 'error', category: 'VALIDATION_ERROR', context: { objectWriteTraceId: ['t2'] } },
        {
          status: 'error',
          category: 'CONFLICT',
          message: 'Contact already exists. Existing ID: 1001',
          context: { objectWriteTraceId: ['t3'] },
        },
      ],
    });
    expect(hubspot.count('contacts')).toBe(2);
  });

  it('refuses more than 100 inputs and a body without inputs', async () => {
    const { call, hubspot } = emulatorWithCaller();
    const inputs = Array.from({ length: 101 }, (_, i) => ({ properties: { firstname: `F${i}` } }));
    const answer = await call('POST', `${BASE}/contacts/batch/create`, { inputs });
    expect(answer.status).toBe(400);
    expect(answer.body.category).toBe('VALIDATION_ERROR');
    expect(hubspot.count('contacts')).toBe(0);
    expect((await call('POST', `${BASE}/contacts/batch/create`, {})).status).toBe(400);
    expect((await call('POST', `${BASE}/contacts/batch/create`, '{not json')).status).toBe(400);
  });
});

describe('batch read', () => {
  it('reads by id and by unique idProperty, 207 for the missing ones', async () => {
    const { call, hubspot } = emulatorWithCaller();
    hubspot.seedRecords('contacts', [{ email: 'a@x.example', firstname: 'A' }, { email: 'b@x.example' }]);
    const byId = await call('POST', `${BASE}/contacts/batch/read`, {
      inputs: [{ id: '1001' }, { id: '1002' }],
      properties: ['firstname'],
    });
    expect(byId.status).toBe(200);
    expect(byId.body.results.map((r: { id: string }) => r.id)).toEqual(['1001', '1002']);
    expect(byId.body.results[0].properties.firstname).toBe('A');
    const mixed = await call('POST', `${BASE}/contacts/batch/read`, {
      idProperty: 'email',
      inputs: [{ id: 'A@x.example' }, { id: 'nobody@x.example' }],
      properties: [],
    });
    expect(mixed.status).toBe(207);
    expect(mixed.body).toMatchObject({
      numErrors: 1,
      results: [{ id: '1001' }],
      errors: [
        {
          category: 'OBJECT_NOT_FOUND',
          message:
            'Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.',
          context: { ids: ['nobody@x.example'] },
        },
      ],
    });
    const nonUnique = await call('POST', `${BASE}/contacts/batch/read`, {
      idProperty: 'firstname',
      inputs: [{ id: 'A' }],
    });
    expect(nonUnique.status).toBe(400);
  });
});

describe('batch update', () => {
  it('updates by id (200), reports unknown ids as 207, refuses duplicate ids', async () => {
    const { call, hubspot } = emulatorWithCaller();
    hubspot.seedRecords('deals', [{ dealname: 'D1' }, { dealname: 'D2' }]);
    const ok = await call('POST', `${BASE}/deals/batch/update`, {
      inputs: [
        { id: '1001', properties: { amount: '10' } },
        { id: '1002', properties: { amount: '20' } },
      ],
    });
    expect(ok.status).toBe(200);
    expect(ok.body.results.map((r: { properties: { amount: string } }) => r.properties.amount)).toEqual([
      '10',
      '20',
    ]);
    const partial = await call('POST', `${BASE}/deals/batch/update`, {
      inputs: [
        { id: '1001', properties: { amount: '11' } },
        { id: '9999', properties: { amount: '1' } },
      ],
    });
    expect(partial.status).toBe(207);
    expect(partial.body.errors[0]).toMatchObject({
      category: 'OBJECT_NOT_FOUND',
      context: { ids: ['9999'] },
    });
    expect(hubspot.getRecord('deals', '1001')?.properties.amount).toBe('11');
    const dup = await call('POST', `${BASE}/deals/batch/update`, {
      inputs: [
        { id: '1001', properties: {} },
        { id: '1001', properties: {} },
      ],
    });
    expect(dup.status).toBe(400);
    expect(dup.body.message).toContain('Duplicate IDs found in batch input');
  });
});

describe('batch upsert', () => {
  it('creates and updates by a unique property, marking new', async () => {
    const { call, hubspot } = emulatorWithCaller();
    hubspot.seedRecords('contacts', [{ email: 'old@x.example', firstname: 'Old' }]);
    const answer = await call('POST', `${BASE}/contacts/batch/upsert`, {
      inputs: [
        { id: 'OLD@x.example', idProperty: 'email', properties: { firstname: 'Updated' } },
        { id: 'new@x.example', idProperty: 'email', properties: { firstname: 'New' } },
      ],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.results).toMatchObject([
      { id: '1001', new: false, properties: { firstname: 'Updated' } },
      { id: '1002', new: true, properties: { firstname: 'New', email: 'new@x.example' } },
    ]);
    expect(hubspot.count('contacts')).toBe(2);
  });

  it('refuses a non-unique idProperty (a company domain) with HubSpot words', async () => {
    const { call } = emulatorWithCaller();
    const answer = await call('POST', `${BASE}/companies/batch/upsert`, {
      inputs: [{ id: 'acme.example', idProperty: 'domain', properties: { name: 'Acme' } }],
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      status: 'error',
      category: 'VALIDATION_ERROR',
      message: 'Unable to perform update/upsert by non-unique 0-2 property domain in portal ID 12345678',
    });
  });

  it('upserts by a custom unique property declared as an option', async () => {
    const { call, hubspot } = emulatorWithCaller({ uniqueProperties: { companies: ['external_id'] } });
    const first = await call('POST', `${BASE}/companies/batch/upsert`, {
      inputs: [{ id: 'E1', idProperty: 'external_id', properties: { name: 'One' } }],
    });
    expect(first.body.results[0]).toMatchObject({ new: true });
    const second = await call('POST', `${BASE}/companies/batch/upsert`, {
      inputs: [{ id: 'E1', idProperty: 'external_id', properties: { name: 'One bis' } }],
    });
    expect(second.body.results[0]).toMatchObject({ new: false, properties: { name: 'One bis' } });
    expect(hubspot.count('companies')).toBe(1);
    const dup = await call('POST', `${BASE}/companies/batch/upsert`, {
      inputs: [
        { id: 'E2', idProperty: 'external_id', properties: {} },
        { id: 'E2', idProperty: 'external_id', properties: {} },
      ],
    });
    expect(dup.status).toBe(400);
  });
});

describe('batch archive', () => {
  it('answers 204 and archives the ones that exist', async () => {
    const { call, hubspot } = emulatorWithCaller();
    hubspot.seedRecords('tickets', [{ subject: 'T' }]);
    const answer = await call('POST', `${BASE}/tickets/batch/archive`, {
      inputs: [{ id: '1001' }, { id: '5' }],
    });
    expect(answer.status).toBe(204);
    expect(hubspot.count('tickets')).toBe(0);
  });
});
