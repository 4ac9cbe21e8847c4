import { describe, expect, it } from 'vitest';
import { isArraySafe } from '../input/caller-input.ts';
import { IntegrationError } from '../result/errors.ts';
import { hostileValues, throwingProxy } from '../testing/hostile-values.ts';
import { thrownBy } from '../testing/outcomes.ts';
import { backoffCeiling, backoffDelay, drawBackoff } from './backoff.ts';
import { DEFAULT_RETRY_OPTIONS } from './retry.ts';

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

describe('drawBackoff (validated options: the HTTP client and withRetry)', () => {
  it('draws uniformly below the ceiling with full jitter, as backoffDelay does', () => {
    for (const draw of [0, 0.25, 0.999]) {
      for (const retry of [1, 2, 5, 9]) {
        expect(drawBackoff(retry, DEFAULT_RETRY_OPTIONS, () => draw)).toBe(
          backoffDelay(retry, DEFAULT_RETRY_OPTIONS, () => draw),
        );
      }
    }
  });

  it("is the ceiling with jitter 'none', never drawing", () => {
    const random = () => {
      throw new Error('must not draw');
    };
    expect(drawBackoff(3, { initialDelayMs: 50, maxDelayMs: 1_000, jitter: 'none' }, random)).toBe(200);
    expect(drawBackoff(9, { initialDelayMs: 50, maxDelayMs: 1_000, jitter: 'none' }, random)).toBe(1_000);
  });

  it('uses Math.random by default', () => {
    for (let i = 0; i < 50; i++) {
      const delay = drawBackoff(2, DEFAULT_RETRY_OPTIONS);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(2_000);
    }
  });
});
