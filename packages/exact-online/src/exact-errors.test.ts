import { createHttpClient } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { createExactErrorMapper, mapExactError } from './exact-errors.ts';

const NOW = Date.UTC(2026, 11, 7, 12);
const map = createExactErrorMapper({ now: () => NOW });
const response = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  statusText: '',
  headers: new Headers(headers),
  body,
  request: { method: 'GET', path: '/api/v1/1/crm/Accounts' },
});
const odataError = (value: string, code = '') => ({ error: { code, message: { lang: '', value } } });

describe('mapExactError', () => {
  it('reads error.message.value, the code and the Reason header', () => {
    expect(map(response(400, odataError("Field 'Foo' not found"), { Reason: 'Bad request' }))).toEqual({
      message: "Field 'Foo' not found (Reason: Bad request)",
    });
    expect(map(response(400, odataError('Invalid', 'E42')))?.message).toBe('Invalid [E42]');
    expect(map(response(500, { error: { message: 'plain text from a gateway' } }))?.message).toBe(
      'plain text from a gateway',
    );
    expect(map(response(403, undefined, { Reason: 'Forbidden' }))?.message).toBe('(Reason: Forbidden)');
  });

  it('leaves what it cannot read to core', () => {
    for (const body of [
      undefined,
      '<html>oops</html>',
      { error: 42 },
      { error: { message: { value: 7 } } },
      [1],
    ]) {
      expect(map(response(500, body))).toBeUndefined();
    }
  });

  it('waits for the minutely window and retries', () => {
    const mapping = map(
      response(429, odataError('Too many requests'), {
        'X-RateLimit-Minutely-Remaining': '0',
        'X-RateLimit-Minutely-Reset': String(NOW + 12_000),
        'X-RateLimit-Remaining': '4000',
        'X-RateLimit-Reset': String(NOW + 3_600_000),
      }),
    );
    expect(mapping).toMatchObject({ code: 'RATE_LIMIT', retryable: true, retryAfterMs: 12_000 });
  });

  it('stops on a spent daily limit, saying when it resets', () => {
    const mapping = map(
      response(429, odataError('Too many requests'), {
        'X-RateLimit-Minutely-Remaining': '50',
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': String(NOW + 3_600_000),
      }),
    );
    expect(mapping).toMatchObject({ code: 'RATE_LIMIT', retryable: false, retryAfterMs: 3_600_000 });
    expect(mapping?.message).toContain('2026-12-07T13:00:00.000Z');
  });

  it('does not believe a reset in seconds or far away', () => {
    const mapping = map(
      response(429, undefined, {
        'X-RateLimit-Minutely-Remaining': '0',
        'X-RateLimit-Minutely-Reset': String(Math.floor(NOW / 1000) + 10),
      }),
    );
    expect(mapping).toMatchObject({ code: 'RATE_LIMIT', retryable: true, retryAfterMs: 60_000 });
  });

  it('gives core the message, the code and the wait', async () => {
    const reset = Date.now() + 30_000;
    const http = createHttpClient({
      baseUrl: 'https://start.exactonline.nl',
      retry: false,
      mapError: mapExactError,
      fetch: async () =>
        new Response(JSON.stringify(odataError('Rate limit exceeded')), {
          status: 429,
          headers: {
            'content-type': 'application/json',
            'X-RateLimit-Minutely-Remaining': '0',
            'X-RateLimit-Minutely-Reset': String(reset),
          },
        }),
    });
    const result = await http.get('/api/v1/1/crm/Accounts');
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(result.error.code).toBe('RATE_LIMIT');
      expect(result.error.message).toContain('Rate limit exceeded');
      expect(result.error.retryAfterMs).toBeGreaterThan(20_000);
      expect(result.error.retryAfterMs).toBeLessThanOrEqual(30_000);
    }
  });
});
