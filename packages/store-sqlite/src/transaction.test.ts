import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { inTransaction } from './transaction.ts';

function database(): DatabaseSync {
  const db = new DatabaseSync(':memory:');
  db.exec('CREATE TABLE t (v INTEGER)');
  return db;
}

const count = (db: DatabaseSync) => (db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;

describe('inTransaction', () => {
  it('commits and returns what the work returns', () => {
    const db = database();
    const result = inTransaction(db, () => {
      db.exec('INSERT INTO t VALUES (1), (2)');
      return 'done';
    });
    expect(result).toBe('done');
    expect(count(db)).toBe(2);
  });

  it('rolls everything back when the work throws, and rethrows', () => {
    const db = database();
    expect(() =>
      inTransaction(db, () => {
        db.exec('INSERT INTO t VALUES (1)');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(count(db)).toBe(0);
    // The connection is usable again: no transaction was left open.
    inTransaction(db, () => db.exec('INSERT INTO t VALUES (3)'));
    expect(count(db)).toBe(1);
  });

  it('rethrows the original error when the transaction is already gone', () => {
    const db = database();
    expect(() =>
      inTransaction(db, () => {
        db.exec('ROLLBACK');
        throw new Error('original');
      }),
    ).toThrow('original');
  });
});
