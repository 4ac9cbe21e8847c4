import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyTwentyWebhook } from './webhook.ts';

const secret = 'whsec-twenty-test-1234';
const body = JSON.stringify({
  event: 'person.created',
  data: { id: 'p1' },
  timestamp: '2026-11-24T10:00:00.000Z',
});
const now = 1_795_000_000_000;
const sign = (timestamp: string, payload = body, key = secret) =>
  createHmac('sha256', key).update(`${timestamp}:${payload}`).digest('hex');
const headers = (timestamp: string, signature = sign(timestamp)) => ({
  'X-Twenty-Webhook-Timestamp': timestamp,
  'X-Twenty-Webhook-Signature': signature,
});

describe('verifyTwentyWebhook', () => {
  it('accepts a delivery signed over timestamp:body and parses it', async () => {
    const result = await verifyTwentyWebhook({ secret, headers: headers(String(now)), body, now: () => now });
    expect(result).toEqual({ success: true, data: { timestamp: now, payload: JSON.parse(body) } });
  });

  it('reads a Headers object and upper-case hex', async () => {
    const h = new Headers(headers(String(now), sign(String(now)).toUpperCase()));
    expect((await verifyTwentyWebhook({ secret, headers: h, body, now: () => now })).success).toBe(true);
  });

  it('refuses a tampered body and a wrong secret', async () => {
    const tampered = await verifyTwentyWebhook({
      secret,
      headers: headers(String(now)),
      body: body.replace('p1', 'p2'),
      now: () => now,
    });
    expect(tampered.success || tampered.error.code).toBe('AUTH_ERROR');
    const wrong = await verifyTwentyWebhook({
      secret: 'other-secret-xx',
      headers: headers(String(now)),
      body,
      now: () => now,
    });
    expect(wrong.success || wrong.error.code).toBe('AUTH_ERROR');
  });

  it('refuses a replay outside the window, in both directions', async () => {
    for (const t of [now - 301_000, now + 301_000]) {
      const result = await verifyTwentyWebhook({ secret, headers: headers(String(t)), body, now: () => now });
      expect(result.success || result.error).toMatchObject({
        code: 'AUTH_ERROR',
        field: 'x-twenty-webhook-timestamp',
      });
    }
  });

  it('names a missing header', async () => {
    const result = await verifyTwentyWebhook({ secret, headers: {}, body, now: () => now });
    expect(result.success || result.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      field: 'x-twenty-webhook-signature',
    });
  });

  it('never puts the secret in the error', async () => {
    const result = await verifyTwentyWebhook({
      secret,
      headers: headers(String(now), 'ab'),
      body,
      now: () => now,
    });
    expect(result.success).toBe(false);
    if (!result.success) expect(JSON.stringify(result.error) + result.error.stack).not.toContain(secret);
  });
});
