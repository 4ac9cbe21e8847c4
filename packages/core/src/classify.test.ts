import { describe, expect, it } from 'vitest';
import {
  codeForStatus,
  errorFromResponse,
  extractServerMessage,
  type FailedResponse,
  RETRYABLE_STATUSES,
} from './classify.ts';
import type { ErrorCode } from './errors.ts';

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

describe('errorFromResponse: server messages by vendor', () => {
  it('Twenty: joins the messages array', () => {
    const error = errorFromResponse(
      failed({
        status: 400,
        body: {
          statusCode: 400,
          error: 'BadRequestException',
          messages: ['name must be a string', 'id is required'],
        },
      }),
    );
    expect(error.message).toBe('GET /rest/people failed with 400: name must be a string; id is required');
  });

  it('HubSpot: uses message and takes the request id from correlationId', () => {
    const error = errorFromResponse(
      failed({
        status: 409,
        method: 'POST',
        path: '/crm/v3/objects/contacts',
        body: {
          status: 'error',
          message: 'Contact already exists. Existing ID: 123',
          correlationId: 'b8b2f7c2-4f0e-4a57-9c1a-5f0c0c9a1d11',
          category: 'CONFLICT',
        },
      }),
    );
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe(
      'POST /crm/v3/objects/contacts failed with 409: Contact already exists. Existing ID: 123',
    );
    expect(error.requestId).toBe('b8b2f7c2-4f0e-4a57-9c1a-5f0c0c9a1d11');
  });

  it('PostHog: uses detail', () => {
    const error = errorFromResponse(
      failed({
        status: 429,
        body: { type: 'throttled_error', code: 'throttled', detail: 'Request was throttled.', attr: null },
      }),
    );
    expect(error.code).toBe('RATE_LIMIT');
    expect(error.message).toBe('GET /rest/people failed with 429: Request was throttled.');
  });

  it('Exact Online: uses error.message.value', () => {
    const error = errorFromResponse(
      failed({
        status: 400,
        body: { error: { code: '', message: { lang: 'en-US', value: 'Invalid division' } } },
      }),
    );
    expect(error.message).toBe('GET /rest/people failed with 400: Invalid division');
  });

  it('nested error.message as a plain string', () => {
    const error = errorFromResponse(failed({ status: 400, body: { error: { message: 'bad filter' } } }));
    expect(error.message).toBe('GET /rest/people failed with 400: bad filter');
  });

  it('Pipedrive: uses the error string', () => {
    const error = errorFromResponse(
      failed({
        status: 401,
        body: { success: false, error: 'You need to be authorized to make this request.' },
      }),
    );
    expect(error.code).toBe('AUTH_ERROR');
    expect(error.message).toBe(
      'GET /rest/people failed with 401: You need to be authorized to make this request.',
    );
  });

  it('RFC 7807: uses detail, else title', () => {
    expect(
      extractServerMessage({ type: 'about:blank', title: 'Bad Request', detail: 'limit too high' }),
    ).toBe('limit too high');
    expect(extractServerMessage({ type: 'about:blank', title: 'Bad Request' })).toBe('Bad Request');
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
    for (const body of [undefined, null, '', 42, {}, { messages: [] }, { foo: 'bar' }, { message: '' }]) {
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

  it('prefers the header over a correlationId in the body', () => {
    const error = errorFromResponse(
      failed({
        status: 500,
        headers: new Headers({ 'x-request-id': 'from-header' }),
        body: { message: 'boom', correlationId: 'from-body' },
      }),
    );
    expect(error.requestId).toBe('from-header');
  });

  it('is unset when nothing carries one', () => {
    expect(errorFromResponse(failed({ status: 500, body: { correlationId: 42 } })).requestId).toBeUndefined();
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
    expect(() => extractServerMessage({ messages: [Symbol('x')], message: Symbol('y') })).not.toThrow();
    expect(
      errorFromResponse(
        failed({
          status: 500,
          body: Object.defineProperty({}, 'correlationId', {
            get() {
              throw new Error('x');
            },
          }),
        }),
      ).code,
    ).toBe('SERVER_ERROR');
  });
});
