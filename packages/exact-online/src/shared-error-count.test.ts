// The shared error count: no rolling hour with more errors than the limit, and the limit reached; the time an
// endpoint frees found to the second; a failing store passed over.
import { createMemoryFailureWindowStore, type FailureWindowStore } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { mostInAnyWindow } from '../test-support/busiest.ts';
import { sharedErrorCount } from './shared-error-count.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);
const ENDPOINT = '/api/v1/1/crm/accounts';

// Makes an error whenever the count allows one, over `spanMs` in 10-s steps; answers every error's time.
async function drain(limit: number, spanMs: number) {
  const count = sharedErrorCount(createMemoryFailureWindowStore(), 'k', limit);
  const times: number[] = [];
  for (let at = T0; at < T0 + spanMs; at += 10_000) {
    if ((await count.freesAt(ENDPOINT, at)) === undefined) {
      await count.record(ENDPOINT, at);
      times.push(at);
    }
  }
  return times;
}

describe('sharedErrorCount', () => {
  it.each([1, 2, 9, 10])(
    'lets a rolling hour hold %i errors and never more, over three hours',
    async (limit) => {
      const times = await drain(limit, 3 * HOUR);
      expect(mostInAnyWindow(times, HOUR)).toBe(limit);
      expect(times.length).toBe(3 * limit);
    },
  );

  it('names when the endpoint frees: the hour after the oldest error that keeps it spent, to the second', async () => {
    const count = sharedErrorCount(createMemoryFailureWindowStore(), 'k', 3);
    for (const at of [T0, T0 + 60_000, T0 + 120_000]) await count.record(ENDPOINT, at);
    const frees = await count.freesAt(ENDPOINT, T0 + 180_000);
    expect(frees).toBeGreaterThan(T0 + HOUR);
    expect(frees).toBeLessThanOrEqual(T0 + HOUR + 1_000);
    expect(await count.freesAt('/api/v1/1/crm/contacts', T0 + 180_000)).toBeUndefined();
    expect(await count.freesAt(ENDPOINT, frees!)).toBeUndefined();
  });

  it('passes over a store that fails, throws or rejects: nothing stops, nothing throws', async () => {
    const failing: FailureWindowStore = {
      record: async () => ({ success: false, error: new Error('down') }) as never,
      read: async () => ({ success: false, error: new Error('down') }) as never,
      reset: async () => ({ success: true, data: { failures: 0 } }),
    };
    const throwing: FailureWindowStore = {
      record: () => {
        throw new Error('down');
      },
      read: async () => {
        throw new Error('down');
      },
      reset: async () => ({ success: true, data: { failures: 0 } }),
    };
    for (const store of [failing, throwing]) {
      const count = sharedErrorCount(store, 'k', 1);
      await expect(count.record(ENDPOINT, T0)).resolves.toBeUndefined();
      expect(await count.freesAt(ENDPOINT, T0)).toBeUndefined();
    }
  });
});
