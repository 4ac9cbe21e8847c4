// createScheduler's options, checked once: a wrong one is a CONFIG_ERROR naming it, never its value (a Redis URL
// carries a password).
import { IntegrationError, type Logger, noopLogger, optionsObject, parseOptions } from '@patchbay/core';
import type { IntegrationStore, QueueStore } from '@patchbay/core/store';
import type { Redis, RedisOptions } from 'ioredis';
import * as z from 'zod/mini';

/** Where the embedded backend keeps its jobs when neither `connection` nor `store` is given. */
export const DEFAULT_SCHEDULER_STORE = 'sqlite:./patchbay-scheduler.db';

/** The parts of a Patchbay store the embedded backend uses: its queue and its checkpoints. */
export type SchedulerStore = Pick<IntegrationStore, 'syncState' | 'close'> & { readonly queue?: QueueStore };

/** Options of {@link createScheduler}. */
export interface SchedulerOptions {
  /**
   * Redis, for BullMQ: a `redis://` or `rediss://` URL, ioredis options, or an ioredis client (duplicated, so
   * yours is never closed). Given: the BullMQ backend, shared by every process on that Redis. Absent: embedded.
   */
  connection?: string | RedisOptions | Redis;
  /**
   * The embedded backend's store: an opened Patchbay store (`createMemoryStore()`, `openStore('sqlite:…')`) or a
   * database URL (opened and closed by the scheduler). Default `sqlite:./patchbay-scheduler.db`. Not used by BullMQ.
   */
  store?: string | SchedulerStore;
  /** Namespace of every key (BullMQ) or queue and checkpoint (embedded). Default `patchbay`. */
  prefix?: string;
  logger?: Logger;
  /**
   * How long a running job is its process's before another may take it: BullMQ's lock (renewed while the
   * process lives) and stalled-check interval; the embedded queue's lease. A job whose process died runs again
   * after about this long. Default 30 000 ms.
   */
  leaseMs?: number;
  /** Embedded: how often idle workers look for due jobs. Default 500 ms. */
  pollIntervalMs?: number;
  /** BullMQ: longest wait for Redis in one call; past it the call fails with `TIMEOUT`. Default 10 000 ms. */
  operationTimeoutMs?: number;
  /** Longest `close()` waits for running handlers. Default 10 000 ms. */
  closeTimeoutMs?: number;
  /** Runs kept in the run log. Default 1 000. */
  runLogSize?: number;
  /** Dead letters kept per job kind; older ones are dropped. Default 10 000. */
  deadLetterLimit?: number;
}

const int = (min: number, max: number) =>
  z
    .int()
    .check(
      z.minimum(min, `must be an integer from ${min} to ${max}`),
      z.maximum(max, `must be an integer from ${min} to ${max}`),
    );
const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;
const isFunction = (value: unknown) => typeof value === 'function';

// An ioredis client is told from its options by what only a client has.
export function isRedisClient(value: unknown): value is Redis {
  try {
    return (
      isObject(value) &&
      isFunction((value as { duplicate?: unknown }).duplicate) &&
      isFunction((value as { sendCommand?: unknown }).sendCommand)
    );
  } catch {
    return false;
  }
}

const schema = z.object({
  connection: z.optional(
    z.union([
      z.string().check(z.refine((url) => /^rediss?:\/\//i.test(url), 'must be a redis:// or rediss:// URL')),
      z.custom<object>(isObject, 'must be a Redis URL, ioredis options or an ioredis client'),
    ]),
  ),
  store: z.optional(
    z.union([
      z.string().check(z.minLength(1, 'must be a database URL')),
      z.custom<SchedulerStore>(
        (value) =>
          isObject(value) &&
          isObject((value as { queue?: unknown }).queue) &&
          isObject((value as { syncState?: unknown }).syncState),
        'must be a Patchbay store with a queue (store.queue), or a database URL',
      ),
    ]),
  ),
  prefix: z._default(
    z
      .string()
      .check(
        z.regex(/^[A-Za-z0-9{}][A-Za-z0-9._:{}-]{0,59}$/, 'must be 1 to 60 letters, digits or . _ : { } -'),
      ),
    'patchbay',
  ),
  logger: z.optional(
    z.custom<Logger>(
      (value) =>
        isObject(value) &&
        ['debug', 'info', 'warn', 'error'].every((level) =>
          isFunction((value as unknown as Record<string, unknown>)[level]),
        ),
      'must be a logger (debug, info, warn, error)',
    ),
  ),
  leaseMs: z._default(int(100, 3_600_000), 30_000),
  pollIntervalMs: z._default(int(10, 60_000), 500),
  operationTimeoutMs: z._default(int(100, 600_000), 10_000),
  closeTimeoutMs: z._default(int(0, 600_000), 10_000),
  runLogSize: z._default(int(10, 100_000), 1_000),
  deadLetterLimit: z._default(int(1, 1_000_000), 10_000),
});

/** The options once checked, defaults applied. */
export interface ResolvedSchedulerOptions extends Omit<z.output<typeof schema>, 'logger' | 'connection'> {
  connection: string | RedisOptions | Redis | undefined;
  logger: Logger;
}

/** Reads and checks the options; throws a `CONFIG_ERROR` naming the first wrong field. */
export function resolveSchedulerOptions(options: unknown): ResolvedSchedulerOptions {
  const label = 'scheduler options';
  const read = parseOptions(schema, optionsObject(options, { label, optional: true }), { label });
  if (isRedisClient(read.connection) && (read.connection as { isCluster?: unknown }).isCluster === true) {
    // A Cluster duplicates differently and BullMQ needs hash-tagged prefixes on it: not supported yet.
    throw new IntegrationError(
      'CONFIG_ERROR',
      `Invalid ${label}: connection: Redis Cluster is not supported yet`,
      {
        field: 'connection',
        retryable: false,
      },
    );
  }
  if (
    read.connection !== undefined &&
    typeof read.connection !== 'string' &&
    !isRedisClient(read.connection)
  ) {
    // ioredis options: a plain object whose values ioredis checks itself when it connects.
    if (Object.getPrototypeOf(read.connection) !== Object.prototype) {
      throw new IntegrationError(
        'CONFIG_ERROR',
        `Invalid ${label}: connection: must be a Redis URL, ioredis options or an ioredis client`,
        {
          field: 'connection',
          retryable: false,
        },
      );
    }
  }
  return {
    ...read,
    logger: read.logger ?? noopLogger,
    connection: read.connection as ResolvedSchedulerOptions['connection'],
  };
}
