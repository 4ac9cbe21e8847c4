import { expect, it } from 'vitest';
import { describePostgres, useFreshStores } from '../test-support/postgres.ts';

const counts = { created: 3, updated: 2, unchanged: 10, failed: 1 };

describePostgres('runs', () => {
  const { open } = useFreshStores();

  it('starts a run, finishes it, and lists runs newest first', async () => {
    const store = open();
    const first = await store.syncState.startRun('people');
    expect(first).toMatchObject({
      success: true,
      data: { name: 'people', status: 'running', finishedAt: null, lastErrorCode: null },
    });
    if (!first.success) return;
    expect(first.data.counts).toEqual({ created: 0, updated: 0, unchanged: 0, failed: 0 });
    const finished = await store.syncState.finishRun(first.data.id, {
      status: 'failed',
      counts,
      lastErrorCode: 'RATE_LIMIT',
    });
    expect(finished).toMatchObject({
      success: true,
      data: { id: first.data.id, status: 'failed', counts, lastErrorCode: 'RATE_LIMIT' },
    });
    if (finished.success) expect(finished.data.finishedAt).toBeGreaterThanOrEqual(first.data.startedAt);

    const second = await store.syncState.startRun('people');
    await store.syncState.startRun('companies');
    const listed = await store.syncState.listRuns('people');
    expect(listed.success && listed.data.map((r) => r.id)).toEqual([
      second.success && second.data.id,
      first.data.id,
    ]);
    const limited = await store.syncState.listRuns('people', { limit: 1 });
    expect(limited.success && limited.data.length).toBe(1);
  });

  it('answers NOT_FOUND for an unknown run and CONFLICT for one already finished', async () => {
    const store = open();
    expect(await store.syncState.finishRun('nope', { status: 'succeeded', counts })).toMatchObject({
      success: false,
      error: { code: 'NOT_FOUND' },
    });
    const run = await store.syncState.startRun('people');
    if (!run.success) throw run.error;
    await store.syncState.finishRun(run.data.id, { status: 'succeeded', counts });
    expect(await store.syncState.finishRun(run.data.id, { status: 'failed', counts })).toMatchObject({
      success: false,
      error: { code: 'CONFLICT' },
    });
  });

  it('rejects a limit below 1', async () => {
    const store = open();
    expect(await store.syncState.listRuns('people', { limit: 0 })).toMatchObject({
      success: false,
      error: { code: 'VALIDATION_ERROR', field: 'limit' },
    });
  });
});
