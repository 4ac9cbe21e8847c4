// The behaviour every QueueStore shares, as vitest tests: the memory store, SQLite and PostgreSQL each run it
// against themselves, so "claimed once, oldest first, nothing lost" means the same thing everywhere.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiResult } from '../result/result.ts';
import {
  MAX_QUEUE_CLAIM_LIMIT,
  MAX_QUEUE_DELAY_MS,
  MAX_QUEUE_MESSAGE_ID_LENGTH,
  MAX_QUEUE_NAME_LENGTH,
  type QueueMessage,
  type QueueMessageInput,
  type QueueStore,
} from '../store/queue-store.ts';
import { expectOk } from './expect-result.ts';
import { hostileValues } from './hostile-values.ts';
import { watchProcessFailures } from './process-failures.ts';

/** Options of {@link describeQueueStoreContract}. */
export interface QueueStoreContractOptions {
  /**
   * The clock the store was created with (e.g. `createManualClock()` passed as its `now`). Given, leases and
   * delays lapse by advancing it, and `enqueuedAt` must be its time; otherwise the tests wait in real time.
   */
  clock?: { now: () => number; advance: (ms: number) => void | Promise<void> };
  /** Lease and delay of the claims and releases that must lapse during a test. Default 150 ms. */
  leaseMs?: number;
  /** How far a store's `enqueuedAt` may be from the test's clock (a database server's own clock). Default 5 000 ms. */
  clockToleranceMs?: number;
  /** Called after each test with every store the factory made for it, e.g. to close it. */
  close?: (store: QueueStore) => Promise<void> | void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function expectInvalid(result: ApiResult<unknown>, field: string): void {
  if (result.success) {
    expect.unreachable(`expected VALIDATION_ERROR on ${field}, got success`);
    return;
  }
  expect(result.error.name).toBe('IntegrationError');
  expect(result.error).toMatchObject({ code: 'VALIDATION_ERROR', field, retryable: false });
}

const ids = (messages: readonly QueueMessage[]) => messages.map((message) => message.id);

// `count` messages `<prefix>-000`, `<prefix>-001`… with small JSON payloads.
const messagesFor = (count: number, prefix = 'm'): QueueMessageInput[] =>
  Array.from({ length: count }, (_, i) => {
    const id = `${prefix}-${String(i).padStart(5, '0')}`;
    return { id, payload: JSON.stringify({ event: 'test', uuid: id, n: i }) };
  });

/**
 * Declares vitest suites proving that a `QueueStore` meets the contract of `@patchbay/core`: oldest enqueue
 * claimed first; enqueue idempotent per id (first copy of a batch wins) and all-or-nothing; a claim holds for its
 * lease, then lapses; release (at once, after a delay, only the owner's claims); ack by anyone; `maxBytes` in
 * UTF-8 bytes without leaving a large message stuck; stats; queues kept apart; 10 000 messages in one enqueue;
 * concurrent claims, also through two stores, never handing out one message twice; and a `VALIDATION_ERROR`
 * naming the field, with nothing written, for every bad or hostile argument. `factory` is called before every
 * test (twice in some, for two stores racing) and must return stores over ONE shared storage (one database,
 * one memory store): each test uses its own random queue names, so they do not collide.
 * @example
 * const clock = createManualClock();
 * const shared = createMemoryQueueStore({ now: clock.now });
 * describeQueueStoreContract('memory', async () => shared, { clock });
 */
export function describeQueueStoreContract(
  label: string,
  factory: () => Promise<QueueStore>,
  options: QueueStoreContractOptions = {},
): void {
  const leaseMs = options.leaseMs ?? 150;
  const tolerance = options.clockToleranceMs ?? 5_000;
  const lapse = async (ms = leaseMs) => {
    if (options.clock) await options.clock.advance(ms + 1);
    else await sleep(ms + 100);
  };
  const testNow = () => options.clock?.now() ?? Date.now();
  // Long enough to outlive a loaded machine's pauses when a claim must stay held.
  const LONG = 600_000;

  let store: QueueStore;
  let opened: QueueStore[] = [];
  let tag: string;
  const queue = (name = 'q') => `contract-${tag}:${name}`;
  const another = async () => {
    const other = await factory();
    opened.push(other);
    return other;
  };
  const claimAll = async (name: string, owner = 'worker', lease = LONG) =>
    expectOk(await store.claim(name, { owner, limit: MAX_QUEUE_CLAIM_LIMIT, leaseMs: lease }));

  describe(`${label}: QueueStore contract`, () => {
    beforeEach(async () => {
      store = await factory();
      opened = [store];
      tag = crypto.randomUUID().slice(0, 8);
    });
    afterEach(async () => {
      for (const each of opened) await options.close?.(each);
    });

    it('claims the oldest enqueue first, with its payload, enqueue time and attempt count', async () => {
      const before = testNow();
      expect(expectOk(await store.enqueue(queue(), messagesFor(3, 'a')))).toEqual({ added: 3 });
      await lapse(10);
      expect(expectOk(await store.enqueue(queue(), messagesFor(2, 'b')))).toEqual({ added: 2 });
      const after = testNow();

      const first = expectOk(await store.claim(queue(), { owner: 'one', limit: 2, leaseMs: LONG }));
      expect(ids(first)).toEqual(['a-00000', 'a-00001']);
      expect(first[0]).toEqual({
        id: 'a-00000',
        payload: JSON.stringify({ event: 'test', uuid: 'a-00000', n: 0 }),
        enqueuedAt: expect.any(Number),
        attempts: 1,
      });
      for (const message of first) {
        expect(Number.isSafeInteger(message.enqueuedAt)).toBe(true);
        if (options.clock) expect(message.enqueuedAt).toBe(before);
        else {
          expect(message.enqueuedAt).toBeGreaterThanOrEqual(before - tolerance);
          expect(message.enqueuedAt).toBeLessThanOrEqual(after + tolerance);
        }
      }
      const rest = expectOk(await store.claim(queue(), { owner: 'one', limit: 10, leaseMs: LONG }));
      expect(ids(rest)).toEqual(['a-00002', 'b-00000', 'b-00001']);
      expect(rest[1]!.enqueuedAt).toBeGreaterThanOrEqual(rest[0]!.enqueuedAt);
      if (options.clock) expect(rest[1]!.enqueuedAt).toBe(before + 11);
      expect(expectOk(await store.claim(queue(), { owner: 'one', limit: 10, leaseMs: LONG }))).toEqual([]);
      expect(expectOk(await store.claim(queue('empty'), { owner: 'one', limit: 10, leaseMs: LONG }))).toEqual(
        [],
      );
    });

    it('keeps payloads and ids exactly: all text, empty payloads, the longest id', async () => {
      const odd = `quote' "double" back\\slash; drop table x; -- 🙂 é e\u0301 \t\n`;
      const messages: QueueMessageInput[] = [
        { id: 'k', payload: '' },
        { id: 'K', payload: odd },
        { id: 'k ', payload: 'x'.repeat(200_000) },
        { id: ' k', payload: '{"nested":{"a":[1,2,3]}}' },
        { id: 'ké', payload: '中文 한국어 العربية' },
        { id: 'k\u0301', payload: '\u2028\u2029' },
        { id: odd, payload: 'odd id' },
        { id: 'x'.repeat(MAX_QUEUE_MESSAGE_ID_LENGTH), payload: 'longest id' },
      ];
      expect(expectOk(await store.enqueue(queue(), messages))).toEqual({ added: messages.length });
      const claimed = await claimAll(queue());
      expect(claimed.map(({ id, payload }) => ({ id, payload }))).toEqual(messages);
    });

    it('enqueues idempotently: an id already in the queue is left as it is and not counted', async () => {
      expect(
        expectOk(
          await store.enqueue(queue(), [
            { id: 'a', payload: 'a1' },
            { id: 'b', payload: 'b1' },
          ]),
        ),
      ).toEqual({ added: 2 });
      expect(
        expectOk(
          await store.enqueue(queue(), [
            { id: 'b', payload: 'b2' },
            { id: 'c', payload: 'c1' },
          ]),
        ),
      ).toEqual({ added: 1 });
      // Inside one batch the first copy of an id wins.
      expect(
        expectOk(
          await store.enqueue(queue(), [
            { id: 'd', payload: 'first' },
            { id: 'd', payload: 'second' },
            { id: 'e', payload: 'e1' },
            { id: 'a', payload: 'a2' },
          ]),
        ),
      ).toEqual({ added: 2 });
      expect(expectOk(await store.enqueue(queue(), []))).toEqual({ added: 0 });
      const claimed = await claimAll(queue());
      expect(claimed.map(({ id, payload }) => `${id}=${payload}`)).toEqual([
        'a=a1',
        'b=b1',
        'c=c1',
        'd=first',
        'e=e1',
      ]);
      // Enqueued again while claimed: still one message, still claimed.
      expect(expectOk(await store.enqueue(queue(), [{ id: 'a', payload: 'a3' }]))).toEqual({ added: 0 });
      expect(await claimAll(queue())).toEqual([]);
      expect(expectOk(await store.stats(queue())).count).toBe(5);
    });

    it('holds a claim for its lease: no other claim gets the message meanwhile', async () => {
      expectOk(await store.enqueue(queue(), messagesFor(4)));
      expect(ids(await claimAll(queue(), 'one'))).toHaveLength(4);
      expect(await claimAll(queue(), 'two')).toEqual([]);
      expect(await claimAll(queue(), 'one')).toEqual([]);
      const other = await another();
      expect(expectOk(await other.claim(queue(), { owner: 'three', limit: 10, leaseMs: LONG }))).toEqual([]);
      expect(expectOk(await store.stats(queue())).claimed).toBe(4);
    });

    it('makes a message available again once its claim lapses, counting every attempt, oldest first', async () => {
      expectOk(await store.enqueue(queue(), messagesFor(3)));
      const first = expectOk(await store.claim(queue(), { owner: 'one', limit: 2, leaseMs }));
      expect(ids(first)).toEqual(['m-00000', 'm-00001']);
      await lapse();
      expect(expectOk(await store.stats(queue())).claimed).toBe(0);
      const second = await claimAll(queue(), 'two');
      expect(second.map(({ id, attempts }) => `${id}:${attempts}`)).toEqual([
        'm-00000:2',
        'm-00001:2',
        'm-00002:1',
      ]);
      expect(second[0]!.enqueuedAt).toBe(first[0]!.enqueuedAt);
    });

    it('release gives claimed messages back at once, or after delayMs, attempts kept', async () => {
      expectOk(await store.enqueue(queue(), messagesFor(3)));
      await claimAll(queue(), 'one');
      expectOk(await store.release(queue(), ['m-00000']));
      expect(expectOk(await store.stats(queue())).claimed).toBe(2);
      const again = await claimAll(queue(), 'two');
      expect(again.map(({ id, attempts }) => `${id}:${attempts}`)).toEqual(['m-00000:2']);

      expectOk(await store.release(queue(), ['m-00001', 'm-00002'], { delayMs: leaseMs }));
      const stats = expectOk(await store.stats(queue()));
      expect(stats).toMatchObject({ count: 3, claimed: 1 });
      // Released but delayed: neither claimed nor available yet.
      expect(await claimAll(queue(), 'three')).toEqual([]);
      await lapse();
      expect(ids(await claimAll(queue(), 'three'))).toEqual(['m-00001', 'm-00002']);
      // Ids that are unknown, or given twice, are no failure.
      expectOk(await store.release(queue(), ['nope', 'm-00001', 'm-00001'], { delayMs: 0 }));
      expect(ids(await claimAll(queue(), 'four'))).toEqual(['m-00001']);
    });

    it('release leaves a message nobody claimed as it is', async () => {
      expectOk(await store.enqueue(queue(), messagesFor(1)));
      expectOk(await store.release(queue(), ['m-00000'], { delayMs: LONG }));
      const claimed = await claimAll(queue());
      expect(claimed.map(({ id, attempts }) => `${id}:${attempts}`)).toEqual(['m-00000:1']);
    });

    it('release with an owner gives back only the claims that owner made', async () => {
      expectOk(await store.enqueue(queue(), messagesFor(2)));
      expectOk(await store.claim(queue(), { owner: 'one', limit: 1, leaseMs: LONG }));
      expectOk(await store.claim(queue(), { owner: 'two', limit: 1, leaseMs: LONG }));
      expectOk(await store.release(queue(), ['m-00000', 'm-00001'], { owner: 'two' }));
      expect(expectOk(await store.stats(queue())).claimed).toBe(1);
      expect(ids(await claimAll(queue(), 'three'))).toEqual(['m-00001']);
      expectOk(await store.release(queue(), ['m-00000'], { owner: 'one' }));
      expect(ids(await claimAll(queue(), 'three'))).toEqual(['m-00000']);
    });

    it('release with an owner does not undo the claim of the one who took over a lapsed lease', async () => {
      expectOk(await store.enqueue(queue(), messagesFor(1)));
      expectOk(await store.claim(queue(), { owner: 'slow', limit: 1, leaseMs }));
      await lapse();
      expect(ids(await claimAll(queue(), 'fast'))).toEqual(['m-00000']);
      expectOk(await store.release(queue(), ['m-00000'], { owner: 'slow' }));
      expect(await claimAll(queue(), 'third')).toEqual([]);
      expect(expectOk(await store.stats(queue())).claimed).toBe(1);
    });

    it('ack deletes delivered messages, whoever claimed them, counting those that existed', async () => {
      expectOk(await store.enqueue(queue(), messagesFor(4)));
      expectOk(await store.claim(queue(), { owner: 'one', limit: 2, leaseMs: LONG }));
      expect(
        expectOk(await store.ack(queue(), ['m-00000', 'm-00001', 'm-00002', 'unknown', 'm-00000'])),
      ).toEqual({ deleted: 3 });
      expect(expectOk(await store.ack(queue(), ['m-00000']))).toEqual({ deleted: 0 });
      expect(expectOk(await store.ack(queue(), []))).toEqual({ deleted: 0 });
      expect(ids(await claimAll(queue()))).toEqual(['m-00003']);
      const other = await another();
      expect(expectOk(await other.ack(queue(), ['m-00003']))).toEqual({ deleted: 1 });
      expect(expectOk(await store.stats(queue()))).toEqual({
        count: 0,
        bytes: 0,
        claimed: 0,
        oldestEnqueuedAt: null,
      });
      // A queue does not remember what it delivered: the id can be enqueued anew.
      expect(expectOk(await store.enqueue(queue(), messagesFor(1)))).toEqual({ added: 1 });
    });

    it('has names the ids the queue holds, claimed or not, once each in the order given, until acked', async () => {
      expectOk(await store.enqueue(queue(), messagesFor(3)));
      expectOk(await store.claim(queue(), { owner: 'one', limit: 1, leaseMs: LONG }));
      expect(
        expectOk(await store.has(queue(), ['m-00002', 'unknown', 'm-00000', 'm-00001', 'm-00002'])),
      ).toEqual(['m-00002', 'm-00000', 'm-00001']);
      expect(expectOk(await store.has(queue('other'), ['m-00000']))).toEqual([]);
      expect(expectOk(await store.has(queue(), []))).toEqual([]);
      expectOk(await store.ack(queue(), ['m-00000']));
      // Another store over the same storage sees the same.
      const other = await another();
      expect(expectOk(await other.has(queue(), ['m-00000', 'm-00001']))).toEqual(['m-00001']);
    });

    it('bounds a claim by maxBytes of UTF-8 payload, yet returns one larger message alone', async () => {
      const payloads = ['aaaa', 'éé', '🙂', 'x'.repeat(10), 'b', 'c', 'd'];
      expectOk(
        await store.enqueue(
          queue(),
          payloads.map((payload, i) => ({ id: `m${i}`, payload })),
        ),
      );
      const take = async (maxBytes: number, limit = 10) =>
        ids(expectOk(await store.claim(queue(), { owner: 'one', limit, leaseMs: LONG, maxBytes })));
      // 'aaaa' and 'éé' are 4 bytes each: exactly 8 fits.
      expect(await take(8)).toEqual(['m0', 'm1']);
      // '🙂' is 4 bytes; the 10 after it would exceed 5, and a claim takes the oldest in order, skipping none.
      expect(await take(5)).toEqual(['m2']);
      expect(await take(5)).toEqual(['m3']);
      expect(await take(1_000, 2)).toEqual(['m4', 'm5']);
      expect(await take(1)).toEqual(['m6']);
    });

    it('tells what a queue holds: count, UTF-8 bytes, live claims, the oldest enqueue time', async () => {
      expect(expectOk(await store.stats(queue()))).toEqual({
        count: 0,
        bytes: 0,
        claimed: 0,
        oldestEnqueuedAt: null,
      });
      const before = testNow();
      expectOk(
        await store.enqueue(queue(), [
          { id: 'a', payload: 'é' },
          { id: 'b', payload: 'abc' },
        ]),
      );
      await lapse(1_000);
      expectOk(await store.enqueue(queue(), [{ id: 'c', payload: '🙂' }]));
      const stats = expectOk(await store.stats(queue()));
      expect(stats).toMatchObject({ count: 3, bytes: 9, claimed: 0 });
      if (options.clock) expect(stats.oldestEnqueuedAt).toBe(before);
      else expect(Math.abs((stats.oldestEnqueuedAt ?? 0) - before)).toBeLessThanOrEqual(tolerance);

      expectOk(await store.claim(queue(), { owner: 'one', limit: 2, leaseMs }));
      expect(expectOk(await store.stats(queue())).claimed).toBe(2);
      await lapse();
      expect(expectOk(await store.stats(queue())).claimed).toBe(0);
      expectOk(await store.ack(queue(), ['a']));
      expect(expectOk(await store.stats(queue()))).toEqual({
        count: 2,
        bytes: 7,
        claimed: 0,
        oldestEnqueuedAt: stats.oldestEnqueuedAt,
      });
    });

    it('keeps queues apart: the same id in two queues is two messages', async () => {
      expectOk(await store.enqueue(queue('one'), [{ id: 'x', payload: 'in one' }]));
      expect(expectOk(await store.enqueue(queue('two'), [{ id: 'x', payload: 'in two' }]))).toEqual({
        added: 1,
      });
      expect(expectOk(await store.enqueue(queue('one:'), [{ id: 'x', payload: 'in one:' }]))).toEqual({
        added: 1,
      });
      const fromOne = await claimAll(queue('one'));
      expect(fromOne.map((message) => message.payload)).toEqual(['in one']);
      expect(expectOk(await store.stats(queue('two')))).toMatchObject({ count: 1, claimed: 0 });
      expect(expectOk(await store.ack(queue('two'), ['x']))).toEqual({ deleted: 1 });
      expect(expectOk(await store.stats(queue('one')))).toMatchObject({ count: 1, claimed: 1 });
      expect(expectOk(await store.stats(queue('one:')))).toMatchObject({ count: 1, claimed: 0 });
    });

    it('takes queue names of any text up to the longest allowed', async () => {
      const longest = queue('').padEnd(MAX_QUEUE_NAME_LENGTH, 'ü');
      const odd = queue(`'"; drop table x; -- 🙂`);
      for (const name of [longest, odd]) {
        expect(expectOk(await store.enqueue(name, messagesFor(1)))).toEqual({ added: 1 });
        expect(ids(await claimAll(name))).toEqual(['m-00000']);
      }
    });

    it('enqueues 10 000 messages in one call and claims them back in order', async () => {
      const messages = messagesFor(10_000).map((message) => ({
        id: message.id,
        payload: `${message.payload}${'p'.repeat(200)}`,
      }));
      expect(expectOk(await store.enqueue(queue(), messages))).toEqual({ added: 10_000 });
      const stats = expectOk(await store.stats(queue()));
      expect(stats.count).toBe(10_000);
      expect(stats.bytes).toBe(messages.reduce((sum, message) => sum + message.payload.length, 0));
      const claimed = await claimAll(queue());
      expect(ids(claimed)).toEqual(ids(messages as QueueMessage[]));
      expect(claimed[9_999]!.payload).toBe(messages[9_999]!.payload);
      expect(expectOk(await store.ack(queue(), ids(claimed)))).toEqual({ deleted: 10_000 });
    });

    it('never hands one message to two of many concurrent claims, through two stores', async () => {
      const total = 2_000;
      expectOk(await store.enqueue(queue(), messagesFor(total)));
      const other = await another();
      const got: string[][] = [];
      // 16 workers on two stores, each claiming small batches until the queue has nothing left for it.
      await Promise.all(
        Array.from({ length: 16 }, async (_, worker) => {
          const mine: string[] = [];
          got.push(mine);
          const via = worker % 2 === 0 ? store : other;
          for (;;) {
            const claimed = expectOk(
              await via.claim(queue(), { owner: `worker-${worker}`, limit: 37, leaseMs: LONG }),
            );
            if (claimed.length === 0) return;
            mine.push(...ids(claimed));
          }
        }),
      );
      const all = got.flat();
      expect(all).toHaveLength(total);
      expect(new Set(all).size).toBe(total);
      expect(got.filter((mine) => mine.length > 0).length).toBeGreaterThan(1);
      expect(expectOk(await store.stats(queue()))).toMatchObject({ count: total, claimed: total });
    });

    it('counts each id once when two stores enqueue overlapping batches at the same time', async () => {
      const other = await another();
      const batches = Array.from({ length: 10 }, (_, i) => messagesFor(300).slice(i * 20, i * 20 + 100));
      const added = await Promise.all(
        batches.map((batch, i) => (i % 2 === 0 ? store : other).enqueue(queue(), batch)),
      );
      const distinct = new Set(batches.flat().map((message) => message.id)).size;
      expect(added.map((result) => expectOk(result).added).reduce((a, b) => a + b, 0)).toBe(distinct);
      expect(expectOk(await store.stats(queue())).count).toBe(distinct);
    });

    describe('refuses bad input with VALIDATION_ERROR naming the field, writing nothing', () => {
      const good = { owner: 'one', limit: 10, leaseMs: 1_000 };
      const badQueues: [string, unknown][] = [
        ['an empty queue name', ''],
        ['a queue name over the longest allowed', 'q'.repeat(MAX_QUEUE_NAME_LENGTH + 1)],
        ['a number queue name', 42],
        ['a queue name with NUL', 'q\u0000'],
        ['a queue name with a lone surrogate', 'q\ud800'],
      ];
      it.each(badQueues)('%s, in every method', async (_label, bad) => {
        const name = bad as string;
        expectInvalid(await store.enqueue(name, messagesFor(1)), 'queue');
        expectInvalid(await store.claim(name, good), 'queue');
        expectInvalid(await store.ack(name, ['a']), 'queue');
        expectInvalid(await store.release(name, ['a']), 'queue');
        expectInvalid(await store.stats(name), 'queue');
        expectInvalid(await store.has(name, ['a']), 'queue');
      });

      const badMessages: [string, unknown, string][] = [
        ['messages that are no array', { id: 'a', payload: 'x' }, 'messages'],
        ['a message that is null', [null], 'messages.0'],
        ['an empty id', [{ id: '', payload: 'x' }], 'messages.0.id'],
        [
          'an id over the longest allowed',
          [{ id: 'x'.repeat(MAX_QUEUE_MESSAGE_ID_LENGTH + 1), payload: 'x' }],
          'messages.0.id',
        ],
        ['a number id', [{ id: 7, payload: 'x' }], 'messages.0.id'],
        ['an id with NUL', [{ id: 'a\u0000', payload: 'x' }], 'messages.0.id'],
        ['an id with a lone surrogate', [{ id: 'a\udc00', payload: 'x' }], 'messages.0.id'],
        ['a missing payload', [{ id: 'a' }], 'messages.0.payload'],
        ['an object payload', [{ id: 'a', payload: { a: 1 } }], 'messages.0.payload'],
        ['a payload with NUL', [{ id: 'a', payload: '{"a":"\u0000"}' }], 'messages.0.payload'],
        ['a payload with a lone surrogate', [{ id: 'a', payload: '\ud83d' }], 'messages.0.payload'],
      ];
      it.each(badMessages)('enqueue: %s', async (_label, bad, field) => {
        expectInvalid(await store.enqueue(queue(), bad as QueueMessageInput[]), field);
        expect(expectOk(await store.stats(queue())).count).toBe(0);
      });

      it('enqueue: a batch with one bad message anywhere writes none of it, and names the message', async () => {
        const batch = [...messagesFor(9), { id: 'bad', payload: 'nul \u0000' }, ...messagesFor(5, 'z')];
        expectInvalid(await store.enqueue(queue(), batch), 'messages.9.payload');
        const several = [{ id: '', payload: 'x' }, ...messagesFor(3), { id: 'a', payload: 1 }];
        const result = await store.enqueue(queue(), several as QueueMessageInput[]);
        expectInvalid(result, 'messages.0.id');
        expect(!result.success && result.error.issues?.map((issue) => issue.field)).toEqual([
          'messages.0.id',
          'messages.4.payload',
        ]);
        expect(expectOk(await store.stats(queue()))).toMatchObject({ count: 0, bytes: 0 });
        expect(await claimAll(queue())).toEqual([]);
      });

      const badClaims: [string, unknown, string][] = [
        ['missing options', undefined, 'options'],
        ['options that are no object', 'one', 'options'],
        ['an empty owner', { ...good, owner: '' }, 'owner'],
        ['a missing owner', { limit: 10, leaseMs: 1_000 }, 'owner'],
        [
          'an owner over the longest allowed',
          { ...good, owner: 'o'.repeat(MAX_QUEUE_NAME_LENGTH + 1) },
          'owner',
        ],
        ['an owner with NUL', { ...good, owner: 'o\u0000' }, 'owner'],
        ['a limit of 0', { ...good, limit: 0 }, 'limit'],
        ['a limit over the most allowed', { ...good, limit: MAX_QUEUE_CLAIM_LIMIT + 1 }, 'limit'],
        ['a fractional limit', { ...good, limit: 1.5 }, 'limit'],
        ['a string limit', { ...good, limit: '5' }, 'limit'],
        ['a missing limit', { owner: 'one', leaseMs: 1_000 }, 'limit'],
        ['a lease of 0', { ...good, leaseMs: 0 }, 'leaseMs'],
        ['a negative lease', { ...good, leaseMs: -1 }, 'leaseMs'],
        ['a NaN lease', { ...good, leaseMs: Number.NaN }, 'leaseMs'],
        ['an infinite lease', { ...good, leaseMs: Number.POSITIVE_INFINITY }, 'leaseMs'],
        ['a lease over a year', { ...good, leaseMs: MAX_QUEUE_DELAY_MS + 1 }, 'leaseMs'],
        ['a string lease', { ...good, leaseMs: '1000' }, 'leaseMs'],
        ['a maxBytes of 0', { ...good, maxBytes: 0 }, 'maxBytes'],
        ['a fractional maxBytes', { ...good, maxBytes: 1.5 }, 'maxBytes'],
        ['a string maxBytes', { ...good, maxBytes: '100' }, 'maxBytes'],
      ];
      it.each(badClaims)('claim: %s', async (_label, bad, field) => {
        expectOk(await store.enqueue(queue(), messagesFor(1)));
        expectInvalid(await store.claim(queue(), bad as typeof good), field);
        // Nothing was claimed by the refused call.
        expect(expectOk(await store.stats(queue())).claimed).toBe(0);
      });

      const badIds: [string, unknown, string][] = [
        ['ids that are no array', 'a', 'ids'],
        ['an empty id', ['a', ''], 'ids.1'],
        ['a number id', [1], 'ids.0'],
        ['an id with NUL', ['a\u0000'], 'ids.0'],
        ['an id over the longest allowed', ['x'.repeat(MAX_QUEUE_MESSAGE_ID_LENGTH + 1)], 'ids.0'],
      ];
      it.each(badIds)('ack and release: %s', async (_label, bad, field) => {
        expectOk(await store.enqueue(queue(), messagesFor(1)));
        await claimAll(queue());
        expectInvalid(await store.ack(queue(), bad as string[]), field);
        expectInvalid(await store.release(queue(), bad as string[]), field);
        expect(expectOk(await store.stats(queue()))).toMatchObject({ count: 1, claimed: 1 });
      });

      const badReleases: [string, unknown, string][] = [
        ['options that are no object', 5, 'options'],
        ['a negative delay', { delayMs: -1 }, 'delayMs'],
        ['a NaN delay', { delayMs: Number.NaN }, 'delayMs'],
        ['an infinite delay', { delayMs: Number.POSITIVE_INFINITY }, 'delayMs'],
        ['a delay over a year', { delayMs: MAX_QUEUE_DELAY_MS + 1 }, 'delayMs'],
        ['a string delay', { delayMs: '10' }, 'delayMs'],
        ['an empty owner', { owner: '' }, 'owner'],
        ['a number owner', { owner: 1 }, 'owner'],
      ];
      it.each(badReleases)('release: %s', async (_label, bad, field) => {
        expectOk(await store.enqueue(queue(), messagesFor(1)));
        await claimAll(queue());
        expectInvalid(await store.release(queue(), ['m-00000'], bad as { delayMs: number }), field);
        expect(expectOk(await store.stats(queue())).claimed).toBe(1);
      });

      it('answers every hostile argument of every method with a typed error naming a field, never a throw', async () => {
        const OPTIONS_ACCEPT = [
          'undefined',
          'an empty object',
          'an object without a prototype',
          'an object whose conversions throw',
          'an object whose getters throw',
          'a cyclic object',
        ];
        const unchecked = (value: unknown) => value as never;
        const calls: {
          call: string;
          run: (value: unknown) => Promise<ApiResult<unknown>>;
          accepts?: string[];
        }[] = [
          { call: 'enqueue(queue)', run: (v) => store.enqueue(unchecked(v), messagesFor(1)) },
          { call: 'enqueue(messages)', run: (v) => store.enqueue(queue(), unchecked(v)) },
          { call: 'enqueue([message])', run: (v) => store.enqueue(queue(), unchecked([v])) },
          { call: 'claim(queue)', run: (v) => store.claim(unchecked(v), good) },
          { call: 'claim(options)', run: (v) => store.claim(queue(), unchecked(v)) },
          { call: 'claim({ owner })', run: (v) => store.claim(queue(), { ...good, owner: unchecked(v) }) },
          {
            call: 'claim({ limit })',
            run: (v) => store.claim(queue(), { ...good, limit: unchecked(v) }),
            accepts: ['a number'],
          },
          {
            call: 'claim({ leaseMs })',
            run: (v) => store.claim(queue(), { ...good, leaseMs: unchecked(v) }),
            accepts: ['a number'],
          },
          {
            call: 'claim({ maxBytes })',
            run: (v) => store.claim(queue(), { ...good, maxBytes: unchecked(v) }),
            accepts: ['undefined', 'a number'],
          },
          { call: 'ack(queue)', run: (v) => store.ack(unchecked(v), ['a']) },
          { call: 'ack(ids)', run: (v) => store.ack(queue(), unchecked(v)) },
          { call: 'ack([id])', run: (v) => store.ack(queue(), unchecked([v])) },
          { call: 'release(queue)', run: (v) => store.release(unchecked(v), ['a']) },
          { call: 'release(ids)', run: (v) => store.release(queue(), unchecked(v)) },
          { call: 'release([id])', run: (v) => store.release(queue(), unchecked([v])) },
          {
            call: 'release(options)',
            run: (v) => store.release(queue(), ['a'], unchecked(v)),
            accepts: OPTIONS_ACCEPT,
          },
          {
            call: 'release({ delayMs })',
            run: (v) => store.release(queue(), ['a'], { delayMs: unchecked(v) }),
            accepts: ['undefined', 'a number'],
          },
          {
            call: 'release({ owner })',
            run: (v) => store.release(queue(), ['a'], { owner: unchecked(v) }),
            accepts: ['undefined'],
          },
          { call: 'stats(queue)', run: (v) => store.stats(unchecked(v)) },
          { call: 'has(queue)', run: (v) => store.has(unchecked(v), ['a']) },
          { call: 'has(ids)', run: (v) => store.has(queue(), unchecked(v)) },
          { call: 'has([id])', run: (v) => store.has(queue(), unchecked([v])) },
        ];
        const watch = watchProcessFailures();
        const wrong: string[] = [];
        for (const { call, run, accepts = [] } of calls) {
          for (const [valueLabel, value] of hostileValues()) {
            let result: ApiResult<unknown>;
            try {
              result = await run(value);
            } catch (error) {
              wrong.push(`${call} with ${valueLabel} threw ${String(error)}`);
              continue;
            }
            if (accepts.includes(valueLabel)) continue;
            if (result.success) wrong.push(`${call} with ${valueLabel} succeeded`);
            else if (result.error.code !== 'VALIDATION_ERROR' || !result.error.field) {
              wrong.push(`${call} with ${valueLabel}: ${result.error.code} field ${result.error.field}`);
            }
          }
        }
        expect(wrong).toEqual([]);
        expect(await watch.stop()).toEqual([]);
        expect(expectOk(await store.stats(queue()))).toMatchObject({ count: 0, bytes: 0 });
      });
    });
  });
}
