import { stableHash } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import {
  companyInput,
  companyRecordSchema,
  comparableFromRemote,
  personInput,
  personRecordSchema,
} from './sync-records.ts';

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
