import { describe, expect, it } from 'vitest';
import {
  hostileValues,
  isPlainObject,
  throwingProxy,
  thrownBy,
  withThrowingGetter,
} from '../../test-support/hostile-values.ts';
import { createTwentyStore, uniqueKey } from './store.ts';

const actor = { source: 'API', workspaceMemberId: null, name: 'Test', context: {} };
const T0 = Date.parse('2025-03-01T12:00:00Z');

function fixture() {
  let clock = T0;
  let n = 0;
  const store = createTwentyStore({
    now: () => clock,
    newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  });
  return { store, tick: (ms: number) => (clock += ms) };
}

describe('createTwentyStore', () => {
  it('creates records with Twenty defaults, timestamps, actor and position', () => {
    const { store } = fixture();
    const [person] = store.seed('people', [{ city: 'Paris' }]);
    expect(person).toEqual({
      id: '00000000-0000-4000-8000-000000000001',
      name: { firstName: '', lastName: '' },
      emails: { primaryEmail: '', additionalEmails: null },
      linkedinLink: { primaryLinkUrl: '', primaryLinkLabel: '', secondaryLinks: null },
      xLink: { primaryLinkUrl: '', primaryLinkLabel: '', secondaryLinks: null },
      jobTitle: '',
      phones: {
        primaryPhoneNumber: '',
        primaryPhoneCountryCode: '',
        primaryPhoneCallingCode: '',
        additionalPhones: null,
      },
      city: 'Paris',
      avatarUrl: '',
      companyId: null,
      position: 0,
      createdBy: { source: 'API', workspaceMemberId: null, name: 'Seed', context: {} },
      updatedBy: { source: 'API', workspaceMemberId: null, name: 'Seed', context: {} },
      createdAt: '2025-03-01T12:00:00.000Z',
      updatedAt: '2025-03-01T12:00:00.000Z',
      deletedAt: null,
    });
  });

  it('puts records without a position first', () => {
    const { store } = fixture();
    const positions = store.seed('people', [{}, {}, { position: 10 }, {}]).map((p) => p.position);
    expect(positions).toEqual([0, -1, 10, -2]);
  });

  it('hands out copies', () => {
    const { store } = fixture();
    const [person] = store.seed('people', [{ city: 'Paris' }]);
    person!.city = 'changed';
    store.get('people', person!.id)!.city = 'changed too';
    expect(store.get('people', person!.id)?.city).toBe('Paris');
  });

  it('refuses a duplicate id, even of a soft-deleted record', () => {
    const { store } = fixture();
    const [person] = store.seed('people', [{}]);
    store.softDelete('people', person!.id);
    expect(() => store.seed('people', [{ id: person!.id }])).toThrow('A duplicate entry was detected');
  });

  it('enforces unique values among live records only, ignoring empty ones', () => {
    const { store } = fixture();
    const [ada] = store.seed('people', [{ emails: { primaryEmail: 'ada@x.io' } }]);
    expect(() => store.seed('people', [{ emails: { primaryEmail: 'ADA@x.io' } }])).toThrow(
      'A duplicate entry was detected',
    );
    store.seed('people', [{}, {}, { emails: { primaryEmail: '' } }]);
    store.softDelete('people', ada!.id);
    expect(store.seed('people', [{ emails: { primaryEmail: 'ada@x.io' } }])).toHaveLength(1);
  });

  it('writes a batch atomically', () => {
    const { store } = fixture();
    expect(() =>
      store.seed('people', [
        { emails: { primaryEmail: 'a@x.io' } },
        { emails: { primaryEmail: 'b@x.io' } },
        { emails: { primaryEmail: 'a@x.io' } },
      ]),
    ).toThrow('A duplicate entry was detected');
    expect(store.count('people')).toBe(0);
  });

  it('checks foreign keys', () => {
    const { store } = fixture();
    expect(() => store.seed('people', [{ companyId: '00000000-0000-4000-8000-00000000ffff' }])).toThrow(
      /violates foreign key constraint/,
    );
    const [company] = store.seed('companies', [{ name: 'Acme' }]);
    expect(store.seed('people', [{ companyId: company!.id }])[0]?.companyId).toBe(company!.id);
  });

  it('updates composites partially, bumps updatedAt and rechecks uniqueness', () => {
    const { store, tick } = fixture();
    const [a, b] = store.seed('people', [
      { name: { firstName: 'Ada', lastName: 'L' }, emails: { primaryEmail: 'a@x.io' } },
      { emails: { primaryEmail: 'b@x.io' } },
    ]);
    tick(1_000);
    const updated = store.update('people', a!.id, { name: { lastName: 'Lovelace' } }, actor);
    expect(updated.name).toEqual({ firstName: 'Ada', lastName: 'Lovelace' });
    expect(updated.updatedAt).toBe('2025-03-01T12:00:01.000Z');
    expect(updated.updatedBy).toEqual(actor);
    expect(() => store.update('people', b!.id, { emails: { primaryEmail: 'a@x.io' } }, actor)).toThrow(
      'A duplicate entry was detected',
    );
    // The failed update left the index alone: b still holds its e-mail.
    expect(() => store.seed('people', [{ emails: { primaryEmail: 'b@x.io' } }])).toThrow(/duplicate/);
  });

  it('answers 404 for updating or deleting a missing or soft-deleted record', () => {
    const { store } = fixture();
    const [person] = store.seed('people', [{}]);
    store.softDelete('people', person!.id);
    expect(() => store.update('people', person!.id, {}, actor)).toThrow('Record not found');
    expect(() => store.softDelete('people', person!.id)).toThrow('Record not found');
    expect(
      store.update('people', person!.id, { city: 'Back' }, actor, { allowDeleted: true }).deletedAt,
    ).toBeNull();
  });

  it('counts, lists and finds duplicates for tests', () => {
    const { store } = fixture();
    const [a, , c] = store.seed('people', [
      { name: { firstName: 'Ann', lastName: 'X' } },
      { name: { firstName: 'Ann', lastName: 'Y' } },
      { name: { firstName: 'Bob', lastName: 'X' } },
    ]);
    store.softDelete('people', c!.id);
    expect(store.count('people')).toBe(2);
    expect(store.count('people', { withDeleted: true })).toBe(3);
    expect(store.list('people').map((p) => p.id)).toEqual([a!.id, expect.any(String)]);
    expect(store.duplicates('people', 'name.firstName')).toEqual([
      { value: 'Ann', ids: [a!.id, expect.any(String)] },
    ]);
    expect(store.duplicates('people', 'name.lastName')).toEqual([]);
    store.clear();
    expect(store.count('people', { withDeleted: true })).toBe(0);
  });

  it('looks up unique values and join columns through indexes', () => {
    const { store } = fixture();
    const [company] = store.seed('companies', [{ domainName: { primaryLinkUrl: 'https://acme.io' } }]);
    const [person] = store.seed('people', [{ emails: { primaryEmail: 'a@x.io' }, companyId: company!.id }]);
    const schema = store.schema;
    const emails = schema.byPlural('people')!.uniqueGroups[1]!;
    expect([...(store.lookupUnique('people', emails, ['a@x.io']) ?? [])]).toEqual([person!.id]);
    expect(store.lookupUnique('people', emails, [''])).toBeUndefined();
    expect([...(store.lookupJoin('people', 'companyId', company!.id) ?? [])]).toEqual([person!.id]);
    expect(store.sortedIds('people')).toEqual([person!.id]);
  });

  it('adds a unique custom field, backfills it and enforces it', () => {
    const { store } = fixture();
    const [old] = store.seed('people', [{}]);
    const people = store.schema.byPlural('people')!;
    store.addField(people.id, { name: 'externalId', label: 'External', type: 'TEXT', isUnique: true });
    expect(store.get('people', old!.id)?.externalId).toBeNull();
    store.seed('people', [{ externalId: 'e1' }]);
    expect(() => store.seed('people', [{ externalId: 'e1' }])).toThrow(/duplicate/);
    const field = people.fieldsByName.get('externalId')!;
    expect(store.removeField(field.id)?.name).toBe('externalId');
    expect(store.get('people', old!.id)).not.toHaveProperty('externalId');
    expect(store.seed('people', [{ city: 'after' }])).toHaveLength(1);
  });

  it('stays fast at 100k records (indexed lookups, batch inserts)', { timeout: 30_000 }, () => {
    const store = createTwentyStore();
    const started = performance.now();
    for (let batch = 0; batch < 100_000 / 1_000; batch++) {
      store.seed(
        'people',
        Array.from({ length: 1_000 }, (_, i) => ({ emails: { primaryEmail: `p${batch * 1_000 + i}@x.io` } })),
      );
    }
    const seeded = performance.now() - started;
    const emails = store.schema.byPlural('people')!.uniqueGroups[1]!;
    const lookupsStarted = performance.now();
    for (let i = 0; i < 10_000; i++) store.lookupUnique('people', emails, [`p${i * 7}@x.io`]);
    const lookups = performance.now() - lookupsStarted;
    expect(store.count('people')).toBe(100_000);
    expect(seeded).toBeLessThan(8_000);
    expect(lookups).toBeLessThan(200);
  });
});

describe('uniqueKey', () => {
  it('skips null and empty values', () => {
    expect(uniqueKey(['a'])).toBe('a');
    expect(uniqueKey([null])).toBeUndefined();
    expect(uniqueKey([''])).toBeUndefined();
    expect(uniqueKey(['', 'x'])).toBe('["","x"]');
    expect(uniqueKey([1])).toBe('[1]');
  });
});

describe('the inspection API with hostile input: only EmulatorConfigErrors naming the argument', () => {
  const expectField = (run: () => unknown, field: RegExp) => {
    const thrown = thrownBy(run);
    expect(thrown).toMatchObject({ name: 'EmulatorConfigError', code: 'CONFIG_ERROR' });
    expect((thrown as { field: string }).field).toMatch(field);
  };

  it.each(hostileValues())('an object name that is %s', (_, value) => {
    const store = createTwentyStore();
    expectField(() => store.list(value as 'people'), /^object$/);
    expectField(() => store.count(value as 'people'), /^object$/);
    expectField(() => store.get(value as 'people', 'x'), /^object$/);
    expectField(() => store.duplicates(value as 'people', 'city'), /^object$/);
    expectField(() => store.seed(value as 'people', []), /^object$/);
  });

  it.each(hostileValues().filter(([, value]) => typeof value !== 'string'))(
    'an id or field path that is %s',
    (_, value) => {
      const store = createTwentyStore();
      expectField(() => store.get('people', value as string), /^id$/);
      expectField(() => store.duplicates('people', value as string), /^fieldPath$/);
    },
  );

  it.each(hostileValues().filter(([, value]) => value !== undefined && !isPlainObject(value)))(
    'list and count options that are %s',
    (_, value) => {
      const store = createTwentyStore();
      expectField(() => store.list('people', value as never), /^options$/);
      expectField(() => store.count('people', value as never), /^options$/);
    },
  );

  it.each([
    ...hostileValues()
      .filter(([, value]) => {
        try {
          return !Array.isArray(value);
        } catch {
          return true;
        }
      })
      .map(([label, value]) => [`inputs ${label}`, value, /^inputs$/] as const),
    ['an input that is null', [null], /^inputs\.0$/] as const,
    ['an input that is an array', [{}, []], /^inputs\.1$/] as const,
    ['an input with a BigInt', [{ city: 10n }], /^inputs$/] as const,
    [
      'an input with a cycle',
      [hostileValues().find(([label]) => label === 'a cyclic object')?.[1]],
      /^inputs$/,
    ] as const,
    ['an input whose getter throws', [withThrowingGetter({}, 'city')], /^inputs$/] as const,
    ['inputs that are a Proxy', throwingProxy([]), /^inputs$/] as const,
  ])('seed with %s, writing nothing', (_, inputs, field) => {
    const store = createTwentyStore();
    expectField(() => store.seed('people', inputs as never), field);
    expect(store.count('people')).toBe(0);
  });

  it.each([
    ...hostileValues()
      .filter(([, value]) => value !== undefined && !isPlainObject(value))
      .map(([label, value]) => [`options ${label}`, value, /^options$/] as const),
    ['a now that is a number', { now: 5 }, /^now$/] as const,
    ['a newId that is a string', { newId: 'id' }, /^newId$/] as const,
  ])('createTwentyStore with %s', (_, options, field) => {
    expectField(() => createTwentyStore(options as never), field);
  });

  it.each([
    ['NaN', () => Number.NaN],
    ['a string', () => 'now'],
  ])('a clock answering %s fails a write by name, not with an Invalid Date', (_, now) => {
    const store = createTwentyStore({ now: now as () => number });
    expectField(() => store.seed('people', [{}]), /^now$/);
    expect(store.count('people')).toBe(0);
  });
});
