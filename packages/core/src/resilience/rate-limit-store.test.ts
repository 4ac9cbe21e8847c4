import { describe, expect, it } from 'vitest';
import { IntegrationError } from '../result/errors.ts';
import { hostileValues, withThrowingGetter } from '../testing/hostile-values.ts';
import { thrownBy } from '../testing/outcomes.ts';
import { createMemoryRateLimitStore, type RateLimitBucket } from './rate-limit-store.ts';

// 10 tokens per second: one every 100 ms.
const bucket: RateLimitBucket = { capacity: 10, refillPerMs: 10 / 1_000 };
const T0 = 1_700_000_000_000;

function drained(key = 'k') {
  const store = createMemoryRateLimitStore();
  for (let i = 0; i < bucket.capacity; i++) store.take(key, bucket, T0);
  return store;
}

describe('createMemoryRateLimitStore', () => {
  it('starts a bucket full and grants up to its capacity at once', () => {
    const store = createMemoryRateLimitStore();
    const waits = Array.from({ length: 10 }, () => store.take('k', bucket, T0));
    expect(waits).toEqual(Array(10).fill(0));
    expect(store.take('k', bucket, T0)).toBe(100);
  });

  it('returns the ms until enough tokens have refilled', () => {
    const store = drained();
    expect(store.take('k', bucket, T0 + 30)).toBe(70);
    expect(store.take('k', bucket, T0 + 100)).toBe(0);
    expect(store.take('k', bucket, T0 + 100)).toBe(100);
  });

  it('refills linearly and caps at capacity', async () => {
    const store = drained();
    expect((await store.peek('k', bucket, T0 + 450)).tokens).toBeCloseTo(4.5);
    expect((await store.peek('k', bucket, T0 + 60_000)).tokens).toBe(10);
  });

  it('does not lose whole tokens to floating-point drift', () => {
    const fast: RateLimitBucket = { capacity: 10, refillPerMs: 10 / 200 };
    const store = createMemoryRateLimitStore();
    for (let i = 0; i < 10; i++) store.take('k', fast, T0);
    for (let step = 1; step <= 50; step++) expect(store.take('k', fast, T0 + step * 20)).toBe(0);
  });

  it('takes a cost of several tokens', async () => {
    const store = createMemoryRateLimitStore();
    expect(store.take('k', bucket, T0, 7)).toBe(0);
    expect(store.take('k', bucket, T0, 5)).toBe(200);
    expect((await store.peek('k', bucket, T0)).tokens).toBe(3);
  });

  it('rejects a cost the bucket can never hold', () => {
    const store = createMemoryRateLimitStore();
    expect(() => store.take('k', bucket, T0, 11)).toThrow(IntegrationError);
    expect(() => store.take('k', bucket, T0, 0)).toThrow(/cost/);
  });

  it('keeps keys apart', () => {
    const store = drained('a');
    expect(store.take('b', bucket, T0)).toBe(0);
    expect(store.take('a', bucket, T0)).toBe(100);
  });

  it('clamps tokens down to the server remaining, never up', async () => {
    const store = createMemoryRateLimitStore();
    store.take('k', bucket, T0);
    store.update('k', { remaining: 2 }, T0);
    expect((await store.peek('k', bucket, T0)).tokens).toBe(2);
    store.update('k', { remaining: 50 }, T0);
    expect((await store.peek('k', bucket, T0)).tokens).toBe(2);
  });

  it('refills up to the feedback time before clamping', async () => {
    const store = drained();
    // 5 tokens have refilled by T0+500; the server's 3 is lower, so 3 it is, counted from T0+500.
    store.update('k', { remaining: 3 }, T0 + 500);
    expect((await store.peek('k', bucket, T0 + 500)).tokens).toBeCloseTo(3);
    expect((await store.peek('k', bucket, T0 + 600)).tokens).toBeCloseTo(4);
  });

  it('accepts feedback before the first take', () => {
    const store = createMemoryRateLimitStore();
    store.update('k', { remaining: 1 }, T0);
    expect(store.take('k', bucket, T0)).toBe(0);
    expect(store.take('k', bucket, T0)).toBe(100);
  });

  it('refuses every take while blocked, even with tokens left, and waits until the block ends', () => {
    const store = createMemoryRateLimitStore();
    store.update('k', { blockedUntil: T0 + 2_000 }, T0);
    expect(store.take('k', bucket, T0)).toBe(2_000);
    expect(store.take('k', bucket, T0 + 1_500)).toBe(500);
    expect(store.take('k', bucket, T0 + 2_000)).toBe(0);
  });

  it('waits for whichever clears last: the block or the refill', () => {
    const store = drained();
    store.update('k', { blockedUntil: T0 + 50 }, T0);
    expect(store.take('k', bucket, T0)).toBe(100);
    store.update('k', { blockedUntil: T0 + 300 }, T0);
    expect(store.take('k', bucket, T0)).toBe(300);
  });

  it('keeps the longest block and ignores blocks already over', async () => {
    const store = createMemoryRateLimitStore();
    store.update('k', { blockedUntil: T0 + 5_000 }, T0);
    store.update('k', { blockedUntil: T0 + 1_000 }, T0);
    store.update('k', { blockedUntil: T0 - 1 }, T0);
    expect((await store.peek('k', bucket, T0)).blockedUntil).toBe(T0 + 5_000);
  });

  it('peeks without taking, and reports a block only while it runs', () => {
    const store = createMemoryRateLimitStore();
    expect(store.peek('k', bucket, T0)).toEqual({ tokens: 10 });
    store.take('k', bucket, T0);
    store.update('k', { blockedUntil: T0 + 1_000 }, T0);
    expect(store.peek('k', bucket, T0)).toEqual({ tokens: 9, blockedUntil: T0 + 1_000 });
    expect(store.peek('k', bucket, T0 + 1_000)).toEqual({ tokens: 10 });
  });

  it('neither refills nor drains when the clock steps back', async () => {
    const store = drained();
    expect(store.take('k', bucket, T0 + 200)).toBe(0);
    expect((await store.peek('k', bucket, T0 - 10_000)).tokens).toBeCloseTo(1);
    expect((await store.peek('k', bucket, T0 + 200)).tokens).toBeCloseTo(1);
  });
});

describe('hostile input: only IntegrationErrors naming the argument, and the bucket is left as it was', () => {
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

  const expectInvalid = (run: () => unknown, field: RegExp) => {
    const thrown = thrownBy(run);
    expect(thrown).toBeInstanceOf(IntegrationError);
    expect((thrown as IntegrationError).field).toMatch(field);
  };

  it.each(hostileValues().filter(([, value]) => typeof value !== 'string'))('a key that is %s', (_, key) => {
    const store = createMemoryRateLimitStore();
    expectInvalid(() => store.take(key as string, bucket, T0), /^key$/);
    expectInvalid(() => store.update(key as string, { remaining: 0 }, T0), /^key$/);
    expectInvalid(() => store.peek(key as string, bucket, T0), /^key$/);
  });

  it.each(badBuckets)('a bucket that is %s', (_, value) => {
    const store = createMemoryRateLimitStore();
    expectInvalid(() => store.take('k', value as RateLimitBucket, T0), /^bucket/);
    expectInvalid(() => store.peek('k', value as RateLimitBucket, T0), /^bucket/);
    expect(store.peek('k', bucket, T0)).toEqual({ tokens: bucket.capacity });
  });

  it.each(notFinite)('a clock reading that is %s', (_, now) => {
    const store = drained();
    expectInvalid(() => store.take('k', bucket, now as number), /^now$/);
    expectInvalid(() => store.update('k', { remaining: 0 }, now as number), /^now$/);
    expectInvalid(() => store.peek('k', bucket, now as number), /^now$/);
    expect((store.peek('k', bucket, T0 + 100) as { tokens: number }).tokens).toBeCloseTo(1);
  });

  it.each(notFinite.filter(([, value]) => value !== undefined))('a cost that is %s', (_, cost) => {
    const store = createMemoryRateLimitStore();
    expectInvalid(() => store.take('k', bucket, T0, cost as number), /^cost$/);
  });

  it.each([
    ...hostileValues().filter(([, value]) => typeof value !== 'object' || value === null),
    ['a remaining that is a string', { remaining: '3' }],
    ['a blockedUntil that is NaN', { blockedUntil: Number.NaN }],
    ['a remaining getter that throws', withThrowingGetter({}, 'remaining')],
  ])('feedback that is %s', (_, feedback) => {
    const store = drained();
    expectInvalid(() => store.update('k', feedback as { remaining?: number }, T0), /^feedback/);
    expect(store.peek('k', bucket, T0)).toEqual({ tokens: 0 });
  });
});
