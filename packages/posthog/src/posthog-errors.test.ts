import { type ErrorResponse, errorFromResponse } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { failedQueryError, mapPostHogError, queryFailure } from './posthog-errors.ts';

const response = (status: number, body: unknown, headers: Record<string, string> = {}): ErrorResponse => ({
  status,
  statusText: '',
  headers: new Headers(headers),
  body,
  request: { method: 'POST', path: '/api/projects/1/query/' },
});

// The typed error core builds with the mapper, as the HTTP client does.
const classified = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  errorFromResponse(
    { status, headers: new Headers(headers), body, method: 'POST', path: '/api/projects/1/query/' },
    mapPostHogError(response(status, body, headers)),
  );

describe('mapPostHogError', () => {
  it("reads a HogQL validation error's detail and attr: VALIDATION_ERROR naming the field", () => {
    const error = classified(400, {
      type: 'validation_error',
      code: 'invalid_input',
      detail: 'Unable to resolve field: nope',
      attr: 'query',
    });
    expect(error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'query', retryable: false });
    expect(error.message).toContain('Unable to resolve field: nope');
    expect(error.issues).toEqual([{ field: 'query', message: 'Unable to resolve field: nope' }]);
  });

  it("reads a failed status poll's error_message (400): VALIDATION_ERROR with PostHog's message, not retried", () => {
    const error = classified(400, {
      query_status: { id: 'q1', complete: true, error: true, error_message: 'Query exceeds memory limits' },
    });
    expect(error).toMatchObject({ code: 'VALIDATION_ERROR', retryable: false });
    expect(error.message).toContain('Query exceeds memory limits');
  });

  it('reads a failed status poll without a message (500) as a SERVER_ERROR not worth retrying', () => {
    const error = classified(500, {
      query_status: { id: 'q1', complete: true, error: true, error_message: null },
    });
    expect(error).toMatchObject({ code: 'SERVER_ERROR', retryable: false });
  });

  it.each([
    ['Request was throttled. Expected available in 12 seconds.', 12_000],
    ['Request was throttled. Expected available in 1 second.', 1_000],
    ['Request was throttled. Expected available in 0.4 seconds.', 400],
  ])('reads the throttled body %j as the wait', (detail, wait) => {
    const error = classified(429, { type: 'throttled_error', code: 'throttled', detail, attr: null });
    expect(error).toMatchObject({ code: 'RATE_LIMIT', retryAfterMs: wait, retryable: true });
  });

  it('lets the body wait win over Retry-After, and keeps Retry-After without one', () => {
    const body = {
      type: 'throttled_error',
      detail: 'Request was throttled. Expected available in 7 seconds.',
    };
    expect(classified(429, body, { 'retry-after': '30' }).retryAfterMs).toBe(7_000);
    const concurrency = { type: 'throttled_error', detail: 'Too many concurrent queries' };
    expect(classified(429, concurrency, { 'retry-after': '3' }).retryAfterMs).toBe(3_000);
    expect(classified(429, concurrency)).toMatchObject({ code: 'RATE_LIMIT', retryable: true });
    expect(classified(429, concurrency).retryAfterMs).toBeUndefined();
  });

  it('makes a 402 (a feature outside the plan) final', () => {
    const error = classified(402, {
      type: 'validation_error',
      code: 'payment_required',
      detail: 'Upgrade',
      attr: null,
    });
    expect(error.retryable).toBe(false);
  });

  it.each([undefined, null, 'Bad Gateway', 42, [], { detail: 5, attr: {} }, { query_status: 'x' }])(
    'leaves a body it cannot read (%j) to the generic reading',
    (body) => {
      expect(mapPostHogError(response(502, body))).toBeUndefined();
    },
  );
});

describe('queryFailure and failedQueryError', () => {
  it("uses PostHog's message, VALIDATION_ERROR unless PostHog said 500", () => {
    expect(queryFailure('Syntax error', 400)).toEqual({ code: 'VALIDATION_ERROR', message: 'Syntax error' });
    expect(queryFailure('Syntax error')).toEqual({ code: 'VALIDATION_ERROR', message: 'Syntax error' });
    expect(queryFailure('ClickHouse down', 500)).toEqual({
      code: 'SERVER_ERROR',
      message: 'ClickHouse down',
    });
    expect(queryFailure(undefined).code).toBe('SERVER_ERROR');
  });

  it('builds a typed, final error carrying the call', () => {
    const error = failedQueryError('Timeout exceeded', { status: 200, method: 'GET', path: '/q/1/' });
    expect(error).toMatchObject({
      code: 'VALIDATION_ERROR',
      retryable: false,
      status: 200,
      method: 'GET',
      path: '/q/1/',
    });
    expect(error.message).toBe('PostHog query failed: Timeout exceeded');
  });
});
