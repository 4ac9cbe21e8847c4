// Capture v1 (`POST /i/v1/analytics/events`), read as PostHog's capture service reads it (PostHog/posthog
// `rust/capture/src/v1/`): `context.rs` `Context::new` checks the headers (Authorization first, then the required
// ones, the Bearer project key, JSON content type, encoding, a UUID `PostHog-Request-Id`, a positive
// `PostHog-Attempt`, an RFC 3339 `PostHog-Request-Timestamp`); `analytics/types.rs` `Batch` / `Event` is the body;
// `error.rs` `Error` is a whole-request refusal `{ error, error_description, error_uri }` with `Retry-After` on a 429;
// `analytics/response.rs` `BatchResponse` answers 200 `{ results: { <uuid>: { result, details? } } }` per event.
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { CapturedEvent } from './capture.ts';

/** The capture v1 path. */
export const POSTHOG_CAPTURE_V1_PATH = '/i/v1/analytics/events';

/** A whole-request refusal of capture v1 (`error.rs`): its status, tag and description. */
export interface CaptureV1Error {
  status: number;
  error: string;
  description: string;
}

/** What the headers of a v1 request say (`Context`). */
export interface CaptureV1Context {
  token: string;
  requestId: string;
  attempt: number;
  encoding: string | undefined;
}

/** One event's outcome in a v1 answer (`EventResult`, `BatchEntryStatus`). */
export interface CaptureV1Outcome {
  uuid: string;
  result: 'ok' | 'drop' | 'warning' | 'retry';
  details?: string;
}

// `constants.rs` REQUIRED_HEADERS, in its order.
const REQUIRED_HEADERS = [
  'PostHog-Sdk-Info',
  'PostHog-Attempt',
  'PostHog-Request-Id',
  'PostHog-Request-Timestamp',
  'content-type',
  'user-agent',
] as const;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

const fail = (status: number, error: string, description: string): CaptureV1Error => ({
  status,
  error,
  description,
});

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The request context from the headers, or the refusal `Context::new` gives: 401 without Authorization or with a key
 * that is not a project key (`phx_…`), 400 for missing or malformed headers, 415 for a body that is not JSON or an
 * encoding it cannot undo. Never throws.
 */
export function readCaptureV1Headers(headers: Headers): CaptureV1Context | CaptureV1Error {
  const authorization = headers.get('authorization');
  // context.rs: "Authorization checked first — missing auth is 401, not 400".
  if (authorization === null) {
    return fail(401, 'missing_authorization', 'request is missing the Authorization header');
  }
  const missing = REQUIRED_HEADERS.filter((name) => headers.get(name) === null);
  if (missing.length > 0) {
    return fail(
      400,
      'missing_required_headers',
      `request is missing required headers: [${missing.map((n) => JSON.stringify(n)).join(', ')}]`,
    );
  }
  // The Bearer scheme is case-insensitive (RFC 6750); the token is trimmed.
  if (authorization.length <= 7 || authorization.slice(0, 7).toLowerCase() !== 'bearer ') {
    return fail(400, 'invalid_header_value', 'invalid header value: Authorization must use Bearer scheme');
  }
  const token = authorization.slice(7).trim();
  // token.rs validate_token: empty keys and personal keys (`phx_`) are not project keys.
  if (token === '' || token.startsWith('phx_')) {
    return fail(401, 'invalid_api_token', 'The provided API token is not valid.');
  }
  const contentType = headers.get('content-type') as string;
  if ((contentType.split(';')[0] ?? '').trim().toLowerCase() !== 'application/json') {
    return fail(415, 'unsupported_content_type', `unsupported content type: ${contentType}`);
  }
  const rawEncoding = headers.get('content-encoding');
  const encoding = rawEncoding === null ? undefined : rawEncoding.toLowerCase();
  if (encoding !== undefined && !['gzip', 'deflate', 'br'].includes(encoding)) {
    return fail(415, 'unsupported_encoding', `unsupported content encoding: ${rawEncoding}`);
  }
  const requestId = headers.get('PostHog-Request-Id') as string;
  if (!UUID.test(requestId)) {
    return fail(
      400,
      'invalid_header_value',
      `invalid header value: PostHog-Request-Id is not a valid UUID: ${requestId}`,
    );
  }
  const rawAttempt = headers.get('PostHog-Attempt') as string;
  const attempt = /^\d+$/.test(rawAttempt) ? Number(rawAttempt) : 0;
  if (!(attempt >= 1 && attempt <= 4_294_967_295)) {
    return fail(
      400,
      'invalid_header_value',
      `invalid header value: PostHog-Attempt must be a positive integer: ${rawAttempt}`,
    );
  }
  const timestamp = headers.get('PostHog-Request-Timestamp') as string;
  if (!RFC3339.test(timestamp) || Number.isNaN(Date.parse(timestamp))) {
    return fail(
      400,
      'invalid_header_value',
      `invalid header value: PostHog-Request-Timestamp is not valid RFC 3339: ${timestamp}`,
    );
  }
  return { token, requestId: requestId.toLowerCase(), attempt, encoding };
}

/** The body as text, undoing its `Content-Encoding`, or a refusal (413 past `maxBodyBytes`, 400 for bad data). */
export function decodeCaptureV1Body(
  bytes: Uint8Array,
  encoding: string | undefined,
  maxBodyBytes: number,
): string | CaptureV1Error {
  const tooLarge = fail(413, 'payload_too_large', 'payload too large: request body');
  if (bytes.byteLength > maxBodyBytes) return tooLarge;
  if (encoding === undefined) return new TextDecoder().decode(bytes);
  try {
    const options = { maxOutputLength: maxBodyBytes };
    const decoded =
      encoding === 'gzip'
        ? gunzipSync(bytes, options)
        : encoding === 'deflate'
          ? inflateSync(bytes, options)
          : brotliDecompressSync(bytes, options);
    return new TextDecoder().decode(decoded);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') return tooLarge;
    return fail(400, 'request_decoding_error', 'Failed to decode request body.');
  }
}

/**
 * The events of a v1 body (`Batch { created_at, historical_migration?, batch: [Event] }`), each with its uuid,
 * `session_id` / `window_id` folded into `$session_id` / `$window_id` as capture injects them, or the whole-request
 * refusal: 400 for JSON serde rejects (`request_parsing_error`), an empty batch, an empty event name or distinct id, a
 * missing, malformed or repeated uuid, a bad timestamp or non-object properties; 413 for an event over
 * `maxEventBytes`. `token` is the request's key. Never throws.
 */
export function parseCaptureV1Body(
  text: string,
  token: string,
  maxEventBytes: number,
): CapturedEvent[] | CaptureV1Error {
  const parsing = fail(400, 'request_parsing_error', 'Failed to parse request body.');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return text.trim() === '' ? fail(400, 'empty_body', 'request body is empty') : parsing;
  }
  if (!isObject(body) || typeof body.created_at !== 'string' || !Array.isArray(body.batch)) return parsing;
  if (body.batch.length === 0) return fail(400, 'empty_batch', 'request batch is empty');
  const events: CapturedEvent[] = [];
  const seen = new Set<string>();
  for (const item of body.batch) {
    // serde: event, uuid, distinct_id and timestamp are required strings; properties defaults to {}.
    if (
      !isObject(item) ||
      typeof item.event !== 'string' ||
      typeof item.uuid !== 'string' ||
      typeof item.distinct_id !== 'string' ||
      typeof item.timestamp !== 'string'
    ) {
      return parsing;
    }
    if (item.event.trim() === '') {
      return fail(400, 'missing_event_name', 'event submitted without an event name');
    }
    const distinctId = item.distinct_id.trim();
    if (distinctId === '') {
      return fail(400, 'missing_distinct_id', 'event submitted without a distinct_id');
    }
    const uuid = item.uuid.trim();
    if (uuid === '') return fail(400, 'missing_event_uuid', 'event submitted without a uuid');
    if (!UUID.test(uuid)) return fail(400, 'invalid_batch', `invalid batch: invalid event uuid: ${uuid}`);
    if (seen.has(uuid.toLowerCase())) {
      return fail(400, 'duplicate_event_uuid', `duplicate event uuid: ${uuid}`);
    }
    seen.add(uuid.toLowerCase());
    if (Number.isNaN(Date.parse(item.timestamp))) {
      return fail(400, 'invalid_event_timestamp', 'event submitted with invalid timestamp');
    }
    if (item.properties !== undefined && item.properties !== null && !isObject(item.properties)) {
      return fail(400, 'malformed_event_properties', 'event properties is not a JSON object');
    }
    const size = new TextEncoder().encode(JSON.stringify(item)).byteLength;
    if (size > maxEventBytes) {
      return fail(
        413,
        'payload_too_large',
        `payload too large: event is ${size} bytes, over ${maxEventBytes}`,
      );
    }
    const properties: Record<string, unknown> = isObject(item.properties) ? { ...item.properties } : {};
    if (typeof item.session_id === 'string') properties.$session_id = item.session_id;
    if (typeof item.window_id === 'string') properties.$window_id = item.window_id;
    events.push({
      uuid,
      event: item.event,
      distinct_id: distinctId,
      properties,
      timestamp: item.timestamp,
      token,
      path: POSTHOG_CAPTURE_V1_PATH,
    });
  }
  return events;
}

/** The error response (`error.rs` `IntoResponse`): `{ error, error_description, error_uri }`, `Retry-After` on a 429. */
export function captureV1ErrorResponse(refusal: CaptureV1Error): Response {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Encoding': 'gzip, deflate, br, zstd',
  };
  // analytics/constants.rs DEFAULT_RETRY_AFTER_SECS: "1", a floor under the SDK's own backoff.
  if (refusal.status === 429 || refusal.status >= 500) headers['Retry-After'] = '1';
  return Response.json(
    {
      error: refusal.error,
      error_description: refusal.description,
      error_uri: 'https://posthog.com/docs/api',
    },
    { status: refusal.status, headers },
  );
}

/** The 200 answer (`BatchResponse`): each event's outcome by uuid, in batch order; `Retry-After: 1` when any is `retry`. */
export function captureV1Response(outcomes: CaptureV1Outcome[]): Response {
  const results: Record<string, { result: string; details?: string }> = {};
  for (const outcome of outcomes) {
    results[outcome.uuid] =
      outcome.details === undefined
        ? { result: outcome.result }
        : { result: outcome.result, details: outcome.details };
  }
  const retry = outcomes.some((outcome) => outcome.result === 'retry');
  return Response.json({ results }, { status: 200, headers: retry ? { 'Retry-After': '1' } : {} });
}
