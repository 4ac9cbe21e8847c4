import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { describePostgres, TEST_URL, urlWith, useFreshStores } from '../test-support/postgres.ts';
import { retryReplayedFatal } from './database.ts';
import { createPostgresStore } from './store.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describePostgres('connections', () => {
  const { open, admin } = useFreshStores();

  const backends = async (applicationName: string) =>
    admin()<{ pid: number; wait_event_type: string | null; state: string | null }[]>`
      select pid, wait_event_type, state from pg_stat_activity where application_name = ${applicationName}`;

  async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const value = await probe();
      if (value !== undefined) return value;
      await sleep(10);
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  it('turns a connection killed mid-query into a retryable NETWORK_ERROR, then reconnects', async () => {
    const applicationName = `pb-reconnect-${Date.now()}`;
    const store = open({ connectionString: urlWith({ application_name: applicationName }), poolSize: 1 });
    expect((await store.syncState.setCheckpoint('people', 'before')).success).toBe(true);
    const [before] = await backends(applicationName);

    // Hold a lock so the store's next query waits inside the server, then kill its backend from outside.
    const blocker = await admin().reserve();
    const schema = (
      await admin()<{ s: string }[]>`
      select nspname as s from pg_namespace n join pg_class c on c.relnamespace = n.oid
      where c.relname = 'checkpoints' and nspname like 'pb_test_%'
      order by c.oid desc limit 1`
    )[0]!.s;
    let failed: Awaited<ReturnType<typeof store.syncState.setCheckpoint>>;
    try {
      await blocker`begin`;
      await blocker.unsafe(`lock table "${schema}".checkpoints in access exclusive mode`);
      const pending = store.syncState.setCheckpoint('people', 'during');
      const waiting = await until(async () => {
        const rows = await backends(applicationName);
        return rows.find((row) => row.wait_event_type === 'Lock');
      }, 'the store to block on the lock');
      await admin()`select pg_terminate_backend(${waiting.pid})`;
      failed = await pending;
    } finally {
      await blocker`rollback`;
      blocker.release();
    }
    // The server's FATAL 57P01 and the socket closing race; the driver reports whichever comes first.
    expect(failed).toMatchObject({ success: false, error: { code: 'NETWORK_ERROR', retryable: true } });

    // The pool opens a new connection for the next call: no reopening of the store needed.
    expect(await store.syncState.setCheckpoint('people', 'after')).toEqual({
      success: true,
      data: undefined,
    });
    expect(await store.syncState.getCheckpoint('people')).toEqual({ success: true, data: 'after' });
    const [after] = await backends(applicationName);
    expect(after?.pid).toBeDefined();
    expect(after?.pid).not.toBe(before?.pid);
  });

  it('reconnects after idle connections were terminated: at most one call fails, with a retryable error', async () => {
    const applicationName = `pb-idle-${Date.now()}`;
    const store = open({ connectionString: urlWith({ application_name: applicationName }), poolSize: 2 });
    const scope = { integration: 'a', objectType: 'b' };
    for (let round = 0; round < 5; round++) {
      expect(await store.mappings.count(scope)).toEqual({ success: true, data: 0 });
      await admin()`
        select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${applicationName}`;
      await until(
        async () => ((await backends(applicationName)).length === 0 ? true : undefined),
        'the backend to go',
      );
      // The server's goodbye and the socket's end can still be on their way: a call sent in between meets a
      // dead socket. It gets a typed, retryable error (never a throw), and the call after it reconnects.
      const next = await store.mappings.count(scope);
      if (!next.success) {
        expect(next.error).toMatchObject({ code: 'NETWORK_ERROR', retryable: true });
        expect(await store.mappings.count(scope)).toEqual({ success: true, data: 0 });
      }
    }
  });

  it('reports a role that does not exist as AUTH_ERROR, never printing the password', async () => {
    const url = new URL(TEST_URL);
    url.username = 'pb_no_such_role';
    url.password = 'hunter2-S3cret@x';
    const store = createPostgresStore({ connectionString: url.toString() });
    const result = await store.mappings.count({ integration: 'a', objectType: 'b' });
    await store.close();
    expect(result).toMatchObject({ success: false, error: { code: 'AUTH_ERROR', retryable: false } });
    if (result.success) return;
    const { inspect } = await import('node:util');
    for (const text of [
      result.error.message,
      JSON.stringify(result.error),
      inspect(result.error, { depth: 10 }),
    ]) {
      expect(text).not.toContain('hunter2');
    }
  });

  it('reports a database that does not exist as CONFIG_ERROR', async () => {
    const url = new URL(TEST_URL);
    url.pathname = '/pb_no_such_database';
    const store = createPostgresStore({ connectionString: url.toString() });
    const result = await store.ready();
    await store.close();
    expect(result).toMatchObject({ success: false, error: { code: 'CONFIG_ERROR', retryable: false } });
  });

  it('reports a refused connection as a retryable NETWORK_ERROR, never printing the password', async () => {
    // Bind then close: the port is free and nothing listens on it.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const store = createPostgresStore({
      connectionString: `postgres://app:hunter2-secret@127.0.0.1:${port}/db`,
    });
    const result = await store.syncState.getCheckpoint('x');
    await store.close();
    expect(result).toMatchObject({ success: false, error: { code: 'NETWORK_ERROR', retryable: true } });
    expect(JSON.stringify(result)).not.toContain('hunter2');
    if (!result.success) expect(result.error.message).toContain('ECONNREFUSED');
  });

  it('gives up on a server that accepts but never answers after connectTimeoutMs, as TIMEOUT', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const store = createPostgresStore({
      connectionString: `postgres://app:hunter2-secret@127.0.0.1:${port}/db`,
      connectTimeoutMs: 300,
    });
    const started = Date.now();
    const result = await store.ready();
    const elapsed = Date.now() - started;
    await store.close();
    for (const socket of sockets) socket.destroy();
    silent.close();
    expect(result).toMatchObject({ success: false, error: { code: 'TIMEOUT', retryable: true } });
    expect(elapsed).toBeLessThan(5_000);
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });
});

describe('retryReplayedFatal', () => {
  const fatal = (code: string) =>
    Object.assign(new Error('terminating connection due to administrator command'), {
      name: 'PostgresError',
      code,
      severity: 'FATAL',
    });

  it('runs the work again, once, after a replayed FATAL termination', async () => {
    let calls = 0;
    const work = async () => {
      calls++;
      if (calls === 1) throw fatal('57P01');
      return 'done';
    };
    expect(await retryReplayedFatal(work)).toBe('done');
    expect(calls).toBe(2);
  });

  it('gives up after the second failure', async () => {
    let calls = 0;
    await expect(
      retryReplayedFatal(async () => {
        calls++;
        throw fatal('57P01');
      }),
    ).rejects.toMatchObject({ code: '57P01' });
    expect(calls).toBe(2);
  });

  it('never repeats work whose connection closed under it, or that failed otherwise', async () => {
    for (const error of [
      Object.assign(new Error('write CONNECTION_CLOSED db:5432'), { code: 'CONNECTION_CLOSED' }),
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      Object.assign(new Error('duplicate key'), { name: 'PostgresError', code: '23505', severity: 'ERROR' }),
      Object.assign(new Error('starting up'), { name: 'PostgresError', code: '57P03', severity: 'FATAL' }),
    ]) {
      let calls = 0;
      await expect(
        retryReplayedFatal(async () => {
          calls++;
          throw error;
        }),
      ).rejects.toBe(error);
      expect(calls).toBe(1);
    }
  });
});
