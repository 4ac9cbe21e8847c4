// What the contract suite does not cover: the validator adapters call, and that memory stores share nothing.
import { describe, expect, it } from 'vitest';
import { createMemoryFailureWindowStore, validateFailureWindowRecord } from './failure-window-store.ts';

const T0 = 1_700_000_000_000;

describe('validateFailureWindowRecord', () => {
  it('answers plain copies of the arguments, read once', () => {
    let reads = 0;
    const policy = {
      get threshold() {
        reads += 1;
        return 10;
      },
      windowMs: 3_600_000,
      extra: 'ignored',
    };
    const checked = validateFailureWindowRecord('twenty', policy, T0);
    expect(checked).toEqual({
      success: true,
      data: { key: 'twenty', policy: { threshold: 10, windowMs: 3_600_000 }, now: T0 },
    });
    expect(reads).toBe(1);
  });

  it('names the first bad field, the key first', () => {
    const bad = validateFailureWindowRecord('', { threshold: 0, windowMs: 0 }, Number.NaN);
    expect(bad).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR', field: 'key' } });
    expect(validateFailureWindowRecord('k', { threshold: 0, windowMs: 0 }, 0)).toMatchObject({
      success: false,
      error: {
        field: 'policy.threshold',
        message: 'Invalid input: policy.threshold: must be a whole number ≥ 1',
      },
    });
    expect(validateFailureWindowRecord('k', { threshold: 1, windowMs: 0 }, 0)).toMatchObject({
      success: false,
      error: { field: 'policy.windowMs', retryable: false },
    });
    expect(validateFailureWindowRecord('k', { threshold: 1, windowMs: 1 }, '0')).toMatchObject({
      success: false,
      error: { field: 'now' },
    });
  });
});

describe('createMemoryFailureWindowStore', () => {
  it('keeps each store’s counts to itself', async () => {
    const one = createMemoryFailureWindowStore();
    const two = createMemoryFailureWindowStore();
    const policy = { threshold: 1, windowMs: 1_000 };
    expect(await one.record('k', policy, T0)).toEqual({
      success: true,
      data: { failures: 1, crossed: true },
    });
    expect(await two.record('k', policy, T0)).toEqual({
      success: true,
      data: { failures: 1, crossed: true },
    });
    expect(await two.read('k', policy, T0)).toEqual({ success: true, data: { failures: 1 } });
  });
});
