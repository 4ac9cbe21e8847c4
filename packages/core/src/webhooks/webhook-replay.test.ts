import { describe, expect, it } from 'vitest';
import { IntegrationError } from '../result/errors.ts';
import { type ApiResult, ok } from '../result/result.ts';
import { createMemorySeenIdStore, type SeenIdStore } from '../store/seen-id-store.ts';
import { hostileValues, throwingProxy, withThrowingGetter } from '../testing/hostile-values.ts';
import { createManualClock } from '../testing/manual-clock.ts';
import { outcome, thrownBy } from '../testing/outcomes.ts';
import { watchProcessFailures } from '../testing/process-failures.ts';
import { readWebhookReplay } from './webhook-replay.ts';

const defaults = { namespace: 'acme', windowMs: 600_000 };

// A seen-id store that records its calls and answers what it is told.
function recordingStore(answer: (key: string) => unknown = () => ok(true)) {
  const calls: { key: string; ttlMs: number }[] = [];
  const store = {
    markSeen(key: string, options: { ttlMs: number }) {
      calls.push({ key, ttlMs: options.ttlMs });
      return answer(key);
    },
  } as SeenIdStore;
  return { store, calls };
}

function mark(value: unknown, options = defaults) {
  const read = readWebhookReplay(value, options);
  if (!read.success || read.data === undefined) throw new Error('expected a replay function');
  return read.data;
}

describe('readWebhookReplay', () => {
  it('is undefined when there is no replay option', () => {
    expect(readWebhookReplay(undefined, defaults)).toEqual(ok(undefined));
  });

  it('accepts a delivery the first time and refuses it as CONFLICT the second', async () => {
    const clock = createManualClock();
    const replay = mark({ store: createMemorySeenIdStore({ now: clock.now }) });
    expect(await replay('msg_1', 'webhook-id')).toEqual(ok(undefined));
    const again = await replay('msg_1', 'webhook-id');
    expect(again.success).toBe(false);
    expect(again.success || again.error).toMatchObject({
      code: 'CONFLICT',
      field: 'webhook-id',
      retryable: false,
    });
    expect(again.success || again.error).toBeInstanceOf(IntegrationError);
    // Another delivery is still new.
    expect(await replay('msg_2', 'webhook-id')).toEqual(ok(undefined));
  });

  it('accepts the delivery again once it has been forgotten', async () => {
    const clock = createManualClock();
    const replay = mark({ store: createMemorySeenIdStore({ now: clock.now }), ttlMs: 1_000 });
    expect((await replay('msg_1', 'id')).success).toBe(true);
    // Remembered for the window plus the clock margin, not the shorter ttlMs.
    clock.advance(defaults.windowMs);
    expect((await replay('msg_1', 'id')).success).toBe(false);
    clock.advance(60_001);
    expect((await replay('msg_1', 'id')).success).toBe(true);
  });

  it('prefixes keys with the default namespace, or the one given', async () => {
    const own = recordingStore();
    await mark({ store: own.store })('msg_1', 'id');
    await mark({ store: own.store, namespace: 'tenant-7' })('msg_1', 'id');
    expect(own.calls.map((call) => call.key)).toEqual(['acme:msg_1', 'tenant-7:msg_1']);
  });

  it('keeps senders with different namespaces apart in one store', async () => {
    const store = createMemorySeenIdStore({ now: createManualClock().now });
    expect((await mark({ store, namespace: 'a' })('msg_1', 'id')).success).toBe(true);
    expect((await mark({ store, namespace: 'b' })('msg_1', 'id')).success).toBe(true);
    expect((await mark({ store, namespace: 'a' })('msg_1', 'id')).success).toBe(false);
  });

  it.each([
    ['no ttlMs', undefined, 660_000],
    ['a ttlMs shorter than the window', 1_000, 660_000],
    ['a ttlMs longer than the window', 3_600_000, 3_600_000],
  ])('with %s, remembers a delivery for %s → %i ms', async (_, ttlMs, expected) => {
    const own = recordingStore();
    await mark({ store: own.store, ttlMs })('msg', 'id');
    expect(own.calls).toEqual([{ key: 'acme:msg', ttlMs: expected }]);
  });

  it('calls markSeen on the store itself', async () => {
    let self: unknown;
    const store = {
      markSeen(this: unknown) {
        self = this;
        return Promise.resolve(ok(true));
      },
    };
    await mark({ store })('msg', 'id');
    expect(self).toBe(store);
  });

  describe('bad options are a CONFIG_ERROR naming the field', () => {
    const store = createMemorySeenIdStore();
    it.each<[string, unknown, string]>([
      ['null', null, 'replay'],
      ['a string', 'yes', 'replay'],
      ['a number', 1, 'replay'],
      ['true', true, 'replay'],
      ['an object whose getters throw', withThrowingGetter({ store }, 'store'), 'replay'],
      ['a Proxy whose traps throw', throwingProxy(), 'replay'],
      ['a store whose markSeen getter throws', { store: withThrowingGetter({}, 'markSeen') }, 'replay'],
      ['no store', {}, 'replay.store'],
      ['a null store', { store: null }, 'replay.store'],
      ['a store without markSeen', { store: {} }, 'replay.store'],
      ['a markSeen that is not a function', { store: { markSeen: true } }, 'replay.store'],
      ['a Map as the store', { store: new Map() }, 'replay.store'],
      ['a zero ttlMs', { store, ttlMs: 0 }, 'replay.ttlMs'],
      ['a negative ttlMs', { store, ttlMs: -5 }, 'replay.ttlMs'],
      ['a NaN ttlMs', { store, ttlMs: Number.NaN }, 'replay.ttlMs'],
      ['an infinite ttlMs', { store, ttlMs: Number.POSITIVE_INFINITY }, 'replay.ttlMs'],
      ['a string ttlMs', { store, ttlMs: '60000' }, 'replay.ttlMs'],
      ['a null ttlMs', { store, ttlMs: null }, 'replay.ttlMs'],
      ['an empty namespace', { store, namespace: '' }, 'replay.namespace'],
      ['a number namespace', { store, namespace: 7 }, 'replay.namespace'],
      ['a null namespace', { store, namespace: null }, 'replay.namespace'],
    ])('%s', (_, value, field) => {
      let read: unknown;
      expect(thrownBy(() => (read = readWebhookReplay(value, defaults)))).toBeUndefined();
      const result = read as ApiResult<unknown>;
      expect(result.success).toBe(false);
      expect(result.success || result.error).toMatchObject({ code: 'CONFIG_ERROR', field, retryable: false });
      expect(result.success || result.error.message).toContain(field);
    });

    it.each(hostileValues().filter(([, value]) => value !== undefined))('never throws for %s', (_, value) => {
      let read: unknown;
      expect(thrownBy(() => (read = readWebhookReplay(value, defaults)))).toBeUndefined();
      expect(read).toMatchObject({ success: false, error: { code: 'CONFIG_ERROR' } });
    });
  });

  describe('a store that fails makes it fail closed (retryable OPERATION_FAILED on replay.store)', () => {
    const cause = new Error('connection refused');
    const storeFailure = new IntegrationError('NETWORK_ERROR', 'down');
    it.each<[string, () => unknown, unknown]>([
      [
        'throws',
        () => {
          throw cause;
        },
        cause,
      ],
      ['rejects', () => Promise.reject(cause), cause],
      ['answers a failure', () => Promise.resolve({ success: false, error: storeFailure }), storeFailure],
      ['answers undefined', () => Promise.resolve(undefined), undefined],
      ['answers null', () => null, undefined],
      ['answers a bare boolean', () => Promise.resolve(true), undefined],
      ['answers an object without success', () => Promise.resolve({ data: true }), undefined],
      ['answers a non-boolean success', () => Promise.resolve({ success: 'true', data: true }), undefined],
      ['answers data that is not a boolean', () => Promise.resolve(ok('yes')), undefined],
      ['answers data that is missing', () => Promise.resolve({ success: true }), undefined],
    ])('when markSeen %s', async (_, answer, expectedCause) => {
      const watch = watchProcessFailures();
      const replay = mark({ store: recordingStore(answer).store });
      const done = await outcome(() => replay('msg', 'webhook-id'));
      expect(done.resolved).toBe(true);
      const result = (done as { value: ApiResult<void> }).value;
      expect(result.success).toBe(false);
      expect(result.success || result.error).toMatchObject({
        code: 'OPERATION_FAILED',
        field: 'replay.store',
        retryable: true,
      });
      expect(result.success || result.error.cause).toBe(expectedCause);
      expect(await watch.stop()).toEqual([]);
    });

    it('when markSeen answers a Proxy whose traps throw', async () => {
      const watch = watchProcessFailures();
      const replay = mark({ store: recordingStore(() => throwingProxy()).store });
      const done = await outcome(() => replay('msg', 'id'));
      expect(done).toMatchObject({
        resolved: true,
        value: { success: false, error: { code: 'OPERATION_FAILED', field: 'replay.store' } },
      });
      expect(await watch.stop()).toEqual([]);
    });

    it('and says so without naming the delivery id', async () => {
      const replay = mark({ store: recordingStore(() => Promise.reject(cause)).store });
      const result = await replay('msg_secret_id', 'id');
      expect(result.success || result.error.message).not.toContain('msg_secret_id');
      expect(result.success || result.error.message).toContain('fails closed');
    });
  });

  it('reads the store once, when the options are read', async () => {
    const first = recordingStore();
    const options = { store: first.store };
    const replay = mark(options);
    options.store = recordingStore(() => ok(false)).store;
    expect(await replay('msg', 'id')).toEqual(ok(undefined));
    expect(first.calls).toHaveLength(1);
  });
});
