import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, expect, it } from 'vitest';
import { describeRedis, TEST_URL, usePrefixes } from '../test-support/redis.ts';
import { type Connection, luaScript, openConnection } from './connection.ts';
import { resolveRedisStoreOptions } from './options.ts';

// A script no Redis has seen yet (its own comment gives it its own hash), so the first run finds it missing.
const ECHO = luaScript(`-- ${randomUUID()}\nreturn redis.call('SET', KEYS[1], ARGV[1])`);

describeRedis('openConnection', () => {
  const { prefix, admin } = usePrefixes();
  const opened: Connection[] = [];
  const open = (options: Parameters<typeof resolveRedisStoreOptions>[0]) => {
    const connection = openConnection(resolveRedisStoreOptions(options, 'test store'));
    opened.push(connection);
    return connection;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((connection) => connection.close()));
  });

  it('names keys <prefix><kind>:<name>, and gives a name that is not well-formed text a key no text can equal', () => {
    const connection = open({ url: TEST_URL, prefix: 'app:' });
    expect(connection.key('bucket', 'crm')).toBe('app:bucket:crm');
    const odd = connection.key('bucket', 'a\ud800');
    expect(Buffer.isBuffer(odd)).toBe(true);
    expect((odd as Buffer).subarray(0, 'app:bucket:'.length).toString()).toBe('app:bucket:');
    expect((odd as Buffer)['app:bucket:'.length]).toBe(0xff);
    expect(connection.key('bucket', 'a\udc00')).not.toEqual(odd);
  });

  it('runs commands, answering their value', async () => {
    const connection = open({ url: TEST_URL });
    expect(await connection.run('ping', (client) => client.ping())).toEqual({ success: true, data: 'PONG' });
  });

  it('runs a script by hash, loading it when Redis does not have it', async () => {
    const connection = open({ url: TEST_URL });
    const key = `${prefix()}script`;
    expect(await admin().script('EXISTS', ECHO.sha)).toEqual([0]);
    const first = await connection.run('set', (client) => connection.script(client, ECHO, key, ['one']));
    expect(first).toEqual({ success: true, data: 'OK' });
    expect(await admin().script('EXISTS', ECHO.sha)).toEqual([1]);
    await connection.run('set', (client) => connection.script(client, ECHO, key, ['two']));
    expect(await admin().get(key)).toBe('two');
  });

  it('answers a typed error for a failing command, without the URL’s password', async () => {
    const connection = open({ url: 'redis://:hunter2@127.0.0.1:1' });
    const failed = await connection.run('ping', (client) => client.ping());
    expect(!failed.success && failed.error.code).toBe('NETWORK_ERROR');
    expect(JSON.stringify(!failed.success && failed.error)).not.toContain('hunter2');
    const refused = await open({ url: TEST_URL }).run('script', (client) =>
      client.eval('return redis.error_reply("ERR no")', 0),
    );
    expect(!refused.success && refused.error).toMatchObject({ code: 'OPERATION_FAILED', retryable: false });
  });

  it('closes its own client, and answers calls after close as closed', async () => {
    const connection = open({ url: TEST_URL });
    await connection.run('ping', (client) => client.ping());
    await connection.close();
    await connection.close();
    const after = await connection.run('ping', (client) => client.ping());
    expect(!after.success && after.error).toMatchObject({ code: 'OPERATION_FAILED', retryable: false });
    expect(!after.success && after.error.message).toContain('the store is closed');
  });

  it('leaves a client you passed open', async () => {
    const own = new Redis(TEST_URL);
    try {
      const connection = open({ client: own });
      await connection.close();
      expect(await own.ping()).toBe('PONG');
    } finally {
      own.disconnect();
    }
  });

  it('throws a CONFIG_ERROR naming url when ioredis cannot read it', () => {
    expect(() =>
      openConnection({ url: 'redis://h:notaport', client: undefined, prefix: 'p:', read: {} }),
    ).toThrow(expect.objectContaining({ code: 'CONFIG_ERROR', field: 'url' }));
  });
});
