import { describe, expect, it } from 'vitest';
import { syncRunFromRow } from './store-rows.ts';

describe('syncRunFromRow', () => {
  const row = {
    id: 'r1',
    name: 'twenty-crm:person',
    status: 'succeeded' as const,
    created: 3,
    updated: 2,
    unchanged: 1,
    failed: 0,
    last_error_code: null,
  };

  it('maps epoch-ms rows (SQLite) and Date rows (PostgreSQL) to the same SyncRun', () => {
    const fromNumbers = syncRunFromRow({ ...row, started_at: 1_000, finished_at: 2_000 });
    const fromDates = syncRunFromRow({ ...row, started_at: new Date(1_000), finished_at: new Date(2_000) });
    expect(fromNumbers).toEqual(fromDates);
    expect(fromNumbers).toEqual({
      id: 'r1',
      name: 'twenty-crm:person',
      status: 'succeeded',
      startedAt: 1_000,
      finishedAt: 2_000,
      counts: { created: 3, updated: 2, unchanged: 1, failed: 0 },
      lastErrorCode: null,
    });
  });

  it('keeps a running run unfinished', () => {
    expect(
      syncRunFromRow({ ...row, status: 'running', started_at: 5, finished_at: null }).finishedAt,
    ).toBeNull();
  });
});
