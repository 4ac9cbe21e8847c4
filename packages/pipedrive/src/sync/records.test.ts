import { describe, expect, it } from 'vitest';
import { comparableContacts, contactsOf, organizationRecordSchema, personRecordSchema } from './records.ts';

const issuesOf = (result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) => (result.error?.issues ?? []).map((issue) => `${issue.path.join('.')}: ${issue.message}`);

describe('organizationRecordSchema', () => {
  it('takes an external id and a name, trimmed', () => {
    expect(organizationRecordSchema.parse({ externalId: ' org-1 ', name: '  Acme  ' })).toEqual({
      externalId: 'org-1',
      name: 'Acme',
    });
  });

  it('requires both, and refuses blank or too long ones', () => {
    expect(issuesOf(organizationRecordSchema.safeParse({ externalId: '   ', name: 'Acme' }))).toEqual([
      'externalId: is required',
    ]);
    expect(issuesOf(organizationRecordSchema.safeParse({ externalId: 'org-1', name: ' ' }))).toEqual([
      'name: is required',
    ]);
    expect(organizationRecordSchema.safeParse({ externalId: 'org-1' }).success).toBe(false);
    expect(organizationRecordSchema.safeParse({ name: 'Acme' }).success).toBe(false);
    expect(organizationRecordSchema.safeParse({ externalId: 7, name: 'Acme' }).success).toBe(false);
    expect(organizationRecordSchema.safeParse({ externalId: 'x'.repeat(256), name: 'Acme' }).success).toBe(
      false,
    );
    expect(organizationRecordSchema.safeParse({ externalId: 'x'.repeat(255), name: 'Acme' }).success).toBe(
      true,
    );
    expect(organizationRecordSchema.safeParse({ externalId: 'org-1', name: 'x'.repeat(501) }).success).toBe(
      false,
    );
    // Trimmed before the length is checked.
    expect(
      organizationRecordSchema.safeParse({ externalId: 'org-1', name: ` ${'x'.repeat(500)} ` }).success,
    ).toBe(true);
  });
});

describe('personRecordSchema', () => {
  it('takes a person with only an external id and a name; the rest stays absent', () => {
    expect(personRecordSchema.parse({ externalId: 'p-1', name: 'Ada' })).toEqual({
      externalId: 'p-1',
      name: 'Ada',
    });
  });

  it('trims text and keeps null (a value to clear) apart from missing', () => {
    expect(
      personRecordSchema.parse({
        externalId: ' p-1 ',
        name: ' Ada Lovelace ',
        email: null,
        phone: ' +44 20 7946 0000 ',
        organizationExternalId: ' org-1 ',
        organizationName: null,
      }),
    ).toEqual({
      externalId: 'p-1',
      name: 'Ada Lovelace',
      email: null,
      phone: '+44 20 7946 0000',
      organizationExternalId: 'org-1',
      organizationName: null,
    });
  });

  it('checks the email, naming the field', () => {
    expect(
      personRecordSchema.safeParse({ externalId: 'p-1', name: 'Ada', email: 'ada@example.com' }).success,
    ).toBe(true);
    // Trimmed like the other text fields; the case is kept (Pipedrive keeps it).
    expect(
      personRecordSchema.parse({ externalId: 'p-1', name: 'Ada', email: ' Ada@Example.com ' }).email,
    ).toBe('Ada@Example.com');
    for (const email of ['not an email', 'ada@', '', '   ', 'ada @example.com', 42]) {
      const result = personRecordSchema.safeParse({ externalId: 'p-1', name: 'Ada', email });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['email']);
    }
    expect(issuesOf(personRecordSchema.safeParse({ externalId: 'p-1', name: 'Ada', email: 'nope' }))).toEqual(
      ['email: must be an email address'],
    );
  });

  it('requires the external id and the name of a person too', () => {
    expect(issuesOf(personRecordSchema.safeParse({ externalId: '', name: '' }))).toEqual([
      'externalId: is required',
      'name: is required',
    ]);
    expect(personRecordSchema.safeParse(null).success).toBe(false);
    expect(personRecordSchema.safeParse({ externalId: 'p-1', name: 'Ada', phone: 7 }).success).toBe(false);
  });
});

describe('contactsOf', () => {
  it('is one primary work value, or none for missing, null or empty', () => {
    expect(contactsOf('ada@example.com')).toEqual([
      { value: 'ada@example.com', primary: true, label: 'work' },
    ]);
    expect(contactsOf(undefined)).toEqual([]);
    expect(contactsOf(null)).toEqual([]);
    expect(contactsOf('')).toEqual([]);
  });
});

describe('comparableContacts', () => {
  it('reads what contactsOf sends back as equal', () => {
    expect(comparableContacts(contactsOf('ada@example.com'))).toEqual(contactsOf('ada@example.com'));
  });

  it('puts the primary first and keeps the others in Pipedrive’s order', () => {
    expect(
      comparableContacts([
        { value: 'b@example.com', primary: false, label: 'home' },
        { value: 'c@example.com', primary: false, label: 'other' },
        { value: 'a@example.com', primary: true, label: 'work' },
        { value: 'd@example.com', primary: false, label: 'home' },
      ]).map((contact) => contact.value),
    ).toEqual(['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com']);
  });

  it('fills a missing label and primary the way the sync would write them', () => {
    expect(comparableContacts([{ value: 'a@example.com', primary: null, label: null }])).toEqual([
      { value: 'a@example.com', primary: false, label: 'work' },
    ]);
    // Only `true` is primary: a truthy string is not.
    expect(comparableContacts([{ value: 'a@example.com', primary: 'yes' }])[0]?.primary).toBe(false);
  });

  it('drops empty values (Pipedrive answers a person without email with one empty entry) and junk', () => {
    expect(
      comparableContacts([
        { value: '', primary: true, label: 'work' },
        null,
        7,
        { value: 42 },
        { primary: true },
        { value: 'a@example.com', primary: true, label: 'work' },
      ]),
    ).toEqual([{ value: 'a@example.com', primary: true, label: 'work' }]);
  });

  it('reads anything but an array as no contacts', () => {
    for (const list of [undefined, null, 'a@example.com', { value: 'a@example.com' }]) {
      expect(comparableContacts(list)).toEqual([]);
    }
  });
});
