import { gunzipSync } from 'node:zlib';
import { createHttpClient, noopLogger } from '@patchbay/core';
import { createMemoryStore } from '@patchbay/core/store';
import { describe, expect, it } from 'vitest';
import { createOutboxSender } from './outbox-sender.ts';

const id = (index: number) => `0190e3f2-7a7b-7c00-8000-${String(index).padStart(12, '0')}`;

function setUp(answer: (events: { uuid: string }[]) => Response | Promise<Response>) {
  const store = createMemoryStore();
  const sentUuids: string[] = [];
  const http = createHttpClient({
    baseUrl: 'https://us.i.posthog.com',
    retry: false,
    idempotency: false,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      const body = JSON.parse(gunzipSync(new Uint8Array(await request.arrayBuffer())).toString('utf8'));
      const response = await answer(body.batch);
      if (response.ok) sentUuids.push(...body.batch.map((event: { uuid: string }) => event.uuid));
      return response;
    },
  });
  const sender = (owner: string) =>
    createOutboxSender({
      queue: store.queue,
      queueName: 'q',
      deadLetterQueueName: 'q:dead',
      http,
      projectApiKey: 'phc_key',
      gzip: true,
      batchSize: 10,
      maxBatchBytes: 1_000_000,
      leaseMs: 60_000,
      owner,
      retryDelay: { initialDelayMs: 1_000, maxDelayMs: 8_000 },
      now: Date.now,
      logger: noopLogger,
    });
  const fill = (count: number) =>
    store.queue.enqueue(
      'q',
      Array.from({ length: count }, (_, index) => ({
        id: id(index),
        payload: JSON.stringify({ uuid: id(index), event: 'e', distinct_id: 'd' }),
      })),
    );
  return { store, sender, fill, sentUuids };
}

describe('createOutboxSender', () => {
  it('deletes a batch from the outbox only after a 2xx', async () => {
    const { store, sender, fill, sentUuids } = setUp(() => Response.json({ status: 'Ok' }));
    await fill(25);
    const one = sender('a');
    expect(await one.round()).toEqual({ success: true, data: { claimed: 10, sent: 10 } });
    const stats = await store.queue.stats('q');
    expect(stats.success && stats.data.count).toBe(15);
    expect(sentUuids).toEqual(Array.from({ length: 10 }, (_, index) => id(index)));
  });

  it('gives a failed batch back with a delay, and counts the retry', async () => {
    const { store, sender, fill } = setUp(() => new Response('down', { status: 503 }));
    await fill(5);
    const one = sender('a');
    const round = await one.round();
    expect(!round.success && [round.error.code, round.error.retryable]).toEqual(['SERVER_ERROR', true]);
    expect(!round.success && round.error.retryAfterMs).toBeGreaterThanOrEqual(500);
    expect(one.counts.retries).toBe(1);
    const stats = await store.queue.stats('q');
    expect(stats.success && [stats.data.count, stats.data.claimed]).toEqual([5, 0]);
    // Given back with a delay: not claimable at once.
    expect(await one.round()).toEqual({ success: true, data: { claimed: 0, sent: 0 } });
  });

  it('never sends one event from two processes at once: the claim is a lease', async () => {
    let inFlight = 0;
    const { sender, fill, sentUuids } = setUp(async () => {
      inFlight += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return Response.json({ status: 'Ok' });
    });
    await fill(100);
    const senders = [sender('a'), sender('b'), sender('c')];
    for (let turn = 0; turn < 5; turn += 1) await Promise.all(senders.map((one) => one.round()));
    expect(sentUuids.length).toBe(100);
    expect(new Set(sentUuids).size).toBe(100);
    expect(inFlight).toBe(0);
  });

  it('moves an event PostHog refuses alone to the dead-letter queue with the reason', async () => {
    const { store, sender, fill } = setUp((events) =>
      events.some((event) => event.uuid === id(3))
        ? new Response('bad', { status: 400 })
        : Response.json({ status: 'Ok' }),
    );
    await fill(8);
    const one = sender('a');
    const round = await one.round();
    expect(round).toEqual({ success: true, data: { claimed: 8, sent: 7 } });
    expect(one.counts).toMatchObject({ sent: 7, rejected: 1 });
    const dead = await store.queue.claim('q:dead', { owner: 'x', limit: 5, leaseMs: 1_000 });
    if (!dead.success) throw dead.error;
    expect(dead.data.map((message) => message.id)).toEqual([id(3)]);
    expect(JSON.parse(dead.data[0]?.payload ?? '{}')).toMatchObject({
      error: { status: 400 },
      event: { uuid: id(3) },
    });
    const left = await store.queue.stats('q');
    expect(left.success && left.data.count).toBe(0);
  });
});
