import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  type CaptureV1Error,
  captureV1ErrorResponse,
  captureV1Response,
  decodeCaptureV1Body,
  parseCaptureV1Body,
  readCaptureV1Headers,
} from './capture-v1.ts';

const REQUEST_ID = '0190f1d2-3c4b-7a5e-8f60-123456789abc';
const goodHeaders = (overrides: Record<string, string | null> = {}) => {
  const base: Record<string, string | null> = {
    Authorization: 'Bearer phc_key',
    'Content-Type': 'application/json',
    'User-Agent': 'test/1.0',
    'PostHog-Sdk-Info': 'posthog-node/5.74.0',
    'PostHog-Attempt': '1',
    'PostHog-Request-Id': REQUEST_ID,
    'PostHog-Request-Timestamp': '2026-01-15T10:30:00Z',
    ...overrides,
  };
  const headers = new Headers();
  for (const [name, value] of Object.entries(base)) if (value !== null) headers.set(name, value);
  return headers;
};
const uuid = (n: number) => `0190f1d2-3c4b-7a5e-8f60-${String(n).padStart(12, '0')}`;
const event = (n: number, extra: Record<string, unknown> = {}) => ({
  event: 'signed_up',
  uuid: uuid(n),
  distinct_id: 'u1',
  timestamp: '2026-01-15T10:29:58.123Z',
  ...extra,
});
const body = (...events: unknown[]) => JSON.stringify({ created_at: '2026-01-15T10:30:00Z', batch: events });

describe('readCaptureV1Headers', () => {
  it('reads the key, request id, attempt and encoding (Bearer case-insensitive, key trimmed)', () => {
    expect(
      readCaptureV1Headers(goodHeaders({ Authorization: 'bEaReR   phc_key  ', 'PostHog-Attempt': '3' })),
    ).toEqual({
      token: 'phc_key',
      requestId: REQUEST_ID,
      attempt: 3,
      encoding: undefined,
    });
    expect(readCaptureV1Headers(goodHeaders({ 'Content-Encoding': 'GZIP' }))).toMatchObject({
      encoding: 'gzip',
    });
    expect(
      readCaptureV1Headers(goodHeaders({ 'Content-Type': 'application/json; charset=utf-8' })),
    ).toMatchObject({
      token: 'phc_key',
    });
  });

  it.each([
    ['no Authorization', { Authorization: null }, 401, 'missing_authorization'],
    ['a personal key', { Authorization: 'Bearer phx_personal' }, 401, 'invalid_api_token'],
    ['an empty key', { Authorization: 'Bearer    ' }, 400, 'invalid_header_value'],
    ['a Basic scheme', { Authorization: 'Basic abc123' }, 400, 'invalid_header_value'],
    [
      'no attempt and no user agent',
      { 'PostHog-Attempt': null, 'User-Agent': null },
      400,
      'missing_required_headers',
    ],
    ['a text body', { 'Content-Type': 'text/plain' }, 415, 'unsupported_content_type'],
    ['an lz4 body', { 'Content-Encoding': 'lz4' }, 415, 'unsupported_encoding'],
    ['a request id that is no UUID', { 'PostHog-Request-Id': 'nope' }, 400, 'invalid_header_value'],
    ['attempt 0', { 'PostHog-Attempt': '0' }, 400, 'invalid_header_value'],
    ['a non-numeric attempt', { 'PostHog-Attempt': 'x' }, 400, 'invalid_header_value'],
    ['a bad timestamp', { 'PostHog-Request-Timestamp': 'yesterday' }, 400, 'invalid_header_value'],
  ])('refuses %s', (_, overrides, status, error) => {
    expect(readCaptureV1Headers(goodHeaders(overrides))).toMatchObject({ status, error });
  });

  it('names every missing header at once', () => {
    const refusal = readCaptureV1Headers(
      goodHeaders({ 'PostHog-Attempt': null, 'User-Agent': null }),
    ) as CaptureV1Error;
    expect(refusal.description).toBe(
      'request is missing required headers: ["PostHog-Attempt", "user-agent"]',
    );
  });
});

describe('decodeCaptureV1Body', () => {
  const text = body(event(1));
  const bytes = new TextEncoder().encode(text);
  it('undoes gzip, deflate and br', () => {
    expect(decodeCaptureV1Body(bytes, undefined, 10_000)).toBe(text);
    expect(decodeCaptureV1Body(new Uint8Array(gzipSync(bytes)), 'gzip', 10_000)).toBe(text);
    expect(decodeCaptureV1Body(new Uint8Array(deflateSync(bytes)), 'deflate', 10_000)).toBe(text);
    expect(decodeCaptureV1Body(new Uint8Array(brotliCompressSync(bytes)), 'br', 10_000)).toBe(text);
  });
  it('refuses bad data with 400 and oversized bodies with 413', () => {
    expect(decodeCaptureV1Body(bytes, 'gzip', 10_000)).toMatchObject({
      status: 400,
      error: 'request_decoding_error',
    });
    expect(decodeCaptureV1Body(bytes, undefined, 10)).toMatchObject({
      status: 413,
      error: 'payload_too_large',
    });
    const bomb = new Uint8Array(gzipSync(new Uint8Array(50_000)));
    expect(decodeCaptureV1Body(bomb, 'gzip', 1_000)).toMatchObject({ status: 413 });
  });
});

describe('parseCaptureV1Body', () => {
  it('reads events with their uuids, folding session and window ids into properties', () => {
    const events = parseCaptureV1Body(
      body(
        event(1, { session_id: 's1', window_id: 'w1', properties: { plan: 'pro' } }),
        event(2, { distinct_id: ' u2 ' }),
      ),
      'phc_key',
      10_000,
    );
    expect(events).toEqual([
      {
        uuid: uuid(1),
        event: 'signed_up',
        distinct_id: 'u1',
        properties: { plan: 'pro', $session_id: 's1', $window_id: 'w1' },
        timestamp: '2026-01-15T10:29:58.123Z',
        token: 'phc_key',
        path: '/i/v1/analytics/events',
      },
      expect.objectContaining({ uuid: uuid(2), distinct_id: 'u2', properties: {} }),
    ]);
  });

  it.each([
    ['malformed JSON', '{nope', 400, 'request_parsing_error'],
    ['an empty body', '', 400, 'empty_body'],
    ['no created_at', JSON.stringify({ batch: [event(1)] }), 400, 'request_parsing_error'],
    [
      'an event without a timestamp',
      body({ event: 'a', uuid: uuid(1), distinct_id: 'u' }),
      400,
      'request_parsing_error',
    ],
    ['an empty batch', body(), 400, 'empty_batch'],
    ['an empty event name', body(event(1, { event: ' ' })), 400, 'missing_event_name'],
    ['a blank distinct id', body(event(1, { distinct_id: '  ' })), 400, 'missing_distinct_id'],
    ['an empty uuid', body(event(1, { uuid: '' })), 400, 'missing_event_uuid'],
    ['a uuid that is no UUID', body(event(1, { uuid: 'abc' })), 400, 'invalid_batch'],
    ['a repeated uuid', body(event(1), event(1)), 400, 'duplicate_event_uuid'],
    ['a bad timestamp', body(event(1, { timestamp: 'soon' })), 400, 'invalid_event_timestamp'],
    ['properties that are a list', body(event(1, { properties: [1] })), 400, 'malformed_event_properties'],
    [
      'an oversized event',
      body(event(1, { properties: { blob: 'x'.repeat(500) } })),
      413,
      'payload_too_large',
    ],
  ])('refuses the whole request for %s', (_, text, status, error) => {
    expect(parseCaptureV1Body(text, 'phc_key', 400)).toMatchObject({ status, error });
  });
});

describe('responses', () => {
  it('answers errors as { error, error_description, error_uri }, with Retry-After on a 429', async () => {
    const refused = captureV1ErrorResponse({
      status: 429,
      error: 'rate_limited',
      description: 'Rate limit exceeded.',
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toEqual({
      error: 'rate_limited',
      error_description: 'Rate limit exceeded.',
      error_uri: 'https://posthog.com/docs/api',
    });
    expect(
      captureV1ErrorResponse({ status: 400, error: 'empty_batch', description: 'x' }).headers.get(
        'retry-after',
      ),
    ).toBeNull();
  });

  it('answers per-event results in order, details only when set, Retry-After when one should be retried', async () => {
    const ok = captureV1Response([
      { uuid: 'b', result: 'ok' },
      { uuid: 'a', result: 'drop', details: 'billing_limit_exceeded' },
    ]);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('retry-after')).toBeNull();
    const json = await ok.json();
    expect(json).toEqual({
      results: { b: { result: 'ok' }, a: { result: 'drop', details: 'billing_limit_exceeded' } },
    });
    expect(Object.keys(json.results)).toEqual(['b', 'a']);
    expect(captureV1Response([{ uuid: 'a', result: 'retry' }]).headers.get('retry-after')).toBe('1');
  });
});
