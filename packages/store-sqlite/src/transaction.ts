import type { DatabaseSync } from 'node:sqlite';

/**
 * Runs `work` inside `BEGIN IMMEDIATE … COMMIT`, rolling back if it throws. IMMEDIATE takes the write lock
 * up front (waiting up to the busy timeout), so a transaction never fails halfway on a lock it could not
 * upgrade; `work` must be synchronous, so no other call on the connection can interleave with it.
 */
export function inTransaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    // `db.isTransaction` is newer than Node 22.13; a ROLLBACK with no transaction open just throws.
    try {
      db.exec('ROLLBACK');
    } catch {
      // Already rolled back (e.g. SQLite aborted the transaction itself on a full disk).
    }
    throw error;
  }
}
