import { DatabaseSync } from 'node:sqlite';
import { IntegrationError } from '@patchbay/core';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDbs, tempDbPath } from '../test-support/temp-db.ts';
import { sqliteError } from './sqlite-errors.ts';

afterAll(removeTempDbs);

// A real node:sqlite error for each case, so the test breaks if node:sqlite changes its error shape.
function thrownBy(work: (db: DatabaseSync) => void): unknown {
  const db = new DatabaseSync(':memory:');
  db.exec(`CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL CHECK (v > 0)) STRICT`);
  db.exec(`INSERT INTO t VALUES ('taken', 1)`);
  try {
    work(db);
  } catch (error) {
    return error;
  } finally {
    if (db.isOpen) db.close();
  }
  throw new Error('expected a throw');
}

describe('sqliteError', () => {
  it('maps a taken primary key to CONFLICT', () => {
    const error = sqliteError(
      thrownBy((db) => db.exec(`INSERT INTO t VALUES ('taken', 2)`)),
      'insert',
    );
    expect(error).toBeInstanceOf(IntegrationError);
    expect(error.code).toBe('CONFLICT');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('SQLite insert failed');
  });

  it.each([
    ['CHECK', `INSERT INTO t VALUES ('a', -1)`],
    ['NOT NULL', `INSERT INTO t VALUES ('a', NULL)`],
    ['STRICT type', `INSERT INTO t VALUES ('a', 'text')`],
  ])('maps a %s violation to VALIDATION_ERROR', (_label, sql) => {
    expect(
      sqliteError(
        thrownBy((db) => db.exec(sql)),
        'insert',
      ).code,
    ).toBe('VALIDATION_ERROR');
  });

  it('maps a busy database to a retryable OPERATION_FAILED', () => {
    const path = tempDbPath();
    const holder = new DatabaseSync(path);
    holder.exec('PRAGMA journal_mode = WAL; CREATE TABLE x (v INTEGER); BEGIN IMMEDIATE');
    const other = new DatabaseSync(path);
    other.exec('PRAGMA busy_timeout = 0');
    let thrown: unknown;
    try {
      other.exec('BEGIN IMMEDIATE');
    } catch (error) {
      thrown = error;
    }
    holder.exec('ROLLBACK');
    holder.close();
    other.close();
    const error = sqliteError(thrown, 'putMany');
    expect(error.code).toBe('OPERATION_FAILED');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('locked');
  });

  it('maps a file that is not a database to CONFIG_ERROR', () => {
    const error = sqliteError(
      { message: 'file is not a database', errcode: 26, code: 'ERR_SQLITE_ERROR' },
      'open',
    );
    expect(error.code).toBe('CONFIG_ERROR');
  });

  it('maps a full disk to a non-retryable OPERATION_FAILED', () => {
    const error = sqliteError({ message: 'database or disk is full', errcode: 13 }, 'putMany');
    expect(error).toMatchObject({ code: 'OPERATION_FAILED', retryable: false });
    expect(error.message).toContain('disk is full');
  });

  it('maps node:sqlite’s own errors (a closed database) to OPERATION_FAILED with the Node code', () => {
    const error = sqliteError(
      thrownBy((db) => {
        db.close();
        db.exec('SELECT 1');
      }),
      'count',
    );
    expect(error.code).toBe('OPERATION_FAILED');
    expect(error.message).toContain('ERR_INVALID_STATE');
  });

  it('passes an IntegrationError through unchanged', () => {
    const original = new IntegrationError('CONFIG_ERROR', 'newer schema');
    expect(sqliteError(original, 'open')).toBe(original);
  });

  it('keeps only name and message of the cause when serialized', () => {
    const error = sqliteError(
      thrownBy((db) => db.exec(`INSERT INTO t VALUES ('taken', 2)`)),
      'insert',
    );
    const json = error.toJSON() as { cause: unknown };
    expect(json.cause).toEqual({
      name: 'Error',
      message: expect.stringContaining('UNIQUE constraint failed'),
    });
  });
});
