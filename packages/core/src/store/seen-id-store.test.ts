import { describe, expect, it } from 'vitest';
import { IntegrationError } from '../result/errors.ts';
import { createManualClock } from '../testing/manual-clock.ts';
import { describeSeenIdStoreContract } from '../testing/seen-id-store-contract.ts';
import { createMemorySeenIdStore } from './seen-id-store.ts';

const clock = createManualClock();
// One store for the whole suite: the contract races two stores from the factory on one key, as it would two
// processes on one database.
const shared = createMemorySeenIdStore({ now: clock.now });
describeSeenIdStoreContract('memory', async () => shared, { clock });

describe('createMemorySeenIdStore', () => {
  it('holds at most maxEntries keys, forgetting the oldest first', async () => {
    const own = createManualClock();
    const store = createMemorySeenIdStore({ maxEntries: 3, now: own.now });
    for (const key of ['a', 'b', 'c', 'd'])
      expect(await store.markSeen(key, { ttlMs: 60_000 })).toEqual({
        success: true,
        data: true,
      });
    expect(store.size).toBe(3);
    // 'a' was forgotten to make room; 'b' to 'd' are still remembered.
    expect(await store.markSeen('a', { ttlMs: 60_000 })).toEqual({ success: true, data: true });
    expect(await store.markSeen('d', { ttlMs: 60_000 })).toEqual({ success: true, data: false });
  });

  it('prunes lapsed keys as new ones come in', async () => {
    const own = createManualClock();
    const store = createMemorySeenIdStore({ now: own.now });
    for (let i = 0; i < 50; i++) await store.markSeen(`old-${i}`, { ttlMs: 1_000 });
    own.advance(1_001);
    await store.markSeen('new', { ttlMs: 1_000 });
    expect(store.size).toBe(1);
  });

  it('sweeps lapsed keys a longer-lived key shields, once a minute', async () => {
    const own = createManualClock();
    const store = createMemorySeenIdStore({ now: own.now });
    await store.markSeen('long', { ttlMs: 3_600_000 });
    for (let i = 0; i < 20; i++) await store.markSeen(`short-${i}`, { ttlMs: 1_000 });
    own.advance(1_001);
    await store.markSeen('next', { ttlMs: 1_000 });
    expect(store.size).toBe(22);
    own.advance(60_000);
    await store.markSeen('later', { ttlMs: 1_000 });
    expect(store.size).toBe(2);
  });

  it('answers OPERATION_FAILED, not a throw, when its clock throws', async () => {
    const store = createMemorySeenIdStore({
      now: () => {
        throw new Error('clock');
      },
    });
    expect(await store.markSeen('k', { ttlMs: 1 })).toMatchObject({
      success: false,
      error: { code: 'OPERATION_FAILED' },
    });
  });

  it.each([
    [{ maxEntries: 0 }, 'maxEntries'],
    [{ maxEntries: 1.5 }, 'maxEntries'],
    [{ now: 5 }, 'now'],
  ])('throws CONFIG_ERROR for %j', (options, field) => {
    let thrown: unknown;
    try {
      createMemorySeenIdStore(options as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(IntegrationError);
    expect(thrown).toMatchObject({ code: 'CONFIG_ERROR', field });
  });
});
