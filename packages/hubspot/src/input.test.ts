import { withThrowingGetter } from '@patchbay/core/testing';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { readInput } from './input.ts';

const schema = z.object({ limit: z.optional(z.int().check(z.maximum(10))) });

describe('readInput', () => {
  it('reads a valid value and an absent optional one', () => {
    expect(readInput({ limit: 3 }, 'options', schema)).toEqual({ success: true, data: { limit: 3 } });
    expect(readInput(undefined, 'options', schema, { optional: true })).toEqual({ success: true, data: {} });
  });

  it('names the failing field without its value', () => {
    const result = readInput({ limit: 99 }, 'options', schema);
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(result.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'options.limit' });
      expect(result.error.message).not.toContain('99');
    }
  });

  it('refuses a getter that throws, by field', () => {
    const result = readInput(withThrowingGetter({}, 'limit'), 'options', schema);
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.code).toBe('VALIDATION_ERROR');
  });
});
