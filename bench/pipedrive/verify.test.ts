import { expect, it } from 'vitest';
import { benchPersons } from './records.ts';
import { landedText, verifyLanded } from './verify.ts';

const persons = benchPersons(4, 2);

it('finds nothing wrong when every record and link landed', () => {
  const landed = verifyLanded(
    {
      persons: { records: 4, distinctKeys: 4 },
      organizations: { records: 2, distinctKeys: 2 },
      personOrganization: Object.fromEntries(persons.map((p) => [p.externalId, p.organizationExternalId])),
    },
    2,
    persons,
  );
  expect(landed).toEqual({
    personsLost: 0,
    personsDuplicated: 0,
    organizationsLost: 0,
    organizationsDuplicated: 0,
    linksMissing: 0,
    linksWrong: 0,
  });
  expect(landedText(landed)).toBe('0 / 0 / 0');
});

it('counts lost and duplicated records, missing and wrong links', () => {
  const [a, b] = persons as [(typeof persons)[0], (typeof persons)[0]];
  const landed = verifyLanded(
    {
      persons: { records: 4, distinctKeys: 3 },
      organizations: { records: 3, distinctKeys: 1 },
      personOrganization: { [a.externalId]: null, [b.externalId]: 'org-0' }, // b works at org-1
    },
    2,
    persons,
  );
  expect(landed).toEqual({
    personsLost: 1,
    personsDuplicated: 1,
    organizationsLost: 1,
    organizationsDuplicated: 2,
    linksMissing: 1,
    linksWrong: 1,
  });
  expect(landedText(landed)).toBe('2 / 3 / 2');
});
