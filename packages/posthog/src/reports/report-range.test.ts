import { hostileValues } from '@patchbay/core/testing';
import { describe, expect, it } from 'vitest';
import { resolveRange } from './report-range.ts';

const now = new Date('2026-03-31T09:15:42.123Z');

describe('resolveRange: relative spans', () => {
  it.each([
    ['24h', 'now', '2026-03-30T09:15:42.123Z', '2026-03-31T09:15:42.123Z'],
    ['7d', 'now', '2026-03-24T09:15:42.123Z', '2026-03-31T09:15:42.123Z'],
    ['30d', 'now', '2026-03-01T09:15:42.123Z', '2026-03-31T09:15:42.123Z'],
    ['1w', 'now', '2026-03-24T09:15:42.123Z', '2026-03-31T09:15:42.123Z'],
    ['7d', 'startOfDay', '2026-03-24T00:00:00.000Z', '2026-03-31T00:00:00.000Z'],
    ['24h', 'startOfHour', '2026-03-30T09:00:00.000Z', '2026-03-31T09:00:00.000Z'],
    ['1m', 'now', '2026-02-28T09:15:42.123Z', '2026-03-31T09:15:42.123Z'],
    ['1m', 'startOfDay', '2026-02-28T00:00:00.000Z', '2026-03-31T00:00:00.000Z'],
    ['13m', 'now', '2025-02-28T09:15:42.123Z', '2026-03-31T09:15:42.123Z'],
  ] as const)('last %s until %s', (last, until, from, to) => {
    expect(resolveRange({ last, until }, now)).toEqual({ success: true, data: { from, to } });
  });

  it('a month back from 15 May is 15 April', () => {
    expect(resolveRange({ last: '1m' }, new Date('2026-05-15T12:00:00Z'))).toMatchObject({
      data: { from: '2026-04-15T12:00:00.000Z' },
    });
  });

  it.each(['7', 'd', '0d', '7x', '7 d', '-7d', '99999d'])('refuses last %j', (last) => {
    expect(resolveRange({ last }, now)).toMatchObject({ success: false, error: { field: 'range.last' } });
  });
});

describe('resolveRange: a function of now', () => {
  it('takes dates, ISO text and epoch milliseconds', () => {
    expect(resolveRange((at) => ({ from: new Date(at.getTime() - 3_600_000), to: at }), now)).toEqual({
      success: true,
      data: { from: '2026-03-31T08:15:42.123Z', to: '2026-03-31T09:15:42.123Z' },
    });
    expect(resolveRange(() => ({ from: '2026-03-01', to: Date.UTC(2026, 2, 2) }), now)).toEqual({
      success: true,
      data: { from: '2026-03-01T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z' },
    });
  });

  it('gets a copy of now it may change', () => {
    const fixed = new Date(now.getTime());
    resolveRange((at) => {
      at.setUTCFullYear(1999);
      return { from: at, to: now };
    }, fixed);
    expect(fixed.toISOString()).toBe(now.toISOString());
  });

  it('a function that throws is OPERATION_FAILED naming range', () => {
    expect(
      resolveRange(() => {
        throw new Error('boom');
      }, now),
    ).toMatchObject({ success: false, error: { code: 'OPERATION_FAILED', field: 'range' } });
  });

  it.each([
    [() => ({ from: 'yesterday', to: now }), 'range.from'],
    [() => ({ from: now, to: Number.NaN }), 'range.to'],
    [() => ({ from: now, to: now }), 'range.from'],
    [() => ({ from: new Date('2026-04-01'), to: now }), 'range.from'],
    [() => ({ to: now }), 'range.from'],
    [() => null, 'range'],
  ])('refuses answer %#', (range, field) => {
    expect(resolveRange(range as never, now)).toMatchObject({
      success: false,
      error: { code: 'VALIDATION_ERROR', field },
    });
  });

  it.each(hostileValues())('an answer that is %s is a typed failure', (_, answer) => {
    const resolved = resolveRange(() => answer as never, now);
    expect(resolved.success).toBe(false);
  });
});
