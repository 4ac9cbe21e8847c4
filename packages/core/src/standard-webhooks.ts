// The Standard Webhooks scheme (https://www.standardwebhooks.com), shared by Svix-style senders.
import { fromBase64 } from './encoding.ts';
import { IntegrationError } from './errors.ts';
import { signHmac, verifyHmacSignature } from './hmac.ts';
import { type ApiResult, err, ok } from './result.ts';
import { revealSecret, type Secret } from './secret.ts';

const ID_HEADER = 'webhook-id';
const TIMESTAMP_HEADER = 'webhook-timestamp';
const SIGNATURE_HEADER = 'webhook-signature';
const SECRET_PREFIX = 'whsec_';
const DEFAULT_TOLERANCE_SECONDS = 300;

/** Options of {@link verifyStandardWebhook}. */
export interface VerifyStandardWebhookOptions {
  /** `whsec_` + base64 of the key bytes; a value without the prefix is read as base64 too. */
  secret: string | Secret;
  /** The request headers; names are matched case-insensitively. */
  headers: Headers | Record<string, string | undefined>;
  /** The raw request body, exactly as received (not re-serialized JSON). */
  body: string;
  /** How far the timestamp may be from now, either way. Defaults to 300 (5 minutes). */
  toleranceSeconds?: number;
  /** The current time in milliseconds; defaults to `Date.now`. */
  now?: () => number;
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
  body: string;
}

// Never echoes the secret: the messages name only what is wrong with it.
function decodeSecret(secret: string | Secret): ApiResult<Uint8Array<ArrayBuffer>> {
  const raw = revealSecret(secret);
  const encoded = raw.startsWith(SECRET_PREFIX) ? raw.slice(SECRET_PREFIX.length) : raw;
  const key = fromBase64(encoded);
  if (key === undefined || key.length === 0) {
    return err(
      new IntegrationError(
        'CONFIG_ERROR',
        'The webhook secret must be "whsec_" followed by base64 key bytes.',
        {
          field: 'secret',
        },
      ),
    );
  }
  return ok(key);
}

function readHeader(headers: Headers | Record<string, string | undefined>, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

const invalidHeader = (name: string, problem: string): IntegrationError =>
  new IntegrationError('VALIDATION_ERROR', `The ${name} header is ${problem}.`, { field: name });

const signedContent = (id: string, timestamp: number, body: string): string => `${id}.${timestamp}.${body}`;

/**
 * Verifies a Standard Webhooks delivery: headers present, timestamp within the tolerance (replay
 * protection), and at least one `v1` signature valid. Never throws; failures are `VALIDATION_ERROR`
 * (missing or malformed header, `field` = its name), `AUTH_ERROR` (stale timestamp or no valid
 * signature) or `CONFIG_ERROR` (a secret that is not base64, a negative tolerance).
 * @example
 * const result = await verifyStandardWebhook({ secret: env.WEBHOOK_SECRET, headers: request.headers, body: await request.text() });
 * if (!result.success) return new Response(null, { status: 401 });
 */
export async function verifyStandardWebhook(
  options: VerifyStandardWebhookOptions,
): Promise<ApiResult<StandardWebhook>> {
  // A broken secret or tolerance is reported on every request, not hidden behind a request's own faults.
  const key = decodeSecret(options.secret);
  if (!key.success) return key;
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (!(tolerance >= 0)) {
    return err(
      new IntegrationError('CONFIG_ERROR', 'toleranceSeconds must be zero or more.', {
        field: 'toleranceSeconds',
      }),
    );
  }

  const id = readHeader(options.headers, ID_HEADER)?.trim();
  if (!id) return err(invalidHeader(ID_HEADER, 'missing'));
  const timestampText = readHeader(options.headers, TIMESTAMP_HEADER)?.trim();
  if (!timestampText) return err(invalidHeader(TIMESTAMP_HEADER, 'missing'));
  const signatureHeader = readHeader(options.headers, SIGNATURE_HEADER)?.trim();
  if (!signatureHeader) return err(invalidHeader(SIGNATURE_HEADER, 'missing'));

  if (!/^\d{1,15}$/.test(timestampText)) {
    return err(invalidHeader(TIMESTAMP_HEADER, 'not a unix timestamp in seconds'));
  }
  const timestamp = Number(timestampText);

  // Each entry is "<version>,<signature>"; unknown versions are skipped so senders can add schemes.
  const entries = signatureHeader.split(/\s+/).map((entry) => {
    const comma = entry.indexOf(',');
    return comma > 0 && comma < entry.length - 1
      ? { version: entry.slice(0, comma), signature: entry.slice(comma + 1) }
      : undefined;
  });
  if (entries.every((entry) => entry === undefined)) {
    return err(invalidHeader(SIGNATURE_HEADER, 'malformed (expected "v1,<base64>" entries)'));
  }

  // Checked before the signature so an old, validly signed message cannot be replayed.
  // Written as "not within" so a NaN clock fails closed instead of accepting everything.
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  if (!(Math.abs(nowSeconds - timestamp) <= tolerance)) {
    return err(
      new IntegrationError(
        'AUTH_ERROR',
        `The ${TIMESTAMP_HEADER} is outside the tolerance of ${tolerance} seconds (possible replay).`,
        { field: TIMESTAMP_HEADER },
      ),
    );
  }

  const payload = signedContent(id, timestamp, options.body);
  for (const entry of entries) {
    if (entry?.version !== 'v1') continue;
    if (
      await verifyHmacSignature({ secret: key.data, payload, signature: entry.signature, encoding: 'base64' })
    ) {
      return ok({ id, timestamp, body: options.body });
    }
  }
  return err(
    new IntegrationError('AUTH_ERROR', 'No webhook-signature entry matches the payload.', {
      field: SIGNATURE_HEADER,
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
  const payload = signedContent(options.id, options.timestamp, options.body);
  return `v1,${await signHmac({ secret: key.data, payload, encoding: 'base64' })}`;
}
