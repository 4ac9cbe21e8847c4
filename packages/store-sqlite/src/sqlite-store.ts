import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { type ApiResult, err, IntegrationError, ok, parseOptions, reviseError } from '@patchbay/core';
import {
  type IntegrationStore,
  type QueueStore,
  type SeenIdStore,
  validateMappingBatch,
  validateScope,
} from '@patchbay/core/store';
import * as z from 'zod/mini';
import type { SqliteContext } from './context.ts';
import { migrate } from './migrations.ts';
import { createSqliteConfigs } from './sqlite-configs.ts';
import { sqliteError } from './sqlite-errors.ts';
import { createSqliteMappings } from './sqlite-mappings.ts';
import { createSqliteQueue } from './sqlite-queue.ts';
import { createSqliteSeenIds } from './sqlite-seen-ids.ts';
import { createSqliteSyncState } from './sqlite-sync-state.ts';
import { inTransaction } from './transaction.ts';

/** Options of {@link createSqliteStore}. */
export interface SqliteStoreOptions {
  /** Database file (created when missing), or `':memory:'` for a private in-memory database. */
  path: string;
  /** How long a call waits for another connection's write lock before failing as busy. Default 5 000 ms. */
  busyTimeoutMs?: number;
  /** Epoch-milliseconds clock for timestamps and lease expiry. Default `Date.now`; inject one in tests. */
  now?: () => number;
}

const optionsSchema = z.object({
  path: z.string().check(z.minLength(1, 'must be a file path or :memory:')),
  busyTimeoutMs: z._default(
    z.int().check(z.minimum(0, 'must be 0 or more'), z.maximum(2_147_483_647, 'must be at most 2147483647')),
    5_000,
  ),
  now: z.optional(z.custom<() => number>((value) => typeof value === 'function', 'must be a function')),
});

/** An IntegrationStore on SQLite, with webhook replay protection and message queues on the same file. */
export interface SqliteStore extends IntegrationStore {
  /** Seen webhook ids (table `seen_ids`): pass as `replay: { store: sqliteStore.seenIds }` to a verifier. */
  readonly seenIds: SeenIdStore;
  /** Durable message queues (table `queue_messages`), shared by every process that opens the file. */
  readonly queue: QueueStore;
}

/**
 * The embedded IntegrationStore: everything a sync persists in one SQLite file, through `node:sqlite` (no
 * native build). Opens the file in WAL mode with `synchronous=FULL`, applies pending schema migrations, and
 * returns a store whose every method answers an `ApiResult`. Several processes may share one file: writes
 * take the lock with `BEGIN IMMEDIATE` and wait up to `busyTimeoutMs` for it.
 *
 * Throws `CONFIG_ERROR` for invalid options, a file that cannot be opened, or one written by a newer release.
 * @example
 * const store = createSqliteStore({ path: './patchbay.db' });
 * await store.mappings.putMany({ integration: 'twenty-crm', objectType: 'person' }, mappings);
 */
export function createSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const {
    path,
    busyTimeoutMs,
    now = Date.now,
  } = parseOptions(optionsSchema, options, {
    label: 'SQLite store options',
  });

  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path);
  } catch (error) {
    throw openFailure(sqliteError(error, `open of ${path}`));
  }
  try {
    // The busy timeout first, so that switching to WAL and migrating wait for other processes too.
    db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
    // WAL: readers never block the writer nor the writer readers, and a commit is one append to the log.
    db.exec('PRAGMA journal_mode = WAL');
    // FULL fsyncs the log at every commit. NORMAL would survive a killed process just as well, but could
    // lose the last commits on power loss; the outbox protocol relies on an entry being durable before its
    // remote write is sent. Batches make the cost one fsync per thousands of rows.
    db.exec('PRAGMA synchronous = FULL');
    migrate(db, { now });
  } catch (error) {
    db.close();
    throw openFailure(sqliteError(error, `open of ${path}`));
  }

  let closed = false;
  // Statement compilation costs more than a small batch's execution: each SQL text is prepared once.
  const statements = new Map<string, StatementSync>();
  const ctx: SqliteContext = {
    db,
    now,
    statement(sql) {
      let prepared = statements.get(sql);
      if (!prepared) {
        prepared = db.prepare(sql);
        statements.set(sql, prepared);
      }
      return prepared;
    },
    attempt<T>(operation: string, work: () => ApiResult<T>): ApiResult<T> {
      if (closed)
        return err(new IntegrationError('OPERATION_FAILED', `SQLite ${operation}: the store is closed`));
      try {
        return work();
      } catch (error) {
        return err(sqliteError(error, operation));
      }
    },
  };

  const mappings = createSqliteMappings(ctx);
  const syncState = createSqliteSyncState(ctx);

  return {
    mappings: mappings.store,
    configs: createSqliteConfigs(ctx),
    syncState: syncState.store,
    seenIds: createSqliteSeenIds(ctx),
    queue: createSqliteQueue(ctx),

    async commitMappings(scope, entries) {
      const checkedScope = validateScope(scope);
      if (!checkedScope.success) return checkedScope;
      const batch = validateMappingBatch(entries);
      if (!batch.success) return batch;
      return ctx.attempt('commitMappings', () => {
        if (batch.data.length > 0) {
          inTransaction(db, () => {
            mappings.write(checkedScope.data, batch.data);
            syncState.deleteOutbox(
              checkedScope.data,
              batch.data.map((m) => m.externalId),
            );
          });
        }
        return ok({ written: batch.data.length });
      });
    },

    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}

// Failing to open is a deployment problem (wrong path, read-only volume, not a database, a file from a newer
// release): CONFIG_ERROR on field `path`, unless the file was merely locked, which a retry can fix.
const openFailure = (error: IntegrationError): IntegrationError =>
  error.retryable ? error : reviseError(error, { code: 'CONFIG_ERROR', field: 'path', retryable: false });
