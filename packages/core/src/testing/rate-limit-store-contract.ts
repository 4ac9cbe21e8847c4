// The behaviour every RateLimitStore shares, as vitest tests: the memory store and the Redis one (and any later
// adapter) run it against themselves, so a bucket's arithmetic, its blocks and its refusals mean the same thing
// wherever the bucket lives. Stores may answer synchronously or with a promise, and refuse bad arguments by
// throwing or by rejecting: the suite awaits every call and accepts either.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RateLimitBucket, RateLimitStore } from '../resilience/rate-limit-store.ts';
import { IntegrationError } from '../result/errors.ts';
import { hostileValues, withThrowingGetter } from './hostile-values.ts';
import { outcome } from './outcomes.ts';

/** Options of {@link describeRateLimitStoreContract}. */
export interface RateLimitStoreContractOptions {
  /** Called after each test with every store the factory made for it, e.g. to close them. */
  close?: (store: RateLimitStore) => Promise<void> | void;
  /** Concurrent takes in the atomicity test. Default 50. */
  concurrency?: number;
}

// 10 tokens per second: one every 100 ms.
const bucket: RateLimitBucket = { capacity: 10, refillPerMs: 10 / 1_000 };
const T0 = 1_700_000_000_000;

/**
 * Declares vitest suites proving that a `RateLimitStore` meets the contract of `@patchbay/core`, on the
 * caller's clock (`now` as passed, with jumps of seconds): a bucket starts full, refills linearly up to its
 * capacity, grants a cost only when it holds it and otherwise answers the ms to wait; server feedback lowers the
 * tokens (never raises them) and blocks until `blockedUntil`, the longest block winning; peek takes nothing;
 * a clock stepping back neither refills nor drains; concurrent takes never grant more than the bucket holds, also
 * through two stores; bad arguments are an IntegrationError naming the field and change nothing. `factory` is
 * called before every test (twice in one) and must return stores over ONE shared storage reading the caller's
 * clock; each test uses its own random keys.
 * @example describeRateLimitStoreContract('memory', () => createMemoryRateLimitStore());
 */
export function describeRateLimitStoreContract(
  label: string,
  factory: () => RateLimitStore | Promise<RateLimitStore>,
  options: RateLimitStoreContractOptions = {},
): void {
  let store: RateLimitStore;
  const made: RateLimitStore[] = [];
  let tag: string;
  const key = (name = 'k') => `contract-${tag}:${name}`;
  const open = async () => {
    const opened = await factory();
    made.push(opened);
    return opened;
  };
  const take = async (k: string, now: number, cost?: number, on = store) =>
    cost === undefined ? on.take(k, bucket, now) : on.take(k, bucket, now, cost);
  const tokens = async (k: string, now: number, b = bucket) => (await store.peek(k, b, now)).tokens;
  const drain = async (k: string, at = T0) => {
    for (let i = 0; i < bucket.capacity; i++) expect(await take(k, at)).toBe(0);
  };
  const expectInvalid = async (run: () => unknown, field: RegExp) => {
    const settled = await outcome(run);
    if (settled.resolved)
      expect.unreachable(`expected a refusal naming ${field}, got ${String(settled.value)}`);
    else {
      expect(settled.reason).toBeInstanceOf(IntegrationError);
      expect((settled.reason as IntegrationError).field).toMatch(field);
    }
  };

  describe(`${label}: RateLimitStore contract`, () => {
    beforeEach(async () => {
      tag = crypto.randomUUID().slice(0, 8);
      store = await open();
    });
    afterEach(async () => {
      for (const one of made.splice(0)) await options.close?.(one);
    });

    it('starts a bucket full and grants up to its capacity at once, then answers the wait', async () => {
      const waits: number[] = [];
      for (let i = 0; i < 10; i++) waits.push(await take(key(), T0));
      expect(waits).toEqual(Array(10).fill(0));
      expect(await take(key(), T0)).toBe(100);
    });

    it('returns the ms until enough tokens have refilled', async () => {
      await drain(key());
      expect(await take(key(), T0 + 30)).toBe(70);
      expect(await take(key(), T0 + 100)).toBe(0);
      expect(await take(key(), T0 + 100)).toBe(100);
    });

    it('refills linearly and caps at capacity', async () => {
      await drain(key());
      expect(await tokens(key(), T0 + 450)).toBeCloseTo(4.5);
      expect(await tokens(key(), T0 + 60_000)).toBe(10);
    });

    it('does not lose whole tokens to floating-point drift', async () => {
      const fast: RateLimitBucket = { capacity: 10, refillPerMs: 10 / 200 };
      for (let i = 0; i < 10; i++) expect(await store.take(key(), fast, T0)).toBe(0);
      for (let step = 1; step <= 50; step++) expect(await store.take(key(), fast, T0 + step * 20)).toBe(0);
    });

    it('takes a cost of several tokens, and refuses one the bucket can never hold', async () => {
      expect(await take(key(), T0, 7)).toBe(0);
      expect(await take(key(), T0, 5)).toBe(200);
      expect(await tokens(key(), T0)).toBe(3);
      await expectInvalid(() => store.take(key(), bucket, T0, 11), /^cost$/);
      await expectInvalid(() => store.take(key(), bucket, T0, 0), /^cost$/);
      expect(await tokens(key(), T0)).toBe(3);
    });

    it('keeps keys apart exactly', async () => {
      await drain(key('a'));
      for (const name of ['b', 'A', 'a ', ' a', 'a:1', 'é', 'e\u0301', ''])
        expect(await take(key(name), T0)).toBe(0);
      expect(await take(key('a'), T0)).toBe(100);
    });

    it('clamps tokens down to the server remaining, never up', async () => {
      await take(key(), T0);
      await store.update(key(), { remaining: 2 }, T0);
      expect(await tokens(key(), T0)).toBe(2);
      await store.update(key(), { remaining: 50 }, T0);
      expect(await tokens(key(), T0)).toBe(2);
    });

    it('refills up to the feedback time before clamping', async () => {
      await drain(key());
      // 5 tokens have refilled by T0+500; the server's 3 is lower, so 3 it is, counted from T0+500.
      await store.update(key(), { remaining: 3 }, T0 + 500);
      expect(await tokens(key(), T0 + 500)).toBeCloseTo(3);
      expect(await tokens(key(), T0 + 600)).toBeCloseTo(4);
    });

    it('accepts feedback before the first take', async () => {
      await store.update(key(), { remaining: 1 }, T0);
      expect(await take(key(), T0)).toBe(0);
      expect(await take(key(), T0)).toBe(100);
    });

    it('ignores empty feedback for a bucket it does not hold', async () => {
      await store.update(key(), {}, T0);
      expect(await store.peek(key(), bucket, T0)).toEqual({ tokens: 10 });
    });

    it('refuses every take while blocked, even with tokens left, and waits until the block ends', async () => {
      await store.update(key(), { blockedUntil: T0 + 2_000 }, T0);
      expect(await take(key(), T0)).toBe(2_000);
      expect(await take(key(), T0 + 1_500)).toBe(500);
      expect(await take(key(), T0 + 2_000)).toBe(0);
    });

    it('waits for whichever clears last: the block or the refill', async () => {
      await drain(key());
      await store.update(key(), { blockedUntil: T0 + 50 }, T0);
      expect(await take(key(), T0)).toBe(100);
      await store.update(key(), { blockedUntil: T0 + 300 }, T0);
      expect(await take(key(), T0)).toBe(300);
    });

    it('keeps the longest block and ignores blocks already over', async () => {
      await store.update(key(), { blockedUntil: T0 + 5_000 }, T0);
      await store.update(key(), { blockedUntil: T0 + 1_000 }, T0);
      await store.update(key(), { blockedUntil: T0 - 1 }, T0);
      expect((await store.peek(key(), bucket, T0)).blockedUntil).toBe(T0 + 5_000);
    });

    it('peeks without taking, and reports a block only while it runs', async () => {
      expect(await store.peek(key(), bucket, T0)).toEqual({ tokens: 10 });
      await take(key(), T0);
      await store.update(key(), { blockedUntil: T0 + 1_000 }, T0);
      expect(await store.peek(key(), bucket, T0)).toEqual({ tokens: 9, blockedUntil: T0 + 1_000 });
      expect(await store.peek(key(), bucket, T0 + 1_000)).toEqual({ tokens: 10 });
    });

    it('neither refills nor drains when the clock steps back', async () => {
      await drain(key());
      expect(await take(key(), T0 + 200)).toBe(0);
      expect(await tokens(key(), T0 - 10_000)).toBeCloseTo(1);
      expect(await tokens(key(), T0 + 200)).toBeCloseTo(1);
    });

    it('never grants more than the bucket holds to concurrent takes', async () => {
      const n = options.concurrency ?? 50;
      const waits = await Promise.all(Array.from({ length: n }, () => take(key(), T0)));
      expect(waits.filter((wait) => wait === 0)).toHaveLength(bucket.capacity);
      expect(waits.filter((wait) => wait > 0).every((wait) => wait >= 100)).toBe(true);
    });

    it('shares one bucket between two stores from the factory', async () => {
      const other = await open();
      const waits = await Promise.all(
        Array.from({ length: 30 }, (_, i) => take(key(), T0, undefined, i % 2 === 0 ? store : other)),
      );
      expect(waits.filter((wait) => wait === 0)).toHaveLength(bucket.capacity);
      await other.update(key(), { blockedUntil: T0 + 5_000 }, T0 + 4_000);
      expect(await take(key(), T0 + 4_500)).toBe(500);
    });

    describe('refusals: an IntegrationError naming the argument, and the bucket left as it was', () => {
      const notFinite: [string, unknown][] = [
        ...hostileValues().filter(([, value]) => typeof value !== 'number' || Number.isNaN(value)),
        ['Infinity', Number.POSITIVE_INFINITY],
      ];
      const badBuckets: [string, unknown][] = [
        ...hostileValues(),
        ['a zero capacity', { capacity: 0, refillPerMs: 1 }],
        ['a NaN refill', { capacity: 1, refillPerMs: Number.NaN }],
        ['an infinite capacity', { capacity: Number.POSITIVE_INFINITY, refillPerMs: 1 }],
        ['a negative refill', { capacity: 1, refillPerMs: -1 }],
        ['a capacity getter that throws', withThrowingGetter({ refillPerMs: 1 }, 'capacity')],
      ];

      it.each(hostileValues().filter(([, value]) => typeof value !== 'string'))(
        'a key that is %s',
        async (_, bad) => {
          await expectInvalid(() => store.take(bad as string, bucket, T0), /^key$/);
          await expectInvalid(() => store.update(bad as string, { remaining: 0 }, T0), /^key$/);
          await expectInvalid(() => store.peek(bad as string, bucket, T0), /^key$/);
        },
      );

      it.each(badBuckets)('a bucket that is %s', async (_, bad) => {
        await expectInvalid(() => store.take(key(), bad as RateLimitBucket, T0), /^bucket/);
        await expectInvalid(() => store.peek(key(), bad as RateLimitBucket, T0), /^bucket/);
        expect(await store.peek(key(), bucket, T0)).toEqual({ tokens: bucket.capacity });
      });

      it.each(notFinite)('a clock reading that is %s', async (_, bad) => {
        await drain(key());
        await expectInvalid(() => store.take(key(), bucket, bad as number), /^now$/);
        await expectInvalid(() => store.update(key(), { remaining: 0 }, bad as number), /^now$/);
        await expectInvalid(() => store.peek(key(), bucket, bad as number), /^now$/);
        expect(await tokens(key(), T0 + 100)).toBeCloseTo(1);
      });

      it.each(notFinite.filter(([, value]) => value !== undefined))('a cost that is %s', async (_, bad) => {
        await expectInvalid(() => store.take(key(), bucket, T0, bad as number), /^cost$/);
        expect(await store.peek(key(), bucket, T0)).toEqual({ tokens: bucket.capacity });
      });

      it.each([
        ...hostileValues().filter(([, value]) => typeof value !== 'object' || value === null),
        ['a remaining that is a string', { remaining: '3' }],
        ['a blockedUntil that is NaN', { blockedUntil: Number.NaN }],
        ['a remaining getter that throws', withThrowingGetter({}, 'remaining')],
      ])('feedback that is %s', async (_, bad) => {
        await drain(key());
        await expectInvalid(() => store.update(key(), bad as { remaining?: number }, T0), /^feedback/);
        expect(await store.peek(key(), bucket, T0)).toEqual({ tokens: 0 });
      });
    });
  });
}
