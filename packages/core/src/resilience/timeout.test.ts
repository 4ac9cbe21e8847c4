import { describe, expect, it } from 'vitest';
import { isArraySafe } from '../input/caller-input.ts';
import { IntegrationError } from '../result/errors.ts';
import type { ApiResult } from '../result/result.ts';
import { hostileValues, throwingProxy } from '../testing/hostile-values.ts';
import { thrownBy } from '../testing/outcomes.ts';
import { watchProcessFailures } from '../testing/process-failures.ts';
import { abortedError, timeoutSignal, withTimeout } from './timeout.ts';

function failureOf<T>(result: ApiResult<T>): IntegrationError {
  if (result.success) throw new Error('expected a failed result');
  return result.error;
}

/** Resolves with `value` after `ms`, or rejects with the signal's reason when it aborts. */
const work =
  <T>(value: T, ms: number) =>
  (signal: AbortSignal): Promise<T> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve(value), ms);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason);
      });
    });

describe('withTimeout', () => {
  it('returns ok with the value when the operation finishes in time', async () => {
    const result = await withTimeout(work({ rows: 3 }, 5), { timeoutMs: 1_000 });
    expect(result).toEqual({ success: true, data: { rows: 3 } });
  });

  it('passes a live signal to the operation', async () => {
    let seen: AbortSignal | undefined;
    await withTimeout(
      async (signal) => {
        seen = signal;
        return 1;
      },
      { timeoutMs: 1_000 },
    );
    expect(seen).toBeInstanceOf(AbortSignal);
    expect(seen?.aborted).toBe(false);
  });

  it('returns a retryable TIMEOUT when the operation is late, and aborts its signal', async () => {
    let seen: AbortSignal | undefined;
    const started = performance.now();
    const result = await withTimeout(
      (signal) => {
        seen = signal;
        return work('late', 5_000)(signal);
      },
      { timeoutMs: 20 },
    );
    const error = failureOf(result);
    expect(error.code).toBe('TIMEOUT');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('20 ms');
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(seen?.aborted).toBe(true);
    const reason: unknown = seen?.reason;
    expect(reason).toBeInstanceOf(DOMException);
    expect(reason instanceof DOMException && reason.name).toBe('TimeoutError');
  });

  it('times out even when the operation ignores its signal', async () => {
    const result = await withTimeout(() => new Promise<never>(() => {}), { timeoutMs: 10 });
    expect(failureOf(result).code).toBe('TIMEOUT');
  });

  it('returns ABORTED without running the operation when the caller already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    let ran = false;
    const result = await withTimeout(
      async () => {
        ran = true;
        return 1;
      },
      { timeoutMs: 1_000, signal: controller.signal },
    );
    const error = failureOf(result);
    expect(ran).toBe(false);
    expect(error.code).toBe('ABORTED');
    expect(error.retryable).toBe(false);
  });

  it('returns ABORTED (not retryable) when the caller aborts during the operation, and aborts its signal', async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    setTimeout(() => controller.abort(new Error('user cancelled')), 10);
    const started = performance.now();
    const result = await withTimeout(
      (signal) => {
        seen = signal;
        return work('never', 5_000)(signal);
      },
      { timeoutMs: 5_000, signal: controller.signal },
    );
    const error = failureOf(result);
    expect(error.code).toBe('ABORTED');
    expect(error.retryable).toBe(false);
    expect(seen?.aborted).toBe(true);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('returns ABORTED when the caller aborts and the operation ignores its signal', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 10);
    const result = await withTimeout(() => new Promise<never>(() => {}), {
      timeoutMs: 5_000,
      signal: controller.signal,
    });
    expect(failureOf(result).code).toBe('ABORTED');
  });

  it('returns OPERATION_FAILED when the operation rejects, keeping only the message of the cause', async () => {
    const thrown = Object.assign(new Error('db down'), { connectionString: 'postgres://u:pw@host/db' });
    const result = await withTimeout(
      async () => {
        throw thrown;
      },
      { timeoutMs: 1_000 },
    );
    const error = failureOf(result);
    expect(error.code).toBe('OPERATION_FAILED');
    expect(error.retryable).toBe(false);
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.cause instanceof Error && error.cause.message).toBe('db down');
    expect(error.cause).not.toBe(thrown);
    expect(JSON.stringify(error)).not.toContain('pw@host');
  });

  it('returns OPERATION_FAILED when the operation throws synchronously or rejects with a non-Error', async () => {
    const sync = await withTimeout(
      () => {
        throw new Error('sync boom');
      },
      { timeoutMs: 1_000 },
    );
    expect(failureOf(sync).code).toBe('OPERATION_FAILED');
    const nonError = await withTimeout(() => Promise.reject('just a string'), { timeoutMs: 1_000 });
    const error = failureOf(nonError);
    expect(error.code).toBe('OPERATION_FAILED');
    expect(error.cause).toBeUndefined();
  });
});

describe('abortedError', () => {
  it('is a non-retryable ABORTED error with a default or given message', () => {
    expect(abortedError().code).toBe('ABORTED');
    expect(abortedError().retryable).toBe(false);
    expect(abortedError().message).toBe('The operation was aborted by the caller');
    expect(abortedError('stopped').message).toBe('stopped');
  });
});

describe('timeoutSignal', () => {
  const abortOf = (signal: AbortSignal) =>
    new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));

  it('aborts with a TimeoutError after the timeout', async () => {
    const signal = timeoutSignal({ timeoutMs: 15 });
    expect(signal.aborted).toBe(false);
    await abortOf(signal);
    expect(signal.aborted).toBe(true);
    expect(signal.reason instanceof DOMException && signal.reason.name).toBe('TimeoutError');
  });

  it('aborts with the parent reason when the parent aborts first', async () => {
    const parent = new AbortController();
    const signal = timeoutSignal({ timeoutMs: 5_000, signal: parent.signal });
    expect(signal.aborted).toBe(false);
    const reason = new Error('cancelled');
    parent.abort(reason);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(reason);
  });

  it('is aborted at once when the parent already is', () => {
    const parent = new AbortController();
    parent.abort();
    expect(timeoutSignal({ timeoutMs: 5_000, signal: parent.signal }).aborted).toBe(true);
  });

  it('still times out with a parent that never aborts', async () => {
    const parent = new AbortController();
    const signal = timeoutSignal({ timeoutMs: 15, signal: parent.signal });
    await abortOf(signal);
    expect(signal.reason instanceof DOMException && signal.reason.name).toBe('TimeoutError');
    expect(parent.signal.aborted).toBe(false);
  });
});

describe('hostile input', () => {
  const fakeSignal = Object.create(AbortSignal.prototype) as AbortSignal;
  const notObjects = hostileValues().filter(
    ([, value]) => value !== undefined && (typeof value !== 'object' || value === null || isArraySafe(value)),
  );
  const badNumbers: [string, unknown][] = [
    ...hostileValues().filter(([, value]) => typeof value !== 'number' || Number.isNaN(value)),
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a negative number', -1],
    ['a delay no timer can hold', 2 ** 31],
    ['a numeric string', '100'],
  ];
  const badSignals: [string, unknown][] = [
    ...hostileValues().filter(([, value]) => value !== undefined),
    ['a look-alike made from its prototype', fakeSignal],
  ];

  // Whether a Proxy of a real signal passes the platform's brand check depends on the runtime (Node 22's does,
  // Node 24's does not): either it works as the signal it wraps, or it is refused by name; never anything else.
  it('withTimeout with a Proxy of a real signal works as that signal or answers VALIDATION_ERROR naming it', async () => {
    const watch = watchProcessFailures();
    const proxied = new Proxy(new AbortController().signal, {});
    const result = await withTimeout(async () => 1, { timeoutMs: 50, signal: proxied });
    if (result.success) expect(result.data).toBe(1);
    else expect(result.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'options.signal' });
    expect(await watch.stop()).toEqual([]);
  });

  it('timeoutSignal with a Proxy of a real signal gives a signal or throws only a VALIDATION_ERROR naming it', () => {
    const proxied = new Proxy(new AbortController().signal, {});
    const thrown = thrownBy(() =>
      expect(timeoutSignal({ timeoutMs: 10, signal: proxied })).toBeInstanceOf(AbortSignal),
    );
    if (thrown !== undefined) {
      expect(thrown).toBeInstanceOf(IntegrationError);
      expect(thrown).toMatchObject({ code: 'VALIDATION_ERROR', field: 'options.signal' });
    }
  });

  it.each(badNumbers)(
    'withTimeout with timeoutMs %s resolves to a VALIDATION_ERROR naming it',
    async (_, value) => {
      const watch = watchProcessFailures();
      const result = await withTimeout(async () => 1, { timeoutMs: value as number });
      expect(result.success || result.error).toMatchObject({
        code: 'VALIDATION_ERROR',
        field: 'options.timeoutMs',
      });
      expect(await watch.stop()).toEqual([]);
    },
  );

  it.each(badSignals)(
    'withTimeout with signal %s resolves to a VALIDATION_ERROR naming it',
    async (_, value) => {
      const watch = watchProcessFailures();
      const result = await withTimeout(async () => 1, { timeoutMs: 50, signal: value as AbortSignal });
      expect(result.success || result.error).toMatchObject({
        code: 'VALIDATION_ERROR',
        field: 'options.signal',
      });
      expect(await watch.stop()).toEqual([]);
    },
  );

  it.each(hostileValues().filter(([, value]) => typeof value !== 'function'))(
    'withTimeout(%s) resolves to a VALIDATION_ERROR naming operation',
    async (_, value) => {
      const result = await withTimeout(value as () => Promise<number>, { timeoutMs: 50 });
      expect(result.success || result.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'operation' });
    },
  );

  it.each([...notObjects, ['undefined', undefined], ['a throwing Proxy', throwingProxy()]])(
    'withTimeout with options %s resolves to a VALIDATION_ERROR naming options',
    async (_, value) => {
      const result = await withTimeout(async () => 1, value as { timeoutMs: number });
      expect(result.success).toBe(false);
      expect(result.success || result.error.field).toMatch(/^options/);
    },
  );

  it.each(hostileValues())('an operation that throws %s, or answers it, never rejects', async (_, value) => {
    const watch = watchProcessFailures();
    const threw = await withTimeout(
      () => {
        throw value;
      },
      { timeoutMs: 50 },
    );
    expect(threw.success || threw.error.code).toBe('OPERATION_FAILED');
    const answered = await withTimeout(() => value as Promise<unknown>, { timeoutMs: 50 });
    // A value that is no promise is the operation's answer; one whose `then` cannot be read is a failure.
    expect(answered.success ? 'answered' : answered.error.code).toMatch(/^(answered|OPERATION_FAILED)$/);
    expect(await watch.stop()).toEqual([]);
  });

  it('an operation that rejects after the deadline leaves no unhandled rejection', async () => {
    const watch = watchProcessFailures({ settleMs: 60 });
    const result = await withTimeout(
      () => new Promise((_, reject) => setTimeout(() => reject(new Error('late')), 20)),
      { timeoutMs: 5 },
    );
    expect(result.success || result.error.code).toBe('TIMEOUT');
    expect(await watch.stop()).toEqual([]);
  });

  it.each([
    ...badNumbers.map(([label, value]) => [label, { timeoutMs: value }, 'options.timeoutMs'] as const),
    ...badSignals.map(
      ([label, value]) => [label, { timeoutMs: 10, signal: value }, 'options.signal'] as const,
    ),
    ['null options', null, 'options'] as const,
    ['no options', undefined, 'options'] as const,
  ])('timeoutSignal with %s throws only a VALIDATION_ERROR naming the field', (_, options, field) => {
    let thrown: unknown;
    try {
      timeoutSignal(options as { timeoutMs: number });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(IntegrationError);
    expect(thrown).toMatchObject({ code: 'VALIDATION_ERROR', field });
  });
});
