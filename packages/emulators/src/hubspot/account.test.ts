import { describe, expect, it } from 'vitest';
import {
  checkIdProperty,
  claimUnique,
  findRecord,
  type HubSpotAccount,
  requireRecord,
  uniqueConflict,
} from './account.ts';
import { createHubSpotAssociations } from './associations.ts';
import { createHubSpotSchema } from './schema.ts';
import { createHubSpotStore } from './store.ts';

function account(): HubSpotAccount {
  return {
    schema: createHubSpotSchema(),
    store: createHubSpotStore(),
    associations: createHubSpotAssociations(),
    portalId: 99,
    batchLimit: 100,
    associationReadLimit: 1000,
    now: () => 0,
  };
}

describe('record rules', () => {
  it('finds records by id or unique idProperty, and 404s', () => {
    const a = account();
    const contacts = a.schema.resolve('contacts');
    const record = a.store.create(contacts, { email: 'a@x.example' });
    expect(findRecord(a, contacts, record.id)).toBe(record);
    expect(findRecord(a, contacts, record.id, 'hs_object_id')).toBe(record);
    expect(findRecord(a, contacts, 'A@x.example', 'email')).toBe(record);
    expect(findRecord(a, contacts, 'abc')).toBeUndefined();
    expect(() => requireRecord(a, contacts, '5')).toThrow(expect.objectContaining({ status: 404 }));
  });

  it('refuses a non-unique idProperty naming the type and portal', () => {
    const a = account();
    expect(() => checkIdProperty(a, a.schema.resolve('companies'), 'domain')).toThrow(
      'Unable to perform update/upsert by non-unique 0-2 property domain in portal ID 99',
    );
    expect(checkIdProperty(a, a.schema.resolve('contacts'), 'email')).toBe('email');
  });

  it('reports a unique value held by another record or claimed earlier in the batch', () => {
    const a = account();
    const contacts = a.schema.resolve('contacts');
    const held = a.store.create(contacts, { email: 'a@x.example' });
    expect(uniqueConflict(a, contacts, { email: 'A@x.example' })?.message).toBe(
      `Contact already exists. Existing ID: ${held.id}`,
    );
    expect(uniqueConflict(a, contacts, { email: 'a@x.example' }, held.id)).toBeUndefined();
    const pending = new Map<string, string>();
    claimUnique(contacts, { email: 'b@x.example' }, '77', pending);
    expect(uniqueConflict(a, contacts, { email: 'b@x.example' }, undefined, pending)?.status).toBe(409);
  });
});
