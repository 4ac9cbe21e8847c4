import { describe, expect, it } from 'vitest';
import { hostileValues } from '../testing/hostile-values.ts';
import { IntegrationError } from './errors.ts';
import { type ApiResult, err, isErr, isOk, mapResult, ok, unwrap } from './result.ts';

const failure = new IntegrationError('NOT_FOUND', 'GET /people/1 failed with 404', { status: 404 });

describe('ok / err', () => {
  it('ok wraps the data in a success result', () => {
    expect(ok({ id: 1 })).toEqual({ success: true, data: { id: 1 } });
  });

  it('err wraps the error in a failure result, keeping the same instance', () => {
    const result = err(failure);
    expect(result.success).toBe(false);
    if (result.success) throw new Error('expected a failure');
    expect(result.error).toBe(failure);
  });

  it('keeps falsy data such as 0, "" and null', () => {
    expect(ok(0)).toEqual({ success: true, data: 0 });
    expect(ok('')).toEqual({ success: true, data: '' });
    expect(ok(null)).toEqual({ success: true, data: null });
  });
});

describe('isOk / isErr', () => {
  it('tell the two branches apart', () => {
    const good: ApiResult<number> = ok(1);
    const bad: ApiResult<number> = err(failure);
    expect(isOk(good)).toBe(true);
    expect(isErr(good)).toBe(false);
    expect(isOk(bad)).toBe(false);
    expect(isErr(bad)).toBe(true);
  });

  it('narrow the type to the branch', () => {
    const result: ApiResult<string> = ok('hello');
    if (isOk(result)) expect(result.data.toUpperCase()).toBe('HELLO');
    const failed: ApiResult<string> = err(failure);
    if (isErr(failed)) expect(failed.error.code).toBe('NOT_FOUND');
  });
});

describe('mapResult', () => {
  it('transforms the data of a success', () => {
    expect(mapResult(ok(2), (n) => n * 10)).toEqual({ success: true, data: 20 });
  });

  it('passes a failure through unchanged without calling the mapper', () => {
    let called = false;
    const failed: ApiResult<number> = err(failure);
    const mapped = mapResult(failed, (n) => {
      called = true;
      return n * 10;
    });
    expect(called).toBe(false);
    expect(mapped).toBe(failed);
  });
});

describe('unwrap', () => {
  it('returns the data of a success', () => {
    expect(unwrap(ok([1, 2, 3]))).toEqual([1, 2, 3]);
  });

  it('throws the IntegrationError of a failure', () => {
    expect(() => unwrap(err(failure))).toThrow(failure);
  });
});

describe('hostile input: results and mappers a JavaScript caller may pass', () => {
  const notFunctions = hostileValues().filter(([, value]) => typeof value !== 'function');

  it.each(hostileValues())('unwrap(%s) throws only a VALIDATION_ERROR naming result', (_, value) => {
    let thrown: unknown;
    try {
      unwrap(value as ApiResult<unknown>);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(IntegrationError);
    expect(thrown).toMatchObject({ code: 'VALIDATION_ERROR', field: 'result' });
  });

  it.each(hostileValues())('mapResult(%s, map) answers a VALIDATION_ERROR naming result', (_, value) => {
    let called = false;
    const mapped = mapResult(value as ApiResult<unknown>, () => {
      called = true;
    });
    expect(called).toBe(false);
    expect(mapped.success || mapped.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'result' });
  });

  it.each(notFunctions)('mapResult(ok, %s) answers a VALIDATION_ERROR naming map', (_, value) => {
    const mapped = mapResult(ok(1), value as (n: number) => number);
    expect(mapped.success || mapped.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'map' });
  });

  it.each(hostileValues())('a map that throws %s gives OPERATION_FAILED naming map', (_, value) => {
    const mapped = mapResult(ok(1), () => {
      throw value;
    });
    expect(mapped.success || mapped.error).toMatchObject({
      code: 'OPERATION_FAILED',
      field: 'map',
      retryable: false,
    });
  });

  it('a map that throws an IntegrationError gives that error as it is', () => {
    expect(
      mapResult(ok(1), () => {
        throw failure;
      }),
    ).toEqual({ success: false, error: failure });
  });

  it('keeps an Error a map threw as the cause, and nothing else', () => {
    const cause = new TypeError('boom');
    const thrown = mapResult(ok(1), () => {
      throw cause;
    });
    expect(thrown.success || thrown.error.cause).toBe(cause);
    const other = mapResult(ok(1), () => {
      throw { secret: 'x' };
    });
    expect(other.success || other.error.cause).toBeUndefined();
  });

  it('refuses a failure whose error is not an IntegrationError', () => {
    const fake = { success: false, error: new Error('plain') } as unknown as ApiResult<number>;
    expect(() => unwrap(fake)).toThrow(IntegrationError);
    expect(mapResult(fake, (n) => n).success).toBe(false);
    expect(isErr(fake)).toBe(false);
  });

  it.each(hostileValues())('isOk and isErr of %s answer false without throwing', (_, value) => {
    expect(isOk(value as ApiResult<unknown>)).toBe(false);
    expect(isErr(value as ApiResult<unknown>)).toBe(false);
  });
});
