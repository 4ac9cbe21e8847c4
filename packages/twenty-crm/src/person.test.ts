import { describe, expect, it } from 'vitest';
import { personInputSchema, personSchema } from './person.ts';

describe('person schemas', () => {
  it('parses a record as Twenty returns it, custom fields kept', () => {
    const record = {
      id: 'p1',
      name: { firstName: 'Ada', lastName: 'Lovelace' },
      emails: { primaryEmail: 'ada@example.com', additionalEmails: [] },
      companyId: null,
      jobTitle: '',
      city: null,
      externalId: 'user_1',
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    expect(personSchema.parse(record)).toEqual(record);
  });

  it('rejects a record without an id, and an input with a bad email, naming the field', () => {
    expect(personSchema.safeParse({ name: null }).success).toBe(false);
    const bad = personInputSchema.safeParse({ emails: { primaryEmail: 'not-an-email' } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['emails', 'primaryEmail']);
  });
});
