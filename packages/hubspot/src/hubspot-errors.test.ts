import { errorFromResponse } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { createHubSpotErrorMapper, hubspotExistingId, nextUtcMidnight } from './hubspot-errors.ts';

const NOW = Date.UTC(2026, 11, 7, 16, 30, 0);
const mapper = createHubSpotErrorMapper({ now: () => NOW });

function read(status: number, body: unknown, headers: Record<string, string> = {}) {
  const response = { status, statusText: '', headers: new Headers(headers), body };
  const mapping = mapper({ ...response, request: { method: 'POST', path: '/crm/objects/2026-03/contacts' } });
  return errorFromResponse({ ...response, method: 'POST', path: '/crm/objects/2026-03/contacts' }, mapping);
}

describe('createHubSpotErrorMapper', () => {
  it('reads a 409 conflict with the existing id and the correlation id', () => {
    const error = read(409, {
      status: 'error',
      message: 'Contact already exists. Existing ID: 51',
      correlationId: 'c0ffee-1',
      category: 'CONFLICT',
    });
    expect(error).toMatchObject({ code: 'CONFLICT', status: 409, requestId: 'c0ffee-1', retryable: false });
    expect(hubspotExistingId(error)).toBe('51');
  });

  it('reads a 400 with property names from the message list and errors[].context', () => {
    const error = read(400, {
      status: 'error',
      message:
        'Property values were not valid: [{"isValid":false,"message":"Email address x@y is invalid","error":"INVALID_EMAIL","name":"email"}]',
      correlationId: 'a1',
      category: 'VALIDATION_ERROR',
      errors: [{ message: 'bad date', code: 'INVALID_DATE', context: { propertyName: ['closedate'] } }],
    });
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.issues?.map((issue) => issue.field)).toEqual(['closedate', 'email']);
    expect(error.field).toBe('closedate');
  });

  it('reads 401 as a final AUTH_ERROR and 403 MISSING_SCOPES as AUTH_ERROR naming the scopes', () => {
    expect(
      read(401, {
        status: 'error',
        message: 'Authentication credentials not found.',
        category: 'INVALID_AUTHENTICATION',
      }),
    ).toMatchObject({ code: 'AUTH_ERROR', retryable: false });
    const forbidden = read(403, {
      status: 'error',
      message: "This app hasn't been granted all required scopes to make this call.",
      category: 'MISSING_SCOPES',
      errors: [
        {
          message: 'One or more of the following scopes are required.',
          context: { requiredGranularScopes: ['crm.objects.contacts.write'] },
        },
      ],
    });
    expect(forbidden).toMatchObject({ code: 'AUTH_ERROR', status: 403, retryable: false });
    expect(forbidden.message).toMatch(/requires crm\.objects\.contacts\.write\)$/);
  });

  it('reads 404 as NOT_FOUND', () => {
    expect(
      read(404, { status: 'error', message: 'resource not found', category: 'OBJECT_NOT_FOUND' }).code,
    ).toBe('NOT_FOUND');
  });

  it('reads a TEN_SECONDLY_ROLLING 429 as retryable, waiting the window the headers name', () => {
    const error = read(
      429,
      {
        status: 'error',
        message: 'You have reached your ten_secondly_rolling limit.',
        errorType: 'RATE_LIMIT',
        policyName: 'TEN_SECONDLY_ROLLING',
        correlationId: 'r1',
      },
      { 'X-HubSpot-RateLimit-Interval-Milliseconds': '10000', 'X-HubSpot-RateLimit-Remaining': '0' },
    );
    expect(error).toMatchObject({ code: 'RATE_LIMIT', retryable: true, retryAfterMs: 10_000 });
  });

  it('reads a DAILY 429 as final, resetting at the next UTC midnight', () => {
    const error = read(429, {
      status: 'error',
      message: 'You have reached your daily limit.',
      errorType: 'RATE_LIMIT',
      policyName: 'DAILY',
    });
    expect(error).toMatchObject({ code: 'RATE_LIMIT', retryable: false });
    expect(NOW + (error.retryAfterMs ?? 0)).toBe(Date.UTC(2026, 11, 8));
  });

  it('lets a Retry-After header name when a daily budget resets', () => {
    const error = read(429, { policyName: 'DAILY' }, { 'Retry-After': '120' });
    expect(error).toMatchObject({ retryable: false, retryAfterMs: 120_000 });
  });

  it("reads search's secondly 429 as a short retryable wait", () => {
    expect(read(429, { status: 'error', message: 'You have reached your secondly limit.' })).toMatchObject({
      code: 'RATE_LIMIT',
      retryable: true,
      retryAfterMs: 1000,
    });
  });

  it('leaves a body that is not HubSpot to the generic reading', () => {
    expect(read(502, '<html>bad gateway</html>').code).toBe('SERVER_ERROR');
    expect(read(400, { message: 42, errors: 'x' }).code).toBe('VALIDATION_ERROR');
  });

  it('computes the next UTC midnight', () => {
    expect(nextUtcMidnight(Date.UTC(2026, 0, 1, 0, 0, 0))).toBe(Date.UTC(2026, 0, 2));
    expect(nextUtcMidnight(Date.UTC(2026, 0, 1, 23, 59, 59))).toBe(Date.UTC(2026, 0, 2));
  });
});
