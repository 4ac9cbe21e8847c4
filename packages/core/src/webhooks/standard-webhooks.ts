// The Standard Webhooks scheme (https://www.standardwebhooks.com), shared by Svix-style senders.

import { fromBase64, toBase64, utf8 } from '../encoding/encoding.ts';
import { readOptions } from '../input/caller-input.ts';
import { IntegrationError } from '../result/errors.ts';
import { type ApiResult, err, ok } from '../result/result.ts';
import type { Secret } from '../secrets/secret.ts';
import { hmacDigest, timingSafeEqual } from './hmac.ts';
import {
  readWebhookBody,
  readWebhookClock,
  readWebhookHeader,
  readWebhookTolerance,
  type WebhookBody,
  type WebhookHeaders,
} from './webhook-input.ts';
import { readWebhookReplay, type WebhookReplayOptions } from './webhook-replay.ts';

const ID_HEADER = 'webhook-id';
const TIMESTAMP_HEADER = 'webhook-timestamp';
const SIGNATURE_HEADER = 'webhook-signature';
const SECRET_PREFIX = 'whsec_';
const DEFAULT_TOLERANCE_SECONDS = 300;

/** Options of {@link verifyStandardWebhook}. */
export interface VerifyStandardWebhookOptions {
  /** `whsec_` + base64 of the key bytes; a value without the prefix is read as base64 too. */
  secret: string | Secret;
  /** The request headers (Fetch `Headers`, Node's `IncomingHttpHeaders`, a record); names match in any case. */
  headers: WebhookHeaders;
  /** The raw request body, exactly as received (not re-serialized JSON): text, or its bytes. */
  body: WebhookBody;
  /** How far the timestamp may be from now, either way: a finite number, zero or more. Defaults to 300. */
  toleranceSeconds?: number;
  /** The current time in milliseconds; defaults to `Date.now`. */
  now?: () => number;
  /**
   * Replay protection: remember each accepted `webhook-id` in `store`, so a delivery sent again is refused
   * with `CONFLICT` (field `webhook-id`). Keys are `standard-webhooks:<id>` unless `namespace` says otherwise.
   */
  replay?: WebhookReplayOptions;
}

/** A verified Standard Webhooks delivery. */
export interface StandardWebhook {
  /** The `webhook-id`, stable across retries of one message: use it to deduplicate. */
  id: string;
  /** The `webhook-timestamp`, in unix seconds. */
  timestamp: number;
  body: string;
}

/** Options of {@link signStandardWebhook}. */
export interface SignStandardWebhookOptions {
  /** `whsec_` + base64 of the key bytes; a value without the prefix is read as base64 too. */
  secret: string | Secret;
  id: string;
  /** Unix seconds. */
  timestamp: number;
  /** The raw body (text, or bytes as received). */
  body: WebhookBody;
}

// Never echoes the secret: the messages name only what is wrong with it.
function decodeSecret(secret: unknown): ApiResult<Uint8Array<ArrayBuffer>> {
  const text = secretText(secret);
  const encoded = text?.startsWith(SECRET_PREFIX) ? text.slice(SECRET_PREFIX.length) : text;
  const key = encoded === undefined ? undefined : fromBase64(encoded);
  if (key === undefined || key.length === 0) {
    return err(
      new IntegrationError(
        'CONFIG_ERROR',
        'The webhook secret must be "whsec_" followed by base64 key bytes.',
        {
          field: 'secret',
          retryable: false,
        },
      ),
    );
  }
  return ok(key);
}

// The text of a string or a Secret (also one from another copy of this package); undefined for anything else.
function secretText(secret: unknown): string | undefined {
  try {
    if (typeof secret === 'string') return secret;
    if (typeof (secret as { reveal?: unknown } | null)?.reveal === 'function') {
      const revealed: unknown = (secret as { reveal: () => unknown }).reveal();
      return typeof revealed === 'string' ? revealed : undefined;
    }
  } catch {
    // A Proxy or a reveal that throws: no usable secret.
  }
  return undefined;
}

const invalidHeader = (name: string, problem: string): IntegrationError =>
  new IntegrationError('VALIDATION_ERROR', `The ${name} header is ${problem}.`, {
    field: name,
    retryable: false,
  });

// `${id}.${timestamp}.` then the body's bytes, exactly as received.
function signedContent(id: string, timestamp: number, body: Uint8Array): Uint8Array<ArrayBuffer> {
  const prefix = utf8(`${id}.${timestamp}.`);
  const out = new Uint8Array(prefix.length + body.length);
  out.set(prefix);
  out.set(body, prefix.length);
  return out;
}

// Signature entries looked at, at most: senders list one per active key (two during a rotation); a header
// with thousands must not cost thousands of comparisons.
const MAX_SIGNATURE_ENTRIES = 16;

/**
 * Verifies a Standard Webhooks delivery: headers present, timestamp within the tolerance (replay
 * protection), and at least one `v1` signature valid. Never throws and fails closed, whatever it is given:
 * failures are `VALIDATION_ERROR` (missing or malformed header, `field` = its name; headers or a body of
 * the wrong kind, `field` `headers` / `body`), `AUTH_ERROR` (stale timestamp or no valid signature),
 * `CONFLICT` (with `replay`: this `webhook-id` was accepted before), `OPERATION_FAILED` (with `replay`: the
 * store failed, retryable) or `CONFIG_ERROR` (a secret that is not base64 text, a tolerance that is negative,
 * NaN or infinite, a `now` that throws or does not return a finite number, bad `replay` options).
 * @example
 * const result = await verifyStandardWebhook({ secret: env.WEBHOOK_SECRET, headers: request.headers, body: await request.text() });
 * if (!result.success) return new Response(null, { status: 401 });
 */
export async function verifyStandardWebhook(
  options: VerifyStandardWebhookOptions,
): Promise<ApiResult<StandardWebhook>> {
  try {
    return await verify(options);
  } catch (error) {
    // Every reader above returns its failures; this is a last guard so nothing unforeseen fails open.
    return err(
      new IntegrationError('AUTH_ERROR', 'The webhook could not be verified.', {
        retryable: false,
        cause: error,
      }),
    );
  }
}

async function verify(options: unknown): Promise<ApiResult<StandardWebhook>> {
  // Nothing to verify is a caller's mistake, not "no options".
  const read =
    options === undefined
      ? err(
          new IntegrationError('VALIDATION_ERROR', 'verifyStandardWebhook needs options.', {
            field: 'options',
          }),
        )
      : readOptions(options, ['secret', 'headers', 'body', 'toleranceSeconds', 'now', 'replay']);
  if (!read.success) return read;
  const { secret, headers, body, toleranceSeconds, now } = read.data;

  // A broken secret or tolerance is reported on every request, not hidden behind a request's own faults.
  const key = decodeSecret(secret);
  if (!key.success) return key;
  const tolerance = readWebhookTolerance(toleranceSeconds, DEFAULT_TOLERANCE_SECONDS, 'toleranceSeconds');
  if (!tolerance.success) return tolerance;
  const replay = readWebhookReplay(read.data.replay, {
    namespace: 'standard-webhooks',
    windowMs: 2 * tolerance.data * 1000,
  });
  if (!replay.success) return replay;

  const header = (name: string): ApiResult<string | undefined> => {
    const value = readWebhookHeader(headers, name);
    return value.success ? ok(value.data?.trim()) : value;
  };
  const id = header(ID_HEADER);
  if (!id.success) return id;
  if (!id.data) return err(invalidHeader(ID_HEADER, 'missing'));
  const timestampText = header(TIMESTAMP_HEADER);
  if (!timestampText.success) return timestampText;
  if (!timestampText.data) return err(invalidHeader(TIMESTAMP_HEADER, 'missing'));
  const signatureHeader = header(SIGNATURE_HEADER);
  if (!signatureHeader.success) return signatureHeader;
  if (!signatureHeader.data) return err(invalidHeader(SIGNATURE_HEADER, 'missing'));
  const raw = readWebhookBody(body);
  if (!raw.success) return raw;

  if (!/^\d{1,15}$/.test(timestampText.data)) {
    return err(invalidHeader(TIMESTAMP_HEADER, 'not a unix timestamp in seconds'));
  }
  const timestamp = Number(timestampText.data);

  // Each entry is "<version>,<signature>"; unknown versions are skipped so senders can add schemes.
  const entries = signatureHeader.data.split(/\s+/).map((entry) => {
    const comma = entry.indexOf(',');
    return comma > 0 && comma < entry.length - 1
      ? { version: entry.slice(0, comma), signature: entry.slice(comma + 1) }
      : undefined;
  });
  if (entries.every((entry) => entry === undefined)) {
    return err(invalidHeader(SIGNATURE_HEADER, 'malformed (expected "v1,<base64>" entries)'));
  }

  // Checked before the signature so an old, validly signed message cannot be replayed.
  // Written as "not within" so anything unexpected fails closed instead of accepting everything.
  const clock = readWebhookClock(now);
  if (!clock.success) return clock;
  const nowSeconds = Math.floor(clock.data / 1000);
  if (!(Math.abs(nowSeconds - timestamp) <= tolerance.data)) {
    return err(
      new IntegrationError(
        'AUTH_ERROR',
        `The ${TIMESTAMP_HEADER} is outside the tolerance of ${tolerance.data} seconds (possible replay).`,
        { field: TIMESTAMP_HEADER, retryable: false },
      ),
    );
  }

  const expected = await hmacDigest(key.data, signedContent(id.data, timestamp, raw.data.bytes));
  const candidates = entries.filter((entry) => entry?.version === 'v1').slice(0, MAX_SIGNATURE_ENTRIES);
  for (const entry of candidates) {
    const provided = entry ? fromBase64(entry.signature) : undefined;
    if (provided !== undefined && timingSafeEqual(provided, expected)) {
      // Recorded only once verified: a forged delivery must not use up a real id.
      if (replay.data) {
        const fresh = await replay.data(id.data, ID_HEADER);
        if (!fresh.success) return fresh;
      }
      return ok({ id: id.data, timestamp, body: raw.data.text });
    }
  }
  return err(
    new IntegrationError('AUTH_ERROR', 'No webhook-signature entry matches the payload.', {
      field: SIGNATURE_HEADER,
      retryable: false,
    }),
  );
}

/**
 * The `webhook-signature` header value (`v1,<base64>`) for a message, as a Standard Webhooks sender
 * would send it. Throws an IntegrationError `CONFIG_ERROR` for a secret that is not base64.
 * @example
 * const signature = await signStandardWebhook({ secret, id: 'msg_1', timestamp: Math.floor(Date.now() / 1000), body });
 */
export async function signStandardWebhook(options: SignStandardWebhookOptions): Promise<string> {
  if (!Number.isSafeInteger(options.timestamp) || options.timestamp < 0) {
    throw new IntegrationError('VALIDATION_ERROR', 'The timestamp must be whole unix seconds.', {
      field: 'timestamp',
    });
  }
  const key = decodeSecret(options.secret);
  if (!key.success) throw key.error;
  const body = readWebhookBody(options.body);
  if (!body.success) throw body.error;
  const mac = await hmacDigest(key.data, signedContent(options.id, options.timestamp, body.data.bytes));
  return `v1,${toBase64(mac)}`;
}
