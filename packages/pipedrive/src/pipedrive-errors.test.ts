import { describe, expect, it } from 'vitest';
import { createFakePipedrive, pipedriveError } from '../test-support/fake-pipedrive.ts';
import { createPipedriveClient } from './client.ts';
import { createPipedriveErrorMapper } from './pipedrive-errors.ts';

const NOON = Date.parse('2026-03-01T12:00:00Z');
const map = createPipedriveErrorMapper({ now: () => NOON });
const response = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  statusText: '',
  headers: new Headers(headers),
  body,
  request: { method: 'GET', path: '/api/v2/persons' },
});

describe('mapPipedriveError', () => {
  it('reads the body error as the message', () => {
    expect(
      map(response(400, { success: false, error: 'Invalid email', error_info: 'See docs', data: null })),
    ).toEqual({
      message: 'Invalid email',
    });
  });

  it('maps 401 and a JSON 403 to final AUTH_ERROR', () => {
    expect(map(response(401, { success: false, error: 'unauthorized access' }))).toMatchObject({
      code: 'AUTH_ERROR',
      retryable: false,
    });
    expect(
      map(
        response(
          403,
          { success: false, error: 'You do not have permission' },
          { 'content-type': 'application/json' },
        ),
      ),
    ).toMatchObject({
      code: 'AUTH_ERROR',
      retryable: false,
    });
  });

  it('classifies the edge HTML 403 as a final RATE_LIMIT, not a permission error', () => {
    const html = '<!DOCTYPE html><html><body>Access denied</body></html>';
    expect(map(response(403, html, { 'content-type': 'text/html; charset=utf-8' }))).toMatchObject({
      code: 'RATE_LIMIT',
      retryable: false,
    });
    expect(map(response(403, html))).toMatchObject({ code: 'RATE_LIMIT' });
  });

  it('retries a burst 429 after the window reset, and ends a daily one at midnight', () => {
    expect(map(response(429, {}, { 'x-ratelimit-reset': '1' }))).toEqual({
      code: 'RATE_LIMIT',
      retryable: true,
      retryAfterMs: 1000,
    });
    expect(map(response(429, {}, { 'x-daily-ratelimit-token-remaining': '0' }))).toMatchObject({
      code: 'RATE_LIMIT',
      retryable: false,
      retryAfterMs: 12 * 3_600_000,
    });
  });

  it('leaves an unknown body to the generic reading', () => {
    expect(map(response(500, 'oops'))).toBeUndefined();
  });
});

describe('the client on the edge block', () => {
  it('answers an HTML 403 as RATE_LIMIT without parsing it as JSON or retrying', async () => {
    const fake = createFakePipedrive({ token: 't0ken' });
    const client = createPipedriveClient({
      apiToken: 't0ken',
      baseUrl: 'https://acme.pipedrive.test',
      fetch: fake.fetch,
      rateLimit: false,
      retry: { retries: 3, initialDelayMs: 1, maxDelayMs: 1 },
    });
    fake.script(
      '/api/v2/persons/1',
      () =>
        new Response('<html><body>Blocked</body></html>', {
          status: 403,
          headers: { 'content-type': 'text/html' },
        }),
    );
    const result = await client.persons.get(1);
    expect(result.success || result.error).toMatchObject({
      code: 'RATE_LIMIT',
      retryable: false,
      status: 403,
    });
    expect(fake.sent).toHaveLength(1);
    fake.script('/api/v2/persons/2', () => pipedriveError(404, 'Person not found'));
    const missing = await client.persons.get(2);
    expect(missing.success || missing.error).toMatchObject({ code: 'NOT_FOUND' });
  });
});
