import { describe, expect, it } from 'vitest';
import { tokenEndpointError } from './token-errors.ts';

const SECRET = 'rt-leaked-4c2b9e';
const scrub = (text: string) => text.split(SECRET).join('[REDACTED]');
const input = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  headers: new Headers(headers),
  body,
  grant: 'refresh_token' as const,
  scrub,
  path: '/oauth/token',
});

describe('tokenEndpointError', () => {
  it('makes invalid_grant an AUTH_ERROR that is not retried and says re-consent is needed', () => {
    const { error, oauthError } = tokenEndpointError(
      input(400, { error: 'invalid_grant', error_description: 'Old refresh token used.' }),
    );
    expect(oauthError).toBe('invalid_grant');
    expect(error.code).toBe('AUTH_ERROR');
    expect(error.retryable).toBe(false);
    expect(error.status).toBe(400);
    expect(error.field).toBe('refreshToken');
    expect(error.message).toContain('re-consent');
    expect(error.message).toContain('"Old refresh token used."');
    expect(error.method).toBe('POST');
    expect(error.path).toBe('/oauth/token');
  });

  it('names the code for an invalid_grant of the authorization-code grant', () => {
    const { error } = tokenEndpointError({
      ...input(400, { error: 'invalid_grant' }),
      grant: 'authorization_code',
    });
    expect(error.field).toBe('code');
    expect(error.message).toContain('authorization code');
  });

  it.each([
    ['invalid_client', 401, 'AUTH_ERROR', false],
    ['unauthorized_client', 401, 'AUTH_ERROR', false],
    ['access_denied', 400, 'AUTH_ERROR', false],
    ['invalid_request', 400, 'CONFIG_ERROR', false],
    ['unsupported_grant_type', 400, 'CONFIG_ERROR', false],
    ['invalid_scope', 400, 'CONFIG_ERROR', false],
    ['server_error', 500, 'SERVER_ERROR', true],
    ['temporarily_unavailable', 503, 'SERVER_ERROR', true],
  ] as const)('maps %s to %s', (oauthError, status, code, retryable) => {
    const { error } = tokenEndpointError(input(status, { error: oauthError }));
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.message).toContain(oauthError);
  });

  it('falls back to the status without an RFC 6749 body: 429 is RATE_LIMIT with the Retry-After wait', () => {
    const { error, oauthError } = tokenEndpointError(input(429, undefined, { 'retry-after': '7' }));
    expect(oauthError).toBeUndefined();
    expect(error.code).toBe('RATE_LIMIT');
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(7000);
    expect(tokenEndpointError(input(502, 'bad gateway')).error.code).toBe('SERVER_ERROR');
    expect(tokenEndpointError(input(400, { error: 'made_up' })).error.code).toBe('VALIDATION_ERROR');
  });

  it('scrubs secrets from the description before cutting it, and keeps it to one line', () => {
    const description = `refresh token ${SECRET} is\nunknown ${'x'.repeat(400)}`;
    const { error } = tokenEndpointError(
      input(400, { error: 'invalid_grant', error_description: description }),
    );
    expect(error.message).not.toContain(SECRET);
    expect(error.message).toContain('[REDACTED]');
    expect(error.message).not.toContain('\n');
    expect(error.message.length).toBeLessThan(600);
  });
});
