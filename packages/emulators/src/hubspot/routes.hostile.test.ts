// Odd request bodies on every route: each is answered with a HubSpot error (4xx) or handled, never a 500.
import { describe, expect, it } from 'vitest';
import { emulatorWithCaller } from '../../test-support/hubspot-caller.ts';

const BODIES: unknown[] = [
  null,
  [],
  1,
  'x',
  {},
  { inputs: null },
  { inputs: [null] },
  { inputs: [1] },
  { inputs: [{}] },
  { inputs: [{ id: {}, properties: [] }] },
  { inputs: [{ id: '1001', idProperty: 7, properties: { email: {} } }] },
  { inputs: [{ from: null, to: 'x', types: [null] }] },
  { inputs: [{ from: { id: '1001' }, to: [{ id: null }], types: 'x' }] },
  { properties: null, associations: {} },
  { properties: { email: 'a@b.c' }, associations: [null, { to: {}, types: [] }] },
  { filterGroups: [{ filters: [null] }], sorts: [null], query: 5, limit: -1, after: 'x' },
  { filterGroups: {}, sorts: 'x', properties: 'x', limit: '10', after: 1 },
];

const ROUTES: [string, string][] = [
  ['POST', '/crm/objects/2026-03/contacts'],
  ['PATCH', '/crm/objects/2026-03/contacts/1001'],
  ['POST', '/crm/objects/2026-03/contacts/search'],
  ['POST', '/crm/v3/objects/contacts/batch/read'],
  ['POST', '/crm/v3/objects/contacts/batch/create'],
  ['POST', '/crm/v3/objects/contacts/batch/update'],
  ['POST', '/crm/v3/objects/contacts/batch/upsert'],
  ['POST', '/crm/v3/objects/contacts/batch/archive'],
  ['POST', '/crm/v4/associations/contacts/companies/batch/create'],
  ['POST', '/crm/v4/associations/contacts/companies/batch/read'],
  ['POST', '/crm/v4/associations/contacts/companies/batch/archive'],
  ['POST', '/crm/v4/associations/contacts/companies/batch/associate/default'],
  ['PUT', '/crm/v4/objects/contacts/1001/associations/companies/1002'],
];

describe('hostile request bodies', () => {
  it.each(ROUTES)('%s %s answers every odd body without a 500', async (method, path) => {
    const { call, hubspot } = emulatorWithCaller();
    hubspot.seedRecords('contacts', [{ email: 'a@x.example' }]);
    hubspot.seedRecords('companies', [{ name: 'Acme' }]);
    for (const body of BODIES) {
      const answer = await call(method, path, JSON.stringify(body));
      expect(answer.status, `${JSON.stringify(body)} → ${JSON.stringify(answer.body)}`).toBeLessThan(500);
      if (answer.status >= 400) expect(answer.body.status).toBe('error');
    }
  });
});
