// The bucket script run directly, on the caller's clock (ARGV[2] 'caller') so every answer is exact; the store's
// use of it (Redis's clock, typed errors) is rate-limit-store.test.ts's.
import { expect, it } from 'vitest';
import { describeRedis, usePrefixes } from '../test-support/redis.ts';
import { fromLuaNumber, RATE_LIMIT_SCRIPT, toLuaNumber } from './rate-limit-script.ts';

it('writes and reads numbers exactly, infinities as inf and -inf', () => {
  for (const value of [0, 0.1, 1 / 3, 1e-9, 123_456_789.123, Number.MAX_VALUE]) {
    expect(fromLuaNumber(toLuaNumber(value))).toBe(value);
  }
  expect(toLuaNumber(Number.POSITIVE_INFINITY)).toBe('inf');
  expect(toLuaNumber(Number.NEGATIVE_INFINITY)).toBe('-inf');
  expect(fromLuaNumber('inf')).toBe(Number.POSITIVE_INFINITY);
  expect(fromLuaNumber('-inf')).toBe(Number.NEGATIVE_INFINITY);
  expect(fromLuaNumber('0.30000000000000004')).toBe(0.1 + 0.2);
});

describeRedis('the rate-limit script', () => {
  const { prefix, admin } = usePrefixes();
  // Capacity 2, one token a second.
  const CAPACITY = '2';
  const RATE = '0.001';
  const run = (key: string, ...args: string[]) => admin().eval(RATE_LIMIT_SCRIPT.source, 1, key, ...args);
  const take = (key: string, now: number, cost = 1) =>
    run(key, 'take', 'caller', String(now), CAPACITY, RATE, String(cost));
  const peek = (key: string, now: number) => run(key, 'peek', 'caller', String(now), CAPACITY, RATE);
  const update = (key: string, now: number, remaining: string, blockedUntil: string) =>
    run(key, 'update', 'caller', String(now), remaining, blockedUntil);

  it('grants while tokens last, then answers the wait until the next one, and refills with time', async () => {
    const key = `${prefix()}bucket`;
    expect(await take(key, 1_000)).toBe('0');
    expect(await take(key, 1_000)).toBe('0');
    expect(await take(key, 1_000)).toBe('1000');
    expect(await take(key, 1_750)).toBe('250');
    expect(await take(key, 2_000)).toBe('0');
    expect(await peek(key, 2_000)).toEqual(['0']);
  });

  it('peeks a new bucket as full without creating it, and an emptied one with its refill', async () => {
    const key = `${prefix()}bucket`;
    expect(await peek(key, 1_000)).toEqual(['2']);
    expect(await admin().exists(key)).toBe(0);
    await take(key, 1_000, 2);
    expect(await peek(key, 1_500)).toEqual(['0.5']);
  });

  it('takes a server’s feedback: fewer tokens left, and a block that outlasts the tokens', async () => {
    const key = `${prefix()}bucket`;
    expect(await update(key, 1_000, '', '')).toBe('');
    expect(await admin().exists(key)).toBe(0);
    await take(key, 1_000);
    await update(key, 1_000, '0', '');
    expect(await take(key, 1_000)).toBe('1000');
    await update(key, 1_000, '', '6000');
    expect(await take(key, 1_000)).toBe('5000');
    expect(await peek(key, 1_000)).toEqual(['0', '6000']);
    // A shorter block does not shorten it.
    await update(key, 1_000, '', '2000');
    expect(await take(key, 1_000)).toBe('5000');
  });

  it('expires a bucket once it would be full again, plus a second', async () => {
    const key = `${prefix()}bucket`;
    await take(key, 1_000, 2);
    const ttl = await admin().pttl(key);
    expect(ttl).toBeGreaterThan(2_000);
    expect(ttl).toBeLessThanOrEqual(3_000);
  });

  it('refuses an unknown operation', async () => {
    await expect(run(`${prefix()}bucket`, 'drain', 'caller', '0')).rejects.toThrow(
      /unknown rate-limit operation/,
    );
  });
});
