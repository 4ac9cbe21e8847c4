import { describe, expect, it, vi } from 'vitest';
import { IntegrationError } from '../result/errors.ts';
import { type ApiResult, err, ok } from '../result/result.ts';
import { type CircuitState, createCircuitBreaker } from './circuit-breaker.ts';

// A hand-driven clock, so cooldowns pass without real waiting.
function manualClock(start = 1_000_000) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number): void => {
      t += ms;
    },
  };
}

const serverError = () => err<string>(new IntegrationError('SERVER_ERROR', 'boom', { status: 500 }));
const notFound = () => err<string>(new IntegrationError('NOT_FOUND', 'missing', { status: 404 }));
const failWith = (result: () => ApiResult<string>) => async () => result();
const succeed = async () => ok('fine');

function openBreaker(failureThreshold = 3, cooldownMs = 10_000) {
  const clock = manualClock();
  const changes: { from: CircuitState; to: CircuitState }[] = [];
  const breaker = createCircuitBreaker({
    failureThreshold,
    cooldownMs,
    now: clock.now,
    onStateChange: (c) => changes.push(c),
  });
  for (let i = 0; i < failureThreshold; i++) breaker.recordFailure();
  return { breaker, clock, changes };
}

describe('createCircuitBreaker', () => {
  it('starts closed and allows attempts', () => {
    const breaker = createCircuitBreaker();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toEqual({ allowed: true });
  });

  it('opens after N consecutive failures, defaulting to 5', () => {
    const breaker = createCircuitBreaker();
    for (let i = 0; i < 4; i++) breaker.recordFailure();
    expect(breaker.state).toBe('closed');
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
  });

  it('resets the count on a success in between', () => {
    const breaker = createCircuitBreaker({ failureThreshold: 3 });
    breaker.recordFailure();
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.state).toBe('closed');
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
  });

  it('fails fast while open, with the time left in retryAfterMs', () => {
    const { breaker, clock } = openBreaker(3, 10_000);
    expect(breaker.tryAcquire()).toEqual({ allowed: false, retryAfterMs: 10_000 });
    clock.advance(4_000);
    expect(breaker.tryAcquire()).toEqual({ allowed: false, retryAfterMs: 6_000 });
    expect(breaker.state).toBe('open');
  });

  it('defaults the cooldown to 5 minutes', () => {
    const clock = manualClock();
    const breaker = createCircuitBreaker({ failureThreshold: 1, now: clock.now });
    breaker.recordFailure();
    clock.advance(299_999);
    expect(breaker.tryAcquire()).toEqual({ allowed: false, retryAfterMs: 1 });
    clock.advance(1);
    expect(breaker.tryAcquire()).toEqual({ allowed: true });
  });

  it('reads half-open once the cooldown passed, then admits exactly one probe at a time', () => {
    const { breaker, clock } = openBreaker(3, 10_000);
    clock.advance(10_000);
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryAcquire()).toEqual({ allowed: true });
    const second = breaker.tryAcquire();
    expect(second.allowed).toBe(false);
    if (!second.allowed) expect(second.retryAfterMs).toBeGreaterThan(0);
    expect(breaker.state).toBe('half-open');
  });

  it('closes when the probe succeeds, and counts failures from zero again', () => {
    const { breaker, clock } = openBreaker(3, 10_000);
    clock.advance(10_000);
    breaker.tryAcquire();
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toEqual({ allowed: true });
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.state).toBe('closed');
  });

  it('re-opens for a fresh cooldown when the probe fails', () => {
    const { breaker, clock } = openBreaker(3, 10_000);
    clock.advance(15_000);
    breaker.tryAcquire();
    clock.advance(500);
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toEqual({ allowed: false, retryAfterMs: 10_000 });
    clock.advance(10_000);
    expect(breaker.tryAcquire()).toEqual({ allowed: true });
  });

  it('frees the probe slot of a probe that never reports after one cooldown', () => {
    const { breaker, clock } = openBreaker(3, 10_000);
    clock.advance(10_000);
    breaker.tryAcquire();
    clock.advance(9_999);
    expect(breaker.tryAcquire().allowed).toBe(false);
    clock.advance(1);
    expect(breaker.tryAcquire()).toEqual({ allowed: true });
  });

  it('release() frees the probe slot without counting anything', () => {
    const { breaker, clock, changes } = openBreaker(3, 10_000);
    clock.advance(10_000);
    breaker.tryAcquire();
    breaker.release();
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryAcquire()).toEqual({ allowed: true });
    expect(changes).toEqual([
      { from: 'closed', to: 'open' },
      { from: 'open', to: 'half-open' },
    ]);
  });

  it('release() while closed neither counts nor resets failures', () => {
    const breaker = createCircuitBreaker({ failureThreshold: 2 });
    breaker.recordFailure();
    breaker.release();
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
  });

  it('ignores late outcomes of calls sent before the breaker opened', () => {
    const { breaker } = openBreaker(3, 10_000);
    breaker.recordSuccess();
    breaker.recordFailure();
    expect(breaker.tryAcquire()).toEqual({ allowed: false, retryAfterMs: 10_000 });
  });

  it('reset() closes and clears the count', () => {
    const { breaker, changes } = openBreaker(2);
    breaker.reset();
    expect(breaker.state).toBe('closed');
    breaker.recordFailure();
    expect(breaker.state).toBe('closed');
    expect(changes.at(-1)).toEqual({ from: 'open', to: 'closed' });
  });

  it('fires onStateChange on every transition', () => {
    const { breaker, clock, changes } = openBreaker(2, 1_000);
    clock.advance(1_000);
    expect(breaker.state).toBe('half-open');
    // Reading the state does not transition: the event comes when the probe is admitted.
    expect(changes).toEqual([{ from: 'closed', to: 'open' }]);
    breaker.tryAcquire();
    breaker.recordFailure();
    clock.advance(1_000);
    breaker.tryAcquire();
    breaker.recordSuccess();
    expect(changes).toEqual([
      { from: 'closed', to: 'open' },
      { from: 'open', to: 'half-open' },
      { from: 'half-open', to: 'open' },
      { from: 'open', to: 'half-open' },
      { from: 'half-open', to: 'closed' },
    ]);
  });

  it('keeps working when onStateChange throws', () => {
    const breaker = createCircuitBreaker({
      failureThreshold: 1,
      onStateChange: () => {
        throw new Error('listener bug');
      },
    });
    expect(() => breaker.recordFailure()).not.toThrow();
    expect(breaker.state).toBe('open');
  });

  it('never rejects from execute, whatever it is handed', async () => {
    const breaker = createCircuitBreaker();
    for (const operation of [null, 42, 'run', {}]) {
      const result = await breaker.execute(operation as never);
      expect(result.success || result.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'operation' });
    }
    const rejected = await breaker.execute(() => Promise.reject('a string'));
    expect(rejected.success || rejected.error.code).toBe('OPERATION_FAILED');
    expect(breaker.state).toBe('closed');
  });

  it('rejects invalid options', () => {
    expect(() => createCircuitBreaker({ failureThreshold: 0 })).toThrow(IntegrationError);
    expect(() => createCircuitBreaker({ cooldownMs: -1 })).toThrow(/cooldownMs/);
  });

  describe('execute', () => {
    it('passes results through and counts retryable failures', async () => {
      const breaker = createCircuitBreaker({ failureThreshold: 2 });
      expect(await breaker.execute(succeed)).toEqual(ok('fine'));
      const failed = await breaker.execute(failWith(serverError));
      expect(failed.success).toBe(false);
      await breaker.execute(failWith(serverError));
      expect(breaker.state).toBe('open');
    });

    it('refuses with a retryable CIRCUIT_OPEN error carrying retryAfterMs, without calling the operation', async () => {
      const { breaker, clock } = openBreaker(3, 10_000);
      clock.advance(2_500);
      const operation = vi.fn(succeed);
      const result = await breaker.execute(operation);
      expect(operation).not.toHaveBeenCalled();
      expect(result.success).toBe(false);
      if (result.success) return;
      expect(result.error).toBeInstanceOf(IntegrationError);
      expect(result.error.code).toBe('CIRCUIT_OPEN');
      expect(result.error.retryable).toBe(true);
      expect(result.error.retryAfterMs).toBe(7_500);
    });

    it('does not count non-retryable failures', async () => {
      const breaker = createCircuitBreaker({ failureThreshold: 2 });
      for (let i = 0; i < 5; i++) await breaker.execute(failWith(notFound));
      expect(breaker.state).toBe('closed');
      // Neither do they reset the count of retryable ones.
      await breaker.execute(failWith(serverError));
      await breaker.execute(failWith(notFound));
      await breaker.execute(failWith(serverError));
      expect(breaker.state).toBe('open');
    });

    it('lets one concurrent probe through and closes on its success', async () => {
      const { breaker, clock } = openBreaker(3, 10_000);
      clock.advance(10_000);
      let finish: (value: ApiResult<string>) => void = () => {};
      const probe = breaker.execute(() => new Promise<ApiResult<string>>((resolve) => (finish = resolve)));
      const concurrent = await breaker.execute(succeed);
      expect(concurrent.success ? undefined : concurrent.error.code).toBe('CIRCUIT_OPEN');
      finish(ok('back'));
      expect(await probe).toEqual(ok('back'));
      expect(breaker.state).toBe('closed');
    });

    it('re-opens when the probe fails retryably', async () => {
      const { breaker, clock } = openBreaker(3, 10_000);
      clock.advance(10_000);
      await breaker.execute(failWith(serverError));
      expect(breaker.state).toBe('open');
    });

    it('hands the probe slot back when the probe fails non-retryably or throws', async () => {
      const { breaker, clock } = openBreaker(3, 10_000);
      clock.advance(10_000);
      await breaker.execute(failWith(notFound));
      expect(breaker.state).toBe('half-open');
      const thrown = await breaker.execute(async () => {
        throw new Error('bug with sk_live_secret');
      });
      expect(thrown.success || thrown.error).toMatchObject({ code: 'OPERATION_FAILED', retryable: false });
      expect(JSON.stringify(thrown)).not.toContain('sk_live_secret');
      expect(breaker.state).toBe('half-open');
      const odd = await breaker.execute((async () => 'not a result') as never);
      expect(odd.success || odd.error.code).toBe('OPERATION_FAILED');
      expect(breaker.state).toBe('half-open');
      expect(await breaker.execute(succeed)).toEqual(ok('fine'));
      expect(breaker.state).toBe('closed');
    });
  });
});
