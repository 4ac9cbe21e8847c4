import { type ErrorResponse, errorFromResponse } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { mapTwentyError } from './twenty-errors.ts';

// Twenty's wire body (rest-api-exception.filter.ts): `{ statusCode, error, messages: [message] }`.
const twentyBody = (status: number, message: string, extra: Record<string, unknown> = {}) => ({
  statusCode: status,
  error: 'BadRequestException',
  messages: [message],
  ...extra,
});

const response = (status: number, body: unknown, headers = new Headers()): ErrorResponse => ({
  status,
  statusText: '',
  headers,
  body,
  request: { method: 'POST', path: '/rest/batch/people' },
});

// The error the client builds from a response and the mapping, as it does on the wire.
const classified = (status: number, body: unknown, headers = new Headers()) =>
  errorFromResponse(
    {
      status,
      headers,
      body,
      method: 'POST',
      path: '/rest/batch/people',
      attempts: 1,
      maxRetryAfterMs: 60_000,
    },
    mapTwentyError(response(status, body, headers)),
  );

describe('mapTwentyError', () => {
  it('joins the messages into the message', () => {
    const body = {
      statusCode: 400,
      error: 'BadRequestException',
      messages: ['name must be a string', 'id is required'],
    };
    expect(mapTwentyError(response(400, body))).toEqual({ message: 'name must be a string; id is required' });
    expect(classified(400, body)).toMatchObject({
      code: 'VALIDATION_ERROR',
      retryable: false,
      message: 'POST /rest/batch/people failed with 400: name must be a string; id is required',
    });
  });

  it.each([
    'A duplicate entry was detected',
    'Duplicate Emails. Please set a unique one.',
    'Record already exists',
    'Multiple records found with the same unique field values for id (id: 1); emails (emails.primaryEmail: b@x.io). Cannot determine which record to update.',
  ])('turns a unique violation (400) into CONFLICT: %s', (message) => {
    expect(classified(400, twentyBody(400, message))).toMatchObject({
      code: 'CONFLICT',
      status: 400,
      retryable: false,
      attempts: 1,
      message: `POST /rest/batch/people failed with 400: ${message}`,
    });
  });

  it('leaves a duplicate message on another status to the status', () => {
    expect(classified(500, twentyBody(500, 'Duplicate key'))).toMatchObject({ code: 'SERVER_ERROR' });
  });

  it('turns an exhausted quota (402) into a non-retryable RATE_LIMIT', () => {
    const body = {
      statusCode: 402,
      error: 'PaymentRequiredException',
      messages: ['Workspace usage limit reached'],
    };
    expect(classified(402, body)).toMatchObject({
      code: 'RATE_LIMIT',
      status: 402,
      retryable: false,
      message: 'POST /rest/batch/people failed with 402: Workspace usage limit reached',
    });
    expect(classified(402, undefined)).toMatchObject({ code: 'RATE_LIMIT', retryable: false });
  });

  it("takes a 429's retryAfterSeconds as the wait, over Retry-After", () => {
    const body = twentyBody(429, 'Rate limit exceeded for apiKey: 100 requests per 60s.', {
      error: 'RATE_LIMITED',
      retryAfterSeconds: 12,
    });
    const error = classified(429, body, new Headers({ 'Retry-After': '30' }));
    expect(error).toMatchObject({ code: 'RATE_LIMIT', retryable: true, retryAfterMs: 12_000 });
    expect(mapTwentyError(response(429, body))).toMatchObject({ retryAfterMs: 12_000 });
  });

  it('a 429 asking for longer than maxRetryAfterMs carries the wait and is not retried early', () => {
    const body = twentyBody(429, 'limit', { error: 'RATE_LIMITED', retryAfterSeconds: 3_600 });
    const error = classified(429, body);
    expect(error).toMatchObject({ code: 'RATE_LIMIT', retryAfterMs: 3_600_000 });
    expect(error.message).toContain('longer than maxRetryAfterMs');
  });

  it('leaves other errors to the generic reading', () => {
    const body = twentyBody(400, "object 'person' not found. Did you mean 'people'?");
    expect(mapTwentyError(response(400, body))).toEqual({
      message: "object 'person' not found. Did you mean 'people'?",
    });
    expect(classified(404, twentyBody(404, 'Record not found'))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it.each<[string, unknown]>([
    ['no body', undefined],
    ['an HTML page', '<html>502</html>'],
    ['a number', 42],
    ['messages that are not strings', { messages: [1, null, {}] }],
    ['messages that are not an array', { messages: 'x' }],
    ['an empty messages array', { messages: [] }],
    ['a retryAfterSeconds that is not a number', { retryAfterSeconds: '12' }],
    ['a negative retryAfterSeconds', { retryAfterSeconds: -1 }],
  ])('answers undefined for %s', (_label, body) => {
    expect(mapTwentyError(response(429, body))).toBeUndefined();
    expect(mapTwentyError(response(400, body))).toBeUndefined();
  });
});
