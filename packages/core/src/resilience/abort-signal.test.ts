import { describe, expect, it } from 'vitest';
import { hostileValues } from '../testing/hostile-values.ts';
import { isAbortSignal, readAbortSignal } from './abort-signal.ts';

describe('isAbortSignal', () => {
  it('takes a genuine signal, aborted or not, and one made by AbortSignal.timeout', () => {
    const controller = new AbortController();
    expect(isAbortSignal(controller.signal)).toBe(true);
    controller.abort();
    expect(isAbortSignal(controller.signal)).toBe(true);
    expect(isAbortSignal(AbortSignal.timeout(1_000))).toBe(true);
  });

  it.each([
    ...hostileValues(),
    ['a look-alike made from its prototype', Object.create(AbortSignal.prototype)],
    ['an object with aborted and addEventListener', { aborted: false, addEventListener() {} }],
  ])('refuses %s without throwing', (_, value) => {
    expect(isAbortSignal(value)).toBe(false);
  });
});

describe('readAbortSignal', () => {
  it('passes undefined and a signal through', () => {
    const { signal } = new AbortController();
    expect(readAbortSignal(undefined, 'options.signal')).toEqual({ success: true, data: undefined });
    expect(readAbortSignal(signal, 'options.signal')).toEqual({ success: true, data: signal });
  });

  it.each(hostileValues().filter(([, value]) => value !== undefined))(
    'answers a VALIDATION_ERROR naming the field for %s',
    (_, value) => {
      const read = readAbortSignal(value, 'options.signal');
      expect(read.success || read.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'options.signal' });
    },
  );
});
