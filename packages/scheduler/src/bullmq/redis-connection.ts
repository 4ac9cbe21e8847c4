// The scheduler's own Redis connection and how its failures read. BullMQ needs `maxRetriesPerRequest: null`
// (a worker's commands wait through a reconnect instead of failing), which also means a command sent while Redis
// is down waits for ever: every public call therefore waits for the connection at most operationTimeoutMs and
// answers a typed error, never hangs and never throws. Nothing here quotes the URL (it may hold a password).
import { type ApiResult, err, IntegrationError, isIntegrationError, type Logger, ok } from '@patchbay/core';
import { Redis, type RedisOptions } from 'ioredis';
import { isRedisClient } from '../scheduler-options.ts';

/** Opens the scheduler's connection: a duplicate of a client given (the caller's stays theirs), or a new one. */
export function openRedis(connection: string | RedisOptions | Redis, logger: Logger): Redis {
  const overrides: RedisOptions = { maxRetriesPerRequest: null, lazyConnect: false };
  const client = isRedisClient(connection)
    ? connection.duplicate(overrides)
    : typeof connection === 'string'
      ? new Redis(connection, overrides)
      : new Redis({ ...connection, ...overrides });
  // Without a listener ioredis prints every failed reconnect; one line per outage is enough.
  let down = false;
  client.on('error', (error: unknown) => {
    if (down) return;
    down = true;
    logger.warn('Scheduler: Redis is not reachable; retrying', { code: errorCode(error) });
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info('Scheduler: Redis is reachable again');
  });
  return client;
}

/** Resolves once the connection is ready, or a `NETWORK_ERROR` after `timeoutMs`. */
export async function awaitRedis(client: Redis, timeoutMs: number): Promise<ApiResult<void>> {
  if (client.status === 'ready') return ok(undefined);
  if (client.status === 'end' || client.status === 'close') {
    return err(
      new IntegrationError('NETWORK_ERROR', 'The scheduler’s Redis connection is closed', {
        retryable: false,
      }),
    );
  }
  return new Promise((resolve) => {
    const done = (result: ApiResult<void>) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(result);
    };
    const onReady = () => done(ok(undefined));
    const timer = setTimeout(
      () =>
        done(
          err(
            new IntegrationError('NETWORK_ERROR', `Redis did not answer within ${timeoutMs} ms`, {
              retryable: true,
            }),
          ),
        ),
      timeoutMs,
    );
    client.on('ready', onReady);
  });
}

/**
 * Runs one Redis operation within `timeoutMs`: its failure as a typed error (`NETWORK_ERROR` for a lost
 * connection, `TIMEOUT` when it took too long, `OPERATION_FAILED` otherwise). A timed-out write may still
 * happen later: calls are safe to repeat (job ids and schedule ids make them idempotent).
 */
export async function withRedis<T>(
  operation: string,
  timeoutMs: number,
  work: () => Promise<T>,
): Promise<ApiResult<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new IntegrationError('TIMEOUT', `Redis did not complete ${operation} within ${timeoutMs} ms`, {
              retryable: true,
            }),
          ),
        timeoutMs,
      );
    });
    return ok(await Promise.race([work(), timeout]));
  } catch (error) {
    return err(redisError(operation, error));
  } finally {
    clearTimeout(timer);
  }
}

const NETWORK =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|Connection is closed|Stream isn't writeable|MaxRetriesPerRequest/i;

/** A Redis or BullMQ failure as an IntegrationError; the original kept as `cause`. */
export function redisError(operation: string, error: unknown): IntegrationError {
  if (isIntegrationError(error)) return error;
  const message = errorMessage(error);
  if (NETWORK.test(message) || NETWORK.test(errorCode(error))) {
    return new IntegrationError('NETWORK_ERROR', `Redis is not reachable (${operation})`, {
      cause: error,
      retryable: true,
    });
  }
  return new IntegrationError('OPERATION_FAILED', `Redis refused ${operation}: ${message.slice(0, 300)}`, {
    cause: error,
    retryable: false,
  });
}

function errorMessage(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'unknown error';
  }
}

function errorCode(error: unknown): string {
  try {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : '';
  } catch {
    return '';
  }
}
