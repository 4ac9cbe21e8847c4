import { afterEach, describe, expect, it, vi } from 'vitest';
import { IntegrationError } from '../result/errors.ts';
import { type ApiResult, err, ok } from '../result/result.ts';
import { withRetry } from './with-retry.ts';

const fast = { minDelayMs: 1, maxDelayMs: 2 };

const transient = (attempt: number) => new IntegrationError('SERVER_ERROR', `503 on attempt ${attempt}`);
const permanent = (attempt: number) => new IntegrationError('VALIDATION_ERROR', `400 on attempt ${attempt}`);

function failureOf<T>(result: ApiResult<T>): IntegrationError {
  if (result.success) throw new Error('expected a failed result');
  return result.error;
}

describe('withRetry', () => {
  it('returns the first success without retrying', async () => {
    let calls = 0;
    const result = await withRetry(async () => {
      calls++;
      return ok('done');
    }, fast);
    expect(result).toEqual({ success: true, data: 'done' });
    expect(calls).toBe(1);
  });

  it('retries retryable failures and then succeeds', async () => {
    const attempts: number[] = [];
    const result = await withRetry(async (attempt) => {
      attempts.push(attempt);
      return attempt < 3 ? err(transient(attempt)) : ok({ id: 7 });
    }, fast);
    expect(result).toEqual({ success: true, data: { id: 7 } });
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('stops at once on a non-retryable failure and returns it', async () => {
    let calls = 0;
    const result = await withRetry(async (attempt) => {
      calls++;
      return err(permanent(attempt));
    }, fast);
    const error = failureOf(result);
    expect(calls).toBe(1);
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.message).toBe('400 on attempt 1');
  });

  it('returns the last failure after retries + 1 attempts', async () => {
    let calls = 0;
    const result = await withRetry(
      async (attempt) => {
        calls++;
        return err(transient(attempt));
      },
      { ...fast, retries: 2 },
    );
    expect(calls).toBe(3);
    const error = failureOf(result);
    expect(error).toBeInstanceOf(IntegrationError);
    expect(error.message).toBe('503 on attempt 3');
  });

  it('makes 4 attempts by default', async () => {
    let calls = 0;
    await withRetry(async (attempt) => {
      calls++;
      return err(transient(attempt));
    }, fast);
    expect(calls).toBe(4);
  });

  it('makes a single attempt with retries: 0', async () => {
    let calls = 0;
    const result = await withRetry(
      async (attempt) => {
        calls++;
        return err(transient(attempt));
      },
      { ...fast, retries: 0 },
    );
    expect(calls).toBe(1);
    expect(failureOf(result).code).toBe('SERVER_ERROR');
  });

  it('asks a custom shouldRetry instead of the error’s retryable', async () => {
    const asked: [string, number][] = [];
    let calls = 0;
    const result = await withRetry(
      async (attempt) => {
        calls++;
        return attempt < 3 ? err(permanent(attempt)) : ok('third time');
      },
      {
        ...fast,
        shouldRetry: (error, attempt) => {
          asked.push([error.code, attempt]);
          return error.code === 'VALIDATION_ERROR';
        },
      },
    );
    expect(result).toEqual({ success: true, data: 'third time' });
    expect(calls).toBe(3);
    expect(asked).toEqual([
      ['VALIDATION_ERROR', 1],
      ['VALIDATION_ERROR', 2],
    ]);
  });

  it('a custom shouldRetry can refuse a retryable failure', async () => {
    let calls = 0;
    const result = await withRetry(
      async (attempt) => {
        calls++;
        return err(transient(attempt));
      },
      { ...fast, shouldRetry: () => false },
    );
    expect(calls).toBe(1);
    expect(failureOf(result).message).toBe('503 on attempt 1');
  });

  it('calls onRetry for each failure that will be retried, not for the last one', async () => {
    const retried: [string, number][] = [];
    await withRetry(async (attempt) => err(transient(attempt)), {
      ...fast,
      retries: 2,
      onRetry: (error, attempt) => retried.push([error.message, attempt]),
    });
    expect(retried).toEqual([
      ['503 on attempt 1', 1],
      ['503 on attempt 2', 2],
    ]);
  });

  it('does not call onRetry for a non-retryable failure', async () => {
    let called = 0;
    await withRetry(async (attempt) => err(permanent(attempt)), { ...fast, onRetry: () => called++ });
    expect(called).toBe(0);
  });

  it('returns ABORTED without calling the operation when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        return ok(1);
      },
      { ...fast, signal: controller.signal },
    );
    expect(calls).toBe(0);
    const error = failureOf(result);
    expect(error.code).toBe('ABORTED');
    expect(error.retryable).toBe(false);
  });

  it('returns ABORTED when the caller aborts while waiting to retry', async () => {
    const controller = new AbortController();
    let calls = 0;
    const started = performance.now();
    const result = await withRetry(
      async (attempt) => {
        calls++;
        if (attempt === 1) setTimeout(() => controller.abort(), 10);
        return err(transient(attempt));
      },
      { retries: 5, minDelayMs: 5_000, maxDelayMs: 5_000, signal: controller.signal },
    );
    expect(failureOf(result).code).toBe('ABORTED');
    expect(calls).toBe(1);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('returns ABORTED when the caller aborts during an attempt', async () => {
    const controller = new AbortController();
    const result = await withRetry(
      async () => {
        controller.abort();
        return ok('too late');
      },
      { ...fast, signal: controller.signal },
    );
    expect(failureOf(result).code).toBe('ABORTED');
  });

  it('turns a thrown non-IntegrationError into OPERATION_FAILED with only its message as cause', async () => {
    const result = await withRetry(
      async (): Promise<ApiResult<number>> => {
        throw new TypeError('cannot read x of undefined');
      },
      { ...fast, retries: 0 },
    );
    const error = failureOf(result);
    expect(error.code).toBe('OPERATION_FAILED');
    expect(error.retryable).toBe(false);
    expect(error.cause instanceof Error && error.cause.message).toBe('cannot read x of undefined');
  });

  it('waits a failure’s retryAfterMs before the next attempt', async () => {
    const at: number[] = [];
    const result = await withRetry(async (attempt) => {
      at.push(performance.now());
      return attempt === 1
        ? err(new IntegrationError('RATE_LIMIT', 'slow down', { retryAfterMs: 300 }))
        : ok('done');
    }, fast);
    expect(result).toEqual({ success: true, data: 'done' });
    expect((at[1] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(280);
  });

  it.each([[999_999_000], [Number.MAX_SAFE_INTEGER]])(
    'returns a failure asking to wait %i ms (over maxRetryAfterMs) at once, hint included',
    async (retryAfterMs) => {
      let calls = 0;
      const started = performance.now();
      const result = await withRetry(async () => {
        calls++;
        return err(new IntegrationError('RATE_LIMIT', 'come back in 11 days', { retryAfterMs }));
      }, fast);
      expect(failureOf(result)).toMatchObject({ code: 'RATE_LIMIT', retryAfterMs });
      expect(calls).toBe(1);
      expect(performance.now() - started).toBeLessThan(500);
    },
  );

  it('honours a configured maxRetryAfterMs', async () => {
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        return err(new IntegrationError('RATE_LIMIT', 'wait', { retryAfterMs: 200 }));
      },
      { ...fast, retries: 1, maxRetryAfterMs: 100 },
    );
    expect(failureOf(result).retryAfterMs).toBe(200);
    expect(calls).toBe(1);
  });

  it('returns ABORTED when the caller aborts during a server-requested wait', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const started = performance.now();
    const result = await withRetry(
      async () => err(new IntegrationError('RATE_LIMIT', 'wait', { retryAfterMs: 30_000 })),
      { ...fast, signal: controller.signal },
    );
    expect(failureOf(result).code).toBe('ABORTED');
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it.each([
    ['a null operation', null, {}, 'operation'],
    ['null options', async () => ok(1), null, 'options'],
    ['numeric options', async () => ok(1), 5, 'options'],
    ['negative retries', async () => ok(1), { retries: -1 }, 'options.retries'],
    ['NaN delay', async () => ok(1), { minDelayMs: Number.NaN }, 'options.minDelayMs'],
    [
      'infinite maxRetryAfterMs',
      async () => ok(1),
      { maxRetryAfterMs: Number.POSITIVE_INFINITY },
      'options.maxRetryAfterMs',
    ],
    ['a string shouldRetry', async () => ok(1), { shouldRetry: 'yes' }, 'options.shouldRetry'],
    ['a signal that is not one', async () => ok(1), { signal: {} }, 'options.signal'],
    [
      'a throwing getter',
      async () => ok(1),
      Object.defineProperty({}, 'retries', {
        get() {
          throw new Error('boom');
        },
      }),
      'options.retries',
    ],
  ])('resolves %s to VALIDATION_ERROR naming %s', async (_label, operation, options, field) => {
    const result = await withRetry(operation as never, options as never);
    expect(failureOf(result)).toMatchObject({ code: 'VALIDATION_ERROR', field, retryable: false });
  });

  it('a throwing shouldRetry stops retrying; a throwing onRetry is ignored', async () => {
    let calls = 0;
    const stopped = await withRetry(
      async () => {
        calls++;
        return err(transient(calls));
      },
      {
        ...fast,
        shouldRetry: () => {
          throw new Error('boom');
        },
      },
    );
    expect(failureOf(stopped).code).toBe('SERVER_ERROR');
    expect(calls).toBe(1);
    const retried = await withRetry(async (attempt) => (attempt < 3 ? err(transient(attempt)) : ok('done')), {
      ...fast,
      onRetry: () => {
        throw new Error('boom');
      },
    });
    expect(retried).toEqual({ success: true, data: 'done' });
  });
});

describe('withRetry: the backoff shared with the HTTP client (backoff.ts)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  // The gaps between attempts with Math.random pinned, so each wait is `draw × ceiling`.
  async function gaps(draw: number, options: Parameters<typeof withRetry>[1]) {
    vi.spyOn(Math, 'random').mockReturnValue(draw);
    const at: number[] = [];
    await withRetry(async (attempt) => {
      at.push(performance.now());
      return err(transient(attempt));
    }, options);
    return at.slice(1).map((time, i) => time - (at[i] ?? 0));
  }

  it('waits a full-jitter draw below initialDelayMs × 2^(n-1), capped at maxDelayMs', async () => {
    const upper = await gaps(0.999, { retries: 3, initialDelayMs: 60, maxDelayMs: 150 });
    expect(upper).toHaveLength(3);
    for (const [i, ceiling] of [60, 120, 150].entries()) {
      expect(upper[i]).toBeGreaterThanOrEqual(ceiling * 0.999 - 5);
      expect(upper[i]).toBeLessThan(ceiling + 60);
    }
    const lower = await gaps(0, { retries: 3, initialDelayMs: 60, maxDelayMs: 150 });
    for (const gap of lower) expect(gap).toBeLessThan(40);
  });

  it('takes minDelayMs, the earlier name, as initialDelayMs', async () => {
    const upper = await gaps(0.999, { retries: 1, minDelayMs: 120, maxDelayMs: 1_000 });
    expect(upper[0]).toBeGreaterThanOrEqual(110);
    expect(upper[0]).toBeLessThan(200);
  });

  it('refuses initialDelayMs and minDelayMs together, naming minDelayMs', async () => {
    const result = await withRetry(async () => ok(1), { initialDelayMs: 10, minDelayMs: 10 });
    expect(failureOf(result)).toMatchObject({ code: 'VALIDATION_ERROR', field: 'options.minDelayMs' });
  });

  it('validates initialDelayMs under its own name', async () => {
    const result = await withRetry(async () => ok(1), { initialDelayMs: -1 });
    expect(failureOf(result)).toMatchObject({ code: 'VALIDATION_ERROR', field: 'options.initialDelayMs' });
  });

  it("a failure's retryAfterMs is the wait instead of the backoff, as in the HTTP client", async () => {
    const at: number[] = [];
    const result = await withRetry(
      async (attempt) => {
        at.push(performance.now());
        return attempt === 1
          ? err(new IntegrationError('RATE_LIMIT', 'soon', { retryAfterMs: 20 }))
          : ok('done');
      },
      { initialDelayMs: 2_000, maxDelayMs: 2_000 },
    );
    expect(result).toEqual({ success: true, data: 'done' });
    expect((at[1] ?? 0) - (at[0] ?? 0)).toBeLessThan(1_000);
  });

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'ok'],
    ['an object without success', { data: 1 }],
    ['a failure whose error is not an IntegrationError', { success: false, error: 'boom' }],
  ])('an operation answering %s is OPERATION_FAILED, not retried', async (_label, answer) => {
    let calls = 0;
    const result = await withRetry(async () => {
      calls++;
      return answer as never;
    }, fast);
    expect(failureOf(result)).toMatchObject({ code: 'OPERATION_FAILED', retryable: false });
    expect(calls).toBe(1);
  });

  it('an unreadable retryAfterMs on a failure falls back to the backoff', async () => {
    const hint = Object.defineProperty(new IntegrationError('SERVER_ERROR', 'x'), 'retryAfterMs', {
      value: Number.NaN,
    });
    let calls = 0;
    const result = await withRetry(async () => (++calls < 2 ? err(hint) : ok('done')), fast);
    expect(result).toEqual({ success: true, data: 'done' });
  });
});
