import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../result/errors.ts';
import {
  codeForStatus,
  type ErrorResponse,
  errorFromResponse,
  extractIssues,
  extractServerMessage,
  type FailedResponse,
  RETRYABLE_STATUSES,
  runErrorMapper,
} from './classify.ts';

const failed = (overrides: Partial<FailedResponse> = {}): FailedResponse => ({
  status: 400,
  headers: new Headers(),
  body: undefined,
  method: 'GET',
  path: '/rest/people',
  ...overrides,
});

describe('codeForStatus', () => {
  it.each<[number, ErrorCode]>([
    [400, 'VALIDATION_ERROR'],
    [401, 'AUTH_ERROR'],
    [403, 'AUTH_ERROR'],
    [404, 'NOT_FOUND'],
    [405, 'VALIDATION_ERROR'],
    [408, 'TIMEOUT'],
    [409, 'CONFLICT'],
    [410, 'VALIDATION_ERROR'],
    [413, 'VALIDATION_ERROR'],
    [422, 'VALIDATION_ERROR'],
    [429, 'RATE_LIMIT'],
    [500, 'SERVER_ERROR'],
    [501, 'SERVER_ERROR'],
    [502, 'SERVER_ERROR'],
    [503, 'SERVER_ERROR'],
    [504, 'SERVER_ERROR'],
    [599, 'SERVER_ERROR'],
    [200, 'INVALID_RESPONSE'],
    [302, 'INVALID_RESPONSE'],
  ])('%i → %s', (status, code) => {
    expect(codeForStatus(status)).toBe(code);
  });
});

describe('RETRYABLE_STATUSES', () => {
  it('holds exactly the transient statuses', () => {
    expect([...RETRYABLE_STATUSES].sort()).toEqual([408, 429, 500, 502, 503, 504]);
  });
});

describe('errorFromResponse: code, retryability and message', () => {
  it('names method, path and status and adds the status text', () => {
    const error = errorFromResponse(failed({ status: 404, statusText: 'Not Found', path: '/rest/people/1' }));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.status).toBe(404);
    expect(error.method).toBe('GET');
    expect(error.path).toBe('/rest/people/1');
    expect(error.message).toBe('GET /rest/people/1 failed with 404 Not Found');
  });

  it.each([408, 429, 500, 502, 503, 504])('%i is retryable', (status) => {
    expect(errorFromResponse(failed({ status })).retryable).toBe(true);
  });

  it.each([400, 401, 403, 404, 409, 422, 501, 599])('%i is not retryable', (status) => {
    expect(errorFromResponse(failed({ status })).retryable).toBe(false);
  });

  it('mentions the attempts only when there was more than one', () => {
    const once = errorFromResponse(failed({ status: 500, attempts: 1 }));
    expect(once.message).toBe('GET /rest/people failed with 500');
    expect(once.attempts).toBe(1);
    const four = errorFromResponse(failed({ status: 500, attempts: 4 }));
    expect(four.message).toBe('GET /rest/people failed with 500 (after 4 attempts)');
    expect(four.attempts).toBe(4);
    expect(errorFromResponse(failed({ status: 500 })).message).not.toContain('attempts');
  });
});

describe('errorFromResponse: the server message, read generically', () => {
  it('RFC 9457 problem details: detail, else title', () => {
    const error = errorFromResponse(
      failed({
        status: 403,
        body: {
          type: 'https://example.com/probs/out-of-credit',
          title: 'You do not have enough credit.',
          detail: 'Your current balance is 30, but that costs 50.',
          instance: '/account/12345/msgs/abc',
        },
      }),
    );
    expect(error).toMatchObject({ code: 'AUTH_ERROR', status: 403 });
    expect(error.message).toBe(
      'GET /rest/people failed with 403: Your current balance is 30, but that costs 50.',
    );
    expect(extractServerMessage({ type: 'about:blank', title: 'Bad Request' })).toBe('Bad Request');
  });

  it('a message field', () => {
    const error = errorFromResponse(
      failed({ status: 409, method: 'POST', body: { message: 'Already exists' } }),
    );
    expect(error).toMatchObject({ code: 'CONFLICT', retryable: false });
    expect(error.message).toBe('POST /rest/people failed with 409: Already exists');
  });

  it('an OAuth 2 error: error_description over the error code', () => {
    expect(
      extractServerMessage({ error: 'invalid_grant', error_description: 'The refresh token expired.' }),
    ).toBe('The refresh token expired.');
    expect(extractServerMessage({ error: 'invalid_client' })).toBe('invalid_client');
  });

  it('an error object with a string message (OData v4 JSON, Google-style APIs)', () => {
    const error = errorFromResponse(
      failed({ status: 400, body: { error: { code: 'BadRequest', message: 'bad filter' } } }),
    );
    expect(error.message).toBe('GET /rest/people failed with 400: bad filter');
  });

  it('reads no vendor-specific shape: a messages array, a nested message object, a body request id', () => {
    for (const body of [
      { statusCode: 400, error: { name: 'x' }, messages: ['name must be a string'] },
      { error: { code: '', message: { lang: 'en-US', value: 'Invalid division' } } },
    ]) {
      expect(errorFromResponse(failed({ status: 400, body })).message).toBe(
        'GET /rest/people failed with 400',
      );
    }
    expect(
      errorFromResponse(failed({ status: 409, body: { message: 'taken', correlationId: 'c-1' } })).requestId,
    ).toBeUndefined();
  });

  it('a plain text body is the message', () => {
    expect(errorFromResponse(failed({ status: 502, body: 'upstream connect error' })).message).toBe(
      'GET /rest/people failed with 502: upstream connect error',
    );
  });

  it('ignores HTML bodies', () => {
    const html = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>';
    const error = errorFromResponse(failed({ status: 502, statusText: 'Bad Gateway', body: html }));
    expect(error.message).toBe('GET /rest/people failed with 502 Bad Gateway');
    expect(extractServerMessage('<html><body>oops</body></html>')).toBeUndefined();
  });

  it('adds nothing for an empty, missing or unrecognised body', () => {
    for (const body of [
      undefined,
      null,
      '',
      '   ',
      42,
      {},
      [],
      { foo: 'bar' },
      { message: '' },
      { errors: [] },
    ]) {
      expect(errorFromResponse(failed({ status: 500, body })).message).toBe(
        'GET /rest/people failed with 500',
      );
    }
  });

  it('collapses whitespace to one line', () => {
    expect(extractServerMessage({ message: '  line one\n\n  line\ttwo  ' })).toBe('line one line two');
  });

  it('truncates long messages to 300 characters plus an ellipsis', () => {
    const message = extractServerMessage({ message: 'x'.repeat(1_000) });
    expect(message).toBe(`${'x'.repeat(300)}…`);
    const error = errorFromResponse(failed({ status: 400, body: { message: 'y'.repeat(5_000) } }));
    expect(error.message.length).toBeLessThan(400);
    expect(error.message.endsWith('…')).toBe(true);
  });

  it('does not truncate a message of exactly 300 characters', () => {
    expect(extractServerMessage({ message: 'z'.repeat(300) })).toBe('z'.repeat(300));
  });
});

describe('errorFromResponse: Retry-After', () => {
  it('reads Retry-After seconds on 429', () => {
    const error = errorFromResponse(failed({ status: 429, headers: new Headers({ 'Retry-After': '7' }) }));
    expect(error.retryAfterMs).toBe(7_000);
  });

  it('reads a Retry-After HTTP date on 503 relative to now', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    const error = errorFromResponse(
      failed({ status: 503, now, headers: new Headers({ 'Retry-After': 'Wed, 01 Jan 2025 00:00:30 GMT' }) }),
    );
    expect(error.retryAfterMs).toBe(30_000);
  });

  it.each([500, 502, 504, 400, 408])('ignores Retry-After on %i', (status) => {
    const error = errorFromResponse(failed({ status, headers: new Headers({ 'Retry-After': '7' }) }));
    expect(error.retryAfterMs).toBeUndefined();
    expect(Object.hasOwn(error, 'retryAfterMs')).toBe(false);
  });

  it('leaves retryAfterMs unset on 429 without the header', () => {
    expect(errorFromResponse(failed({ status: 429 })).retryAfterMs).toBeUndefined();
  });

  it.each([
    [429, '999999', 999_999_000],
    [503, '999999', 999_999_000],
    [503, 'Fri, 31 Dec 9999 23:59:59 GMT', Date.UTC(9999, 11, 31, 23, 59, 59) - Date.UTC(2025, 0, 1)],
  ])('a %i asking for %s, over maxRetryAfterMs, is RATE_LIMIT carrying the hint', (status, value, ms) => {
    const error = errorFromResponse(
      failed({
        status,
        now: Date.UTC(2025, 0, 1),
        maxRetryAfterMs: 60_000,
        headers: new Headers({ 'Retry-After': value }),
      }),
    );
    expect(error).toMatchObject({ code: 'RATE_LIMIT', status, retryable: true, retryAfterMs: ms });
    expect(error.message).toContain('longer than maxRetryAfterMs (60000 ms)');
  });

  it('keeps the status code when the hint is within maxRetryAfterMs or unreadable', () => {
    const within = errorFromResponse(
      failed({ status: 503, maxRetryAfterMs: 60_000, headers: new Headers({ 'Retry-After': '60' }) }),
    );
    expect(within).toMatchObject({ code: 'SERVER_ERROR', retryAfterMs: 60_000 });
    const unreadable = errorFromResponse(
      failed({ status: 503, maxRetryAfterMs: 60_000, headers: new Headers({ 'Retry-After': '-999999' }) }),
    );
    expect(unreadable.code).toBe('SERVER_ERROR');
    expect(unreadable.retryAfterMs).toBeUndefined();
  });
});

describe('errorFromResponse: request id', () => {
  it('takes x-request-id', () => {
    const error = errorFromResponse(
      failed({ status: 500, headers: new Headers({ 'X-Request-Id': 'req-42' }) }),
    );
    expect(error.requestId).toBe('req-42');
  });

  it('falls back to other request id headers', () => {
    expect(
      errorFromResponse(failed({ status: 500, headers: new Headers({ 'x-correlation-id': 'corr-1' }) }))
        .requestId,
    ).toBe('corr-1');
    expect(
      errorFromResponse(failed({ status: 500, headers: new Headers({ 'cf-ray': 'ray-1' }) })).requestId,
    ).toBe('ray-1');
  });

  it('is unset when no header carries one', () => {
    expect(errorFromResponse(failed({ status: 500 })).requestId).toBeUndefined();
  });
});

describe('errorFromResponse: RFC 9457 errors become issues', () => {
  it('reads each detail and pointer, the pointer as a dotted field', () => {
    const error = errorFromResponse(
      failed({
        status: 422,
        body: {
          type: 'https://example.net/validation-error',
          title: 'Your request is not valid.',
          errors: [
            { detail: 'must be a positive integer', pointer: '#/age' },
            { detail: "must be 'green', 'red' or 'blue'", pointer: '#/profile/color' },
          ],
        },
      }),
    );
    expect(error).toMatchObject({
      code: 'VALIDATION_ERROR',
      field: 'age',
      issues: [
        { field: 'age', message: 'must be a positive integer' },
        { field: 'profile.color', message: "must be 'green', 'red' or 'blue'" },
      ],
    });
    expect(error.message).toBe('GET /rest/people failed with 422: Your request is not valid.');
  });

  it('reads JSON:API source.pointer and unescapes ~1 and ~0; an item without a pointer is no issue', () => {
    expect(
      extractIssues({
        errors: [
          { detail: 'is taken', source: { pointer: '/data/attributes/e~1mail' } },
          { message: 'bad tilde', pointer: '/a~0b' },
          { detail: 'encoded', pointer: '#/first%20name' },
          { detail: 'whole body refused' },
          { pointer: '/ignored', detail: '' },
          'not an object',
          null,
        ],
      }),
    ).toEqual([
      { field: 'data.attributes.e/mail', message: 'is taken' },
      { field: 'a~b', message: 'bad tilde' },
      { field: 'first name', message: 'encoded' },
    ]);
    expect(
      extractIssues({ errors: [{ message: 'Property values were not valid', in: 'email' }] }),
    ).toBeUndefined();
  });

  it('a pointer to the whole document names (root)', () => {
    expect(
      extractIssues({
        errors: [
          { detail: 'not an object', pointer: '#' },
          { detail: 'x', pointer: '' },
        ],
      }),
    ).toEqual([
      { field: '(root)', message: 'not an object' },
      { field: '(root)', message: 'x' },
    ]);
  });

  it('says the first items when the body has nothing else', () => {
    const errors = Array.from({ length: 5 }, (_, i) => ({ detail: `bad ${i}`, pointer: `/items/${i}` }));
    expect(extractServerMessage({ errors })).toBe(
      'items.0: bad 0; items.1: bad 1; items.2: bad 2; and 2 more',
    );
    expect(extractServerMessage({ errors: [{ message: 'quota spent' }] })).toBe('quota spent');
  });

  it('keeps at most 100 issues', () => {
    const errors = Array.from({ length: 1_000 }, (_, i) => ({ detail: 'bad', pointer: `/${i}` }));
    expect(extractIssues({ errors })).toHaveLength(100);
  });

  it('has no issues without an errors array', () => {
    for (const body of [undefined, 'text', { errors: 'x' }, { errors: [{}] }]) {
      expect(extractIssues(body)).toBeUndefined();
      expect(Object.hasOwn(errorFromResponse(failed({ body })), 'issues')).toBe(false);
    }
  });
});

describe('errorFromResponse: hostile input', () => {
  const throwing = Object.defineProperty({}, 'message', {
    enumerable: true,
    get() {
      throw new Error('boom');
    },
  });
  it.each([
    ['null', null, 'response'],
    ['a number', 42, 'response'],
    ['no status', { headers: new Headers() }, 'status'],
    ['a string status', { status: '500' }, 'status'],
  ])('answers %s with a VALIDATION_ERROR naming %s', (_label, input, field) => {
    expect(errorFromResponse(input as never)).toMatchObject({ code: 'VALIDATION_ERROR', field });
  });

  it('tolerates missing headers, odd fields and a body whose getters throw', () => {
    const error = errorFromResponse({
      status: 503,
      body: throwing,
      headers: {} as never,
      method: 5 as never,
    } as never);
    expect(error).toMatchObject({ code: 'SERVER_ERROR', status: 503 });
    expect(extractServerMessage(throwing)).toBeUndefined();
    expect(() => extractServerMessage({ detail: Symbol('x'), message: Symbol('y') })).not.toThrow();
    const throwingErrors = Object.defineProperty({}, 'errors', {
      get() {
        throw new Error('x');
      },
    });
    expect(extractIssues(throwingErrors)).toBeUndefined();
    expect(errorFromResponse(failed({ status: 500, body: throwingErrors })).code).toBe('SERVER_ERROR');
  });
});

describe('errorFromResponse: a connector mapping wins field by field', () => {
  const quota = failed({
    status: 402,
    method: 'POST',
    body: { message: 'generic text' },
    headers: new Headers({ 'x-request-id': 'from-header' }),
  });

  it('takes code, message, retryable, field, issues, retryAfterMs and requestId from the mapping', () => {
    const error = errorFromResponse(quota, {
      code: 'RATE_LIMIT',
      message: 'Workspace quota\n exhausted',
      retryable: false,
      field: 'workspace',
      issues: [{ field: 'workspace', message: 'over quota' }],
      retryAfterMs: 3_600_000,
      requestId: 'from-body',
    });
    expect(error).toMatchObject({
      code: 'RATE_LIMIT',
      status: 402,
      retryable: false,
      field: 'workspace',
      issues: [{ field: 'workspace', message: 'over quota' }],
      retryAfterMs: 3_600_000,
      requestId: 'from-body',
      method: 'POST',
      path: '/rest/people',
    });
    expect(error.message).toBe('POST /rest/people failed with 402: Workspace quota exhausted');
  });

  it('reads generically what the mapping leaves out', () => {
    const error = errorFromResponse(quota, { code: 'CONFLICT' });
    expect(error).toMatchObject({ code: 'CONFLICT', retryable: false, requestId: 'from-header' });
    expect(error.message).toBe('POST /rest/people failed with 402: generic text');
    expect(errorFromResponse(quota, undefined)).toEqual(errorFromResponse(quota));
    expect(errorFromResponse(quota, {})).toEqual(errorFromResponse(quota));
  });

  it("a mapped code without retryable takes the code's default", () => {
    expect(errorFromResponse(failed({ status: 400 }), { code: 'RATE_LIMIT' }).retryable).toBe(true);
    expect(errorFromResponse(failed({ status: 503 }), { code: 'VALIDATION_ERROR' }).retryable).toBe(false);
    expect(errorFromResponse(failed({ status: 503 }), { message: 'down' }).retryable).toBe(true);
  });

  it('a mapped wait over maxRetryAfterMs is RATE_LIMIT carrying it, whatever the status', () => {
    const error = errorFromResponse(failed({ status: 400, maxRetryAfterMs: 60_000 }), {
      retryAfterMs: 86_400_000,
    });
    expect(error).toMatchObject({ code: 'RATE_LIMIT', retryable: true, retryAfterMs: 86_400_000 });
    expect(error.message).toContain('the server asks to wait 1440 min, longer than maxRetryAfterMs');
  });

  it('a mapped wait wins over Retry-After', () => {
    const error = errorFromResponse(failed({ status: 429, headers: new Headers({ 'Retry-After': '7' }) }), {
      retryAfterMs: 2_500,
    });
    expect(error.retryAfterMs).toBe(2_500);
  });

  it.each<[string, unknown]>([
    ['an unknown code', { code: 'TEAPOT' }],
    ['a numeric message', { message: 42 }],
    ['an empty message', { message: '  ' }],
    ['a string retryable', { retryable: 'no' }],
    ['an empty field', { field: '' }],
    ['issues that are not field issues', { issues: [{ field: 1, message: 'x' }] }],
    ['issues that are not an array', { issues: 'x' }],
    ['a negative wait', { retryAfterMs: -1 }],
    ['an infinite wait', { retryAfterMs: Number.POSITIVE_INFINITY }],
    ['a numeric request id', { requestId: 7 }],
    ['a string', 'CONFLICT'],
    ['a number', 42],
  ])('ignores %s, falling back to the generic reading', (_label, mapping) => {
    expect(errorFromResponse(quota, mapping as never)).toEqual(errorFromResponse(quota));
  });

  it('ignores a field whose getter throws and keeps the others', () => {
    const mapping = Object.defineProperty({ code: 'CONFLICT' }, 'message', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    const error = errorFromResponse(quota, mapping as never);
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe('POST /rest/people failed with 402: generic text');
  });
});

describe('runErrorMapper', () => {
  const response: ErrorResponse = {
    status: 400,
    statusText: 'Bad Request',
    headers: new Headers(),
    body: { messages: ['Duplicate entry'] },
    request: { method: 'POST', path: '/rest/people' },
  };

  it('hands the mapper the response and keeps its well-typed answer', () => {
    const seen: ErrorResponse[] = [];
    const result = runErrorMapper((r) => {
      seen.push(r);
      return { code: 'CONFLICT', message: 'Duplicate entry' };
    }, response);
    expect(seen).toEqual([response]);
    expect(result).toEqual({ mapping: { code: 'CONFLICT', message: 'Duplicate entry' }, rejected: [] });
  });

  it('an undefined or empty answer is no mapping, and nothing rejected', () => {
    expect(runErrorMapper(() => undefined, response)).toEqual({ mapping: undefined, rejected: [] });
    expect(runErrorMapper(() => ({}), response)).toEqual({ mapping: undefined, rejected: [] });
  });

  it('a mapper that throws gives no mapping and says so', () => {
    const result = runErrorMapper(() => {
      throw new Error('bug in the connector');
    }, response);
    expect(result).toEqual({ mapping: undefined, rejected: ['(threw)'] });
  });

  it('an async mapper is refused without an unhandled rejection', async () => {
    const result = runErrorMapper(
      (async () => {
        throw new Error('late');
      }) as never,
      response,
    );
    expect(result).toEqual({ mapping: undefined, rejected: ['(returned a Promise)'] });
    await new Promise((resolve) => setTimeout(resolve, 10));
  });

  it('keeps the well-typed fields of a partly wrong answer and names the others', () => {
    const result = runErrorMapper(
      () => ({ code: 'NOPE', message: 'kept', retryAfterMs: Number.NaN, field: 'email' }) as never,
      response,
    );
    expect(result).toEqual({
      mapping: { message: 'kept', field: 'email' },
      rejected: ['code', 'retryAfterMs'],
    });
  });

  it('a garbage answer (a string, a number) is rejected whole', () => {
    expect(runErrorMapper(() => 'CONFLICT' as never, response)).toEqual({
      mapping: undefined,
      rejected: ['(root)'],
    });
  });
});
