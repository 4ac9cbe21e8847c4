import { describe, expect, it } from 'vitest';
import { DEFAULT_ORDER } from './cursor.ts';
import { createTwentyEmulator, type TwentyEmulatorOptions } from './emulator.ts';
import { compileFilter, parseFilterQuery } from './filter.ts';
import { selectRecords } from './records.ts';

function setup(options: TwentyEmulatorOptions = {}) {
  const twenty = createTwentyEmulator({ rateLimit: false, ...options });
  async function call(method: string, path: string, body?: unknown) {
    const reply = await twenty.handler(
      new Request(`${twenty.baseUrl}${path}`, {
        method,
        headers: { Authorization: `Bearer ${twenty.apiKey}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
    if ('kind' in reply) throw new Error(`transport reply ${reply.kind}`);
    // biome-ignore lint/suspicious/noExplicitAny: wire bodies are inspected freely in assertions
    return { status: reply.status, body: (await reply.json()) as any };
  }
  return { twenty, call, store: twenty.store };
}

describe('find many', () => {
  it('hides soft-deleted records unless the filter mentions deletedAt', async () => {
    const { call, store } = setup();
    const [a, b] = store.seed('people', [{ city: 'A' }, { city: 'B' }]);
    await call('DELETE', `/rest/people/${b!.id}`);
    expect((await call('GET', '/rest/people')).body.totalCount).toBe(1);
    const deleted = await call('GET', '/rest/people?filter=deletedAt[is]:NOT_NULL');
    expect(deleted.body.data.people.map((p: { id: string }) => p.id)).toEqual([b!.id]);
    const all = await call('GET', `/rest/people?filter=or(deletedAt[is]:NULL,deletedAt[is]:NOT_NULL)`);
    expect(all.body.totalCount).toBe(2);
    expect(a).toBeDefined();
  });

  it('refuses starting_after together with ending_before', async () => {
    const { call } = setup();
    const cursor = btoa('{"id":"00000000-0000-4000-8000-000000000001"}');
    const answer = await call('GET', `/rest/people?starting_after=${cursor}&ending_before=${cursor}`);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      messages: ['Cannot provide both before and after'],
      code: 'ARGS_CONFLICT',
    });
  });

  it('pages a custom order with cursors that carry its values', async () => {
    const { call, store } = setup();
    store.seed(
      'people',
      [3, 1, 2, 5, 4].map((n) => ({ city: 'x', position: n, jobTitle: `J${n}` })),
    );
    const first = await call('GET', '/rest/people?order_by=position[DescNullsLast]&limit=2');
    expect(first.body.data.people.map((p: { position: number }) => p.position)).toEqual([5, 4]);
    expect(JSON.parse(atob(first.body.pageInfo.endCursor))).toMatchObject({ position: 4 });
    const second = await call(
      'GET',
      `/rest/people?order_by=position[DescNullsLast]&limit=2&starting_after=${first.body.pageInfo.endCursor}`,
    );
    expect(second.body.data.people.map((p: { position: number }) => p.position)).toEqual([3, 2]);
  });

  it('uses the default limit and clamps to the maximum', async () => {
    const { call, store } = setup({ defaultLimit: 3, maxLimit: 4 });
    store.seed(
      'people',
      Array.from({ length: 6 }, () => ({})),
    );
    expect((await call('GET', '/rest/people')).body.data.people).toHaveLength(3);
    expect((await call('GET', '/rest/people?limit=100')).body.data.people).toHaveLength(4);
  });

  it('filters through an index on unique fields, ids and join columns', async () => {
    const { store } = setup();
    const [acme] = store.seed('companies', [{ name: 'Acme' }]);
    store.seed('people', [
      { emails: { primaryEmail: 'a@x.io' }, companyId: acme!.id },
      { emails: { primaryEmail: 'b@x.io' } },
    ]);
    const people = store.schema.byPlural('people')!;
    const compile = (query: string) =>
      compileFilter(people, parseFilterQuery(query), { objectByPlural: (n) => store.schema.byPlural(n) });
    const select = (query: string) =>
      selectRecords(store, people, compile(query), DEFAULT_ORDER).map(
        (p) => (p.emails as { primaryEmail: string }).primaryEmail,
      );
    expect(select('emails.primaryEmail[in]:[a@x.io,b@x.io,c@x.io]').sort()).toEqual(['a@x.io', 'b@x.io']);
    expect(select(`companyId[eq]:${acme!.id}`)).toEqual(['a@x.io']);
    expect(select('emails.primaryEmail[eq]:b@x.io,city[eq]:nowhere')).toEqual([]);
  });

  it('answers an [in] lookup on 100k people quickly', { timeout: 30_000 }, async () => {
    const { call, store } = setup();
    for (let batch = 0; batch < 100; batch++) {
      store.seed(
        'people',
        Array.from({ length: 1_000 }, (_, i) => ({ emails: { primaryEmail: `p${batch * 1_000 + i}@x.io` } })),
      );
    }
    const emails = Array.from({ length: 60 }, (_, i) => `p${i * 1_601}@x.io`);
    const started = performance.now();
    for (let i = 0; i < 20; i++) {
      const answer = await call('GET', `/rest/people?filter=emails.primaryEmail[in]:[${emails.join(',')}]`);
      expect(answer.body.totalCount).toBe(60);
    }
    expect((performance.now() - started) / 20).toBeLessThan(50);
  });
});

describe('create', () => {
  it('honours depth and fields on the created record', async () => {
    const { call, store } = setup();
    const [acme] = store.seed('companies', [{ name: 'Acme' }]);
    const answer = await call('POST', '/rest/people?depth=1&fields=city,company', {
      city: 'P',
      companyId: acme!.id,
    });
    expect(answer.status).toBe(201);
    expect(answer.body.data.createPerson).toEqual({
      id: expect.any(String),
      city: 'P',
      companyId: acme!.id,
      company: expect.objectContaining({ id: acme!.id, name: 'Acme' }),
    });
  });

  it('validates before counting the batch cap, then refuses an oversized batch', async () => {
    const { call } = setup({ batchLimit: 2 });
    const invalid = await call('POST', '/rest/batch/people', [{ nope: 1 }, {}, {}]);
    expect(invalid.body.messages).toEqual(['Object person doesn\'t have any "nope" field.']);
    const big = await call('POST', '/rest/batch/people', [{}, {}, {}]);
    expect(big.body.messages).toEqual(['Maximum number of records to upsert is 2.']);
  });

  it('keeps the given id and refuses it twice', async () => {
    const { call } = setup();
    const id = '20202020-ef5a-4822-9e08-cf6e4a4dcd6b';
    expect((await call('POST', '/rest/people', { id })).body.data.createPerson.id).toBe(id);
    const again = await call('POST', '/rest/people', { id });
    expect(again.status).toBe(400);
    expect(again.body.messages).toEqual(['A duplicate entry was detected']);
  });
});

describe('upsert', () => {
  it('answers updated records first, then created ones', async () => {
    const { call, store } = setup();
    const [existing] = store.seed('people', [{ emails: { primaryEmail: 'old@x.io' } }]);
    const answer = await call('POST', '/rest/batch/people?upsert=true', [
      { emails: { primaryEmail: 'new@x.io' } },
      { emails: { primaryEmail: 'old@x.io' }, city: 'Updated' },
    ]);
    expect(
      answer.body.data.createPeople.map((p: { emails: { primaryEmail: string } }) => p.emails.primaryEmail),
    ).toEqual(['old@x.io', 'new@x.io']);
    expect(answer.body.data.createPeople[0]).toMatchObject({ id: existing!.id, city: 'Updated' });
  });

  it('matches on id', async () => {
    const { call, store } = setup();
    const [person] = store.seed('people', [{ city: 'Before' }]);
    const answer = await call('POST', '/rest/people?upsert=true', { id: person!.id, city: 'After' });
    expect(answer.body.data.createPerson).toMatchObject({ id: person!.id, city: 'After' });
    expect(store.count('people')).toBe(1);
  });

  it('refuses an input matching two records', async () => {
    const { call, store } = setup();
    const [a] = store.seed('people', [
      { emails: { primaryEmail: 'a@x.io' } },
      { emails: { primaryEmail: 'b@x.io' } },
    ]);
    const answer = await call('POST', '/rest/people?upsert=true', {
      id: a!.id,
      emails: { primaryEmail: 'b@x.io' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'UPSERT_MULTIPLE_MATCHING_RECORDS_CONFLICT' });
    expect(answer.body.messages[0]).toBe(
      `Multiple records found with the same unique field values for id (id: ${a!.id}); emails (emails.primaryEmail: b@x.io). Cannot determine which record to update.`,
    );
  });

  it('undoes its updates when a later insert fails', async () => {
    const { call, store } = setup();
    const [person] = store.seed('people', [{ emails: { primaryEmail: 'a@x.io' }, city: 'Before' }]);
    const answer = await call('POST', '/rest/batch/people?upsert=true', [
      { emails: { primaryEmail: 'a@x.io' }, city: 'After' },
      { emails: { primaryEmail: 'dup@x.io' } },
      { emails: { primaryEmail: 'dup@x.io' } },
    ]);
    expect(answer.status).toBe(400);
    expect(store.get('people', person!.id)?.city).toBe('Before');
    expect(store.count('people')).toBe(1);
  });
});

describe('update and delete', () => {
  it('ignores an id in the patch body and accepts the legacy PUT', async () => {
    const { call, store } = setup();
    const [person] = store.seed('people', [{ city: 'A' }]);
    const answer = await call('PUT', `/rest/people/${person!.id}`, {
      id: '00000000-0000-4000-8000-000000000009',
      city: 'B',
    });
    expect(answer.body.data.updatePerson).toMatchObject({ id: person!.id, city: 'B' });
  });

  it('refuses a patch taking a unique value', async () => {
    const { call, store } = setup();
    const [, b] = store.seed('people', [
      { emails: { primaryEmail: 'a@x.io' } },
      { emails: { primaryEmail: 'b@x.io' } },
    ]);
    const answer = await call('PATCH', `/rest/people/${b!.id}`, { emails: { primaryEmail: 'A@x.io' } });
    expect(answer.status).toBe(400);
    expect(answer.body.messages).toEqual(['A duplicate entry was detected']);
  });

  it('frees a unique value on delete', async () => {
    const { call, store } = setup();
    const [a] = store.seed('people', [{ emails: { primaryEmail: 'a@x.io' } }]);
    await call('DELETE', `/rest/people/${a!.id}`);
    expect((await call('POST', '/rest/people', { emails: { primaryEmail: 'a@x.io' } })).status).toBe(201);
  });
});
