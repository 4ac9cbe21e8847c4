// The QueueStore contract on a real PostgreSQL, on the server's clock: leases and delays lapse in real time. Every
// store of a test shares one schema, so two stores (two pools) race as two processes would; a separate test races
// four processes of two connections each.
import type { QueueStore } from '@patchbay/core/store';
import { describeQueueStoreContract } from '@patchbay/core/testing';
import { expect, it } from 'vitest';
import { startChild } from '../test-support/children.ts';
import { describePostgres, randomSchema, TEST_URL, useFreshStores } from '../test-support/postgres.ts';
import type { PostgresStore } from './store.ts';

describePostgres('postgres queue', () => {
  const { open, admin } = useFreshStores();
  // A schema per test (useFreshStores drops it afterwards), shared by the stores the test opens.
  let schema = randomSchema();
  const parents = new Map<QueueStore, PostgresStore>();

  describeQueueStoreContract(
    'postgres',
    async () => {
      const store = open({ schema });
      parents.set(store.queue, store);
      return store.queue;
    },
    {
      leaseMs: 1_000,
      close: (queue) => {
        parents.delete(queue);
        if (parents.size === 0) schema = randomSchema();
      },
    },
  );

  it('stores the payload as text with its UTF-8 byte length, in enqueue order', async () => {
    const shared = randomSchema();
    const store = open({ schema: shared });
    expect(
      await store.queue.enqueue('events', [
        { id: 'b', payload: 'é🙂' },
        { id: 'a', payload: '"quoted" \\ {braces}, commas' },
      ]),
    ).toEqual({ success: true, data: { added: 2 } });
    const rows = await admin()`
      select id, payload, bytes, owner, attempts from ${admin()(shared)}.queue_messages order by seq`;
    expect(rows).toEqual([
      { id: 'b', payload: 'é🙂', bytes: 6, owner: null, attempts: 0 },
      { id: 'a', payload: '"quoted" \\ {braces}, commas', bytes: 27, owner: null, attempts: 0 },
    ]);
  });

  it('claims in the order of enqueue, not of ids, and never deadlocks two enqueues of the same ids', async () => {
    const shared = randomSchema();
    const a = open({ schema: shared, poolSize: 4 });
    const b = open({ schema: shared, poolSize: 4 });
    // Ids in an order unrelated to their text: the rows are inserted in id order, `seq` in the caller's.
    const messages = Array.from({ length: 5_000 }, (_, i) => ({
      id: `${(i * 7_919) % 5_000}-${crypto.randomUUID()}`,
      payload: String(i),
    }));
    const reversed = [...messages].reverse();
    // Six enqueues of the same 5 000 ids at once, in opposite orders: ids are locked in one order by all.
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 ? a : b).queue.enqueue('order', i % 2 ? reversed : messages),
      ),
    );
    expect(results.map((result) => result.success || result.error.code)).toEqual(results.map(() => true));
    expect(results.reduce((sum, result) => sum + (result.success ? result.data.added : 0), 0)).toBe(5_000);
    const claimed = await a.queue.claim('order', { owner: 'o', limit: 10_000, leaseMs: 60_000 });
    expect(claimed.success).toBe(true);
    if (!claimed.success) return;
    // Whichever enqueue won wrote all 5 000 in its own order.
    const ids = claimed.data.map((message) => message.id);
    const expected = ids[0] === messages[0]!.id ? messages : reversed;
    expect(ids).toEqual(expected.map((message) => message.id));
  });

  it('answers OPERATION_FAILED, not a throw, once the store is closed', async () => {
    const store = open();
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

  it('hands each of 4 000 messages to exactly one claim of 4 processes with 2 connections each', async () => {
    const shared = randomSchema();
    const store = open({ schema: shared });
    const total = 4_000;
    const messages = Array.from({ length: total }, (_, i) => ({ id: `m${i}`, payload: `{"n":${i}}` }));
    expect(await store.queue.enqueue('race', messages)).toEqual({ success: true, data: { added: total } });
    const children = Array.from({ length: 4 }, (_, i) =>
      startChild('queue-claim', {
        url: TEST_URL,
        schema: shared,
        queue: 'race',
        owner: `p${i}`,
        limit: 20,
        loops: 2,
      }),
    );
    try {
      await Promise.all(children.map((child) => child.next('ready')));
      for (const child of children) child.send('go');
      const replies = await Promise.all(children.map((child) => child.next('claimed', 60_000)));
      const loops = replies.flatMap((reply) => reply.loops as { ids: string[]; error?: string }[]);
      expect(loops.map((loop) => loop.error)).toEqual(loops.map(() => undefined));
      const all = loops.flatMap((loop) => loop.ids);
      expect(all).toHaveLength(total);
      expect(new Set(all).size).toBe(total);
      // They really raced: several processes got messages.
      expect(
        replies.filter((reply) => (reply.loops as { ids: string[] }[]).some((l) => l.ids.length > 0)).length,
      ).toBeGreaterThan(1);
      expect(await store.queue.stats('race')).toMatchObject({
        success: true,
        data: { count: total, claimed: total },
      });
      await Promise.all(children.map((child) => child.exited));
    } finally {
      for (const child of children) child.process.kill('SIGKILL');
    }
  });
});
