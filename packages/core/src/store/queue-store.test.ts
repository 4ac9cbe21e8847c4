import { describe, expect, it } from 'vitest';
import { createManualClock } from '../testing/manual-clock.ts';
import { describeQueueStoreContract } from '../testing/queue-store-contract.ts';
import { createMemoryStore } from './memory-store.ts';
import {
  createMemoryQueueStore,
  validateQueueClaim,
  validateQueueEnqueue,
  validateQueueIds,
  validateQueueRelease,
} from './queue-store.ts';

const clock = createManualClock();
// One store per suite: the contract's racing tests take two stores from the factory, as two processes would
// share one database.
const shared = createMemoryQueueStore({ now: clock.now });
describeQueueStoreContract('memory queue', async () => shared, { clock });
const storeClock = createManualClock();
const memoryStore = createMemoryStore({ now: storeClock.now });
describeQueueStoreContract('memory store queue', async () => memoryStore.queue, { clock: storeClock });
describeQueueStoreContract('memory queue, real time', async () => sharedRealTime);
const sharedRealTime = createMemoryQueueStore();

describe('createMemoryQueueStore', () => {
  it('throws CONFIG_ERROR for a clock that is not a function', () => {
    expect(() => createMemoryQueueStore({ now: 5 as never })).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', field: 'now' }),
    );
  });

  it('answers OPERATION_FAILED, not a throw, when the clock throws or answers no integer', async () => {
    for (const now of [
      () => {
        throw new Error('clock');
      },
      () => Number.NaN,
      () => '1',
    ]) {
      const queue = createMemoryQueueStore({ now: now as () => number });
      expect(await queue.enqueue('q', [{ id: 'a', payload: '' }])).toMatchObject({
        success: false,
        error: { code: 'OPERATION_FAILED' },
      });
      expect(await queue.stats('q')).toMatchObject({ success: false, error: { code: 'OPERATION_FAILED' } });
    }
  });

  it('forgets a queue once its last message is acknowledged', async () => {
    const queue = createMemoryQueueStore();
    await queue.enqueue('q', [{ id: 'a', payload: 'x' }]);
    expect(await queue.ack('q', ['a'])).toEqual({ success: true, data: { deleted: 1 } });
    expect(await queue.stats('q')).toEqual({
      success: true,
      data: { count: 0, bytes: 0, claimed: 0, oldestEnqueuedAt: null },
    });
  });
});

describe('the memory store queue', () => {
  it('answers OPERATION_FAILED once the store is closed', async () => {
    const store = createMemoryStore();
    await store.queue.enqueue('q', [{ id: 'a', payload: 'x' }]);
    await store.close();
    for (const result of [
      await store.queue.enqueue('q', [{ id: 'b', payload: 'x' }]),
      await store.queue.claim('q', { owner: 'o', limit: 1, leaseMs: 1_000 }),
      await store.queue.ack('q', ['a']),
      await store.queue.release('q', ['a']),
      await store.queue.stats('q'),
    ]) {
      expect(result).toMatchObject({ success: false, error: { code: 'OPERATION_FAILED' } });
    }
  });
});

describe('queue input checks', () => {
  it('copy an enqueue batch, the first message of each id kept', () => {
    const batch = [
      { id: 'a', payload: '1', extra: true },
      { id: 'b', payload: '2' },
      { id: 'a', payload: '3' },
    ];
    expect(validateQueueEnqueue('q', batch)).toEqual({
      success: true,
      data: {
        queue: 'q',
        messages: [
          { id: 'a', payload: '1' },
          { id: 'b', payload: '2' },
        ],
      },
    });
  });

  it('list at most 100 issues of a batch, naming index and field, never a value', () => {
    const batch = Array.from({ length: 500 }, () => ({ id: 'secret-id\u0000', payload: 'x' }));
    const result = validateQueueEnqueue('q', batch);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.issues).toHaveLength(100);
    expect(result.error.field).toBe('messages.0.id');
    expect(result.error.message).not.toContain('secret-id');
  });

  it('round leases and delays up to whole milliseconds, and drop duplicate ids', () => {
    expect(validateQueueClaim('q', { owner: 'o', limit: 3, leaseMs: 10.2 })).toEqual({
      success: true,
      data: { queue: 'q', owner: 'o', limit: 3, leaseMs: 11, maxBytes: null },
    });
    expect(validateQueueRelease('q', ['a', 'a', 'b'], { delayMs: 0.5 })).toEqual({
      success: true,
      data: { queue: 'q', ids: ['a', 'b'], delayMs: 1, owner: null },
    });
    expect(validateQueueIds('q', [])).toEqual({ success: true, data: { queue: 'q', ids: [] } });
  });

  it('read each field of the caller once', () => {
    let reads = 0;
    const message = {
      get id() {
        reads++;
        return reads === 1 ? 'a' : '';
      },
      payload: 'x',
    };
    expect(validateQueueEnqueue('q', [message])).toMatchObject({
      success: true,
      data: { messages: [{ id: 'a', payload: 'x' }] },
    });
    expect(reads).toBe(1);
  });
});
