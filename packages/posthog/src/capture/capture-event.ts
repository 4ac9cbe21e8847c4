// What capture() accepts, checked before the event is stored: PostHog's current capture service refuses a
// whole batch with a 400 when one event lacks a name or a distinct id (wire notes, "PostHog"), so an event
// that would poison its batch must never reach the outbox.
import { type ApiResult, err, invalidInput, ok, toJsonValue } from '@patchbay/core';
import { UUID_PATTERN, uuidV7 } from './uuid-v7.ts';

/** One analytics event, as `capture()` takes it. */
export interface PostHogCaptureEvent {
  /** The event name, e.g. `'$pageview'` or `'order_placed'`. */
  event: string;
  /** Who did it: the id PostHog ties the event to a person with. */
  distinctId: string;
  /** The event's properties: any JSON. */
  properties?: Record<string, unknown>;
  /** When it happened; default the moment `capture()` is called. */
  timestamp?: Date | string | number;
  /** PostHog deduplicates by it; default a new UUID v7. */
  uuid?: string;
}

/** An event ready for the outbox: its id and the JSON PostHog receives in a batch. */
export interface PreparedEvent {
  uuid: string;
  payload: string;
}

const FIELDS = new Set(['event', 'distinctId', 'properties', 'timestamp', 'uuid']);
// PostHog's Rust capture service truncates longer distinct ids; refusing them keeps what is stored exact.
const MAX_DISTINCT_ID_LENGTH = 200;
const MAX_EVENT_NAME_LENGTH = 1_000;
const encoder = new TextEncoder();

const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isText = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.isWellFormed();

function readTimestamp(value: unknown, now: number): ApiResult<string> {
  // A Date was turned into its ISO text by the JSON copy (its toJSON); an invalid Date became null.
  if (value === undefined) return ok(new Date(now).toISOString());
  if (typeof value === 'number' && Number.isFinite(value)) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return ok(date.toISOString());
  }
  if (typeof value === 'string' && value.length <= 64) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return ok(date.toISOString());
  }
  return err(invalidInput('timestamp', 'must be a valid Date, ISO 8601 text or epoch milliseconds'));
}

/**
 * Checks one event and renders it as PostHog's batch item (`{ uuid, event, distinct_id, properties,
 * timestamp }`). A `VALIDATION_ERROR` names the field: a missing or empty name or distinct id, properties that
 * are not a JSON object, a bad timestamp or uuid, or an event whose JSON is over `maxEventBytes`.
 */
export function prepareEvent(
  input: unknown,
  options: { now: number; maxEventBytes: number; lib: Record<string, string> },
): ApiResult<PreparedEvent> {
  return fastEvent(input, options) ?? checkedEvent(input, options);
}

// What JSON.stringify would drop or mangle silently: refused, like toJsonValue refuses it.
const UNFIT = Symbol('unfit');
function strictJson(this: unknown, _key: string, value: unknown): unknown {
  const type = typeof value;
  if (type === 'function' || type === 'symbol' || type === 'bigint') throw UNFIT;
  if (type === 'number' && !Number.isFinite(value)) throw UNFIT;
  if (value === undefined && Array.isArray(this)) throw UNFIT;
  return value;
}

let isoMs = Number.NaN;
let isoText = '';
// Many events share a millisecond under load: one Date per millisecond, not per event.
function isoOf(ms: number): string {
  if (ms !== isoMs) {
    isoMs = ms;
    isoText = new Date(ms).toISOString();
  }
  return isoText;
}

// The common case at a fraction of the cost (capture() sits on request paths): one JSON.stringify of the
// properties with a strict replacer. Anything unusual (a getter that throws, a value JSON cannot carry, an
// unknown field, a Proxy) answers undefined, and the field-by-field check below names what is wrong.
function fastEvent(
  input: unknown,
  options: { now: number; maxEventBytes: number; lib: Record<string, string> },
): ApiResult<PreparedEvent> | undefined {
  try {
    if (typeof input !== 'object' || input === null || Object.getPrototypeOf(input) !== Object.prototype) {
      return undefined;
    }
    for (const key in input) if (!FIELDS.has(key)) return undefined;
    const { event, distinctId, properties, timestamp, uuid } = input as Record<string, unknown>;
    if (!isText(event) || event.length > MAX_EVENT_NAME_LENGTH) return undefined;
    if (!isText(distinctId) || distinctId.length > MAX_DISTINCT_ID_LENGTH || distinctId.trim() === '') {
      return undefined;
    }
    if (uuid !== undefined && (typeof uuid !== 'string' || !UUID_PATTERN.test(uuid))) return undefined;
    let at: string;
    if (timestamp === undefined) at = isoOf(options.now);
    else if (timestamp instanceof Date && !Number.isNaN(timestamp.getTime())) at = timestamp.toISOString();
    else return undefined;
    let props = '{}';
    if (properties !== undefined) {
      if (typeof properties !== 'object' || properties === null || Array.isArray(properties))
        return undefined;
      const text = JSON.stringify(properties, strictJson);
      if (typeof text !== 'string' || text[0] !== '{') return undefined;
      props = text;
    }
    const lib = JSON.stringify(options.lib);
    const merged = props === '{}' ? lib : `${lib.slice(0, -1)},${props.slice(1)}`;
    const id = typeof uuid === 'string' ? uuid.toLowerCase() : uuidV7(options.now);
    const payload = `{"uuid":"${id}","event":${JSON.stringify(event)},"distinct_id":${JSON.stringify(distinctId)},"properties":${merged},"timestamp":"${at}"}`;
    if (
      payload.length * 3 > options.maxEventBytes &&
      encoder.encode(payload).byteLength > options.maxEventBytes
    ) {
      return undefined;
    }
    return ok({ uuid: id, payload });
  } catch {
    return undefined;
  }
}

function checkedEvent(
  input: unknown,
  options: { now: number; maxEventBytes: number; lib: Record<string, string> },
): ApiResult<PreparedEvent> {
  const copied = toJsonValue(input, { field: '' });
  if (!copied.success) return copied;
  const fields = copied.data;
  if (!isJsonObject(fields)) return err(invalidInput('event', 'must be an object with event and distinctId'));
  for (const key of Object.keys(fields)) {
    if (!FIELDS.has(key))
      return err(
        invalidInput(key, 'is not a capture field (event, distinctId, properties, timestamp, uuid)'),
      );
  }
  const { event, distinctId, properties = {}, uuid } = fields;
  if (!isText(event) || event.length > MAX_EVENT_NAME_LENGTH) {
    return err(
      invalidInput('event', `must be a non-empty string of at most ${MAX_EVENT_NAME_LENGTH} characters`),
    );
  }
  if (!isText(distinctId) || distinctId.trim() === '' || distinctId.length > MAX_DISTINCT_ID_LENGTH) {
    return err(
      invalidInput(
        'distinctId',
        `must be a non-blank string of at most ${MAX_DISTINCT_ID_LENGTH} characters`,
      ),
    );
  }
  if (!isJsonObject(properties)) return err(invalidInput('properties', 'must be a JSON object'));
  if (uuid !== undefined && (typeof uuid !== 'string' || !UUID_PATTERN.test(uuid))) {
    return err(invalidInput('uuid', 'must be a UUID (8-4-4-4-12 hexadecimal digits)'));
  }
  // The raw input's timestamp: a Date is text after the copy, a number stays a number.
  const timestamp = readTimestamp(fields.timestamp, options.now);
  if (!timestamp.success) return timestamp;
  const id = typeof uuid === 'string' ? uuid.toLowerCase() : uuidV7(options.now);
  const payload = JSON.stringify({
    uuid: id,
    event,
    distinct_id: distinctId,
    properties: { ...options.lib, ...properties },
    timestamp: timestamp.data,
  });
  // UTF-8 takes at most 3 bytes per UTF-16 unit: only a long payload needs encoding to be measured.
  const bytes = payload.length * 3 <= options.maxEventBytes ? 0 : encoder.encode(payload).byteLength;
  if (bytes > options.maxEventBytes) {
    return err(
      invalidInput(
        'properties',
        `make the event ${bytes} bytes of JSON, over PostHog's limit of ${options.maxEventBytes}: it would be refused (413)`,
      ),
    );
  }
  return ok({ uuid: id, payload });
}
