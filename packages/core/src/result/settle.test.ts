import { describe, expect, it } from 'vitest';
import { throwingProxy } from '../testing/hostile-values.ts';
import { IntegrationError } from './errors.ts';
import { ok } from './result.ts';
import { settle, unexpectedFailure } from './settle.ts';

describe('settle', () => {
  it('returns the result of work that does not throw', async () => {
    expect(await settle('op', async () => ok(1))).toEqual({ success: true, data: 1 });
    expect(await settle('op', () => ok(2))).toEqual({ success: true, data: 2 });
  });

  it('returns a thrown IntegrationError as it is', async () => {
    const error = new IntegrationError('CONFLICT', 'taken');
    expect(await settle('op', () => Promise.reject(error))).toEqual({ success: false, error });
  });

  it.each([
    ['a TypeError', new TypeError('boom')],
    ['a string', 'boom'],
    ['a throwing Proxy', throwingProxy()],
    ['undefined', undefined],
  ])('turns %s into OPERATION_FAILED naming the operation', async (_, thrown) => {
    const result = await settle('people.get', () => {
      throw thrown;
    });
    expect(result.success || result.error).toMatchObject({
      code: 'OPERATION_FAILED',
      retryable: false,
      message: 'people.get failed unexpectedly',
    });
  });

  it('keeps an Error as the cause, nothing else', () => {
    const cause = new TypeError('boom');
    expect(unexpectedFailure('op', cause).cause).toBe(cause);
    expect(unexpectedFailure('op', { secret: 'x' }).cause).toBeUndefined();
  });
});
