import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { withThrowingGetter } from '../testing/hostile-values.ts';
import { readJsonInput } from './json-input.ts';

const schema = z.object({ limit: z.optional(z.int().check(z.maximum(10))) });

describe('readJsonInput', () => {
  it('reads a valid value and an absent optional one', () => {
    expect(readJsonInput({ limit: 3 }, 'options', schema)).toEqual({ success: true, data: { limit: 3 } });
    expect(readJsonInput(undefined, 'options', schema, { optional: true })).toEqual({
      success: true,
      data: {},
    });
  });

  it('names the failing field without its value', () => {
    const result = readJsonInput({ limit: 99 }, 'options', schema);
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(result.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'options.limit' });
      expect(result.error.message).not.toContain('99');
    }
  });

  it('refuses a getter that throws, by field', () => {
    const result = readJsonInput(withThrowingGetter({}, 'limit'), 'options', schema);
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.code).toBe('VALIDATION_ERROR');
  });

  it('names every failing field, nested and in arrays', () => {
    const list = z.object({ items: z.array(z.object({ email: z.string() })) });
    const result = readJsonInput({ items: [{ email: 1 }, { email: 'a' }, { email: 2 }] }, 'input', list);
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(result.error.field).toBe('input.items.0.email');
      expect(result.error.issues?.map((issue) => issue.field)).toEqual([
        'input.items.0.email',
        'input.items.2.email',
      ]);
    }
  });

  it('refuses a missing value that is not optional, and a cycle', () => {
    expect(readJsonInput(undefined, 'options', schema).success).toBe(false);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const result = readJsonInput(cycle, 'options', schema);
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.code).toBe('VALIDATION_ERROR');
  });
});
