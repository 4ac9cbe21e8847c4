import { describe, expect, it } from 'vitest';
import {
  hostileValues,
  isPlainObject,
  throwingProxy,
  thrownBy,
  withThrowingGetter,
} from '../../test-support/hostile-values.ts';
import { EmulatorConfigError } from './options.ts';
import { createWindowRateLimiter, rateLimitHeaders } from './rate-limiter.ts';

const T0 = Date.parse('2025-03-01T12:00:00.250Z');

function manualClock(start = T0) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number): void => {
      t += ms;
    },
  };
}

describe('createWindowRateLimiter', () => {
  it('admits `limit` requests per window, then denies with the time left', () => {
    const clock = manualClock();
    const limiter = createWindowRateLimiter({ limit: 3, windowMs: 60_000, now: clock.now });
    const resetAtSeconds = Math.ceil((T0 + 60_000) / 1000);
    expect(limiter.take('key')).toEqual({
      allowed: true,
      limit: 3,
      remaining: 2,
      resetAtSeconds,
      retryAfterSeconds: 0,
    });
    expect(limiter.take('key').remaining).toBe(1);
    expect(limiter.take('key').remaining).toBe(0);
    clock.advance(20_000);
    expect(limiter.take('key')).toEqual({
      allowed: false,
      limit: 3,
      remaining: 0,
      resetAtSeconds,
      retryAfterSeconds: 40,
    });
  });

  it('opens a fresh window once the old one ends', () => {
    const clock = manualClock();
    const limiter = createWindowRateLimiter({ limit: 2, windowMs: 1_000, now: clock.now });
    limiter.take('key');
    limiter.take('key');
    clock.advance(999);
    expect(limiter.take('key')).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    clock.advance(1);
    expect(limiter.take('key')).toMatchObject({
      allowed: true,
      remaining: 1,
      resetAtSeconds: Math.ceil((T0 + 2_000) / 1000),
    });
  });

  it('does not charge denied requests to the next window', () => {
    const clock = manualClock();
    const limiter = createWindowRateLimiter({ limit: 1, windowMs: 1_000, now: clock.now });
    limiter.take('key');
    for (let i = 0; i < 5; i++) expect(limiter.take('key').allowed).toBe(false);
    clock.advance(1_000);
    expect(limiter.take('key').allowed).toBe(true);
  });

  it('keeps one window per key', () => {
    const limiter = createWindowRateLimiter({ limit: 1, windowMs: 60_000, now: manualClock().now });
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('forgets every window on reset()', () => {
    const limiter = createWindowRateLimiter({ limit: 1, windowMs: 60_000, now: manualClock().now });
    limiter.take('a');
    limiter.reset();
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('models the wire notes: 100 requests a minute per key', () => {
    const limiter = createWindowRateLimiter({ limit: 100, windowMs: 60_000, now: manualClock().now });
    const allowed = Array.from({ length: 150 }, () => limiter.take('api-key').allowed).filter(Boolean);
    expect(allowed).toHaveLength(100);
  });

  it('uses the real clock by default', () => {
    const limiter = createWindowRateLimiter({ limit: 1, windowMs: 10_000 });
    const { resetAtSeconds } = limiter.take('key');
    const expected = (Date.now() + 10_000) / 1000;
    expect(resetAtSeconds).toBeGreaterThanOrEqual(Math.floor(expected) - 1);
    expect(resetAtSeconds).toBeLessThanOrEqual(Math.ceil(expected));
  });

  it('rejects invalid options', () => {
    expect(() => createWindowRateLimiter({ limit: 0, windowMs: 1_000 })).toThrow(/limit/);
    expect(() => createWindowRateLimiter({ limit: 1.5, windowMs: 1_000 })).toThrow(/limit/);
    expect(() => createWindowRateLimiter({ limit: 1, windowMs: 0 })).toThrow(/windowMs/);
    expect(() => createWindowRateLimiter({ limit: 1, windowMs: Number.NaN })).toThrow(/windowMs/);
  });
});

describe('rateLimitHeaders', () => {
  it('reports the budget on an allowed request', () => {
    const decision = {
      allowed: true,
      limit: 100,
      remaining: 42,
      resetAtSeconds: 1_740_830_460,
      retryAfterSeconds: 0,
    };
    expect(rateLimitHeaders(decision)).toEqual({
      'X-RateLimit-Limit': '100',
      'X-RateLimit-Remaining': '42',
      'X-RateLimit-Reset': '1740830460',
    });
  });

  it('adds Retry-After on a denied one', () => {
    const clock = manualClock();
    const limiter = createWindowRateLimiter({ limit: 1, windowMs: 60_000, now: clock.now });
    limiter.take('key');
    clock.advance(30_000);
    expect(rateLimitHeaders(limiter.take('key'))).toEqual({
      'X-RateLimit-Limit': '1',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': String(Math.ceil((T0 + 60_000) / 1000)),
      'Retry-After': '30',
    });
  });
});

describe('createWindowRateLimiter and rateLimitHeaders with hostile input', () => {
  const expectField = (run: () => unknown, field: RegExp) => {
    const thrown = thrownBy(run);
    expect(thrown).toBeInstanceOf(EmulatorConfigError);
    expect((thrown as EmulatorConfigError).field).toMatch(field);
  };

  it.each(hostileValues().filter(([, value]) => !isPlainObject(value)))('options %s', (_, value) => {
    expectField(() => createWindowRateLimiter(value as never), /^options$/);
  });

  it.each([
    ...hostileValues()
      .filter(([, value]) => typeof value !== 'number' || !Number.isInteger(value) || value < 1)
      .map(([label, value]) => [`limit ${label}`, { limit: value, windowMs: 1_000 }, /^limit$/] as const),
    ...hostileValues()
      .filter(([, value]) => typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
      .map(([label, value]) => [`windowMs ${label}`, { limit: 1, windowMs: value }, /^windowMs$/] as const),
    ...hostileValues()
      .filter(([, value]) => value !== undefined && typeof value !== 'function')
      .map(([label, value]) => [`now ${label}`, { limit: 1, windowMs: 1_000, now: value }, /^now$/] as const),
    ['a Proxy whose traps throw', throwingProxy(), /^options\.limit$/] as const,
  ])('%s', (_, options, field) => {
    expectField(() => createWindowRateLimiter(options as never), field);
  });

  it.each(hostileValues().filter(([, value]) => typeof value !== 'string'))('take(%s)', (_, key) => {
    expectField(() => createWindowRateLimiter({ limit: 1, windowMs: 1_000 }).take(key as string), /^key$/);
  });

  it.each([
    ['NaN', () => Number.NaN],
    ['a string', () => '1000'],
    ['Infinity', () => Number.POSITIVE_INFINITY],
  ])('a clock answering %s makes take throw, naming now', (_, now) => {
    const limiter = createWindowRateLimiter({ limit: 1, windowMs: 1_000, now: now as () => number });
    expectField(() => limiter.take('k'), /^now$/);
  });

  it.each(hostileValues().filter(([, value]) => !isPlainObject(value)))(
    'rateLimitHeaders(%s)',
    (_, value) => {
      expectField(() => rateLimitHeaders(value as never), /^decision$/);
    },
  );

  it.each([
    [
      'allowed missing',
      { limit: 1, remaining: 0, resetAtSeconds: 1, retryAfterSeconds: 1 },
      /^decision\.allowed$/,
    ],
    [
      'a NaN limit',
      { allowed: true, limit: Number.NaN, remaining: 0, resetAtSeconds: 1 },
      /^decision\.limit$/,
    ],
    ['a getter that throws', withThrowingGetter({ allowed: true }, 'limit'), /^decision\.limit$/],
  ])('rateLimitHeaders of a decision with %s', (_, decision, field) => {
    expectField(() => rateLimitHeaders(decision as never), field);
  });
});
