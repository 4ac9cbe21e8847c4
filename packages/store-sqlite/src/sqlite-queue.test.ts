import type { ChildProcess } from 'node:child_process';
import { DatabaseSync } from 'node:sqlite';
import type { QueueStore } from '@patchbay/core/store';
import { createManualClock, describeQueueStoreContract } from '@patchbay/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { forkScript, spawnScript } from '../test-support/child.ts';
import { removeTempDbs, tempDbPath } from '../test-support/temp-db.ts';
import { createSqliteStore, type SqliteStore } from './sqlite-store.ts';

afterAll(removeTempDbs);

// Every store the factory opens is kept with its queue, to close it after the test.
function factoryOn(path: string, now?: () => number) {
  const parents = new Map<QueueStore, SqliteStore>();
  return {
    factory: async () => {
      const store = createSqliteStore({ path, ...(now ? { now } : {}) });
      parents.set(store.queue, store);
      return store.queue;
    },
    close: async (queue: QueueStore) => {
      await parents.get(queue)?.close();
      parents.delete(queue);
    },
  };
}

// One file per suite, shared by the stores of a test: the contract races two stores (two connections).
const clock = createManualClock();
const withClock = factoryOn(tempDbPath(), clock.now);
describeQueueStoreContract('sqlite file, manual clock', withClock.factory, { clock, close: withClock.close });
const realTime = factoryOn(tempDbPath());
describeQueueStoreContract('sqlite file, real time', realTime.factory, { close: realTime.close });
describeQueueStoreContract('sqlite :memory:', async () => sharedMemory.queue);
const sharedMemory = createSqliteStore({ path: ':memory:' });
afterAll(() => sharedMemory.close());

const read = <T>(path: string, query: (db: DatabaseSync) => T): T => {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return query(db);
  } finally {
    db.close();
  }
};

describe('sqlite queue', () => {
  it('keeps messages, claims and attempts across closing and reopening the file', async () => {
    const path = tempDbPath();
    const first = createSqliteStore({ path });
    await first.queue.enqueue('events', [
      { id: 'a', payload: '{"n":1}' },
      { id: 'b', payload: '{"n":2}' },
    ]);
    expect(await first.queue.claim('events', { owner: 'one', limit: 1, leaseMs: 60_000 })).toMatchObject({
      success: true,
      data: [{ id: 'a', attempts: 1 }],
    });
    await first.close();
    const second = createSqliteStore({ path });
    expect(await second.queue.claim('events', { owner: 'two', limit: 10, leaseMs: 60_000 })).toMatchObject({
      success: true,
      data: [{ id: 'b', payload: '{"n":2}', attempts: 1 }],
    });
    expect(await second.queue.stats('events')).toMatchObject({
      success: true,
      data: { count: 2, claimed: 2 },
    });
    await second.close();
  });

  it('stores the payload as text with its UTF-8 byte length', async () => {
    const path = tempDbPath();
    const store = createSqliteStore({ path });
    await store.queue.enqueue('events', [{ id: 'a', payload: 'é🙂' }]);
    await store.close();
    expect(
      read(path, (db) => db.prepare('SELECT payload, bytes, typeof(payload) AS t FROM queue_messages').get()),
    ).toEqual({ payload: 'é🙂', bytes: 6, t: 'text' });
  });

  it('walks a queue in enqueue order through its index, without sorting', async () => {
    const path = tempDbPath();
    await createSqliteStore({ path }).close();
    const plan = read(path, (db) =>
      db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT seq, bytes FROM queue_messages
           WHERE queue = 'q' AND available_at <= 0 ORDER BY seq LIMIT 10`,
        )
        .all()
        .map((row) => String(row.detail))
        .join('\n'),
    );
    expect(plan).toContain('USING INDEX queue_messages_order');
    expect(plan).not.toContain('TEMP B-TREE');
  });

  it('answers OPERATION_FAILED, not a throw, once the store is closed', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    await store.close();
    for (const result of [
      await store.queue.enqueue('q', [{ id: 'a', payload: 'x' }]),
      await store.queue.claim('q', { owner: 'o', limit: 1, leaseMs: 1_000 }),
      await store.queue.ack('q', ['a']),
      await store.queue.release('q', ['a']),
      await store.queue.stats('q'),
    ]) {
      expect(result).toMatchObject({ success: false, error: { code: 'OPERATION_FAILED' } });
    }
  });
});

// Four processes claiming from one queue at once: BEGIN IMMEDIATE serializes their claims on the file's write
// lock, so every message is claimed by exactly one of them.
describe('sqlite queue: claims from several processes', () => {
  it('hands each of 3 000 messages to exactly one of 4 processes', async () => {
    const path = tempDbPath();
    const setup = createSqliteStore({ path });
    const total = 3_000;
    const messages = Array.from({ length: total }, (_, i) => ({ id: `m${i}`, payload: `{"n":${i}}` }));
    expect(await setup.queue.enqueue('race', messages)).toEqual({ success: true, data: { added: total } });
    await setup.close();

    const children = Array.from({ length: 4 }, (_, i) =>
      forkScript('queue-child.ts', ['claim', path, 'race', `p${i}`, '25']),
    );
    const replies = children.map(
      (child) =>
        new Promise<{ ids?: string[]; error?: string }>((resolve) => {
          child.on('message', (message) => {
            if (message !== 'ready') resolve(message as { ids?: string[]; error?: string });
          });
        }),
    );
    const ready = children.map(
      (child) => new Promise<void>((resolve) => child.on('message', (m) => m === 'ready' && resolve())),
    );
    await Promise.all(ready);
    const startAt = Date.now() + 200;
    for (const child of children) child.send(startAt);
    const results = await Promise.all(replies);
    await Promise.all(children.map((child) => exited(child)));

    expect(results.map((result) => result.error)).toEqual([undefined, undefined, undefined, undefined]);
    const all = results.flatMap((result) => result.ids ?? []);
    expect(all).toHaveLength(total);
    expect(new Set(all).size).toBe(total);
    // They really raced: more than one process got messages.
    expect(results.filter((result) => (result.ids?.length ?? 0) > 0).length).toBeGreaterThan(1);
  });
});

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

describe('sqlite queue: crash safety', () => {
  it('keeps each 1 000-message enqueue all or none when the process is SIGKILLed mid-write, 4 times', async () => {
    const path = tempDbPath();
    for (let run = 0; run < 4; run++) {
      const queue = `crash-${run}`;
      const child = spawnScript('queue-child.ts', ['enqueue', path, queue, '1000']);
      const lines: string[] = [];
      let buffered = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const parts = buffered.split('\n');
        buffered = parts.pop() ?? '';
        lines.push(...parts);
      });
      // Let a few batches commit, then kill it at a random point.
      const deadline = Date.now() + 20_000;
      while (!lines.includes('committed 2') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 50));
      const gone = exited(child);
      child.kill('SIGKILL');
      await gone;

      const committed = Math.max(
        -1,
        ...lines.filter((l) => l.startsWith('committed ')).map((l) => Number(l.slice(10))),
      );
      expect(committed).toBeGreaterThanOrEqual(2);
      const counts = read(path, (db) =>
        db
          .prepare(
            `SELECT substr(id, 1, instr(id, '-') - 1) AS round, count(*) AS n FROM queue_messages
             WHERE queue = ? GROUP BY round`,
          )
          .all(queue)
          .map((row) => ({ round: String(row.round), n: Number(row.n) })),
      );
      for (const { n } of counts) expect(n).toBe(1_000);
      expect(counts.length).toBeGreaterThanOrEqual(committed + 1);
    }
    // The file opens cleanly and the queue works on.
    const store = createSqliteStore({ path });
    expect(await store.queue.enqueue('crash-0', [{ id: 'after', payload: '' }])).toEqual({
      success: true,
      data: { added: 1 },
    });
    await store.close();
  });
});
