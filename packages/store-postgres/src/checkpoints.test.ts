import { expect, it } from 'vitest';
import { describePostgres, useFreshStores } from '../test-support/postgres.ts';

describePostgres('checkpoints', () => {
  const { open } = useFreshStores();

  it('reads null until set, then the last value written', async () => {
    const store = open();
    expect(await store.syncState.getCheckpoint('people')).toEqual({ success: true, data: null });
    expect(await store.syncState.setCheckpoint('people', 'cursor-1')).toEqual({
      success: true,
      data: undefined,
    });
    await store.syncState.setCheckpoint('people', 'cursor-2');
    await store.syncState.setCheckpoint('companies', 'c');
    expect(await store.syncState.getCheckpoint('people')).toEqual({ success: true, data: 'cursor-2' });
  });

  it('is shared by two stores on the same schema (two processes)', async () => {
    const a = open();
    await a.syncState.setCheckpoint('people', 'from-a');
    const schemaOfA = `pb_shared_${Date.now().toString(36)}`;
    const first = open({ schema: schemaOfA });
    const second = open({ schema: schemaOfA });
    await first.syncState.setCheckpoint('people', 'written-by-first');
    expect(await second.syncState.getCheckpoint('people')).toEqual({
      success: true,
      data: 'written-by-first',
    });
  });
});
