import { describe, expect, it } from 'vitest';
import { isArraySafe } from '../input/caller-input.ts';
import { IntegrationError } from '../result/errors.ts';
import { hostileValues, throwingProxy, withThrowingGetter } from '../testing/hostile-values.ts';
import { integrationConfigFromRow, syncRunFromRow } from './store-rows.ts';

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

describe('integrationConfigFromRow', () => {
  const row = {
    integration: 'crm',
    base_url: 'https://crm.example.com',
    enabled: 1,
    sync_mode: 'mirror',
    created_by: 'u1',
    updated_by: null,
  };
  const expected = {
    integration: 'crm',
    baseUrl: 'https://crm.example.com',
    secrets: { apiKey: 'v1.a.b' },
    enabled: true,
    syncMode: 'mirror',
    settings: { n: 1 },
    createdBy: 'u1',
    updatedBy: null,
    createdAt: 1_000,
    updatedAt: 2_000,
  };

  it('maps text JSON and epoch ms (SQLite) and parsed JSON and Dates (PostgreSQL) to the same configuration', () => {
    const fromText = integrationConfigFromRow({
      ...row,
      secrets: '{"apiKey":"v1.a.b"}',
      settings: '{"n":1}',
      created_at: 1_000,
      updated_at: 2_000,
    });
    const fromParsed = integrationConfigFromRow({
      ...row,
      enabled: true,
      secrets: { apiKey: 'v1.a.b' },
      settings: { n: 1 },
      created_at: new Date(1_000),
      updated_at: new Date(2_000),
    });
    expect(fromText).toEqual(expected);
    expect(fromParsed).toEqual(expected);
    expect(
      integrationConfigFromRow({
        ...row,
        enabled: 0,
        secrets: '{}',
        settings: '{}',
        created_at: 1,
        updated_at: 1,
      }).enabled,
    ).toBe(false);
  });

  it.each([
    ['secrets', 'not json v1.SECRET'],
    ['secrets', '["v1.SECRET"]'],
    ['settings', 'null'],
    ['settings', 42],
  ])('throws a VALIDATION_ERROR naming row.%s for %j, quoting nothing of it', (column, value) => {
    let thrown: unknown;
    try {
      integrationConfigFromRow({
        ...row,
        secrets: '{}',
        settings: '{}',
        created_at: 1,
        updated_at: 1,
        [column]: value,
      } as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(IntegrationError);
    expect(thrown).toMatchObject({ code: 'VALIDATION_ERROR', field: `row.${column}` });
    expect(JSON.stringify(thrown)).not.toContain('SECRET');
  });

  it('names a column whose getter throws, and a row that is not an object', () => {
    const unreadable = withThrowingGetter(
      { ...row, secrets: '{}', settings: '{}', created_at: 1, updated_at: 1 },
      'secrets',
    );
    expect(() => integrationConfigFromRow(unreadable)).toThrow(
      expect.objectContaining({ field: 'row.secrets' }),
    );
    expect(() => integrationConfigFromRow(undefined as never)).toThrow(
      expect.objectContaining({ field: 'row' }),
    );
  });
});
