import { describe, expect, it } from 'vitest';
import { backoffCeiling as sharedBackoffCeiling, backoffDelay as sharedBackoffDelay } from './backoff.ts';
import { backoffCeiling, backoffDelay, DEFAULT_RETRY_OPTIONS, retryOptionsSchema } from './retry.ts';

describe('retry options', () => {
  it('defaults to 3 retries, 1 s doubling up to 30 s, the transient statuses and full jitter', () => {
    expect(DEFAULT_RETRY_OPTIONS).toEqual({
      retries: 3,
      initialDelayMs: 1_000,
      maxDelayMs: 30_000,
      maxRetryAfterMs: 60_000,
      statusCodes: [408, 429, 500, 502, 503, 504],
      unprocessedStatuses: [429],
      jitter: 'full',
    });
  });

  it('keeps given values and fills in the rest', () => {
    const parsed = retryOptionsSchema.parse({ retries: 0, initialDelayMs: 10, jitter: 'none' });
    expect(parsed.retries).toBe(0);
    expect(parsed.initialDelayMs).toBe(10);
    expect(parsed.jitter).toBe('none');
    expect(parsed.maxDelayMs).toBe(30_000);
  });

  it('rejects negative retries', () => {
    expect(retryOptionsSchema.safeParse({ retries: -1 }).success).toBe(false);
  });

  it('rejects fractional or excessive retries', () => {
    expect(retryOptionsSchema.safeParse({ retries: 1.5 }).success).toBe(false);
    expect(retryOptionsSchema.safeParse({ retries: 21 }).success).toBe(false);
    expect(retryOptionsSchema.safeParse({ retries: 20 }).success).toBe(true);
  });

  it('rejects negative delays and unknown jitter', () => {
    expect(retryOptionsSchema.safeParse({ initialDelayMs: -1 }).success).toBe(false);
    expect(retryOptionsSchema.safeParse({ maxDelayMs: -5 }).success).toBe(false);
    expect(retryOptionsSchema.safeParse({ maxRetryAfterMs: -5 }).success).toBe(false);
    expect(retryOptionsSchema.safeParse({ jitter: 'equal' }).success).toBe(false);
    expect(retryOptionsSchema.safeParse({ unprocessedStatuses: [429.5] }).success).toBe(false);
    expect(retryOptionsSchema.safeParse({ unprocessedStatuses: [] }).success).toBe(true);
  });
});

describe('backoff re-exported for its callers', () => {
  it('is the one in backoff.ts', () => {
    expect(backoffDelay).toBe(sharedBackoffDelay);
    expect(backoffCeiling).toBe(sharedBackoffCeiling);
  });
});

describe('DEFAULT_RETRY_OPTIONS', () => {
  it('is frozen, status list included, so no caller changes every client’s defaults', () => {
    expect(Object.isFrozen(DEFAULT_RETRY_OPTIONS)).toBe(true);
    expect(Object.isFrozen(DEFAULT_RETRY_OPTIONS.statusCodes)).toBe(true);
    expect(Object.isFrozen(DEFAULT_RETRY_OPTIONS.unprocessedStatuses)).toBe(true);
    expect(() => {
      (DEFAULT_RETRY_OPTIONS as { retries: number }).retries = 20;
    }).toThrow(TypeError);
    expect(DEFAULT_RETRY_OPTIONS.retries).toBe(3);
  });
});
