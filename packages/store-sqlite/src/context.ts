import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { ApiResult } from '@patchbay/core';

/** What each part of the SQLite store shares: the connection, the clock and the error boundary. */
export interface SqliteContext {
  db: DatabaseSync;
  /** The prepared statement for `sql`, compiled on first use and cached for the connection's life. */
  statement(sql: string): StatementSync;
  /** Epoch milliseconds, for timestamps and lease expiry. */
  now: () => number;
  /**
   * Runs synchronous database work and turns anything it throws into a typed failure; refuses once the
   * store is closed. Never await inside `work`: it must finish before another call can touch the connection.
   */
  attempt<T>(operation: string, work: () => ApiResult<T>): ApiResult<T>;
}
