import { noopLogger } from '@patchbay/core';
import { createMemoryStore } from '@patchbay/core/store';
import { thrownBy } from '@patchbay/core/testing';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { isRedisClient, resolveSchedulerOptions } from './scheduler-options.ts';

// What `run` threw: the tests expect a CONFIG_ERROR.
const configError = (run: () => unknown) =>
  thrownBy(run) as { code: string; field?: string; message: string };

describe('resolveSchedulerOptions', () => {
  it('applies the defaults (embedded: no connection)', () => {
    expect(resolveSchedulerOptions(undefined)).toEqual({
      prefix: 'patchbay',
      leaseMs: 30_000,
      pollIntervalMs: 500,
      operationTimeoutMs: 10_000,
      closeTimeoutMs: 10_000,
      runLogSize: 1_000,
      deadLetterLimit: 10_000,
      logger: noopLogger,
      connection: undefined,
    });
  });

  it('keeps a Redis URL, ioredis options, a store and a logger as given', () => {
    const store = createMemoryStore();
    const logger = { debug() {}, info() {}, warn() {}, error() {} };
    expect(resolveSchedulerOptions({ connection: 'rediss://h:6380' }).connection).toBe('rediss://h:6380');
    expect(resolveSchedulerOptions({ connection: { host: 'h', port: 1 } }).connection).toEqual({
      host: 'h',
      port: 1,
    });
    const resolved = resolveSchedulerOptions({ store, logger, prefix: '{jobs}:a' });
    expect(resolved.store).toBe(store);
    expect(resolved.logger).toBe(logger);
    expect(resolved.prefix).toBe('{jobs}:a');
  });

  it('names the wrong field without quoting its value (a URL may carry a password)', () => {
    const url = configError(() => resolveSchedulerOptions({ connection: 'http://user:hunter2@h' }));
    expect(url).toMatchObject({ code: 'CONFIG_ERROR', field: 'connection' });
    expect(url.message).not.toContain('hunter2');
    expect(configError(() => resolveSchedulerOptions({ connection: new Date() }))).toMatchObject({
      field: 'connection',
    });
    expect(configError(() => resolveSchedulerOptions({ store: { queue: 1 } })).field).toBe('store');
    expect(configError(() => resolveSchedulerOptions({ prefix: 'has space' })).field).toBe('prefix');
    expect(configError(() => resolveSchedulerOptions({ logger: { info() {} } })).field).toBe('logger');
    expect(configError(() => resolveSchedulerOptions({ leaseMs: 99 })).field).toBe('leaseMs');
    expect(configError(() => resolveSchedulerOptions({ runLogSize: 1.5 })).field).toBe('runLogSize');
    expect(configError(() => resolveSchedulerOptions('redis://h')).code).toBe('CONFIG_ERROR');
  });

  it('refuses a Redis Cluster client', () => {
    const cluster = { duplicate() {}, sendCommand() {}, isCluster: true };
    expect(configError(() => resolveSchedulerOptions({ connection: cluster }))).toMatchObject({
      code: 'CONFIG_ERROR',
      field: 'connection',
    });
  });
});

describe('isRedisClient', () => {
  it('is true for an ioredis client and false for its options or a hostile object', () => {
    const client = new Redis({ lazyConnect: true });
    expect(isRedisClient(client)).toBe(true);
    client.disconnect();
    expect(isRedisClient({ host: 'h' })).toBe(false);
    expect(isRedisClient(null)).toBe(false);
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
      },
    );
    expect(isRedisClient(hostile)).toBe(false);
  });
});
