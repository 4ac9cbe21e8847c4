import { stableHash } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import {
  companyInput,
  companyRecordSchema,
  comparableFromRemote,
  personInput,
  personRecordSchema,
  remoteCompanySchema,
  remotePersonSchema,
} from './records.ts';

describe('what the sync reads back from Twenty', () => {
  const person = {
    id: 'a1b2',
    externalId: 'u1',
    name: { firstName: 'Ada', lastName: 'Lovelace' },
    emails: { primaryEmail: 'ada@example.com', additionalEmails: [] },
    companyId: null,
    phones: { primaryPhoneNumber: '' },
    createdAt: '2026-01-01T00:00:00.000Z',
    position: 3,
    customScore: 7,
  };

  it('keeps the id, the timestamps and the compared fields of a full record, and nothing else', () => {
    expect(remotePersonSchema.parse(person)).toEqual({
      id: 'a1b2',
      externalId: 'u1',
      createdAt: '2026-01-01T00:00:00.000Z',
      name: { firstName: 'Ada', lastName: 'Lovelace' },
      emails: { primaryEmail: 'ada@example.com' },
      companyId: null,
    });
    expect(
      remoteCompanySchema.parse({ id: 'c9', externalId: 'c1', name: 'Acme', domainName: null, employees: 3 }),
    ).toEqual({ id: 'c9', externalId: 'c1', name: 'Acme', domainName: null });
  });

  it('hashes a read-back record as the full record would', async () => {
    const narrow = remotePersonSchema.parse(person);
    expect(await stableHash(comparableFromRemote('person', narrow))).toBe(
      await stableHash(comparableFromRemote('person', person)),
    );
  });

  it.each([
    [{ ...person, id: undefined }, 'id'],
    [{ ...person, name: 'Ada Lovelace' }, 'name'],
    [{ ...person, emails: { primaryEmail: 42 } }, 'emails'],
  ])('rejects a record whose read fields are malformed (%#: %s)', (record, field) => {
    const result = remotePersonSchema.safeParse(record);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path[0]).toBe(field);
  });
});

describe('sync record schemas', () => {
  it('accept the seed shapes and trim', () => {
    expect(
      personRecordSchema.parse({ externalId: ' u1 ', name: ' Ada Lovelace ', email: 'ada@example.com' }),
    ).toMatchObject({
      externalId: 'u1',
      name: 'Ada Lovelace',
    });
    expect(
      companyRecordSchema.safeParse({ externalId: 'c1', name: 'Acme', website: 'https://acme.test' }).success,
    ).toBe(true);
  });

  it.each([
    [{ externalId: '', name: 'x' }, 'externalId'],
    [{ externalId: 'u1', name: '  ' }, 'name'],
    [{ externalId: 'u1', name: 'x', email: 'nope' }, 'email'],
  ])('rejects %o naming %s', (input, field) => {
    const result = personRecordSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([field]);
  });

  it('rejects a website that is not http(s)', () => {
    expect(companyRecordSchema.safeParse({ externalId: 'c', name: 'x', website: 'ftp://x' }).success).toBe(
      false,
    );
  });
});

describe('mapping to Twenty inputs', () => {
  it('splits the name at the first space and lowercases the email', () => {
    const input = personInput(
      personRecordSchema.parse({ externalId: 'u1', name: 'Jean Paul Sartre', email: 'JP@Example.COM' }),
      'c-1',
    );
    expect(input).toEqual({
      externalId: 'u1',
      name: { firstName: 'Jean', lastName: 'Paul Sartre' },
      emails: { primaryEmail: 'jp@example.com' },
      companyId: 'c-1',
    });
  });

  it('normalizes the website like Twenty does', () => {
    const input = companyInput(
      companyRecordSchema.parse({ externalId: 'c1', name: 'Acme', website: 'HTTPS://Acme.test/' }),
    );
    expect(input.domainName).toEqual({ primaryLinkUrl: 'https://acme.test' });
  });

  it('a record read back from Twenty hashes like the input that wrote it', async () => {
    const person = personInput(
      personRecordSchema.parse({ externalId: 'u1', name: 'Ada Lovelace', email: 'ada@example.com' }),
      null,
    );
    const remote = {
      id: 'p1',
      externalId: 'u1',
      name: { firstName: 'Ada', lastName: 'Lovelace' },
      emails: { primaryEmail: 'ada@example.com', additionalEmails: [] },
      companyId: null,
      city: '',
    };
    expect(await stableHash(comparableFromRemote('person', remote))).toBe(await stableHash(person));
    const company = companyInput(
      companyRecordSchema.parse({ externalId: 'c1', name: 'Acme', website: 'https://acme.test' }),
    );
    const remoteCompany = {
      id: 'x',
      externalId: 'c1',
      name: 'Acme',
      domainName: { primaryLinkUrl: 'https://acme.test', primaryLinkLabel: '' },
    };
    expect(await stableHash(comparableFromRemote('company', remoteCompany))).toBe(await stableHash(company));
  });
});
