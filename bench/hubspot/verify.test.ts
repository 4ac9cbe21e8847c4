import { expect, it } from 'vitest';
import { benchContacts } from './records.ts';
import { verifyLanded } from './verify.ts';

const contacts = benchContacts(4, 2);

it('finds nothing wrong when every record and association landed', () => {
  expect(
    verifyLanded(
      {
        contacts: { records: 4, distinctKeys: 4 },
        companies: { records: 2, distinctKeys: 2 },
        contactCompanies: Object.fromEntries(contacts.map((c) => [c.email, [c.companyExternalId]])),
      },
      2,
      contacts,
    ),
  ).toEqual({
    contactsLost: 0,
    contactsDuplicated: 0,
    companiesLost: 0,
    companiesDuplicated: 0,
    associationsMissing: 0,
    associationsWrong: 0,
  });
});

it('counts lost and duplicated records, missing and wrong associations', () => {
  const [a, b, c] = contacts as [(typeof contacts)[0], (typeof contacts)[0], (typeof contacts)[0]];
  expect(
    verifyLanded(
      {
        contacts: { records: 4, distinctKeys: 3 },
        companies: { records: 1, distinctKeys: 1 },
        contactCompanies: {
          [a.email]: [],
          [b.email]: ['company-0'], // b works at company-1
          [c.email]: [c.companyExternalId, 'company-1'],
        },
      },
      2,
      contacts,
    ),
  ).toEqual({
    contactsLost: 1,
    contactsDuplicated: 1,
    companiesLost: 1,
    companiesDuplicated: 0,
    associationsMissing: 1,
    associationsWrong: 2,
  });
});
