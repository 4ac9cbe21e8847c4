import { describe, expect, it } from 'vitest';
import { emulatorWithCaller } from '../../test-support/hubspot-caller.ts';

const search = '/crm/objects/2026-03/contacts/search';

function seeded() {
  const setup = emulatorWithCaller();
  setup.hubspot.seedRecords('contacts', [
    { email: 'ada@one.example', firstname: 'Ada', lastname: 'Lovelace', city: 'London' },
    { email: 'grace@two.example', firstname: 'Grace', lastname: 'Hopper', city: 'New York' },
    { email: 'alan@one.example', firstname: 'Alan', lastname: 'Turing' },
  ]);
  return setup;
}

describe('search', () => {
  it('filters with AND inside a group and OR across groups, answering total and results', async () => {
    const { call } = seeded();
    const answer = await call('POST', search, {
      filterGroups: [
        {
          filters: [
            { propertyName: 'email', operator: 'CONTAINS_TOKEN', value: '*@one.example' },
            { propertyName: 'city', operator: 'HAS_PROPERTY' },
          ],
        },
        { filters: [{ propertyName: 'firstname', operator: 'EQ', value: 'grace' }] },
      ],
      properties: ['email'],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.total).toBe(2);
    expect(answer.body.results.map((r: { properties: { email: string } }) => r.properties.email)).toEqual([
      'ada@one.example',
      'grace@two.example',
    ]);
    expect(answer.body.paging).toBeUndefined();
  });

  it('sorts, queries, and pages with after', async () => {
    const { call } = seeded();
    const sorted = await call('POST', search, {
      sorts: [{ propertyName: 'firstname', direction: 'DESCENDING' }],
      limit: 2,
    });
    expect(
      sorted.body.results.map((r: { properties: { firstname: string } }) => r.properties.firstname),
    ).toEqual(['Grace', 'Alan']);
    expect(sorted.body.paging).toEqual({ next: { after: '2' } });
    const next = await call('POST', search, { sorts: ['-firstname'], limit: 2, after: '2' });
    expect(
      next.body.results.map((r: { properties: { firstname: string } }) => r.properties.firstname),
    ).toEqual(['Ada']);
    const query = await call('POST', search, { query: 'hopp' });
    expect(query.body.total).toBe(1);
  });

  it('refuses more than 5 groups, 6 filters in a group, 18 in all, a long query and a limit over 200', async () => {
    const { call } = seeded();
    const filter = { propertyName: 'email', operator: 'HAS_PROPERTY' };
    const groups = (n: number, size: number) =>
      Array.from({ length: n }, () => ({ filters: Array(size).fill(filter) }));
    expect((await call('POST', search, { filterGroups: groups(5, 3) })).status).toBe(200);
    expect((await call('POST', search, { filterGroups: groups(6, 1) })).status).toBe(400);
    expect((await call('POST', search, { filterGroups: groups(1, 7) })).status).toBe(400);
    expect((await call('POST', search, { filterGroups: groups(4, 5) })).status).toBe(400);
    expect((await call('POST', search, { query: 'x'.repeat(3001) })).status).toBe(400);
    expect((await call('POST', search, { limit: 201 })).status).toBe(400);
    const bad = await call('POST', search, {
      filterGroups: [{ filters: [{ propertyName: 'email', operator: 'LIKE', value: 'x' }] }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.category).toBe('VALIDATION_ERROR');
  });

  it('pages up to 10 000 results and answers 400 past them; keyset paging on hs_object_id gets the rest', async () => {
    const { call, hubspot } = emulatorWithCaller();
    hubspot.seedRecords(
      'companies',
      Array.from({ length: 10_050 }, (_, i) => ({ name: `C${i}` })),
    );
    const url = '/crm/v3/objects/companies/search';
    const last = await call('POST', url, { limit: 200, after: '9800' });
    expect(last.status).toBe(200);
    expect(last.body.total).toBe(10_050);
    expect(last.body.paging.next.after).toBe('10000');
    const past = await call('POST', url, { limit: 200, after: '10000' });
    expect(past.status).toBe(400);
    expect(past.body.category).toBe('VALIDATION_ERROR');
    const lastId = last.body.results.at(-1).id;
    const keyset = await call('POST', url, {
      filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'GT', value: lastId }] }],
      sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
      limit: 200,
    });
    expect(keyset.body.total).toBe(50);
  });

  it('has its own 5-per-second limit answered "You have reached your secondly limit."', async () => {
    let now = 1_000_000;
    const { call } = emulatorWithCaller({ searchPerSecond: 5, now: () => now });
    for (let i = 0; i < 5; i++) expect((await call('POST', search, {})).status).toBe(200);
    const denied = await call('POST', search, {});
    expect(denied.status).toBe(429);
    expect(denied.body).toMatchObject({
      status: 'error',
      message: 'You have reached your secondly limit.',
      errorType: 'RATE_LIMIT',
      policyName: 'SECONDLY',
    });
    expect(denied.headers.get('x-hubspot-ratelimit-max')).toBeNull();
    now += 1000;
    expect((await call('POST', search, {})).status).toBe(200);
  });
});

describe('search with hostile names', () => {
  it('sorts and filters on inherited names without failing', async () => {
    const { call } = seeded();
    const answer = await call('POST', search, {
      sorts: [{ propertyName: '__proto__', direction: 'ASCENDING' }],
      filterGroups: [{ filters: [{ propertyName: 'constructor', operator: 'NOT_HAS_PROPERTY' }] }],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.total).toBe(3);
  });
});

describe('search lag', () => {
  it('leaves a new record out of results until searchLagMs has passed', async () => {
    let now = 1_000;
    const { call } = emulatorWithCaller({ searchLagMs: 3000, now: () => now });
    expect(
      (await call('POST', '/crm/v3/objects/contacts', { properties: { email: 'late@x.example' } })).status,
    ).toBe(201);
    expect((await call('POST', search, {})).body.total).toBe(0);
    now += 3000;
    expect((await call('POST', search, {})).body.total).toBe(1);
  });
});
