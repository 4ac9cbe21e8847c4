import { describe, expect, it } from 'vitest';
import {
  companyRecordSchema,
  comparableOf,
  contactByEmailSchema,
  contactByIdSchema,
  namesOf,
  normaliseEmail,
  propertiesOf,
} from './records.ts';

describe('sync record schemas', () => {
  it('takes a company with an id and a name, trimming text', () => {
    expect(companyRecordSchema.parse({ externalId: ' c-1 ', name: ' Acme ', domain: null })).toEqual({
      externalId: 'c-1',
      name: 'Acme',
      domain: null,
    });
    expect(companyRecordSchema.safeParse({ externalId: '', name: 'Acme' }).success).toBe(false);
    expect(companyRecordSchema.safeParse({ externalId: 'c-1' }).success).toBe(false);
  });

  it('keys a contact by email without an id, or requires the id for a custom key', () => {
    expect(contactByEmailSchema.safeParse({ email: 'ada@example.com' }).success).toBe(true);
    expect(contactByEmailSchema.safeParse({ email: 'not an email' }).success).toBe(false);
    expect(contactByIdSchema.safeParse({ email: 'ada@example.com' }).success).toBe(false);
    expect(contactByIdSchema.safeParse({ externalId: 'u-1', email: 'ada@example.com' }).success).toBe(true);
  });
});

describe('propertiesOf', () => {
  it('sends given values trimmed, null as an empty value (a clear), and leaves missing ones out', () => {
    expect(propertiesOf({ name: ' Acme ', domain: null, phone: undefined })).toEqual({
      name: 'Acme',
      domain: '',
    });
  });
});

describe('namesOf', () => {
  it('splits a full name at the first space, unless first or last name is given', () => {
    expect(namesOf({ name: 'Ada King Lovelace' })).toEqual({ firstname: 'Ada', lastname: 'King Lovelace' });
    expect(namesOf({ name: 'Ada' })).toEqual({ firstname: 'Ada', lastname: '' });
    expect(namesOf({ name: 'Ada Lovelace', firstName: 'Augusta' })).toEqual({
      firstname: 'Augusta',
      lastname: undefined,
    });
    expect(namesOf({})).toEqual({ firstname: undefined, lastname: undefined });
  });
});

describe('normaliseEmail', () => {
  it('lower-cases and trims, as HubSpot stores emails', () => {
    expect(normaliseEmail(' Ada@Example.COM ')).toBe('ada@example.com');
  });
});

describe('comparableOf', () => {
  const remote = {
    id: '7',
    properties: { name: 'Acme', domain: '', website: null, hs_object_id: '7' },
    associated: ['42'],
  };

  it('keeps the non-empty values of the named properties', () => {
    expect(comparableOf(remote, ['name', 'domain', 'website'], false)).toEqual({
      properties: { name: 'Acme' },
    });
  });

  it('adds the single associated record, null for none, and never a single id for several', () => {
    expect(comparableOf(remote, ['name'], true)).toEqual({ properties: { name: 'Acme' }, associate: '42' });
    expect(comparableOf({ ...remote, associated: [] }, ['name'], true).associate).toBeNull();
    expect(comparableOf({ ...remote, associated: ['1', '2'] }, ['name'], true).associate).toEqual(['1', '2']);
  });

  it('reads a record with no properties as empty', () => {
    expect(comparableOf(undefined, ['name'], true)).toEqual({ properties: {}, associate: null });
  });
});
