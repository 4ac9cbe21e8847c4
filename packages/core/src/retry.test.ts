import { describe, expect, it } from 'vitest';
import { isArraySafe } from './caller-input.ts';
import { IntegrationError } from './errors.ts';
import { backoffCeiling, backoffDelay, DEFAULT_RETRY_OPTIONS, retryOptionsSchema } from './retry.ts';
import { hostileValues, throwingProxy } from './testing/hostile-values.ts';
import { thrownBy } from './testing/outcomes.ts';

describe('retry options', () => {
  it('defaults to 3 retries, 1 s doubling up to 30 s, the transient statuses and full jitter', () => {
    expect(DEFAULT_RETRY_OPTIONS).toEqual({
      retries: 3,
      initialDelayMs: 1_000,
      maxDelayMs: 30_000,
      maxRetryAfterMs: 60_000,
      statusCodes: [408, 429, 500, 502, 503, 504],
      jitter: 'full',
    });
  });

  it('keeps given values and fills in the rest', () => {
    const parsed = retryOptionsSchema.parse({ retries: 0, initialDelayMs: 10, jitter: 'none' });
    expect(parsed.retries).toBe(0);
    expect(parsed.initialDelayMs).toBe(10);
    expect(parsed.jitter).toBe('none');
    expect(parsed.maxDelayMs).toBe(30_000);
  });

  it('rejects negative retries', () => {
    expect(retryOptionsSchema.safeParse({ retries: -1 }).success).toBe(false);
  });

  it('rejects fractional or excessive retries', () => {
    expect(retryOptionsSchema.safeParse({ retries: 1.5 }).success).toBe(false);
    expect(retryOptionsSchema.safeParse({ retries: 21 }).success).toBe(false);
    expect(retryOptionsSchema.safeParse({ retries: 20 }).success).toBe(true);
  });

  it('rejects negative delays and unknown jitter', () => {
    expect(retryOptionsSchema.safeParse({ initialDelayMs: -1 }).success).toBe(false);
    expect(retryOptionsSchema.safeParse({ maxDelayMs: -5 }).success).toBe(false);
    expect(retryOptionsSchema.safeParse({ maxRetryAfterMs: -5 }).success).toBe(false);
    expect(retryOptionsSchema.safeParse({ jitter: 'equal' }).success).toBe(false);
  });
});

describe('backoffCeiling', () => {
  it('doubles from the initial delay for each retry', () => {
    const ceilings = [1, 2, 3, 4, 5].map((retry) => backoffCeiling(retry, DEFAULT_RETRY_OPTIONS));
    expect(ceilings).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
  });

  it('caps at maxDelayMs', () => {
    expect(backoffCeiling(6, DEFAULT_RETRY_OPTIONS)).toBe(30_000);
    expect(backoffCeiling(50, DEFAULT_RETRY_OPTIONS)).toBe(30_000);
    expect(backoffCeiling(3, { initialDelayMs: 100, maxDelayMs: 250 })).toBe(250);
  });

  it('treats retry 0 or below as the first retry', () => {
    expect(backoffCeiling(0, DEFAULT_RETRY_OPTIONS)).toBe(1_000);
    expect(backoffCeiling(-3, DEFAULT_RETRY_OPTIONS)).toBe(1_000);
  });

  it('is 0 with a zero initial delay', () => {
    expect(backoffCeiling(4, { initialDelayMs: 0, maxDelayMs: 1_000 })).toBe(0);
  });
});

describe('backoffDelay', () => {
  it.each([0, 0.5, 0.999])('with random %s stays within [0, ceiling]', (draw) => {
    for (const retry of [1, 2, 3, 8]) {
      const ceiling = backoffCeiling(retry, DEFAULT_RETRY_OPTIONS);
      const delay = backoffDelay(retry, DEFAULT_RETRY_OPTIONS, () => draw);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(ceiling);
      expect(delay).toBeCloseTo(draw * ceiling);
    }
  });

  it('draws uniformly: 0 → 0, 0.5 → half the ceiling', () => {
    expect(backoffDelay(2, DEFAULT_RETRY_OPTIONS, () => 0)).toBe(0);
    expect(backoffDelay(2, DEFAULT_RETRY_OPTIONS, () => 0.5)).toBe(1_000);
  });

  it("returns the ceiling with jitter 'none' and never draws", () => {
    const options = { ...DEFAULT_RETRY_OPTIONS, jitter: 'none' as const };
    const random = () => {
      throw new Error('must not draw');
    };
    expect(backoffDelay(1, options, random)).toBe(1_000);
    expect(backoffDelay(3, options, random)).toBe(4_000);
    expect(backoffDelay(10, options, random)).toBe(30_000);
  });

  it('uses Math.random by default and stays in range', () => {
    for (let i = 0; i < 50; i++) {
      const delay = backoffDelay(3, DEFAULT_RETRY_OPTIONS);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(4_000);
    }
  });
});

describe('backoffDelay with hostile input throws only a VALIDATION_ERROR naming the argument', () => {
  const notDelays: [string, unknown][] = [
    ...hostileValues().filter(([, value]) => typeof value !== 'number' || Number.isNaN(value)),
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a negative number', -1],
  ];

  type Case = [label: string, run: () => unknown, field: string];
  const withOption = (key: 'initialDelayMs' | 'maxDelayMs') =>
    notDelays.map(
      ([label, value]): Case => [
        `${key} ${label}`,
        () => backoffDelay(1, { ...DEFAULT_RETRY_OPTIONS, [key]: value as number }),
        `options.${key}`,
      ],
    );
  const plainObjects = hostileValues()
    .filter(([, value]) => typeof value === 'object' && value !== null && !isArraySafe(value))
    .filter(([label]) => !label.includes('Proxy') && !label.includes('getters'));
  const cases: Case[] = [
    ...notDelays.map(
      ([label, value]): Case => [
        `retry ${label}`,
        () => backoffDelay(value as number, DEFAULT_RETRY_OPTIONS),
        'retry',
      ],
    ),
    ...withOption('initialDelayMs'),
    ...withOption('maxDelayMs'),
    ...plainObjects.map(
      ([label, value]): Case => [
        `options ${label}`,
        () => backoffDelay(1, value as never),
        'options.initialDelayMs',
      ],
    ),
    ['options null', () => backoffDelay(1, null as never), 'options'],
    ['options undefined', () => backoffDelay(1, undefined as never), 'options'],
    ['options a Proxy whose traps throw', () => backoffDelay(1, throwingProxy()), 'options.initialDelayMs'],
    [
      'jitter sideways',
      () => backoffDelay(1, { ...DEFAULT_RETRY_OPTIONS, jitter: 'sideways' as 'full' }),
      'options.jitter',
    ],
    ['random not a function', () => backoffDelay(1, DEFAULT_RETRY_OPTIONS, 5 as never), 'random'],
    [
      'random that throws',
      () =>
        backoffDelay(1, DEFAULT_RETRY_OPTIONS, () => {
          throw new Error('x');
        }),
      'random',
    ],
    ['random answering NaN', () => backoffDelay(1, DEFAULT_RETRY_OPTIONS, () => Number.NaN), 'random'],
    ['random answering 2', () => backoffDelay(1, DEFAULT_RETRY_OPTIONS, () => 2), 'random'],
  ];

  it.each(cases)('%s', (_, run, field) => {
    const thrown = thrownBy(run);
    expect(thrown).toBeInstanceOf(IntegrationError);
    expect(thrown).toMatchObject({ code: 'VALIDATION_ERROR', field });
  });

  it('does not call random without jitter', () => {
    expect(backoffDelay(2, { ...DEFAULT_RETRY_OPTIONS, jitter: 'none' }, 5 as never)).toBe(2_000);
  });
});

describe('DEFAULT_RETRY_OPTIONS', () => {
  it('is frozen, status list included, so no caller changes every client’s defaults', () => {
    expect(Object.isFrozen(DEFAULT_RETRY_OPTIONS)).toBe(true);
    expect(Object.isFrozen(DEFAULT_RETRY_OPTIONS.statusCodes)).toBe(true);
    expect(() => {
      (DEFAULT_RETRY_OPTIONS as { retries: number }).retries = 20;
    }).toThrow(TypeError);
    expect(DEFAULT_RETRY_OPTIONS.retries).toBe(3);
  });
});
