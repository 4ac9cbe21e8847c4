import {
  type ApiResult,
  err,
  hmacKeyBytes,
  IntegrationError,
  ok,
  readWebhookBody,
  readWebhookClock,
  readWebhookHeader,
  readWebhookReplay,
  readWebhookTolerance,
  type Secret,
  verifyHmacSignature,
  type WebhookBody,
  type WebhookHeaders,
  type WebhookReplayOptions,
} from '@patchbay/core';

/** A verified Twenty webhook delivery. */
export interface TwentyWebhook {
  /** The `X-Twenty-Webhook-Timestamp` value, in milliseconds. */
  timestamp: number;
  /** The parsed JSON body, e.g. `{ event: 'person.created', data, timestamp }`. */
  payload: unknown;
}

/** Options of {@link verifyTwentyWebhook}. */
export interface VerifyTwentyWebhookOptions {
  /** The webhook's secret, as set in Twenty. */
  secret: string | Secret;
  /** The request headers (Fetch `Headers`, Node's `IncomingHttpHeaders`, a record); names match in any case. */
  headers: WebhookHeaders;
  /** The raw request body, exactly as received: text, or its bytes. */
  body: WebhookBody;
  /** How far the timestamp may be from now, either way, in ms: finite, zero or more. Default 300 000. */
  toleranceMs?: number;
  /** The current time in epoch milliseconds; defaults to `Date.now`. */
  now?: () => number;
  /**
   * Replay protection: remember each accepted delivery in `store`, so the same delivery sent again is refused
   * with `CONFLICT`. Twenty sends no delivery id: the key is the signature (`twenty:<hex>`), which covers the
   * timestamp and the body, so a byte-identical re-send is caught.
   */
  replay?: WebhookReplayOptions;
}

const SIGNATURE = 'x-twenty-webhook-signature';
const TIMESTAMP = 'x-twenty-webhook-timestamp';
const DEFAULT_TOLERANCE_MS = 300_000;

/**
 * Verifies a Twenty webhook: `X-Twenty-Webhook-Signature` is the hex HMAC-SHA256 of
 * `${X-Twenty-Webhook-Timestamp}:${rawBody}` with the webhook's secret. Pass the raw body (text or bytes), not a
 * re-serialized object. Deliveries older or newer than the tolerance (default 5 minutes) are refused. Never
 * throws and fails closed, whatever it is given: `VALIDATION_ERROR` (a missing or malformed header, headers or a
 * body of the wrong kind, a body that is not JSON), `AUTH_ERROR` (stale timestamp, signature mismatch),
 * `CONFLICT` (with `replay`: this delivery was accepted before), `OPERATION_FAILED` (with `replay`: the store
 * failed, retryable) or `CONFIG_ERROR` (an empty or non-string secret, a tolerance that is negative, NaN or
 * infinite, a `now` that throws or does not return a finite number, bad `replay` options).
 * @example const result = await verifyTwentyWebhook({ secret, headers: request.headers, body: await request.text() });
 */
export async function verifyTwentyWebhook(
  options: VerifyTwentyWebhookOptions,
): Promise<ApiResult<TwentyWebhook>> {
  try {
    return await verify(options);
  } catch (error) {
    // Every reader returns its failures; this is a last guard so nothing unforeseen fails open.
    return err(
      new IntegrationError('AUTH_ERROR', 'The Twenty webhook could not be verified', {
        retryable: false,
        cause: error,
      }),
    );
  }
}

async function verify(options: unknown): Promise<ApiResult<TwentyWebhook>> {
  if (typeof options !== 'object' || options === null) {
    return err(
      new IntegrationError('VALIDATION_ERROR', 'verifyTwentyWebhook options must be an object', {
        field: 'options',
      }),
    );
  }
  let read: Partial<Record<keyof VerifyTwentyWebhookOptions, unknown>>;
  try {
    const { secret, headers, body, toleranceMs, now, replay } = options as Record<string, unknown>;
    read = { secret, headers, body, toleranceMs, now, replay };
  } catch {
    return err(
      new IntegrationError('VALIDATION_ERROR', 'verifyTwentyWebhook options could not be read', {
        field: 'options',
      }),
    );
  }

  // A broken secret or tolerance is reported on every delivery, not hidden behind a delivery's own faults.
  const key = hmacKeyBytes(read.secret);
  if (!key.success) return key;
  const tolerance = readWebhookTolerance(read.toleranceMs, DEFAULT_TOLERANCE_MS, 'toleranceMs');
  if (!tolerance.success) return tolerance;
  const replay = readWebhookReplay(read.replay, { namespace: 'twenty', windowMs: 2 * tolerance.data });
  if (!replay.success) return replay;

  const signature = readWebhookHeader(read.headers, SIGNATURE);
  if (!signature.success) return signature;
  const rawTimestamp = readWebhookHeader(read.headers, TIMESTAMP);
  if (!rawTimestamp.success) return rawTimestamp;
  if (!signature.data?.trim())
    return err(new IntegrationError('VALIDATION_ERROR', `Missing ${SIGNATURE} header`, { field: SIGNATURE }));
  if (!rawTimestamp.data || !/^\d{1,16}$/.test(rawTimestamp.data)) {
    return err(
      new IntegrationError('VALIDATION_ERROR', `Missing or malformed ${TIMESTAMP} header`, {
        field: TIMESTAMP,
      }),
    );
  }
  const body = readWebhookBody(read.body);
  if (!body.success) return body;

  // Twenty sends Date.now() (milliseconds); accept seconds too, for proxies that rewrite it.
  const value = Number(rawTimestamp.data);
  const timestamp = value < 1e12 ? value * 1000 : value;
  const now = readWebhookClock(read.now);
  if (!now.success) return now;
  // "Not within", so anything unexpected refuses the delivery instead of accepting it.
  if (!(Math.abs(now.data - timestamp) <= tolerance.data)) {
    return err(
      new IntegrationError('AUTH_ERROR', 'Webhook timestamp is outside the tolerance (possible replay)', {
        field: TIMESTAMP,
      }),
    );
  }
  // The signed payload is the timestamp as sent, a colon, then the body's exact bytes.
  const prefix = new TextEncoder().encode(`${rawTimestamp.data}:`);
  const payload = new Uint8Array(prefix.length + body.data.bytes.length);
  payload.set(prefix);
  payload.set(body.data.bytes, prefix.length);
  const valid = await verifyHmacSignature({
    secret: key.data,
    payload,
    signature: signature.data.trim(),
    encoding: 'hex',
  });
  if (!valid)
    return err(new IntegrationError('AUTH_ERROR', 'Webhook signature does not match', { field: SIGNATURE }));
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.data.text);
  } catch {
    return err(new IntegrationError('VALIDATION_ERROR', 'Webhook body is not JSON', { field: 'body' }));
  }
  // Recorded only once verified: a forged delivery must not use up a real one's key.
  if (replay.data) {
    const fresh = await replay.data(signature.data.trim().toLowerCase(), SIGNATURE);
    if (!fresh.success) return fresh;
  }
  return ok({ timestamp, payload: parsed });
}
