import { describe, expect, it } from 'vitest';
import { isArraySafe } from './caller-input.ts';
import { IntegrationError } from './errors.ts';
import { syncRunFromRow } from './store-rows.ts';
import { hostileValues, throwingProxy, withThrowingGetter } from './testing/hostile-values.ts';

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

describe('syncRunFromRow with hostile input', () => {
  it.each([
    ...hostileValues().filter(
      ([, value]) => typeof value !== 'object' || value === null || isArraySafe(value) || value === undefined,
    ),
    ['a row whose column getter throws', withThrowingGetter({}, 'started_at'), 'row.started_at'],
    ['a Proxy whose traps throw', throwingProxy(), 'row.id'],
  ])('%s throws only a VALIDATION_ERROR naming the row', (_, row, field = 'row') => {
    let thrown: unknown;
    try {
      syncRunFromRow(row as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(IntegrationError);
    expect(thrown).toMatchObject({ code: 'VALIDATION_ERROR', field });
  });

  it('takes no look-alike for a Date', () => {
    const run = syncRunFromRow({
      id: 'r',
      name: 'n',
      status: 'running',
      started_at: Object.create(Date.prototype) as Date,
      finished_at: throwingProxy(new Date(0)) as Date,
      created: 0,
      updated: 0,
      unchanged: 0,
      failed: 0,
      last_error_code: null,
    });
    expect(run.startedAt).toBeNaN();
    expect(run.finishedAt).toBeNaN();
  });
});
