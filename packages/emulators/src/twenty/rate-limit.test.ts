import { describe, expect, it } from 'vitest';
import { hostileValues, isPlainObject, thrownBy } from '../../test-support/hostile-values.ts';
import { createTokenBucketLimiter } from './rate-limit.ts';

function limiter(limit: number, windowMs: number) {
  let clock = 1_000_000;
  const bucket = createTokenBucketLimiter({ limit, windowMs, now: () => clock });
  return { bucket, advance: (ms: number) => (clock += ms), at: () => clock };
}

describe('createTokenBucketLimiter', () => {
  it('lets a full bucket through at once, then denies', () => {
    const { bucket } = limiter(3, 3_000);
    expect([1, 2, 3, 4].map(() => bucket.take('k').allowed)).toEqual([true, true, true, false]);
  });

  it('refills continuously at limit per window', () => {
    const { bucket, advance } = limiter(3, 3_000);
    for (let i = 0; i < 3; i++) bucket.take('k');
    advance(999);
    expect(bucket.take('k').allowed).toBe(false);
    advance(1);
    expect(bucket.take('k').allowed).toBe(true);
    advance(2_000);
    expect(bucket.take('k').allowed).toBe(true);
    expect(bucket.take('k').allowed).toBe(true);
    expect(bucket.take('k').allowed).toBe(false);
  });

  it('never refills beyond the bucket size', () => {
    const { bucket, advance } = limiter(2, 1_000);
    advance(60_000);
    expect([1, 2, 3].map(() => bucket.take('k').allowed)).toEqual([true, true, false]);
  });

  it('reports remaining, Retry-After and the reset time of the next token', () => {
    const { bucket, at } = limiter(2, 10_000);
    expect(bucket.take('k')).toMatchObject({ allowed: true, limit: 2, remaining: 1, retryAfterSeconds: 0 });
    bucket.take('k');
    const denied = bucket.take('k');
    expect(denied).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 5 });
    expect(denied.resetAtSeconds).toBe(Math.ceil(at() / 1000) + 5);
  });

  it('keeps one bucket per key and forgets them on reset', () => {
    const { bucket } = limiter(1, 1_000);
    expect(bucket.take('a').allowed).toBe(true);
    expect(bucket.take('b').allowed).toBe(true);
    expect(bucket.take('a').allowed).toBe(false);
    bucket.reset();
    expect(bucket.take('a').allowed).toBe(true);
  });

  it('rejects invalid options', () => {
    expect(() => createTokenBucketLimiter({ limit: 0, windowMs: 1 })).toThrow(RangeError);
    expect(() => createTokenBucketLimiter({ limit: 1, windowMs: 0 })).toThrow(RangeError);
  });
});

describe('createTokenBucketLimiter with hostile input', () => {
  it.each([
    ...hostileValues()
      .filter(([, value]) => !isPlainObject(value))
      .map(([label, value]) => [`options ${label}`, value, 'options'] as const),
    ['a NaN limit', { limit: Number.NaN, windowMs: 1 }, 'limit'] as const,
    ['an infinite window', { limit: 1, windowMs: Number.POSITIVE_INFINITY }, 'windowMs'] as const,
    ['a clock that is a string', { limit: 1, windowMs: 1, now: 'now' }, 'now'] as const,
  ])('%s throws an EmulatorConfigError naming it', (_, options, field) => {
    expect(thrownBy(() => createTokenBucketLimiter(options as never))).toMatchObject({
      code: 'CONFIG_ERROR',
      field,
    });
  });

  it('take refuses a key that is not a string and a clock answering NaN', () => {
    expect(
      thrownBy(() => createTokenBucketLimiter({ limit: 1, windowMs: 1 }).take(Symbol() as never)),
    ).toMatchObject({
      field: 'key',
    });
    const broken = createTokenBucketLimiter({ limit: 1, windowMs: 1, now: () => Number.NaN });
    expect(thrownBy(() => broken.take('k'))).toMatchObject({ field: 'now' });
  });
});
