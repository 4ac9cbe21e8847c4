import { thrownBy } from '@patchbay/core/testing';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { resolveRedisStoreOptions, urlSecrets } from './options.ts';

const LABEL = 'Redis test store options';

// What `run` threw: the tests expect a CONFIG_ERROR.
const configError = (run: () => unknown) =>
  thrownBy(run) as { code: string; field?: string; message: string };

describe('resolveRedisStoreOptions', () => {
  it('takes a URL or a client, and defaults the prefix', () => {
    expect(resolveRedisStoreOptions({ url: 'rediss://h:6380/2' }, LABEL)).toMatchObject({
      url: 'rediss://h:6380/2',
      client: undefined,
      prefix: 'patchbay:',
    });
    const client = new Redis({ lazyConnect: true });
    const resolved = resolveRedisStoreOptions({ client, prefix: 'app:' }, LABEL);
    expect(resolved.client).toBe(client);
    expect(resolved.prefix).toBe('app:');
    expect(resolved.read).toMatchObject({ prefix: 'app:' });
    client.disconnect();
  });

  it('wants exactly one of url and client, naming the missing or extra one', () => {
    expect(configError(() => resolveRedisStoreOptions({}, LABEL))).toMatchObject({
      code: 'CONFIG_ERROR',
      field: 'url',
    });
    const client = new Redis({ lazyConnect: true });
    expect(configError(() => resolveRedisStoreOptions({ url: 'redis://h', client }, LABEL)).field).toBe(
      'client',
    );
    client.disconnect();
  });

  it('refuses a URL of another scheme without quoting it', () => {
    const error = configError(() => resolveRedisStoreOptions({ url: 'http://:hunter2@h' }, LABEL));
    expect(error).toMatchObject({ code: 'CONFIG_ERROR', field: 'url' });
    expect(error.message).not.toContain('hunter2');
    expect(configError(() => resolveRedisStoreOptions({ url: 'redis://a b' }, LABEL)).field).toBe('url');
  });

  it('refuses what is not an ioredis client, and a prefix that is not plain text of at most 256', () => {
    const notClient = { get() {}, set() {} } as unknown as Redis;
    expect(configError(() => resolveRedisStoreOptions({ client: notClient }, LABEL)).field).toBe('client');
    for (const prefix of ['x'.repeat(257), 'a\u0000', 'a\ud800', 7 as unknown as string]) {
      expect(configError(() => resolveRedisStoreOptions({ url: 'redis://h', prefix }, LABEL)).field).toBe(
        'prefix',
      );
    }
    expect(configError(() => resolveRedisStoreOptions(null as never, LABEL)).code).toBe('CONFIG_ERROR');
  });
});

describe('urlSecrets', () => {
  it('is nothing without a URL, and the whole URL when it has no user info', () => {
    expect(urlSecrets(undefined)).toEqual([]);
    expect(urlSecrets('redis://h:6379')).toEqual(['redis://h:6379']);
  });

  it('gives the password raw and percent-decoded, with or without a user', () => {
    expect(urlSecrets('redis://:p%40ss@h')).toEqual(['redis://:p%40ss@h', 'p%40ss', 'p@ss']);
    expect(urlSecrets('redis://user:pw@h')).toEqual(['redis://user:pw@h', 'pw']);
    expect(urlSecrets('redis://lonepw@h')).toEqual(['redis://lonepw@h', 'lonepw']);
  });

  it('keeps the raw form of a malformed escape', () => {
    expect(urlSecrets('redis://:bad%zz@h')).toEqual(['redis://:bad%zz@h', 'bad%zz']);
  });
});
