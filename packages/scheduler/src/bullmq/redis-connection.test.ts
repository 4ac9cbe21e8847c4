import { IntegrationError, type Logger } from '@patchbay/core';
import { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../test-support/behaviour.ts';
import { requireRedis, TEST_REDIS_URL } from '../../test-support/redis.ts';
import { awaitRedis, openRedis, redisError, withRedis } from './redis-connection.ts';

beforeAll(requireRedis);

// A logger keeping what it was told.
function recordingLogger() {
  const lines: { level: string; message: string; fields?: unknown }[] = [];
  const at =
    (level: string) =>
    (message: string, fields?: unknown): void =>
      void lines.push({ level, message, fields });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

// A port nothing listens on.
const NOWHERE = 'redis://:hunter2@127.0.0.1:1';

describe('openRedis and awaitRedis', () => {
  it('connects from a URL with BullMQ’s settings, and awaitRedis resolves once it is ready', async () => {
    const client = openRedis(TEST_REDIS_URL, recordingLogger().logger);
    try {
      expect(client.options.maxRetriesPerRequest).toBeNull();
      expect(await awaitRedis(client, 5_000)).toEqual({ success: true, data: undefined });
      expect(await awaitRedis(client, 5_000)).toEqual({ success: true, data: undefined });
    } finally {
      client.disconnect();
    }
  });

  it('duplicates a client given, leaving the caller’s own open', async () => {
    const own = new Redis(TEST_REDIS_URL);
    const client = openRedis(own, recordingLogger().logger);
    try {
      expect(client).not.toBe(own);
      expect((await awaitRedis(client, 5_000)).success).toBe(true);
      client.disconnect();
      expect(await own.ping()).toBe('PONG');
    } finally {
      own.disconnect();
    }
  });

  it('answers NETWORK_ERROR for a closed connection, and after the timeout when Redis does not answer', async () => {
    const { logger, lines } = recordingLogger();
    const client = openRedis(NOWHERE, logger);
    try {
      const waited = await awaitRedis(client, 100);
      expect(!waited.success && waited.error).toMatchObject({ code: 'NETWORK_ERROR', retryable: true });
      // One warning per outage, however many reconnects fail, and never the URL.
      await until(() => lines.length > 0, 5_000, 'the warning');
      expect(lines.filter((line) => line.level === 'warn')).toHaveLength(1);
      expect(JSON.stringify(lines)).not.toContain('hunter2');
    } finally {
      client.disconnect();
    }
    await until(() => client.status === 'end', 5_000, 'the end');
    const closed = await awaitRedis(client, 100);
    expect(!closed.success && closed.error).toMatchObject({ code: 'NETWORK_ERROR', retryable: false });
  });
});

describe('withRedis', () => {
  it('answers the work’s value', async () => {
    expect(await withRedis('ping', 1_000, async () => 'PONG')).toEqual({ success: true, data: 'PONG' });
  });

  it('answers TIMEOUT when the work takes longer than the timeout', async () => {
    const never = new Promise<string>(() => undefined);
    const result = await withRedis('schedule', 50, () => never);
    expect(!result.success && result.error).toMatchObject({ code: 'TIMEOUT', retryable: true });
    expect(!result.success && result.error.message).toContain('schedule');
  });

  it('answers a typed error for a rejection', async () => {
    const result = await withRedis('enqueue', 1_000, async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
    });
    expect(!result.success && result.error).toMatchObject({ code: 'NETWORK_ERROR', retryable: true });
  });
});

describe('redisError', () => {
  it('keeps an IntegrationError as it is', () => {
    const typed = new IntegrationError('TIMEOUT', 'slow');
    expect(redisError('x', typed)).toBe(typed);
  });

  it('reads lost connections as NETWORK_ERROR, by message or code', () => {
    expect(redisError('runs', new Error('Connection is closed.'))).toMatchObject({
      code: 'NETWORK_ERROR',
      message: 'Redis is not reachable (runs)',
      retryable: true,
    });
    expect(redisError('runs', Object.assign(new Error('boom'), { code: 'ECONNRESET' })).code).toBe(
      'NETWORK_ERROR',
    );
  });

  it('reads anything else as OPERATION_FAILED with a clipped message, keeping the cause', () => {
    const cause = new Error(`WRONGTYPE ${'x'.repeat(500)}`);
    const error = redisError('enqueue', cause);
    expect(error).toMatchObject({ code: 'OPERATION_FAILED', retryable: false });
    expect(error.message.startsWith('Redis refused enqueue: WRONGTYPE')).toBe(true);
    expect(error.message.length).toBeLessThan(350);
    expect(error.cause).toBe(cause);
    expect(redisError('x', 'text').message).toBe('Redis refused x: text');
  });
});
