// The capture half of the PostHog emulator: the v0 routes (`/batch/`, `/i/v0/e/`, `/e/`, `/capture/`) and capture
// v1 (`/i/v1/analytics/events`), the events they keep, and the silent drop of a project over its billing quota
// (wire notes: "an account over its billing quota gets 200 and the events are dropped silently"; v1 says so per
// event, `{ result: 'drop', details: 'billing_limit_exceeded' }`, `rust/capture/src/v1/analytics/response.rs`).
import type { WindowRateLimiter } from '../kit/rate-limiter.ts';
import {
  type CapturedEvent,
  type CaptureLimits,
  decodeCaptureBody,
  POSTHOG_CAPTURE_PATHS,
  parseCapture,
} from './capture.ts';
import { type CaptureErrorStyle, captureErrorResponse, emulatorRefusal } from './capture-errors.ts';
import {
  type CaptureV1Outcome,
  captureV1ErrorResponse,
  captureV1Response,
  decodeCaptureV1Body,
  POSTHOG_CAPTURE_V1_PATH,
  parseCaptureV1Body,
  readCaptureV1Headers,
} from './capture-v1.ts';

/** One capture v1 request as the emulator saw it: what a test checks of a client's retries. */
export interface CaptureV1Request {
  /** `PostHog-Request-Id`, lower-cased (the same across a client's retries of one batch). */
  requestId: string;
  /** `PostHog-Attempt`: 1, then 2, 3… on retries. */
  attempt: number;
  /** Events in the body (0 when the request was refused before its body was read). */
  eventCount: number;
  /** The status answered. */
  status: number;
}

/** What {@link createCaptureRoutes} needs from the emulator. */
export interface CaptureRoutesConfig {
  projectKey: string;
  limits: CaptureLimits;
  limiter: WindowRateLimiter | undefined;
  errors: CaptureErrorStyle;
  overQuota: boolean;
  clock: () => number;
  newUuid: () => string;
  /** Called with the events kept from each accepted request (the query half indexes them). */
  onAccepted: (events: CapturedEvent[]) => void;
}

/** The capture routes and their state. */
export interface CaptureRoutes {
  /** Answers a capture request, or undefined when the path is not a capture path. */
  handle(request: Request): Promise<Response | undefined>;
  events(): CapturedEvent[];
  eventsByUuid(uuid: string): CapturedEvent[];
  duplicateCount(): number;
  droppedOverQuota(): number;
  v1Requests(): CaptureV1Request[];
  setOverQuota(overQuota: boolean): void;
  reset(): void;
}

const V0_PATHS: ReadonlySet<string> = new Set(POSTHOG_CAPTURE_PATHS);

/**
 * Creates the capture routes. v0: gzip, the project key checked, a bad event refusing the whole request, 413 for an
 * oversized event, an optional per-token 429, `200 {"status":"Ok"}`. v1: the headers checked, per-event results.
 * Over quota, both answer success and keep nothing (each dropped event is counted).
 * @example const capture = createCaptureRoutes(config); const answer = await capture.handle(request);
 */
export function createCaptureRoutes(config: CaptureRoutesConfig): CaptureRoutes {
  let stored: CapturedEvent[] = [];
  let seen = new Set<string>();
  let duplicates = 0;
  let dropped = 0;
  let v1Log: CaptureV1Request[] = [];
  let overQuota = config.overQuota;

  // Keeps accepted events (or drops them when over quota); returns how many were kept.
  function accept(events: CapturedEvent[]): boolean {
    if (overQuota) {
      dropped += events.length;
      return false;
    }
    const receivedAt = new Date(config.clock()).toISOString();
    for (const event of events) {
      event.receivedAt = receivedAt;
      if (seen.has(event.uuid)) duplicates += 1;
      seen.add(event.uuid);
      stored.push(event);
    }
    config.onAccepted(events.map((event) => structuredClone(event)));
    return true;
  }

  async function v0(request: Request, url: URL): Promise<Response> {
    if (request.method !== 'POST') return plain(405, 'Method Not Allowed');
    const style = config.errors;
    const decoded = decodeCaptureBody(
      new Uint8Array(await request.arrayBuffer()),
      {
        contentEncoding: request.headers.get('content-encoding'),
        compression: url.searchParams.get('compression'),
      },
      config.limits.maxBodyBytes,
    );
    if (typeof decoded !== 'string') return captureErrorResponse(decoded, style);
    const parsed = parseCapture(decoded, url.pathname, config.limits, config.newUuid);
    if (!Array.isArray(parsed)) return captureErrorResponse(parsed, style);
    // api.rs: a key naming no project is `UnknownToken` (403 `ingest_key_unknown`); the older service's
    // `TokenValidationError` answered 401 "API key is not valid".
    if (parsed[0]?.token !== config.projectKey) {
      return captureErrorResponse(emulatorRefusal('ingest_key_unknown'), style);
    }
    if (config.limiter) {
      const decision = config.limiter.take(config.projectKey);
      if (!decision.allowed) {
        return captureErrorResponse(emulatorRefusal('rate_limited'), style, {
          'Retry-After': String(decision.retryAfterSeconds),
        });
      }
    }
    accept(parsed);
    // Wire notes: success is `200 {"status":"Ok"}` (older servers `{"status":1}`), over quota too.
    return Response.json({ status: 'Ok' });
  }

  async function v1(request: Request): Promise<Response> {
    if (request.method !== 'POST') return new Response(null, { status: 405 });
    const log = (status: number, eventCount = 0, ids?: { requestId: string; attempt: number }) => {
      if (ids) v1Log.push({ ...ids, eventCount, status });
    };
    const context = readCaptureV1Headers(request.headers);
    if ('error' in context) {
      await request.body?.cancel();
      return captureV1ErrorResponse(context);
    }
    const ids = { requestId: context.requestId, attempt: context.attempt };
    if (context.token !== config.projectKey) {
      await request.body?.cancel();
      log(401, 0, ids);
      return captureV1ErrorResponse({
        status: 401,
        error: 'invalid_api_token',
        description: 'The provided API token is not valid.',
      });
    }
    const text = decodeCaptureV1Body(
      new Uint8Array(await request.arrayBuffer()),
      context.encoding,
      config.limits.maxBodyBytes,
    );
    if (typeof text !== 'string') {
      log(text.status, 0, ids);
      return captureV1ErrorResponse(text);
    }
    const events = parseCaptureV1Body(text, context.token, config.limits.maxEventBytes);
    if (!Array.isArray(events)) {
      log(events.status, 0, ids);
      return captureV1ErrorResponse(events);
    }
    if (config.limiter && !config.limiter.take(config.projectKey).allowed) {
      log(429, events.length, ids);
      return captureV1ErrorResponse({
        status: 429,
        error: 'rate_limited',
        description: 'Rate limit exceeded.',
      });
    }
    const kept = accept(events);
    const outcomes: CaptureV1Outcome[] = events.map((event) =>
      kept
        ? { uuid: event.uuid, result: 'ok' }
        : { uuid: event.uuid, result: 'drop', details: 'billing_limit_exceeded' },
    );
    log(200, events.length, ids);
    return captureV1Response(outcomes);
  }

  return {
    async handle(request) {
      const url = new URL(request.url);
      if (V0_PATHS.has(url.pathname)) return v0(request, url);
      if (url.pathname === POSTHOG_CAPTURE_V1_PATH) return v1(request);
      return undefined;
    },
    events: () => stored.map((event) => structuredClone(event)),
    eventsByUuid: (uuid) => stored.filter((event) => event.uuid === uuid).map((e) => structuredClone(e)),
    duplicateCount: () => duplicates,
    droppedOverQuota: () => dropped,
    v1Requests: () => v1Log.map((entry) => ({ ...entry })),
    setOverQuota(value) {
      overQuota = value;
    },
    reset() {
      stored = [];
      seen = new Set();
      duplicates = 0;
      dropped = 0;
      v1Log = [];
      overQuota = config.overQuota;
      config.limiter?.reset();
    },
  };
}

function plain(status: number, body: string): Response {
  return new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}
