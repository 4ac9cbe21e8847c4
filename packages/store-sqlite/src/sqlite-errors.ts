import { type ErrorCode, IntegrationError, isIntegrationError } from '@patchbay/core';

// SQLite primary result codes (the low byte of an extended code), https://sqlite.org/rescode.html.
const SQLITE_PERM = 3;
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_READONLY = 8;
const SQLITE_CORRUPT = 11;
const SQLITE_FULL = 13;
const SQLITE_CANTOPEN = 14;
const SQLITE_CONSTRAINT = 19;
const SQLITE_AUTH = 23;
const SQLITE_NOTADB = 26;
// Extended constraint codes that mean "that key is taken" rather than "that value is not allowed".
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;
const SQLITE_CONSTRAINT_UNIQUE = 2067;

interface SqliteFailure {
  code: ErrorCode;
  retryable: boolean;
  reason: string;
}

function classify(errcode: number): SqliteFailure {
  switch (errcode & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return {
        code: 'OPERATION_FAILED',
        retryable: true,
        reason: 'the database is locked by another writer',
      };
    case SQLITE_CONSTRAINT:
      return errcode === SQLITE_CONSTRAINT_PRIMARYKEY || errcode === SQLITE_CONSTRAINT_UNIQUE
        ? { code: 'CONFLICT', retryable: false, reason: 'the key already exists' }
        : { code: 'VALIDATION_ERROR', retryable: false, reason: 'a value is not allowed' };
    case SQLITE_FULL:
      return { code: 'OPERATION_FAILED', retryable: false, reason: 'the disk is full' };
    case SQLITE_CORRUPT:
      return { code: 'OPERATION_FAILED', retryable: false, reason: 'the database file is corrupt' };
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_AUTH:
    case SQLITE_NOTADB:
      return {
        code: 'CONFIG_ERROR',
        retryable: false,
        reason: 'the database file cannot be opened for writing',
      };
    default:
      return { code: 'OPERATION_FAILED', retryable: false, reason: 'SQLite failed' };
  }
}

/**
 * An IntegrationError for anything a node:sqlite call threw. Busy and locked databases are retryable
 * `OPERATION_FAILED`; a taken key is `CONFLICT`; other constraints `VALIDATION_ERROR`; an unopenable,
 * read-only or foreign file `CONFIG_ERROR`. SQLite's own message names tables and columns, never bound
 * values, so it is kept.
 */
export function sqliteError(error: unknown, operation: string): IntegrationError {
  if (isIntegrationError(error)) return error;
  const details = error as { code?: unknown; errcode?: unknown; errstr?: unknown; message?: unknown };
  const message = typeof details?.message === 'string' ? details.message : String(error);
  if (typeof details?.errcode === 'number') {
    const failure = classify(details.errcode);
    return new IntegrationError(
      failure.code,
      `SQLite ${operation} failed: ${failure.reason} (${message}, code ${details.errcode})`,
      { retryable: failure.retryable, cause: error },
    );
  }
  // node:sqlite's own errors (closed database, a value it cannot bind) carry a Node error code instead.
  const nodeCode = typeof details?.code === 'string' ? ` [${details.code}]` : '';
  return new IntegrationError('OPERATION_FAILED', `SQLite ${operation} failed: ${message}${nodeCode}`, {
    retryable: false,
    cause: error,
  });
}
