import { describe, expect, it } from 'vitest';
import type { CaptureRefusal } from './capture.ts';
import { captureErrorResponse, emulatorRefusal } from './capture-errors.ts';

const refusal = (code: CaptureRefusal['code'], status: CaptureRefusal['status'] = 400, detail?: string) =>
  ({ status, message: `older text for ${code}`, code, ...(detail ? { detail } : {}) }) as CaptureRefusal;

describe('captureErrorResponse', () => {
  it.each([
    ['request_parsing_error', 400, 'failed to parse request: invalid JSON', 'invalid JSON'],
    ['request_decoding_error', 400, 'failed to decode request: invalid gzip data', 'invalid gzip data'],
    ['empty_batch', 400, 'request holds no event', undefined],
    ['missing_event_name', 400, 'event submitted with an empty event name', undefined],
    ['missing_distinct_id', 400, 'event submitted without a distinct_id', undefined],
    ['unroutable_events', 400, 'batch submitted with inconsistent api_key values', undefined],
    ['ingest_key_required', 401, 'event submitted without an api_key', undefined],
    ['ingest_key_unknown', 403, 'api_key does not resolve to a known project', undefined],
    ['payload_too_large', 413, 'maximum event size exceeded: event 0 is 9 bytes', 'event 0 is 9 bytes'],
    ['rate_limited', 429, 'rate limited', undefined],
  ] as const)(
    'answers %s as the newest service: %i { status, code, error }',
    async (code, status, error, detail) => {
      const response = captureErrorResponse(refusal(code, 400, detail), 'json');
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toEqual({ status, code, error });
    },
  );

  it('answers the older plain text with the older status, headers added either way', async () => {
    const response = captureErrorResponse(refusal('unroutable_events', 401), 'text', { 'Retry-After': '3' });
    expect([response.status, await response.text()]).toEqual([401, 'older text for unroutable_events']);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(
      captureErrorResponse(refusal('empty_batch'), 'json', { 'Retry-After': '3' }).headers.get('retry-after'),
    ).toBe('3');
  });
});

describe('emulatorRefusal', () => {
  it('gives the older texts for what the emulator decides', () => {
    expect(emulatorRefusal('ingest_key_unknown')).toEqual({
      status: 401,
      message: 'API key is not valid',
      code: 'ingest_key_unknown',
    });
    expect(emulatorRefusal('rate_limited')).toMatchObject({ status: 429, code: 'rate_limited' });
  });
});
