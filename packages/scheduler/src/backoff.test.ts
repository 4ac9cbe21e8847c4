import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';

describe('backoffDelay', () => {
  it('doubles from delayMs up to maxDelayMs', () => {
    const backoff = { type: 'exponential' as const, delayMs: 100, maxDelayMs: 500 };
    expect([1, 2, 3, 4, 5, 60].map((attempt) => backoffDelay(backoff, attempt))).toEqual([
      100, 200, 400, 500, 500, 500,
    ]);
  });

  it('waits delayMs each time when fixed', () => {
    const backoff = { type: 'fixed' as const, delayMs: 250, maxDelayMs: 100 };
    expect([1, 2, 9].map((attempt) => backoffDelay(backoff, attempt))).toEqual([250, 250, 250]);
  });
});
