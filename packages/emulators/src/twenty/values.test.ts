import { describe, expect, it } from 'vitest';
import { createSchema } from './schema.ts';
import {
  canonicalizeEmail,
  canonicalizeUrl,
  completeComposite,
  defaultValueOf,
  isUuid,
  normalizeRecordInput,
} from './values.ts';

const schema = createSchema();
const people = schema.byPlural('people')!;
const companies = schema.byPlural('companies')!;

describe('canonicalizeEmail', () => {
  it('lowercases, maps ideographic dots, drops trailing dots and punycodes the domain', () => {
    expect(canonicalizeEmail('  Ada@Example.COM ')).toBe('ada@example.com');
    expect(canonicalizeEmail('X@💩。LA.')).toBe('x@xn--ls8h.la');
    expect(canonicalizeEmail('x@München．DE.')).toBe('x@xn--mnchen-3ya.de');
    expect(canonicalizeEmail('NOAT')).toBe('noat');
  });
});

describe('canonicalizeUrl', () => {
  it('lowercases the origin of http(s) URLs and drops one trailing slash', () => {
    expect(canonicalizeUrl('https://ACME.com/')).toBe('https://acme.com');
    expect(canonicalizeUrl('https://ACME.com/Path/')).toBe('https://acme.com/Path');
    expect(canonicalizeUrl('acme.com/')).toBe('acme.com/');
    expect(canonicalizeUrl('mailto:A@B.C')).toBe('mailto:A@B.C');
  });
});

describe('isUuid', () => {
  it('accepts any RFC 4122 layout, case-insensitively', () => {
    expect(isUuid('20202020-ef5a-4822-9e08-cf6e4a4dcd6b')).toBe(true);
    expect(isUuid('00000000-0000-0000-0000-000000000000')).toBe(true);
    expect(isUuid('ABCDEF00-0000-4000-8000-000000000000')).toBe(true);
    expect(isUuid('malformed-uuid')).toBe(false);
    expect(isUuid(42)).toBe(false);
  });
});

describe('normalizeRecordInput', () => {
  it('keeps known fields, canonicalizes e-mails and lowercases ids', () => {
    expect(
      normalizeRecordInput(people, {
        id: 'ABCDEF00-0000-4000-8000-000000000000',
        city: 'Paris',
        emails: { primaryEmail: 'ADA@X.IO', additionalEmails: ['B@X.IO'] },
        companyId: null,
      }),
    ).toEqual({
      id: 'abcdef00-0000-4000-8000-000000000000',
      city: 'Paris',
      emails: { primaryEmail: 'ada@x.io', additionalEmails: ['b@x.io'] },
      companyId: null,
    });
  });

  it('refuses unknown fields with the data-arg processor message', () => {
    expect(() => normalizeRecordInput(people, { nope: 1 })).toThrow(
      'Object person doesn\'t have any "nope" field.',
    );
    // An array body reads as index keys, as Object.entries does in Twenty.
    expect(() => normalizeRecordInput(people, ['x'] as unknown as Record<string, unknown>)).toThrow(
      'Object person doesn\'t have any "0" field.',
    );
  });

  it('validates scalar types with Twenty messages', () => {
    expect(() => normalizeRecordInput(people, { city: 12 })).toThrow(
      'Invalid string value 12 for text field "city"',
    );
    expect(() => normalizeRecordInput(companies, { employees: '12' })).toThrow(
      'Invalid number value \'12\' for field "employees"',
    );
    expect(() => normalizeRecordInput(people, { id: 'nope' })).toThrow("'nope' is not a valid UUID");
    expect(() => normalizeRecordInput(people, { companyId: 'nope' })).toThrow(/Invalid UUID value/);
    expect(() => normalizeRecordInput(people, { id: null })).toThrow(
      'Field id is not nullable and has no default value.',
    );
  });

  it('validates composite sub-fields', () => {
    expect(() => normalizeRecordInput(people, { emails: { primary: 'x' } })).toThrow(
      'Invalid subfield primary for emails field "emails"',
    );
    expect(() => normalizeRecordInput(people, { name: { firstName: 1 } })).toThrow(
      'Invalid string value 1 for text field "name.firstName"',
    );
  });

  it('clears the primary e-mail when a partial e-mails value omits it (transform-emails-value)', () => {
    expect(normalizeRecordInput(people, { emails: { additionalEmails: [] } })).toEqual({
      emails: { primaryEmail: null, additionalEmails: null },
    });
    expect(normalizeRecordInput(people, { emails: { primaryEmail: '' } })).toEqual({
      emails: { primaryEmail: null },
    });
  });

  it('canonicalizes links', () => {
    expect(
      normalizeRecordInput(companies, {
        domainName: {
          primaryLinkUrl: 'https://ACME.io/',
          secondaryLinks: [{ url: 'https://B.io/', label: 'b' }, { url: '' }],
        },
      }),
    ).toEqual({
      domainName: {
        primaryLinkUrl: 'https://acme.io',
        secondaryLinks: [{ url: 'https://b.io', label: 'b' }],
      },
    });
  });

  it('takes relations by join column, or by name with connect/disconnect', () => {
    const id = '20202020-ef5a-4822-9e08-cf6e4a4dcd6b';
    expect(normalizeRecordInput(people, { company: { connect: { where: { id } } } })).toEqual({
      companyId: id,
    });
    expect(normalizeRecordInput(people, { company: null })).toEqual({ companyId: null });
    expect(() => normalizeRecordInput(people, { company: { id } })).toThrow(
      'Relation "company" requires connect or disconnect operation',
    );
    expect(() => normalizeRecordInput(companies, { people: [] })).toThrow(
      'One-to-many relation people field does not support write operations.',
    );
  });

  it('validates select, dates and booleans', () => {
    const schemaWithSelect = createSchema();
    const p = schemaWithSelect.byPlural('people')!;
    schemaWithSelect.addField(
      p.id,
      { name: 'stage', label: 'Stage', type: 'SELECT', options: [{ value: 'NEW', label: 'New' }] },
      'now',
    );
    expect(normalizeRecordInput(p, { stage: 'NEW' })).toEqual({ stage: 'NEW' });
    expect(() => normalizeRecordInput(p, { stage: 'OLD' })).toThrow(/Invalid value 'OLD' for select field/);
    expect(normalizeRecordInput(p, { createdAt: '2025-01-02T03:04:05+01:00' })).toEqual({
      createdAt: '2025-01-02T02:04:05.000Z',
    });
    expect(() => normalizeRecordInput(p, { createdAt: 'yesterday' })).toThrow(/Invalid date time value/);
    expect(() => normalizeRecordInput(companies, { idealCustomerProfile: 'yes' })).toThrow(
      /Invalid boolean value 'yes'/,
    );
  });
});

describe('completeComposite and defaultValueOf', () => {
  const emails = people.fieldsByName.get('emails')!;

  it('fills missing sub-fields from the base, then from the defaults', () => {
    expect(completeComposite(emails, { additionalEmails: ['a@b.c'] }, { primaryEmail: 'x@y.z' })).toEqual({
      primaryEmail: 'x@y.z',
      additionalEmails: ['a@b.c'],
    });
    expect(completeComposite(emails, null)).toEqual({ primaryEmail: null, additionalEmails: null });
  });

  it('gives Twenty defaults', () => {
    expect(defaultValueOf(emails)).toEqual({ primaryEmail: '', additionalEmails: null });
    expect(defaultValueOf(people.fieldsByName.get('jobTitle')!)).toBe('');
    expect(defaultValueOf(companies.fieldsByName.get('idealCustomerProfile')!)).toBe(false);
    expect(defaultValueOf(companies.fieldsByName.get('annualRecurringRevenue')!)).toEqual({
      amountMicros: null,
      currencyCode: '',
    });
  });
});
