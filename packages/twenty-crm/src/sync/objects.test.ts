import { describe, expect, it } from 'vitest';
import { companyObject, personObject, TWENTY_SYNC_OBJECTS } from './objects.ts';
import { companyRecordSchema, personRecordSchema } from './records.ts';

describe("Twenty's sync objects", () => {
  it('declares companies before people, so recovery settles parents first', () => {
    expect(Object.keys(TWENTY_SYNC_OBJECTS)).toEqual(['company', 'person']);
  });

  it('a person points at its company, seeded with companyName, else its id', () => {
    const named = personRecordSchema.parse({
      externalId: 'p1',
      name: 'Ada',
      companyExternalId: 'c1',
      companyName: 'Acme',
    });
    expect(personObject.parents!(named)).toEqual([
      {
        type: 'company',
        externalId: 'c1',
        seed: { externalId: 'c1', name: 'Acme' },
        field: 'companyExternalId',
      },
    ]);
    const unnamed = personRecordSchema.parse({ externalId: 'p2', name: 'Ada', companyExternalId: 'c2' });
    expect(personObject.parents!(unnamed)[0]?.seed).toEqual({ externalId: 'c2', name: 'c2' });
    const alone = personRecordSchema.parse({ externalId: 'p3', name: 'Ada' });
    expect(personObject.parents!(alone)).toEqual([]);
  });

  it("a person's input carries its company's Twenty id, and hashes like the record read back", () => {
    const record = personRecordSchema.parse({
      externalId: 'p1',
      name: 'Ada Lovelace',
      email: 'Ada@Example.com',
      companyExternalId: 'c1',
    });
    const input = personObject.toInput(record, (type, id) =>
      type === 'company' && id === 'c1' ? 'twenty-c1' : undefined,
    );
    expect(input).toMatchObject({
      externalId: 'p1',
      companyId: 'twenty-c1',
      emails: { primaryEmail: 'ada@example.com' },
    });
    const readBack = { id: 'r1', ...input };
    expect(personObject.comparable!(readBack)).toEqual(input);
    expect(personObject.externalId(record)).toBe('p1');
  });

  it('a company is sent as is, its website normalised as Twenty stores it', () => {
    const record = companyRecordSchema.parse({
      externalId: 'c1',
      name: 'Acme',
      website: 'HTTPS://Acme.example.com/',
    });
    const input = companyObject.toInput(record, () => undefined);
    expect(input).toEqual({
      externalId: 'c1',
      name: 'Acme',
      domainName: { primaryLinkUrl: 'https://acme.example.com' },
    });
    expect(companyObject.comparable!({ id: 'r1', ...input })).toEqual(input);
  });
});
