import { describe, expect, it } from 'vitest';
import { useSyncFixture } from '../../test-support/fixtures.ts';
import { createTwentyRemote } from './remote.ts';

const twenty = useSyncFixture({ lease: false });
const remoteOf = () => createTwentyRemote({ client: () => twenty.sync().client, batchSize: 60 });
const person = (externalId: string, firstName: string) => ({
  externalId,
  input: { externalId, name: { firstName, lastName: '' }, emails: { primaryEmail: null }, companyId: null },
});

describe('the Twenty remote', () => {
  it('upserts on externalId, telling created from updated by createdAt and updatedAt', async () => {
    const remote = remoteOf();
    const first = await remote.upsert!('person', [person('u1', 'Ada')]);
    if (!first.success) throw first.error;
    const created = first.data.get('u1');
    expect(created).toMatchObject({ created: true });
    // A later write to the same externalId updates the same record.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await remote.upsert!('person', [person('u1', 'Grace'), person('u2', 'Alan')]);
    if (!second.success) throw second.error;
    expect(second.data.get('u1')).toEqual({
      remoteId: (created as { remoteId: string }).remoteId,
      created: false,
    });
    expect(second.data.get('u2')).toMatchObject({ created: true });
    expect(twenty.emulator.store.count('people')).toBe(2);
  });

  it('finds records by externalId in one request, and skips ids its filter syntax would misread', async () => {
    const remote = remoteOf();
    await remote.upsert!('person', [person('u1', 'Ada'), person('u2', 'Grace')]);
    twenty.emulator.counters.reset();
    const found = await remote.find('person', ['u1', 'u2', 'missing', 'a,b', 'x"y']);
    if (!found.success) throw found.error;
    expect([...found.data.keys()].sort()).toEqual(['u1', 'u2']);
    expect(found.data.get('u1')?.remoteId).toMatch(/^[0-9a-f-]{36}$/);
    expect(twenty.emulator.counters.snapshot().total).toBe(1);
    // Nothing safe to ask for: no request at all.
    twenty.emulator.counters.reset();
    const none = await remote.find('company', ['a,b']);
    expect(none.success && none.data.size).toBe(0);
    expect(twenty.emulator.counters.snapshot().total).toBe(0);
  });

  it('answers a refused batch with the typed error, writing nothing', async () => {
    const remote = remoteOf();
    const withEmail = (externalId: string, email: string) => ({
      externalId,
      input: { externalId, name: { firstName: externalId, lastName: '' }, emails: { primaryEmail: email } },
    });
    await remote.upsert!('person', [withEmail('a', 'a@example.com'), withEmail('b', 'b@example.com')]);
    // Matches record a by externalId and record b by email: Twenty refuses the whole batch.
    const refused = await remote.upsert!('person', [
      withEmail('c', 'c@example.com'),
      withEmail('a', 'b@example.com'),
    ]);
    expect(refused.success || refused.error.code).toBe('CONFLICT');
    expect(twenty.emulator.store.count('people')).toBe(2);
  });
});
