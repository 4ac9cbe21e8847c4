// SQLite specifics of checkpoints, runs, leases and the outbox; the shared behaviour is in the contract suite.
import { DatabaseSync } from 'node:sqlite';
import { createManualClock } from '@patchbay/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDbs, tempDbPath } from '../test-support/temp-db.ts';
import { createSqliteStore } from './sqlite-store.ts';

afterAll(removeTempDbs);

const scope = { integration: 'crm', objectType: 'person' };

describe('SQLite sync state', () => {
  it('refuses a limit that is not a positive integer with VALIDATION_ERROR', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    for (const result of [
      await store.syncState.listRuns('sync', { limit: 0 }),
      await store.syncState.outboxList(scope, { limit: -1 }),
    ]) {
      expect(result.success === false && result.error.field).toBe('limit');
    }
    await store.close();
  });

  it('turns a count the integer column refuses into VALIDATION_ERROR, leaving the run running', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    const run = await store.syncState.startRun('sync');
    if (!run.success) throw run.error;
    const counts = { created: 1.5, updated: 0, unchanged: 0, failed: 0 };
    const result = await store.syncState.finishRun(run.data.id, { status: 'succeeded', counts });
    expect(result.success === false && result.error.code).toBe('VALIDATION_ERROR');
    const listed = await store.syncState.listRuns('sync');
    expect(listed.success && listed.data[0]?.status).toBe('running');
    await store.close();
  });

  it('keeps one lease row per name, holding the current owner and token', async () => {
    const path = tempDbPath();
    const clock = createManualClock(0);
    const store = createSqliteStore({ path, now: clock.now });
    await store.syncState.acquireLease('lock', { owner: 'a', ttlMs: 100 });
    clock.advance(100);
    const taken = await store.syncState.acquireLease('lock', { owner: 'b', ttlMs: 100 });
    if (!taken.success || !taken.data) throw new Error('expected the lease');
    await store.close();
    const raw = new DatabaseSync(path, { readOnly: true });
    expect(raw.prepare('SELECT * FROM sync_leases').all()).toEqual([
      { name: 'lock', owner: 'b', token: taken.data.token, expires_at: 200 },
    ]);
    raw.close();
  });

  it('moves an outbox entry recorded again behind others with the same createdAt', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    const entry = (externalId: string) => ({
      externalId,
      operation: 'create',
      contentHash: null,
      createdAt: 1,
    });
    await store.syncState.outboxPut(scope, [entry('a'), entry('b')]);
    await store.syncState.outboxPut(scope, [entry('a')]);
    const listed = await store.syncState.outboxList(scope);
    expect(listed.success && listed.data.map((e) => e.externalId)).toEqual(['b', 'a']);
    await store.close();
  });
});
