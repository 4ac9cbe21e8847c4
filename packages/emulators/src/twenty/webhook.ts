// Twenty signs each webhook delivery: `X-Twenty-Webhook-Signature` is the hex HMAC-SHA256, keyed by the webhook
// secret, of `${X-Twenty-Webhook-Timestamp}:${JSON body}` (twenty-docs `developers/extend/webhooks.mdx`).

import { EmulatorConfigError, readOptionsObject, stringOption } from '../kit/options.ts';

/** Input of {@link signTwentyWebhook}. */
export interface TwentyWebhookSignInput {
  secret: string;
  /** The `X-Twenty-Webhook-Timestamp` value, as sent. */
  timestamp: string | number;
  /** The raw JSON body, or a payload that is `JSON.stringify`-ed first. */
  body: string | object;
}

/**
 * The `X-Twenty-Webhook-Signature` Twenty would send for a delivery (Web Crypto, so it runs in Node and browsers).
 * Input of the wrong kind (an empty or non-string secret, a timestamp that is neither text nor a finite number, a
 * body JSON cannot write) rejects with an EmulatorConfigError naming the field.
 * @example
 * const body = JSON.stringify({ event: 'person.created', data: { id }, timestamp: new Date().toISOString() });
 * const signature = await signTwentyWebhook({ secret, timestamp: Date.now(), body });
 * await fetch(receiverUrl, { method: 'POST', body, headers: { 'X-Twenty-Webhook-Signature': signature, 'X-Twenty-Webhook-Timestamp': String(timestamp) } });
 */
export async function signTwentyWebhook(input: TwentyWebhookSignInput): Promise<string> {
  if (input === undefined)
    throw new EmulatorConfigError('input', 'must be an object with secret, timestamp and body');
  const read = readOptionsObject(input, ['secret', 'timestamp', 'body'], 'input');
  const secret = stringOption(read.secret, 'secret', { nonEmpty: true });
  const { timestamp } = read;
  if (typeof timestamp !== 'string' && !(typeof timestamp === 'number' && Number.isFinite(timestamp))) {
    throw new EmulatorConfigError('timestamp', 'must be a string or a finite number');
  }
  const payload = bodyText(read.body);
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const signature = await crypto.subtle.sign('HMAC', key, encoder.encode(`${timestamp}:${payload}`));
  return Array.from(new Uint8Array(signature), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  let text: string | undefined;
  try {
    text = typeof body === 'object' && body !== null ? JSON.stringify(body) : undefined;
  } catch {
    text = undefined;
  }
  if (text === undefined)
    throw new EmulatorConfigError('body', 'must be a string or a JSON-serializable object');
  return text;
}
