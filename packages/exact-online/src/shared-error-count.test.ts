// The shared error count: never more errors in any rolling hour than the limit, every error recorded even past the
// last whole token, and a failing store passed over.
import { createMemoryRateLimitStore, type RateLimitStore } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { errorBucket, sharedErrorCount } from './shared-error-count.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);
const ENDPOINT = '/api/v1/1/crm/accounts';

// Sends an error whenever the count allows one, over `spanMs` in 1-s steps; answers every error's time.
async function drain(limit: number, spanMs: number) {
  const count = sharedErrorCount(createMemoryRateLimitStore(), 'k', limit);
  const times: number[] = [];
  for (let at = T0; at < T0 + spanMs; at += 1_000) {
    if ((await count.freesAt(ENDPOINT, at)) === undefined) {
      await count.record(ENDPOINT, at);
      times.push(at);
    }
  }
  return times;
}

const busiestHour = (times: number[]) => {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= HOUR) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
};

describe('errorBucket', () => {
  it('holds half the limit at once and refills the rest over the hour', () => {
    expect(errorBucket(9)).toEqual({ capacity: 5, refillPerMs: 4 / HOUR });
    expect(errorBucket(10)).toEqual({ capacity: 5, refillPerMs: 5 / HOUR });
    expect(errorBucket(1)).toEqual({ capacity: 1, refillPerMs: 0.5 / HOUR });
  });
});

describe('sharedErrorCount', () => {
  it.each([1, 2, 9, 10])(
    'lets no rolling hour hold more than %i errors, over six hours of errors',
    async (limit) => {
      const times = await drain(limit, 6 * HOUR);
      expect(busiestHour(times)).toBeLessThanOrEqual(limit);
      expect(times.length).toBeGreaterThan(limit);
    },
  );

  it('stops at once after the burst and names when the endpoint frees', async () => {
    const count = sharedErrorCount(createMemoryRateLimitStore(), 'k', 9);
    for (let i = 0; i < 5; i++) await count.record(ENDPOINT, T0);
    // One token back takes a quarter of an hour at 4 an hour.
    expect(await count.freesAt(ENDPOINT, T0)).toBe(T0 + HOUR / 4);
    expect(await count.freesAt('/api/v1/1/crm/contacts', T0)).toBeUndefined();
    expect(await count.freesAt(ENDPOINT, T0 + HOUR / 4)).toBeUndefined();
  });

  it('records an error past the last whole token by emptying the bucket', async () => {
    const count = sharedErrorCount(createMemoryRateLimitStore(), 'k', 9);
    for (let i = 0; i < 5; i++) await count.record(ENDPOINT, T0);
    await count.record(ENDPOINT, T0 + HOUR / 8);
    // Half a token had come back: the extra error took it, so the wait starts again.
    expect(await count.freesAt(ENDPOINT, T0 + HOUR / 8)).toBe(T0 + HOUR / 8 + HOUR / 4);
  });

  it('passes over a store that throws or rejects: nothing stops, nothing throws', async () => {
    const broken: RateLimitStore = {
      take: () => {
        throw new Error('down');
      },
      update: async () => {
        throw new Error('down');
      },
      peek: async () => {
        throw new Error('down');
      },
    };
    const count = sharedErrorCount(broken, 'k', 9);
    await expect(count.record(ENDPOINT, T0)).resolves.toBeUndefined();
    expect(await count.freesAt(ENDPOINT, T0)).toBeUndefined();
  });
});
