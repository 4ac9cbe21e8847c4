// How the capture service answers a refusal, in either of its generations (PostHog/posthog `rust/capture/src/api.rs`):
// the older service wrote `CaptureError`'s text as a plain-text body (400, or 401 for every token problem); the newest
// one answers `ErrorBody { status, code, error }` as JSON (`CaptureError::into_response`), with 401 only when no key
// was sent, 403 when the key names no project, and 400 when one request carries two keys (`status_code`).
import type { CaptureErrorCode, CaptureRefusal } from './capture.ts';

/** Which capture service the emulator plays: the newest (JSON bodies) or the older one (plain text). */
export type CaptureErrorStyle = 'json' | 'text';

// `CaptureError::status_code` and the `#[error(...)]` texts, by code.
const NEWEST: Record<CaptureErrorCode, { status: number; error: (detail?: string) => string }> = {
  request_decoding_error: { status: 400, error: (d) => `failed to decode request: ${d ?? 'invalid body'}` },
  request_parsing_error: { status: 400, error: (d) => `failed to parse request: ${d ?? 'invalid body'}` },
  empty_batch: { status: 400, error: () => 'request holds no event' },
  missing_event_name: { status: 400, error: () => 'event submitted with an empty event name' },
  missing_distinct_id: { status: 400, error: () => 'event submitted without a distinct_id' },
  unroutable_events: { status: 400, error: () => 'batch submitted with inconsistent api_key values' },
  ingest_key_required: { status: 401, error: () => 'event submitted without an api_key' },
  ingest_key_unknown: { status: 403, error: () => 'api_key does not resolve to a known project' },
  payload_too_large: { status: 413, error: (d) => `maximum event size exceeded: ${d ?? 'event'}` },
  rate_limited: { status: 429, error: () => 'rate limited' },
};

// The older service's plain texts for what only the emulator decides (the rest come with the refusal).
const OLDER: Partial<Record<CaptureErrorCode, { status: number; message: string }>> = {
  ingest_key_unknown: { status: 401, message: 'API key is not valid' },
  rate_limited: { status: 429, message: 'Rate limited' },
};

/** A refusal the emulator itself decides (an unknown key, the per-token limit), as {@link captureErrorResponse} takes. */
export function emulatorRefusal(code: 'ingest_key_unknown' | 'rate_limited'): CaptureRefusal {
  const older = OLDER[code] as { status: number; message: string };
  return { status: older.status as CaptureRefusal['status'], message: older.message, code };
}

/**
 * The response for a refused capture request in the chosen style: `{ status, code, error }` JSON with the newest
 * service's status, or the older plain text. `headers` are added either way (a 429's `Retry-After`).
 * @example captureErrorResponse(refusal, 'json'); // 400 {"status":400,"code":"missing_distinct_id","error":"…"}
 */
export function captureErrorResponse(
  refusal: CaptureRefusal,
  style: CaptureErrorStyle,
  headers: Record<string, string> = {},
): Response {
  if (style === 'text') {
    return new Response(refusal.message, {
      status: refusal.status,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers },
    });
  }
  const newest = NEWEST[refusal.code];
  return Response.json(
    { status: newest.status, code: refusal.code, error: newest.error(refusal.detail) },
    { status: newest.status, headers },
  );
}
