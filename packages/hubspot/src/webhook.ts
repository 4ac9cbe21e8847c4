import {
  type ApiResult,
  err,
  hmacKeyBytes,
  IntegrationError,
  ok,
  readWebhookBody,
  readWebhookClock,
  readWebhookHeader,
  readWebhookTolerance,
  type Secret,
  verifyHmacSignature,
  type WebhookBody,
  type WebhookHeaders,
} from '@patchbay/core';

/** A verified HubSpot webhook delivery (v3 signature). */
export interface HubSpotWebhook {
  /** `X-HubSpot-Request-Timestamp`, epoch milliseconds. */
  timestamp: number;
  /** The parsed JSON body: an array of events (`[{ eventId, subscriptionType, objectId, … }]`). */
  payload: unknown;
}

/** Options of {@link verifyHubSpotWebhook}. */
export interface VerifyHubSpotWebhookOptions {
  /** The app's client secret. */
  clientSecret: string | Secret;
  /** The request method, e.g. `POST`. */
  method: string;
  /** The full URL HubSpot called, as it was configured (`https://example.com/webhooks/hubspot?x=1`). */
  url: string;
  /** The raw body, exactly as received: text, or its bytes. */
  body: WebhookBody;
  /** `X-HubSpot-Signature-v3`; read from `headers` when not given. */
  signature?: string;
  /** `X-HubSpot-Request-Timestamp` (ms); read from `headers` when not given. */
  timestamp?: string | number;
  /** The request headers, where `signature` and `timestamp` are read from when not given. */
  headers?: WebhookHeaders;
  /** How old (or how far ahead) a delivery may be, in ms. Default 300 000 (HubSpot's 5 minutes). */
  toleranceMs?: number;
  /** The clock, epoch ms. Default `Date.now`. */
  now?: () => number;
}

const SIGNATURE = 'x-hubspot-signature-v3';
const TIMESTAMP = 'x-hubspot-request-timestamp';
const DEFAULT_TOLERANCE_MS = 300_000;
// HubSpot signs the URI with these characters decoded (its "Validate the v3 request signature" steps).
const DECODED: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

/**
 * Verifies a HubSpot webhook v3 signature: base64 HMAC-SHA256 with the client secret over method + URI + body +
 * timestamp, compared in constant time (core's `verifyHmacSignature`); a timestamp more than 5 minutes away is
 * refused. Never throws and fails closed: `VALIDATION_ERROR` (a missing or malformed value), `AUTH_ERROR` (stale,
 * or the signature does not match), `CONFIG_ERROR` (an empty secret, a bad tolerance or clock). The secret never
 * appears in an error.
 * @example const verified = await verifyHubSpotWebhook({ clientSecret, method: req.method, url: fullUrl, body: rawBody, headers: req.headers });
 */
export async function verifyHubSpotWebhook(
  options: VerifyHubSpotWebhookOptions,
): Promise<ApiResult<HubSpotWebhook>> {
  try {
    return await verify(options);
  } catch {
    // Every reader returns its failures; this guard keeps anything unforeseen from failing open.
    return err(
      new IntegrationError('AUTH_ERROR', 'The HubSpot webhook could not be verified', { retryable: false }),
    );
  }
}

async function verify(options: unknown): Promise<ApiResult<HubSpotWebhook>> {
  if (typeof options !== 'object' || options === null) return invalid('options', 'must be an object');
  const read: Record<string, unknown> = {};
  try {
    for (const key of [
      'clientSecret',
      'method',
      'url',
      'body',
      'signature',
      'timestamp',
      'headers',
      'toleranceMs',
      'now',
    ]) {
      read[key] = (options as Record<string, unknown>)[key];
    }
  } catch {
    return invalid('options', 'could not be read');
  }
  const key = hmacKeyBytes(read.clientSecret);
  if (!key.success) return err(renamed(key.error, 'clientSecret'));
  const tolerance = readWebhookTolerance(read.toleranceMs, DEFAULT_TOLERANCE_MS, 'toleranceMs');
  if (!tolerance.success) return tolerance;
  const signature = await fromOptionOrHeader(read.signature, read.headers, SIGNATURE, 'signature');
  if (!signature.success) return signature;
  const timestampText = await fromOptionOrHeader(read.timestamp, read.headers, TIMESTAMP, 'timestamp');
  if (!timestampText.success) return timestampText;
  if (!/^\d{1,16}$/.test(timestampText.data)) return invalid('timestamp', 'must be epoch milliseconds');
  if (typeof read.method !== 'string' || !/^[A-Za-z]{1,16}$/.test(read.method))
    return invalid('method', 'must be an HTTP method');
  if (typeof read.url !== 'string' || !/^https?:\/\//i.test(read.url) || read.url.length > 8_192) {
    return invalid('url', 'must be the absolute http(s) URL HubSpot called');
  }
  const body = readWebhookBody(read.body);
  if (!body.success) return body;
  const now = readWebhookClock(read.now);
  if (!now.success) return now;
  const timestamp = Number(timestampText.data);
  if (!(Math.abs(now.data - timestamp) <= tolerance.data)) {
    return err(
      new IntegrationError(
        'AUTH_ERROR',
        'Webhook timestamp is outside the 5-minute window (possible replay)',
        { field: 'timestamp', retryable: false },
      ),
    );
  }
  const uri = read.url.replace(
    /%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi,
    (match) => DECODED[match.toUpperCase()] ?? match,
  );
  const prefix = new TextEncoder().encode(`${read.method.toUpperCase()}${uri}`);
  const suffix = new TextEncoder().encode(timestampText.data);
  const payload = new Uint8Array(prefix.length + body.data.bytes.length + suffix.length);
  payload.set(prefix);
  payload.set(body.data.bytes, prefix.length);
  payload.set(suffix, prefix.length + body.data.bytes.length);
  const valid = await verifyHmacSignature({
    secret: key.data,
    payload,
    signature: signature.data,
    encoding: 'base64',
  });
  if (!valid)
    return err(
      new IntegrationError('AUTH_ERROR', 'Webhook signature does not match', {
        field: 'signature',
        retryable: false,
      }),
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.data.text);
  } catch {
    return invalid('body', 'is not JSON');
  }
  return ok({ timestamp, payload: parsed });
}

async function fromOptionOrHeader(
  value: unknown,
  headers: unknown,
  header: string,
  field: string,
): Promise<ApiResult<string>> {
  let text: unknown = value;
  if (text === undefined && headers !== undefined) {
    const read = readWebhookHeader(headers, header);
    if (!read.success) return read;
    text = read.data;
  }
  if (typeof text === 'number' && Number.isSafeInteger(text)) text = String(text);
  if (typeof text !== 'string' || text.trim() === '')
    return invalid(field, `missing (give ${field} or the ${header} header)`);
  return ok(text.trim());
}

function invalid(field: string, message: string): ApiResult<never> {
  return err(new IntegrationError('VALIDATION_ERROR', `${field}: ${message}`, { field, retryable: false }));
}

function renamed(error: IntegrationError, field: string): IntegrationError {
  return new IntegrationError(error.code, error.message.replace(/\bsecret\b/, field), {
    field,
    retryable: false,
  });
}
