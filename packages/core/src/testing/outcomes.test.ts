import { describe, expect, it } from 'vitest';
import { outcome, thrownBy } from './outcomes.ts';

describe('outcome', () => {
  it('says what an async call resolved with', async () => {
    expect(await outcome(async () => 42)).toEqual({ resolved: true, value: 42 });
  });

  it('says what an async call rejected with, and what a call threw before returning a promise', async () => {
    const reason = new Error('no');
    expect(await outcome(() => Promise.reject(reason))).toEqual({ resolved: false, reason });
    expect(
      await outcome(() => {
        throw reason;
      }),
    ).toEqual({ resolved: false, reason });
  });
});

describe('thrownBy', () => {
  it('answers what a call threw, even a non-Error', () => {
    const error = new TypeError('bad');
    expect(
      thrownBy(() => {
        throw error;
      }),
    ).toBe(error);
    expect(
      thrownBy(() => {
        throw 'text';
      }),
    ).toBe('text');
  });

  it('answers undefined when the call returned', () => {
    expect(thrownBy(() => 1)).toBeUndefined();
  });
});
