import { describe, expect, it } from 'vitest';
import { MAX_RECORDS_FROM_RELATION, presentRecord } from './present.ts';
import { createTwentyStore } from './store.ts';

function fixture() {
  const store = createTwentyStore();
  const [acme] = store.seed('companies', [{ name: 'Acme' }]);
  const [ada] = store.seed('people', [{ city: 'Paris', companyId: acme!.id }]);
  const people = store.schema.byPlural('people')!;
  const companies = store.schema.byPlural('companies')!;
  return { store, acme: acme!, ada: ada!, people, companies };
}

describe('presentRecord', () => {
  it('answers join columns at depth 0', () => {
    const { store, ada, people } = fixture();
    const out = presentRecord(store, people, store.peek('people', ada.id)!, { depth: 0 });
    expect(out.companyId).toBe(ada.companyId);
    expect(out).not.toHaveProperty('company');
    expect(Object.keys(out)[0]).toBe('id');
  });

  it('expands many-to-one and one-to-many relations at depth 1, one level only', () => {
    const { store, ada, acme, people, companies } = fixture();
    const person = presentRecord(store, people, store.peek('people', ada.id)!, { depth: 1 });
    expect(person.company).toMatchObject({ id: acme.id, name: 'Acme' });
    expect(person.company).not.toHaveProperty('people');
    const company = presentRecord(store, companies, store.peek('companies', acme.id)!, { depth: 1 });
    expect(company.people).toEqual([expect.objectContaining({ id: ada.id, companyId: acme.id })]);
    expect(company.accountOwner).toBeNull();
  });

  it('leaves out soft-deleted related records and caps to-many lists', () => {
    const { store, acme, ada, companies } = fixture();
    store.softDelete('people', ada.id);
    store.seed(
      'people',
      Array.from({ length: MAX_RECORDS_FROM_RELATION + 5 }, () => ({ companyId: acme.id })),
    );
    const company = presentRecord(store, companies, store.peek('companies', acme.id)!, { depth: 1 });
    expect(company.people).toHaveLength(MAX_RECORDS_FROM_RELATION);
  });

  it('returns id and the requested fields only', () => {
    const { store, ada, people } = fixture();
    expect(
      presentRecord(store, people, store.peek('people', ada.id)!, { depth: 0, fields: ['city', 'company'] }),
    ).toEqual({
      id: ada.id,
      city: 'Paris',
      companyId: ada.companyId,
    });
  });
});
