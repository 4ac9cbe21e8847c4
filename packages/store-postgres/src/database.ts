import { type ApiResult, err, IntegrationError, ok } from '@patchbay/core';
import postgres from 'postgres';
import { toStoreError } from './errors.ts';
import { migrate, SchemaTooNewError } from './migrations.ts';
import { connectionSecrets, type ResolvedPostgresStoreOptions } from './options.ts';

/** Where a statement can run: the pool, or one transaction's connection. */
export type Queryable = postgres.Sql | postgres.TransactionSql;

/** The tables of one schema, as identifiers ready to splice into a query. */
export interface Tables {
  mappings: postgres.Helper<string>;
  configs: postgres.Helper<string>;
  checkpoints: postgres.Helper<string>;
  runs: postgres.Helper<string>;
  leases: postgres.Helper<string>;
  outbox: postgres.Helper<string>;
  seenIds: postgres.Helper<string>;
  queueMessages: postgres.Helper<string>;
  /** The sequence of `queue_messages.seq`, as text for `::regclass`. */
  queueSeq: string;
  leaseTokens: string;
}

/** A connection pool bound to one migrated schema, turning every driver failure into an ApiResult. */
export interface Database {
  readonly tables: Tables;
  /** Connects and migrates once; a failure is returned and retried by the next call. */
  ready(): Promise<ApiResult<{ schemaVersion: number }>>;
  /** Runs `work` after `ready()`, catching whatever it throws as a typed error. */
  run<T>(operation: string, work: (sql: postgres.Sql) => Promise<T>): Promise<ApiResult<T>>;
  /** Runs `work` in one transaction: everything it wrote is committed, or nothing is. */
  transaction<T>(operation: string, work: (tx: postgres.TransactionSql) => Promise<T>): Promise<ApiResult<T>>;
  close(): Promise<void>;
}

const CLOSE_GRACE_MS = 5_000;

/** Opens a (lazy) pool on the options' server; nothing connects until the first call. */
export function createDatabase(options: ResolvedPostgresStoreOptions): Database {
  const secrets = connectionSecrets(options.connectionString);
  const sql = postgres(options.connectionString, {
    max: options.poolSize,
    connect_timeout: options.connectTimeoutMs / 1000,
    // `create … if not exists` raises NOTICEs; the driver would print them with console.log.
    onnotice: () => {},
    // A URL's own `application_name` wins: the driver applies query parameters after these.
    connection: { application_name: 'patchbay-store-postgres' },
    // Saves a round trip per connection, and a start-up query whose failure the driver leaves unhandled
    // (porsager/postgres#1192): arrays go in as literals instead (array-literal.ts).
    fetch_types: false,
    // Unnamed statements, planned for their actual parameters: a named one switches to a generic plan after
    // five runs, and for `= any($ids)` that plan scans linearly (measured: 1 000 ids in 100 000 rows went
    // from 12 ms to 1 s). It also keeps the store usable behind PgBouncer in transaction mode.
    prepare: false,
  });
  const schema = options.schema;
  const table = (name: string) => sql(`${schema}.${name}`);
  const tables: Tables = {
    mappings: table('mappings'),
    configs: table('configs'),
    checkpoints: table('checkpoints'),
    runs: table('runs'),
    leases: table('leases'),
    outbox: table('outbox'),
    seenIds: table('seen_ids'),
    queueMessages: table('queue_messages'),
    queueSeq: `${schema}.queue_messages_seq`,
    leaseTokens: `${schema}.lease_tokens`,
  };

  let migrated: Promise<ApiResult<{ schemaVersion: number }>> | undefined;
  let closed = false;
  // Our own count of calls in flight: close() waits for these, not for the driver's view of its
  // connections, which can wait out the whole timeout after a connection reset.
  const inFlight = new Set<Promise<unknown>>();

  const failure = (error: unknown, operation: string): IntegrationError => {
    if (error instanceof SchemaTooNewError) {
      return new IntegrationError('CONFIG_ERROR', `PostgreSQL ${operation} failed: ${error.message}`, {
        retryable: false,
      });
    }
    return toStoreError(error, operation, secrets);
  };

  const ready = (): Promise<ApiResult<{ schemaVersion: number }>> => {
    if (closed) return Promise.resolve(err(closedError()));
    migrated ??= retryReplayedFatal(() => migrate(sql, schema)).then(
      (schemaVersion) => ok({ schemaVersion }),
      (error: unknown) => {
        // Not cached: the server may be back for the next call.
        migrated = undefined;
        return err(failure(error, 'open (migrations)'));
      },
    );
    return migrated;
  };

  const attempt = async <T>(
    operation: string,
    work: (db: postgres.Sql) => Promise<T>,
  ): Promise<ApiResult<T>> => {
    const opened = await ready();
    if (!opened.success) return opened;
    try {
      return ok(await retryReplayedFatal(() => work(sql)));
    } catch (error) {
      return err(closed ? closedError() : failure(error, operation));
    }
  };

  const run = <T>(operation: string, work: (db: postgres.Sql) => Promise<T>): Promise<ApiResult<T>> => {
    if (closed) return Promise.resolve(err(closedError()));
    const call = attempt(operation, work);
    inFlight.add(call);
    void call.finally(() => inFlight.delete(call));
    return call;
  };

  return {
    tables,
    ready,
    run,
    transaction: (operation, work) =>
      // The callback's result type is widened by the driver's UnwrapPromiseArray; ours is never an array of queries.
      run(operation, (db) => db.begin(work) as Promise<Awaited<ReturnType<typeof work>>>),
    async close() {
      if (closed) return;
      closed = true;
      // Lets calls in flight finish for a moment, then cuts off whatever is left.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, CLOSE_GRACE_MS);
      });
      await Promise.race([Promise.allSettled([...inFlight]), grace]);
      clearTimeout(timer);
      await sql.end({ timeout: 0 });
    },
  };
}

/**
 * Runs `work` again, once, when it failed with a FATAL "terminated" error. The driver (postgres 3.4.x) keeps
 * the FATAL of a backend killed mid-query and hands it to the first query of the NEXT connection, before
 * that query is sent (see porsager/postgres#1223). A query that was really running when its backend died
 * fails with CONNECTION_CLOSED instead, so this never repeats a statement the server may have run.
 */
export async function retryReplayedFatal<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isReplayedFatal(error)) throw error;
    return work();
  }
}

function isReplayedFatal(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'PostgresError') return false;
  const { code, severity } = error as Error & { code?: unknown; severity?: unknown };
  return severity === 'FATAL' && (code === '57P01' || code === '57P02');
}

function closedError(): IntegrationError {
  return new IntegrationError('OPERATION_FAILED', 'PostgreSQL store is closed', { retryable: false });
}
