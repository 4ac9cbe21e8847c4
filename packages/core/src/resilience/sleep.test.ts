import { afterEach, describe, expect, it, vi } from 'vitest';
import { isArraySafe } from '../input/caller-input.ts';
import { IntegrationError } from '../result/errors.ts';
import { hostileValues, withThrowingGetter } from '../testing/hostile-values.ts';
import { outcome } from '../testing/outcomes.ts';
import { watchProcessFailures } from '../testing/process-failures.ts';
import { sleep } from './sleep.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('sleep', () => {
  it('resolves after about the given time', async () => {
    const started = performance.now();
    await expect(sleep(30)).resolves.toBeUndefined();
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(25);
    expect(elapsed).toBeLessThan(150);
  });

  it('does not resolve before the time is up', async () => {
    vi.useFakeTimers();
    let done = false;
    const pending = sleep(100).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(99);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
    await pending;
  });

  it('resolves with a signal that never aborts', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const pending = sleep(50, { signal: controller.signal });
    await vi.advanceTimersByTimeAsync(50);
    await expect(pending).resolves.toBeUndefined();
  });

  it('rejects with the abort reason as soon as the signal aborts, and clears its timer', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const pending = sleep(10_000, { signal: controller.signal });
    expect(vi.getTimerCount()).toBe(1);
    const reason = new Error('shutting down');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects with the default AbortError reason when aborted without one', async () => {
    const controller = new AbortController();
    const pending = sleep(10_000, { signal: controller.signal });
    controller.abort();
    const reason: unknown = await pending.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(reason).toBeInstanceOf(DOMException);
    expect(reason instanceof DOMException && reason.name).toBe('AbortError');
  });

  it('rejects immediately, without a timer, when the signal is already aborted', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const reason = new Error('already gone');
    controller.abort(reason);
    const pending = sleep(10_000, { signal: controller.signal });
    expect(vi.getTimerCount()).toBe(0);
    await expect(pending).rejects.toBe(reason);
  });

  it('an abort after it resolved changes nothing', async () => {
    const controller = new AbortController();
    await sleep(1, { signal: controller.signal });
    expect(() => controller.abort()).not.toThrow();
  });
});

describe('hostile input: rejects only with a VALIDATION_ERROR, and nothing fires later', () => {
  const badDelays: [string, unknown][] = [
    ...hostileValues().filter(([, value]) => typeof value !== 'number' || Number.isNaN(value)),
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a negative number', -1],
    ['a delay no timer can hold', 2 ** 31],
  ];
  const badOptions = hostileValues().filter(
    ([, value]) => value !== undefined && (typeof value !== 'object' || value === null || isArraySafe(value)),
  );
  const badSignals: [string, unknown][] = [
    ...hostileValues().filter(([, value]) => value !== undefined),
    ['a look-alike made from its prototype', Object.create(AbortSignal.prototype)],
  ];

  const rejection = async (run: () => Promise<void>) => {
    const watch = watchProcessFailures({ settleMs: 30 });
    const settled = await outcome(run);
    expect(await watch.stop()).toEqual([]);
    expect(settled.resolved).toBe(false);
    return settled.resolved ? undefined : settled.reason;
  };

  it.each(badDelays)('sleep(%s) rejects naming ms', async (_, value) => {
    const reason = await rejection(() => sleep(value as number));
    expect(reason).toBeInstanceOf(IntegrationError);
    expect(reason).toMatchObject({ code: 'VALIDATION_ERROR', field: 'ms' });
  });

  it.each(badOptions)('sleep(1, %s) rejects naming options', async (_, value) => {
    const reason = await rejection(() => sleep(1, value as { signal?: AbortSignal }));
    expect(reason).toBeInstanceOf(IntegrationError);
    expect(reason).toMatchObject({ code: 'VALIDATION_ERROR', field: 'options' });
  });

  it.each(badSignals)('sleep(1, { signal: %s }) rejects naming options.signal', async (_, value) => {
    const reason = await rejection(() => sleep(1, { signal: value as AbortSignal }));
    expect(reason).toBeInstanceOf(IntegrationError);
    expect(reason).toMatchObject({ code: 'VALIDATION_ERROR', field: 'options.signal' });
  });

  it('an options object whose signal getter throws rejects naming options.signal', async () => {
    const reason = await rejection(() => sleep(1, withThrowingGetter({}, 'signal')));
    expect(reason).toMatchObject({ code: 'VALIDATION_ERROR', field: 'options.signal' });
  });
});
