import { expect, it } from 'vitest';
import { describePostgres, useFreshStores } from '../test-support/postgres.ts';

const scope = { integration: 'twenty-crm', objectType: 'person' };
const entry = (externalId: string, createdAt: number, operation = 'create') => ({
  externalId,
  operation,
  contentHash: `h-${externalId}`,
  createdAt,
});

describePostgres('outbox', () => {
  const { open } = useFreshStores();

  it('lists in-flight entries oldest first, ties in the order recorded', async () => {
    const store = open();
    await store.syncState.outboxPut(scope, [entry('c', 3_000), entry('a', 1_000), entry('b2', 2_000)]);
    await store.syncState.outboxPut(scope, [entry('b1', 2_000)]);
    const listed = await store.syncState.outboxList(scope);
    expect(listed.success && listed.data.map((e) => e.externalId)).toEqual(['a', 'b2', 'b1', 'c']);
    expect(listed.success && listed.data[0]).toEqual(entry('a', 1_000));
    const limited = await store.syncState.outboxList(scope, { limit: 2 });
    expect(limited.success && limited.data.length).toBe(2);
  });

  it('re-recording an entry replaces it and moves it behind its equals', async () => {
    const store = open();
    await store.syncState.outboxPut(scope, [entry('a', 1_000), entry('b', 1_000)]);
    await store.syncState.outboxPut(scope, [entry('a', 1_000, 'update')]);
    const listed = await store.syncState.outboxList(scope);
    expect(listed.success && listed.data.map((e) => [e.externalId, e.operation])).toEqual([
      ['b', 'create'],
      ['a', 'update'],
    ]);
  });

  it('deletes entries and keeps scopes apart', async () => {
    const store = open();
    await store.syncState.outboxPut(scope, [
      entry('a', 1),
      entry('b', 2),
      { ...entry('c', 3), contentHash: null },
    ]);
    await store.syncState.outboxPut({ ...scope, objectType: 'company' }, [entry('a', 1)]);
    expect(await store.syncState.outboxDelete(scope, ['a', 'b'])).toEqual({ success: true, data: undefined });
    const listed = await store.syncState.outboxList(scope);
    expect(listed.success && listed.data).toEqual([{ ...entry('c', 3), contentHash: null }]);
    const other = await store.syncState.outboxList({ ...scope, objectType: 'company' });
    expect(other.success && other.data.length).toBe(1);
  });
});
