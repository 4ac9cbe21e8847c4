import { describe, expect, it } from 'vitest';
import { cyclic, hostileValues, throwingProxy, withThrowingGetter } from '../testing/hostile-values.ts';
import {
  ERROR_CODES,
  ERROR_OPTION_KEYS,
  type ErrorCode,
  IntegrationError,
  type IntegrationErrorOptions,
  isIntegrationError,
  reviseError,
} from './errors.ts';

const RETRYABLE: readonly ErrorCode[] = [
  'RATE_LIMIT',
  'TIMEOUT',
  'NETWORK_ERROR',
  'SERVER_ERROR',
  'CIRCUIT_OPEN',
];

describe('IntegrationError construction', () => {
  it.each(ERROR_CODES)('constructs with code %s', (code) => {
    const error = new IntegrationError(code, `failed: ${code}`);
    expect(error).toBeInstanceOf(IntegrationError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('IntegrationError');
    expect(error.code).toBe(code);
    expect(error.message).toBe(`failed: ${code}`);
    expect(typeof error.stack).toBe('string');
  });

  it('lists the thirteen codes without duplicates', () => {
    expect(ERROR_CODES).toHaveLength(13);
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });

  it.each(ERROR_CODES)('%s has the default retryability of its code', (code) => {
    expect(new IntegrationError(code, 'x').retryable).toBe(RETRYABLE.includes(code));
  });

  it('only the transient codes are retryable by default', () => {
    const retryable = ERROR_CODES.filter((code) => new IntegrationError(code, 'x').retryable);
    expect([...retryable].sort()).toEqual([...RETRYABLE].sort());
  });

  it('an explicit retryable overrides the default either way', () => {
    expect(new IntegrationError('RATE_LIMIT', 'x', { retryable: false }).retryable).toBe(false);
    expect(new IntegrationError('SERVER_ERROR', 'x', { retryable: false }).retryable).toBe(false);
    expect(new IntegrationError('NOT_FOUND', 'x', { retryable: true }).retryable).toBe(true);
    expect(new IntegrationError('VALIDATION_ERROR', 'x', { retryable: true }).retryable).toBe(true);
  });

  it('keeps every option it is given', () => {
    const cause = new TypeError('fetch failed');
    const error = new IntegrationError('RATE_LIMIT', 'slow down', {
      status: 429,
      retryAfterMs: 2_000,
      requestId: 'req-1',
      field: 'apiKey',
      issues: [{ field: 'apiKey', message: 'Required' }],
      attempts: 4,
      method: 'GET',
      path: '/rest/people',
      cause,
    });
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBe(2_000);
    expect(error.requestId).toBe('req-1');
    expect(error.field).toBe('apiKey');
    expect(error.issues).toEqual([{ field: 'apiKey', message: 'Required' }]);
    expect(error.attempts).toBe(4);
    expect(error.method).toBe('GET');
    expect(error.path).toBe('/rest/people');
    expect(error.cause).toBe(cause);
  });

  it('owns only the keys that were set', () => {
    const error = new IntegrationError('NOT_FOUND', 'gone', { status: 404 });
    expect(Object.hasOwn(error, 'status')).toBe(true);
    // `retryable` is always set; `status` was given.
    for (const key of ERROR_OPTION_KEYS.filter((key) => key !== 'status' && key !== 'retryable')) {
      expect(Object.hasOwn(error, key)).toBe(false);
    }
  });
});

describe('IntegrationError.toJSON', () => {
  it('includes the code, message, status and other fields', () => {
    const error = new IntegrationError('SERVER_ERROR', 'GET /x failed with 502', {
      status: 502,
      requestId: 'abc',
      attempts: 3,
      method: 'GET',
      path: '/x',
    });
    expect(error.toJSON()).toEqual({
      name: 'IntegrationError',
      code: 'SERVER_ERROR',
      message: 'GET /x failed with 502',
      status: 502,
      retryable: true,
      retryAfterMs: undefined,
      requestId: 'abc',
      field: undefined,
      issues: undefined,
      attempts: 3,
      method: 'GET',
      path: '/x',
      cause: undefined,
    });
  });

  it('reduces an Error cause to its name and message only', () => {
    const cause = new TypeError('socket hang up');
    Object.assign(cause, { headers: { authorization: 'Bearer sk_live_123' } });
    const json = new IntegrationError('NETWORK_ERROR', 'failed', { cause }).toJSON();
    expect(json.cause).toEqual({ name: 'TypeError', message: 'socket hang up' });
    expect(JSON.stringify(json)).not.toContain('sk_live_123');
  });

  it('drops a cause that is not an Error', () => {
    const json = new IntegrationError('OPERATION_FAILED', 'failed', { cause: { secret: 'x' } }).toJSON();
    expect(json.cause).toBeUndefined();
  });

  it('is what JSON.stringify uses', () => {
    const parsed: unknown = JSON.parse(
      JSON.stringify(new IntegrationError('CONFLICT', 'dup', { status: 409 })),
    );
    expect(parsed).toEqual({
      name: 'IntegrationError',
      code: 'CONFLICT',
      message: 'dup',
      status: 409,
      retryable: false,
    });
  });
});

describe('isIntegrationError', () => {
  it('is true for an IntegrationError', () => {
    expect(isIntegrationError(new IntegrationError('TIMEOUT', 'late'))).toBe(true);
  });

  it('is true for a look-alike Error from another copy of the package', () => {
    class OtherCopyIntegrationError extends Error {
      override readonly name = 'IntegrationError';
      readonly code = 'TIMEOUT';
    }
    const lookAlike = new OtherCopyIntegrationError('late');
    expect(lookAlike instanceof IntegrationError).toBe(false);
    expect(isIntegrationError(lookAlike)).toBe(true);
  });

  it('is false for a plain object shaped like one', () => {
    expect(isIntegrationError({ name: 'IntegrationError', code: 'TIMEOUT', message: 'late' })).toBe(false);
  });

  it('is false for an Error with the name but no string code', () => {
    const error = new Error('late');
    error.name = 'IntegrationError';
    expect(isIntegrationError(error)).toBe(false);
    Object.assign(error, { code: 42 });
    expect(isIntegrationError(error)).toBe(false);
  });

  it('is false for other errors and non-errors', () => {
    expect(isIntegrationError(new Error('x'))).toBe(false);
    expect(isIntegrationError(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(false);
    expect(isIntegrationError(null)).toBe(false);
    expect(isIntegrationError(undefined)).toBe(false);
    expect(isIntegrationError('IntegrationError')).toBe(false);
  });
});

describe('reviseError', () => {
  it('changes the given fields and keeps the rest', () => {
    const original = new IntegrationError('VALIDATION_ERROR', 'dup', {
      status: 400,
      attempts: 2,
      path: '/x',
    });
    const revised = reviseError(original, { code: 'CONFLICT' });
    expect(revised).toMatchObject({ code: 'CONFLICT', message: 'dup', status: 400, attempts: 2, path: '/x' });
    expect(revised.retryable).toBe(false);
    expect(original.code).toBe('VALIDATION_ERROR');
  });

  it('takes the new code default retryability unless told, and keeps it when the code stays', () => {
    const original = new IntegrationError('VALIDATION_ERROR', 'x', { status: 503 });
    expect(reviseError(original, { code: 'SERVER_ERROR' }).retryable).toBe(true);
    expect(reviseError(original, { code: 'SERVER_ERROR', retryable: false }).retryable).toBe(false);
    expect(
      reviseError(new IntegrationError('TIMEOUT', 't', { retryable: false }), { attempts: 3 }).retryable,
    ).toBe(false);
  });
});

describe('IntegrationError with hostile input: always an error, whole and serializable', () => {
  const SECRET = 'sk_hostile_errors_0123456789';

  it.each(hostileValues())('new IntegrationError(%s, …) never throws and falls back safely', (_, value) => {
    const error = new IntegrationError(value as ErrorCode, value as string, value as IntegrationErrorOptions);
    expect(error).toBeInstanceOf(IntegrationError);
    expect(ERROR_CODES).toContain(error.code);
    expect(typeof error.message).toBe('string');
    expect(typeof error.retryable).toBe('boolean');
    expect(() => JSON.stringify(error)).not.toThrow();
    expect(() => String(error.stack)).not.toThrow();
  });

  it.each(hostileValues())('keeps no option of the wrong type (%s as every option)', (_, value) => {
    const options = Object.fromEntries(
      ERROR_OPTION_KEYS.filter((key) => key !== 'cause').map((key) => [key, value]),
    );
    const error = new IntegrationError('NOT_FOUND', 'gone', options);
    const json = error.toJSON();
    for (const key of ['requestId', 'field', 'method', 'path']) {
      expect(json[key] === undefined || typeof json[key] === 'string').toBe(true);
    }
    for (const key of ['status', 'retryAfterMs', 'attempts']) {
      expect(json[key] === undefined || Number.isFinite(json[key])).toBe(true);
    }
    expect(() => JSON.stringify(error)).not.toThrow();
  });

  it('turns an unknown code into OPERATION_FAILED and a non-text message into text', () => {
    expect(new IntegrationError('NOPE' as ErrorCode, 'x').code).toBe('OPERATION_FAILED');
    expect(new IntegrationError('TIMEOUT', 42 as never).message).toBe('42');
    expect(new IntegrationError('TIMEOUT', Symbol('s') as never).message).toBe('Symbol(s)');
    expect(new IntegrationError('TIMEOUT', undefined as never).message).toBe('');
    expect(new IntegrationError('TIMEOUT', Object.create(null) as never).message).toMatch(
      /could not be converted/,
    );
    expect(new IntegrationError('TIMEOUT', throwingProxy() as never).message).toMatch(
      /could not be converted/,
    );
  });

  it('drops numbers that are not finite or whole where the field needs them to be', () => {
    const error = new IntegrationError('RATE_LIMIT', 'x', {
      status: Number.NaN,
      retryAfterMs: Number.POSITIVE_INFINITY,
      attempts: 1.5,
    });
    expect(error.toJSON()).toMatchObject({ status: undefined, retryAfterMs: undefined, attempts: undefined });
    expect(new IntegrationError('RATE_LIMIT', 'x', { retryAfterMs: -1 }).retryAfterMs).toBeUndefined();
  });

  it('copies only well-formed issues, so a cyclic or hostile list still serializes', () => {
    const loop = cyclic();
    const issues = [
      { field: 'a', message: 'bad' },
      loop,
      null,
      withThrowingGetter({ field: 'b' }, 'message'),
    ];
    const error = new IntegrationError('VALIDATION_ERROR', 'x', { issues: issues as never });
    expect(error.issues).toEqual([{ field: 'a', message: 'bad' }]);
    expect(JSON.parse(JSON.stringify(error)).issues).toEqual([{ field: 'a', message: 'bad' }]);
    expect(
      new IntegrationError('VALIDATION_ERROR', 'x', { issues: throwingProxy([]) }).issues,
    ).toBeUndefined();
  });

  it.each([
    ['a cyclic object', cyclic()],
    ['a Proxy whose traps throw', throwingProxy()],
    ['an Error whose message getter throws', withThrowingGetter(new Error('x'), 'message')],
    ['an Error Proxy whose traps throw', throwingProxy(new Error('x'))],
    ['a revoked Proxy', hostileValues().find(([label]) => label === 'a revoked Proxy')?.[1]],
  ])('toJSON of an error whose cause is %s never throws', (_, cause) => {
    const error = new IntegrationError('OPERATION_FAILED', 'failed', { cause });
    expect(() => JSON.stringify(error)).not.toThrow();
    const summary = error.toJSON().cause;
    expect(summary === undefined || typeof (summary as { message: unknown }).message === 'string').toBe(true);
  });

  it('sums an Error cause up as its name and message only', () => {
    const cause = Object.assign(new TypeError('fetch failed'), {
      request: { headers: { authorization: SECRET } },
    });
    const json = JSON.stringify(new IntegrationError('NETWORK_ERROR', 'down', { cause }));
    expect(JSON.parse(json).cause).toEqual({ name: 'TypeError', message: 'fetch failed' });
    expect(json).not.toContain(SECRET);
  });

  it.each(hostileValues())('isIntegrationError(%s) answers false without throwing', (_, value) => {
    expect(isIntegrationError(value)).toBe(false);
  });

  it.each(hostileValues())('reviseError(%s, …) gives an IntegrationError', (_, value) => {
    const revised = reviseError(value as IntegrationError, value as never);
    expect(revised).toBeInstanceOf(IntegrationError);
    expect(ERROR_CODES).toContain(revised.code);
    expect(() => JSON.stringify(revised)).not.toThrow();
    const fromReal = reviseError(new IntegrationError('CONFLICT', 'taken', { field: 'id' }), value as never);
    expect(fromReal).toMatchObject({ code: 'CONFLICT', message: 'taken', field: 'id' });
  });
});

describe('shared lists', () => {
  it('ERROR_CODES is frozen: no caller can change the codes every client checks against', () => {
    expect(Object.isFrozen(ERROR_CODES)).toBe(true);
    expect(() => (ERROR_CODES as unknown as string[]).push('NOPE')).toThrow(TypeError);
    expect(new IntegrationError('TIMEOUT', 'x').code).toBe('TIMEOUT');
  });
});
