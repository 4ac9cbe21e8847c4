import { describe, expect, it } from 'vitest';
import { IntegrationError } from '../result/errors.ts';
import { type ApiResult, err, ok } from '../result/result.ts';
import { createCircuitBreaker } from './circuit-breaker.ts';
import { type CircuitStateStore, createMemoryCircuitStateStore } from './circuit-state-store.ts';

const T0 = 1_700_000_000_000;
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
const failing = async () => err(new IntegrationError('SERVER_ERROR', 'down'));
const succeeding = async () => ok('up');

function fleet(options: { failureThreshold?: number; cooldownMs?: number } = {}) {
  const clock = { at: T0 };
  const store = createMemoryCircuitStateStore();
  const changes: string[] = [];
  const breaker = (name: string, own: CircuitStateStore = store) =>
    createCircuitBreaker({
      failureThreshold: options.failureThreshold ?? 3,
      cooldownMs: options.cooldownMs ?? 60_000,
      now: () => clock.at,
      store: own,
      key: 'twenty',
      onStateChange: ({ from, to }) => changes.push(`${name}: ${from} → ${to}`),
    });
  return { clock, store, breaker, changes };
}

describe('createCircuitBreaker with a shared store', () => {
  it('counts failures from every process toward one threshold, and opens everywhere', async () => {
    const { breaker, store, changes, clock } = fleet();
    const a = breaker('a');
    const b = breaker('b');
    a.recordFailure();
    a.recordFailure();
    b.recordFailure();
    await settle();
    expect(await store.read('twenty')).toEqual({ success: true, data: { failures: 3, openedAt: T0 } });
    expect(b.state).toBe('open');
    // a's last answers (1, then 2 failures) came before b's; it learns on a decision once its state is a second old.
    expect(a.state).toBe('closed');
    clock.at += 1_000;
    expect(a.state).toBe('closed');
    await settle();
    expect(a.state).toBe('open');
    expect(changes).toEqual(['b: closed → open', 'a: closed → open']);
  });

  it('refuses in a process that never failed once the fleet opened, on its next execute', async () => {
    const { breaker } = fleet();
    const a = breaker('a');
    for (let i = 0; i < 3; i++) await a.execute(failing);
    const fresh = breaker('fresh');
    expect(await fresh.execute(succeeding)).toMatchObject({
      success: false,
      error: { code: 'CIRCUIT_OPEN', retryAfterMs: 60_000 },
    });
  });

  it('reads the store at most once a second for synchronous decisions', async () => {
    const { breaker, store, clock } = fleet();
    let reads = 0;
    const counted: CircuitStateStore = {
      ...store,
      read: (key) => {
        reads += 1;
        return store.read(key);
      },
    };
    const a = breaker('a', counted);
    for (let i = 0; i < 10; i++) a.tryAcquire();
    await settle();
    expect(reads).toBe(1);
    clock.at += 999;
    a.tryAcquire();
    expect(reads).toBe(1);
    clock.at += 1;
    a.tryAcquire();
    await settle();
    expect(reads).toBe(2);
  });

  it('closes everywhere when a probe succeeds anywhere; a late success elsewhere changes nothing', async () => {
    const { breaker, store, clock } = fleet();
    const a = breaker('a');
    const b = breaker('b');
    for (let i = 0; i < 3; i++) await a.execute(failing);
    expect(await b.execute(succeeding)).toMatchObject({ success: false });
    clock.at += 60_000;
    expect(await b.execute(succeeding)).toEqual({ success: true, data: 'up' });
    expect(await store.read('twenty')).toEqual({ success: true, data: { failures: 0 } });
    clock.at += 1_000;
    expect(a.state).toBe('half-open');
    await settle();
    expect(a.state).toBe('closed');
  });

  it('opens everywhere again from a probe that fails anywhere', async () => {
    const { breaker, store, clock } = fleet();
    const a = breaker('a');
    const b = breaker('b');
    for (let i = 0; i < 3; i++) await a.execute(failing);
    clock.at += 60_000;
    expect(await b.execute(failing)).toMatchObject({ success: false, error: { code: 'SERVER_ERROR' } });
    expect(await store.read('twenty')).toEqual({
      success: true,
      data: { failures: 3, openedAt: T0 + 60_000 },
    });
    // a's own cooldown had passed; the fleet's began again.
    expect(await a.execute(succeeding)).toMatchObject({ success: false, error: { code: 'CIRCUIT_OPEN' } });
  });

  it('keeps its own decision when an answer overtaken by a newer record says closed', async () => {
    const { store } = fleet();
    // Answers held back and released in order, as from a slow connection.
    const held: (() => void)[] = [];
    const slow: CircuitStateStore = {
      ...store,
      recordFailure: async (key, policy, now) => {
        const answer = await store.recordFailure(key, policy, now);
        await new Promise<void>((resolve) => held.push(resolve));
        return answer;
      },
    };
    const a = createCircuitBreaker({ failureThreshold: 3, store: slow, key: 'twenty', now: () => T0 });
    a.recordFailure();
    a.recordFailure();
    a.recordFailure();
    expect(a.state).toBe('open');
    await settle();
    held.shift()?.(); // {failures: 1}: overtaken, must not close the breaker
    await settle();
    expect(a.state).toBe('open');
    for (const release of held.splice(0)) release();
    await settle();
    expect(a.state).toBe('open');
  });

  it('keeps a probe out in this process when the store reports the same opening', async () => {
    const { breaker, clock } = fleet();
    const a = breaker('a');
    for (let i = 0; i < 3; i++) await a.execute(failing);
    clock.at += 60_000;
    expect(a.tryAcquire()).toEqual({ allowed: true });
    await settle(); // a read came back: still opened at T0
    expect(a.state).toBe('half-open');
    expect(a.tryAcquire()).toMatchObject({ allowed: false });
  });

  it('decides on its own counts when the store fails, throws or answers nonsense', async () => {
    const broken: CircuitStateStore[] = [
      {
        recordFailure: async () => err(new IntegrationError('NETWORK_ERROR', 'Redis down')),
        recordSuccess: async () => err(new IntegrationError('NETWORK_ERROR', 'Redis down')),
        claimProbe: async () => err(new IntegrationError('NETWORK_ERROR', 'Redis down')),
        releaseProbe: async () => err(new IntegrationError('NETWORK_ERROR', 'Redis down')),
        read: async () => err(new IntegrationError('NETWORK_ERROR', 'Redis down')),
        reset: async () => err(new IntegrationError('NETWORK_ERROR', 'Redis down')),
      },
      {
        recordFailure: () => {
          throw new Error('boom');
        },
        recordSuccess: () => Promise.reject(new Error('boom')),
        claimProbe: () => {
          throw new Error('boom');
        },
        releaseProbe: () => Promise.reject(new Error('boom')),
        read: () => {
          throw new Error('boom');
        },
        reset: () => Promise.reject(new Error('boom')),
      },
      {
        recordFailure: async () => ({ success: true, data: { failures: 'many' } }) as never,
        recordSuccess: async () => null as never,
        claimProbe: async () => ({ success: true, data: { granted: 'yes', snapshot: {} } }) as never,
        releaseProbe: async () => undefined as never,
        read: async () => ({ success: true, data: { failures: 0, openedAt: Number.NaN } }) as never,
        reset: async () => 42 as never,
      },
    ];
    for (const store of broken) {
      const clock = { at: T0 };
      const a = createCircuitBreaker({
        failureThreshold: 2,
        cooldownMs: 1_000,
        store,
        key: 'crm',
        now: () => clock.at,
      });
      expect(await a.execute(failing)).toMatchObject({ error: { code: 'SERVER_ERROR' } });
      expect(await a.execute(failing)).toMatchObject({ error: { code: 'SERVER_ERROR' } });
      expect(a.state).toBe('open');
      // Past the cooldown the probe goes on this breaker's own word, and a non-retryable answer frees it.
      clock.at += 1_000;
      const notFound = async () => err(new IntegrationError('NOT_FOUND', 'gone', { retryable: false }));
      expect(await a.execute(notFound)).toMatchObject({ error: { code: 'NOT_FOUND' } });
      expect(await a.execute(async () => ok(1))).toEqual(ok(1));
      expect(a.state).toBe('closed');
      await a.execute(failing);
      await a.execute(failing);
      a.reset();
      await settle();
      expect(a.state).toBe('closed');
    }
  });

  it('sends one probe for the fleet after the cooldown; the others wait for its answer', async () => {
    const { breaker, store, clock } = fleet({ cooldownMs: 1_000 });
    const a = breaker('a');
    const b = breaker('b');
    for (let i = 0; i < 3; i++) await a.execute(failing);
    clock.at += 1_000;
    let answer: (value: ApiResult<string>) => void = () => {};
    const probe = a.execute(
      () =>
        new Promise<ApiResult<string>>((resolve) => {
          answer = resolve;
        }),
    );
    await settle();
    expect(await store.read('twenty')).toMatchObject({ data: { probeAt: T0 + 1_000 } });
    let called = false;
    const refused = await b.execute(async () => {
      called = true;
      return ok('b');
    });
    expect(called).toBe(false);
    expect(refused).toMatchObject({ success: false, error: { code: 'CIRCUIT_OPEN', retryAfterMs: 1_000 } });
    answer(ok('a'));
    expect(await probe).toEqual(ok('a'));
    expect(await store.read('twenty')).toEqual(ok({ failures: 0 }));
    clock.at += 1_000;
    expect(await b.execute(succeeding)).toEqual(ok('up'));
  });

  it('hands the fleet’s probe back when it ends without a verdict, so another process probes at once', async () => {
    const { breaker, store, clock } = fleet({ cooldownMs: 1_000 });
    const a = breaker('a');
    const b = breaker('b');
    for (let i = 0; i < 3; i++) await a.execute(failing);
    clock.at += 1_000;
    const gone = async () => err(new IntegrationError('NOT_FOUND', 'gone', { retryable: false }));
    expect(await a.execute(gone)).toMatchObject({ error: { code: 'NOT_FOUND' } });
    await settle();
    expect(await store.read('twenty')).toEqual(ok({ failures: 3, openedAt: T0 }));
    expect(await b.execute(succeeding)).toEqual(ok('up'));
    expect(await store.read('twenty')).toEqual(ok({ failures: 0 }));
  });

  it('resets the shared state', async () => {
    const { breaker, store } = fleet();
    const a = breaker('a');
    for (let i = 0; i < 3; i++) await a.execute(failing);
    a.reset();
    await settle();
    expect(await store.read('twenty')).toEqual({ success: true, data: { failures: 0 } });
  });

  it('refuses a store that is not one, and a key that is not a string, as CONFIG_ERROR', () => {
    expect(() => createCircuitBreaker({ store: {} as CircuitStateStore })).toThrow(/store/);
    expect(() => createCircuitBreaker({ key: 42 as unknown as string })).toThrow(/key/);
  });
});
