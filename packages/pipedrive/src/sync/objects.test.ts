import { stableHash } from '@patchbay/core';
import type { ParentIdOf } from '@patchbay/sync';
import { describe, expect, it } from 'vitest';
import { organizationObject, PIPEDRIVE_SYNC_RESOURCES, personObject } from './objects.ts';
import { EXTERNAL_ID_NAME } from './records.ts';

const noParents: ParentIdOf = () => undefined;
const parse = <T>(schema: { '~standard': { validate(value: unknown): unknown } }, value: unknown): T => {
  const result = schema['~standard'].validate(value) as { value?: T; issues?: unknown };
  if (result.issues) throw new Error(`invalid: ${JSON.stringify(result.issues)}`);
  return result.value as T;
};
const person = (record: Record<string, unknown>) =>
  parse<Parameters<typeof personObject.toInput>[0]>(personObject.schema, record);
const organization = (record: Record<string, unknown>) =>
  parse<Parameters<typeof organizationObject.toInput>[0]>(organizationObject.schema, record);

// A record as the client reads it from API v2: `custom` by the client's names, next to the fields the sync
// does not own.
const readPerson = (overrides: Record<string, unknown> = {}) => ({
  id: 7,
  name: 'Ada Lovelace',
  first_name: 'Ada',
  last_name: 'Lovelace',
  owner_id: 1,
  org_id: 42,
  emails: [{ value: 'ada@example.com', primary: true, label: 'work' }],
  phones: [{ value: '+44 20 7946 0000', primary: true, label: 'work' }],
  add_time: '2026-12-07T10:00:00Z',
  update_time: '2026-12-07T11:00:00Z',
  custom_fields: { ['a'.repeat(40)]: 'p-1' },
  custom: { [EXTERNAL_ID_NAME]: 'p-1', tier: 'gold' },
  ...overrides,
});

describe('PIPEDRIVE_SYNC_RESOURCES', () => {
  it('writes organizations and persons through their client resources', () => {
    expect(PIPEDRIVE_SYNC_RESOURCES).toEqual({ organization: 'organizations', person: 'persons' });
  });
});

describe('organizationObject', () => {
  it('sends the name and the external id in its custom field', () => {
    const record = organization({ externalId: ' org-1 ', name: ' Acme ' });
    expect(organizationObject.externalId(record)).toBe('org-1');
    expect(organizationObject.toInput(record, noParents)).toEqual({
      name: 'Acme',
      custom: { [EXTERNAL_ID_NAME]: 'org-1' },
    });
    expect(organizationObject.parents).toBeUndefined();
    expect(organizationObject.fields).toEqual(['externalId', 'name']);
  });

  it('hashes an organization read back the same as the one sent: an unchanged one is not resent', async () => {
    const record = organization({ externalId: 'org-1', name: 'Acme' });
    const read = {
      id: 42,
      name: 'Acme',
      owner_id: 1,
      address: { value: '1 Main St' },
      update_time: '2026-12-07T11:00:00Z',
      custom: { [EXTERNAL_ID_NAME]: 'org-1', region: 'EU' },
    };
    expect(organizationObject.comparable!(read)).toEqual(organizationObject.toInput(record, noParents));
    expect(await stableHash(organizationObject.comparable!(read))).toBe(
      await stableHash(organizationObject.toInput(record, noParents)),
    );
    // A renamed one is not.
    expect(await stableHash(organizationObject.comparable!({ ...read, name: 'Acme Ltd' }))).not.toBe(
      await stableHash(organizationObject.toInput(record, noParents)),
    );
  });

  it('reads a record missing its fields as empty ones, never throwing', () => {
    for (const read of [{}, { name: null, custom: null }, { name: 7, custom: { [EXTERNAL_ID_NAME]: 7 } }]) {
      expect(organizationObject.comparable!(read)).toEqual({ name: '', custom: { [EXTERNAL_ID_NAME]: '' } });
    }
    expect(organizationObject.comparable!(null)).toEqual({ name: '', custom: { [EXTERNAL_ID_NAME]: '' } });
  });
});

describe('personObject', () => {
  const full = {
    externalId: 'p-1',
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    phone: '+44 20 7946 0000',
    organizationExternalId: 'org-1',
    organizationName: 'Acme',
  };
  const orgIs42: ParentIdOf = (type, id) => (type === 'organization' && id === 'org-1' ? '42' : undefined);

  it('reads only the fields it declares', () => {
    expect(personObject.fields).toEqual([
      'externalId',
      'name',
      'email',
      'phone',
      'organizationExternalId',
      'organizationName',
    ]);
  });

  it('has its organization as a parent only when organizationExternalId is given', () => {
    expect(personObject.parents!(person(full))).toEqual([
      {
        type: 'organization',
        externalId: 'org-1',
        seed: { externalId: 'org-1', name: 'Acme' },
        field: 'organizationExternalId',
      },
    ]);
    // Without a name, the organization is created under its external id.
    expect(personObject.parents!(person({ ...full, organizationName: null }))[0]?.seed).toEqual({
      externalId: 'org-1',
      name: 'org-1',
    });
    expect(personObject.parents!(person({ ...full, organizationName: '  ' }))[0]?.seed).toEqual({
      externalId: 'org-1',
      name: 'org-1',
    });
    for (const organizationExternalId of [undefined, null, '', '   ']) {
      expect(personObject.parents!(person({ ...full, organizationExternalId }))).toEqual([]);
    }
  });

  it('sends one primary email and phone, the organization’s id, and the external id', () => {
    expect(personObject.toInput(person(full), orgIs42)).toEqual({
      name: 'Ada Lovelace',
      emails: [{ value: 'ada@example.com', primary: true, label: 'work' }],
      phones: [{ value: '+44 20 7946 0000', primary: true, label: 'work' }],
      org_id: 42,
      custom: { [EXTERNAL_ID_NAME]: 'p-1' },
    });
  });

  it('sends every owned field even when the record lacks it: empty lists and org_id null clear them', () => {
    expect(personObject.toInput(person({ externalId: 'p-1', name: 'Ada' }), orgIs42)).toEqual({
      name: 'Ada',
      emails: [],
      phones: [],
      org_id: null,
      custom: { [EXTERNAL_ID_NAME]: 'p-1' },
    });
    expect(personObject.toInput(person({ ...full, email: null, phone: null }), orgIs42)).toMatchObject({
      emails: [],
      phones: [],
    });
  });

  it('sends org_id null without an organization, and for one that could not be resolved', () => {
    const asked: string[] = [];
    const spy: ParentIdOf = (type, id) => {
      asked.push(`${type}:${id}`);
      return '42';
    };
    expect(personObject.toInput(person({ ...full, organizationExternalId: null }), spy).org_id).toBeNull();
    // No organization named: nothing is looked up.
    expect(asked).toEqual([]);
    expect(personObject.toInput(person(full), noParents).org_id).toBeNull();
  });

  it('hashes a person read back the same as the one sent: an unchanged one is not resent', async () => {
    const sent = personObject.toInput(person(full), orgIs42);
    const read = readPerson();
    expect(personObject.comparable!(read)).toEqual(sent);
    expect(await stableHash(personObject.comparable!(read))).toBe(await stableHash(sent));
  });

  it('hashes a person without email, phone or organization read back the same as the one sent', async () => {
    const sent = personObject.toInput(
      person({ externalId: 'p-1', name: 'Ada Lovelace', email: null }),
      orgIs42,
    );
    // Pipedrive answers no email as an empty list, or as one empty entry, and no organization as null.
    for (const read of [
      readPerson({ emails: [], phones: [], org_id: null }),
      readPerson({ emails: [{ value: '', primary: true }], phones: null, org_id: undefined }),
    ]) {
      expect(await stableHash(personObject.comparable!(read))).toBe(await stableHash(sent));
    }
  });

  it('tells each owned field changed in Pipedrive apart: the record is sent again', async () => {
    const sent = await stableHash(personObject.toInput(person(full), orgIs42));
    const changes = [
      { name: 'Ada King' },
      { emails: [{ value: 'ada@other.example', primary: true, label: 'work' }] },
      { emails: [{ value: 'ada@example.com', primary: true, label: 'home' }] },
      { phones: [] },
      { org_id: 43 },
      { org_id: null },
      { custom: { [EXTERNAL_ID_NAME]: 'p-2' } },
    ];
    for (const change of changes) {
      expect(await stableHash(personObject.comparable!(readPerson(change)))).not.toBe(sent);
    }
    // Fields the sync does not own are not compared.
    expect(
      await stableHash(
        personObject.comparable!(readPerson({ owner_id: 9, custom: { [EXTERNAL_ID_NAME]: 'p-1' } })),
      ),
    ).toBe(sent);
  });

  it('compares a person with several emails in order, primary first: a secondary one is a change', async () => {
    const secondary = readPerson({
      emails: [
        { value: 'ada.home@example.com', primary: false, label: 'home' },
        { value: 'ada@example.com', primary: true, label: 'work' },
        { value: 'ada.old@example.com', primary: false, label: 'other' },
      ],
    });
    expect(personObject.comparable!(secondary)).toMatchObject({
      emails: [
        { value: 'ada@example.com', primary: true, label: 'work' },
        { value: 'ada.home@example.com', primary: false, label: 'home' },
        { value: 'ada.old@example.com', primary: false, label: 'other' },
      ],
    });
    // The sync owns the emails: one it did not send differs, so the update replaces the list.
    expect(await stableHash(personObject.comparable!(secondary))).not.toBe(
      await stableHash(personObject.toInput(person(full), orgIs42)),
    );
    // Read twice in another order of the secondaries, the hashes differ too: the order is Pipedrive's, kept.
    const swapped = readPerson({
      emails: [
        { value: 'ada@example.com', primary: true, label: 'work' },
        { value: 'ada.old@example.com', primary: false, label: 'other' },
        { value: 'ada.home@example.com', primary: false, label: 'home' },
      ],
    });
    expect(await stableHash(personObject.comparable!(swapped))).not.toBe(
      await stableHash(personObject.comparable!(secondary)),
    );
  });

  it('reads a record missing its fields as empty ones, never throwing', () => {
    const empty = { name: '', emails: [], phones: [], org_id: null, custom: { [EXTERNAL_ID_NAME]: '' } };
    expect(personObject.comparable!({})).toEqual(empty);
    expect(personObject.comparable!(undefined)).toEqual(empty);
    expect(personObject.comparable!({ org_id: '42', custom: null })).toEqual(empty);
  });
});
