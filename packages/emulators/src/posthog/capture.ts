// Reading a capture request as PostHog's capture service does (wire notes, "PostHog": served by the Rust
// service in PostHog/posthog `rust/capture/src/`; errors mapped in `api.rs`, `CaptureError::into_response`).
// Current behaviour, not the docs': one bad event refuses the whole request with a 400, nothing kept. Each refusal
// carries both answers: the older service's plain text (`message`, `status`) and the newest service's JSON `code`
// (`api.rs`, `CaptureError::code`), which ./capture-errors.ts turns into a response.
import { gunzipSync } from 'node:zlib';

/** One event as the emulator keeps it. */
export interface CapturedEvent {
  /** The event's `uuid`, or one the emulator made when the client sent none. */
  uuid: string;
  event: string;
  distinct_id: string;
  properties: Record<string, unknown>;
  timestamp?: string;
  /** The project API key the request carried. */
  token: string;
  /** The path it came in on: `/batch/`, `/i/v0/e/`, `/e/`, `/capture/` or `/i/v1/analytics/events`. */
  path: string;
  /** When the emulator accepted it (ISO 8601), set by the emulator; what a query reads when `timestamp` is absent. */
  receivedAt?: string;
}

/**
 * The newest capture service's error codes (`api.rs`, `CaptureError::code`) for what the emulator refuses: the
 * JSON body is `{ status, code, error }`.
 */
export type CaptureErrorCode =
  | 'request_decoding_error'
  | 'request_parsing_error'
  | 'empty_batch'
  | 'missing_event_name'
  | 'missing_distinct_id'
  | 'ingest_key_required'
  | 'ingest_key_unknown'
  | 'unroutable_events'
  | 'payload_too_large'
  | 'rate_limited';

/**
 * Why a capture request was refused: the older service's status and plain-text body, the newest service's code, and
 * a detail for the codes whose JSON `error` carries one (`failed to parse request: {detail}`).
 */
export interface CaptureRefusal {
  status: 400 | 401 | 413 | 429;
  message: string;
  code: CaptureErrorCode;
  detail?: string;
}

/** Limits of {@link parseCapture}. */
export interface CaptureLimits {
  /** Largest (decompressed) body, in bytes; wire notes: "Whole body under 20 MB". */
  maxBodyBytes: number;
  /** Largest single event, serialised, in bytes; wire notes: "each event under about 1 MB (413 EventTooBig)". */
  maxEventBytes: number;
}

/** The capture paths (wire notes: `POST /batch/`; single events on `/i/v0/e/`, `/e/`, `/capture/`). */
export const POSTHOG_CAPTURE_PATHS = ['/batch/', '/i/v0/e/', '/e/', '/capture/'] as const;

const refuse = (
  status: CaptureRefusal['status'],
  message: string,
  code: CaptureErrorCode,
  detail?: string,
): CaptureRefusal => (detail === undefined ? { status, message, code } : { status, message, code, detail });

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The body's bytes, gunzipped when `Content-Encoding: gzip` or `?compression=gzip-js` says so (wire notes), or a
 * refusal: 400 for data that is not gzip, 413 past `maxBodyBytes` (`EventTooBig` in the service's decompression).
 */
export function decodeCaptureBody(
  bytes: Uint8Array,
  request: { contentEncoding: string | null; compression: string | null },
  maxBodyBytes: number,
): string | CaptureRefusal {
  if (bytes.byteLength > maxBodyBytes) {
    return refuse(413, 'Event too big: request body is over the limit', 'payload_too_large', 'request body');
  }
  const gzip =
    /(^|,)\s*gzip\s*($|,)/i.test(request.contentEncoding ?? '') || request.compression === 'gzip-js';
  if (!gzip) return new TextDecoder().decode(bytes);
  try {
    // maxOutputLength bounds the memory a gzip bomb could take, as the service's decompression limit does.
    return new TextDecoder().decode(gunzipSync(bytes, { maxOutputLength: maxBodyBytes }));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      return refuse(
        413,
        'Event too big: decompressed body is over the limit',
        'payload_too_large',
        'request body',
      );
    }
    return refuse(
      400,
      'Request decoding error: invalid gzip data',
      'request_decoding_error',
      'invalid gzip data',
    );
  }
}

// The token an object carries: `api_key`, `token` or `$token` (serde aliases of CaptureRequest.token in api.rs),
// or `properties.token` (posthog-js puts it there on single events).
function tokenOf(value: Record<string, unknown>): string | undefined {
  for (const key of ['api_key', 'token', '$token']) {
    if (typeof value[key] === 'string' && value[key] !== '') return value[key] as string;
  }
  const properties = value.properties;
  if (isObject(properties) && typeof properties.token === 'string' && properties.token !== '') {
    return properties.token;
  }
  return undefined;
}

// A distinct id as the service takes it: a non-empty string, or a number it turns into one.
function distinctIdOf(event: Record<string, unknown>): string | undefined {
  const properties = isObject(event.properties) ? event.properties : {};
  const raw = event.distinct_id ?? event.$distinct_id ?? properties.distinct_id;
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  if (typeof raw === 'string' && raw.trim() !== '') return raw;
  return undefined;
}

/**
 * The events of a decoded capture body, every one valid and carrying the one token, or the refusal for the whole
 * request: 400 for malformed JSON, an empty batch, an event without a name or distinct id; 401 without a token or
 * with two different ones ("All events of a batch carry one token (else 401)"); 413 for an event over the limit.
 * Never throws. `newUuid` names events sent without a `uuid`.
 */
export function parseCapture(
  text: string,
  path: string,
  limits: CaptureLimits,
  newUuid: () => string,
): CapturedEvent[] | CaptureRefusal {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return refuse(
      400,
      'Request decoding error: failed to decode request body as JSON',
      'request_parsing_error',
      'invalid JSON',
    );
  }
  // `/batch/` takes `{ api_key, batch: [...] }`; the single-event paths take one event, or an array (posthog-js).
  let raw: unknown[];
  let outerToken: string | undefined;
  if (Array.isArray(body)) raw = body;
  else if (isObject(body) && Array.isArray(body.batch)) {
    raw = body.batch;
    outerToken = tokenOf(body);
  } else if (isObject(body)) raw = [body];
  else {
    return refuse(
      400,
      'Request decoding error: body is not an event or a batch',
      'request_parsing_error',
      'body is not an event or a batch',
    );
  }
  if (raw.length === 0) return refuse(400, 'No events in batch', 'empty_batch');

  const tokens = new Set<string>();
  if (outerToken !== undefined) tokens.add(outerToken);
  const events: CapturedEvent[] = [];
  for (const [index, item] of raw.entries()) {
    if (!isObject(item)) {
      return refuse(
        400,
        `Request parsing error: event ${index} is not an object`,
        'request_parsing_error',
        `event ${index} is not an object`,
      );
    }
    const own = tokenOf(item);
    if (own !== undefined) tokens.add(own);
    if (typeof item.event !== 'string' || item.event === '') {
      return refuse(400, `Request parsing error: event ${index} has no event name`, 'missing_event_name');
    }
    const distinctId = distinctIdOf(item);
    if (distinctId === undefined) {
      return refuse(400, `Request parsing error: event ${index} has no distinct_id`, 'missing_distinct_id');
    }
    const size = new TextEncoder().encode(JSON.stringify(item)).byteLength;
    if (size > limits.maxEventBytes) {
      const detail = `event ${index} is ${size} bytes, over ${limits.maxEventBytes}`;
      return refuse(413, `Event too big: ${detail}`, 'payload_too_large', detail);
    }
    const properties = isObject(item.properties) ? { ...item.properties } : {};
    for (const key of ['$set', '$set_once'] as const) {
      if (item[key] !== undefined && properties[key] === undefined) properties[key] = item[key];
    }
    events.push({
      uuid: typeof item.uuid === 'string' && item.uuid !== '' ? item.uuid : newUuid(),
      event: item.event,
      distinct_id: distinctId,
      properties,
      ...(typeof item.timestamp === 'string' ? { timestamp: item.timestamp } : {}),
      token: '',
      path,
    });
  }
  if (tokens.size === 0) return refuse(401, 'No API key provided', 'ingest_key_required');
  if (tokens.size > 1) return refuse(401, 'Multiple tokens in one request', 'unroutable_events');
  const [token] = tokens as unknown as [string];
  for (const event of events) event.token = token;
  return events;
}
