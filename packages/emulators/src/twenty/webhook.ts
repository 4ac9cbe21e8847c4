// Twenty signs each webhook delivery: `X-Twenty-Webhook-Signature` is the hex HMAC-SHA256, keyed by the webhook
// secret, of `${X-Twenty-Webhook-Timestamp}:${JSON body}` (twenty-docs `developers/extend/webhooks.mdx`).

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
 * @example
 * const body = JSON.stringify({ event: 'person.created', data: { id }, timestamp: new Date().toISOString() });
 * const signature = await signTwentyWebhook({ secret, timestamp: Date.now(), body });
 * await fetch(receiverUrl, { method: 'POST', body, headers: { 'X-Twenty-Webhook-Signature': signature, 'X-Twenty-Webhook-Timestamp': String(timestamp) } });
 */
export async function signTwentyWebhook(input: TwentyWebhookSignInput): Promise<string> {
  const payload = typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(input.secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const signature = await crypto.subtle.sign('HMAC', key, encoder.encode(`${input.timestamp}:${payload}`));
  return Array.from(new Uint8Array(signature), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
