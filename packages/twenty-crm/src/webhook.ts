import { type ApiResult, err, IntegrationError, ok, type Secret, verifyHmacSignature } from '@patchbay/core';

/** A verified Twenty webhook delivery. */
export interface TwentyWebhook {
  /** The `X-Twenty-Webhook-Timestamp` value, in milliseconds. */
  timestamp: number;
  /** The parsed JSON body, e.g. `{ event: 'person.created', data, timestamp }`. */
  payload: unknown;
}

const SIGNATURE = 'x-twenty-webhook-signature';
const TIMESTAMP = 'x-twenty-webhook-timestamp';

/**
 * Verifies a Twenty webhook: `X-Twenty-Webhook-Signature` is the hex HMAC-SHA256 of
 * `${X-Twenty-Webhook-Timestamp}:${rawBody}` with the webhook's secret. Pass the raw body text, not a
 * re-serialized object. Deliveries older or newer than the tolerance (default 5 minutes) are refused.
 * @example const result = await verifyTwentyWebhook({ secret, headers: request.headers, body: await request.text() });
 */
export async function verifyTwentyWebhook(options: {
  secret: string | Secret;
  headers: Headers | Record<string, string | undefined>;
  body: string;
  toleranceMs?: number;
  now?: () => number;
}): Promise<ApiResult<TwentyWebhook>> {
  const header = (name: string) =>
    options.headers instanceof Headers
      ? (options.headers.get(name) ?? undefined)
      : Object.entries(options.headers).find(([key]) => key.toLowerCase() === name)?.[1];
  const signature = header(SIGNATURE);
  const rawTimestamp = header(TIMESTAMP);
  if (!signature)
    return err(new IntegrationError('VALIDATION_ERROR', `Missing ${SIGNATURE} header`, { field: SIGNATURE }));
  if (!rawTimestamp || !/^\d{1,16}$/.test(rawTimestamp)) {
    return err(
      new IntegrationError('VALIDATION_ERROR', `Missing or malformed ${TIMESTAMP} header`, {
        field: TIMESTAMP,
      }),
    );
  }
  // Twenty sends Date.now() (milliseconds); accept seconds too, for proxies that rewrite it.
  const value = Number(rawTimestamp);
  const timestamp = value < 1e12 ? value * 1000 : value;
  const now = (options.now ?? Date.now)();
  if (Math.abs(now - timestamp) > (options.toleranceMs ?? 300_000)) {
    return err(
      new IntegrationError('AUTH_ERROR', 'Webhook timestamp is outside the tolerance (possible replay)', {
        field: TIMESTAMP,
      }),
    );
  }
  const valid = await verifyHmacSignature({
    secret: options.secret,
    payload: `${rawTimestamp}:${options.body}`,
    signature: signature.trim(),
    encoding: 'hex',
  });
  if (!valid)
    return err(new IntegrationError('AUTH_ERROR', 'Webhook signature does not match', { field: SIGNATURE }));
  try {
    return ok({ timestamp, payload: JSON.parse(options.body) as unknown });
  } catch {
    return err(new IntegrationError('VALIDATION_ERROR', 'Webhook body is not JSON', { field: 'body' }));
  }
}
