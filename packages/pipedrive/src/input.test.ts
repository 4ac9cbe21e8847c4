import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { readId, readOptions } from './input.ts';

const schema = z.object({ limit: z.optional(z.int()) });

describe('readOptions', () => {
  it('reads the signal apart and checks the rest', () => {
    const controller = new AbortController();
    const read = readOptions({ limit: 5, signal: controller.signal }, schema);
    expect(read.success && read.data).toEqual({ limit: 5, signal: controller.signal });
    expect(readOptions(undefined, schema)).toEqual({ success: true, data: {} });
  });

  it('names the failing field, a bad signal and options that cannot be read', () => {
    const bad = readOptions({ limit: 'x' }, schema);
    expect(!bad.success && bad.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'options.limit' });
    const signal = readOptions({ signal: 'no' }, schema);
    expect(!signal.success && signal.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      field: 'options.signal',
    });
    const throwing = readOptions(
      Object.defineProperty({}, 'signal', {
        get() {
          throw new Error('boom');
        },
      }),
      schema,
    );
    expect(!throwing.success && throwing.error.code).toBe('VALIDATION_ERROR');
  });
});

describe('readId', () => {
  it('takes a positive whole number or its digits', () => {
    expect(readId(42)).toEqual({ success: true, data: '42' });
    expect(readId('7')).toEqual({ success: true, data: '7' });
  });

  it.each([[0], [-1], [1.5], ['07'], ['1 OR 1'], [null], [Number.NaN]])(
    'refuses %p, naming the field',
    (value) => {
      const read = readId(value, 'personId');
      expect(!read.success && read.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'personId' });
    },
  );
});
