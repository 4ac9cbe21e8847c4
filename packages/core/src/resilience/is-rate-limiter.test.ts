import { describe, expect, it } from 'vitest';
import { throwingProxy } from '../testing/hostile-values.ts';
import { isRateLimiter } from './is-rate-limiter.ts';
import { createRateLimiter } from './rate-limiter.ts';

describe('isRateLimiter', () => {
  it('accepts a created limiter and a caller-made one', () => {
    expect(isRateLimiter(createRateLimiter({ limit: 1, intervalMs: 1_000 }))).toBe(true);
    expect(isRateLimiter({ acquire: async () => {}, observe: () => {}, state: async () => ({}) })).toBe(true);
  });

  it('refuses options, missing methods and non-objects', () => {
    expect(isRateLimiter({ limit: 1, intervalMs: 1_000 })).toBe(false);
    expect(isRateLimiter({ acquire: async () => {} })).toBe(false);
    expect(isRateLimiter(false)).toBe(false);
    expect(isRateLimiter(null)).toBe(false);
    expect(isRateLimiter(undefined)).toBe(false);
  });

  it('returns false when inspecting the value throws', () => {
    const getter = Object.defineProperty({ observe: () => {} }, 'acquire', {
      get() {
        throw new Error('boom');
      },
    });
    expect(isRateLimiter(getter)).toBe(false);
    expect(isRateLimiter(throwingProxy())).toBe(false);
  });
});
