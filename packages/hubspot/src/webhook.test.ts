import { createHmac } from 'node:crypto';
import { hostileValues } from '@patchbay/core/testing';
import { describe, expect, it } from 'vitest';
import { verifyHubSpotWebhook } from './webhook.ts';

const SECRET = 'hubspot-client-secret-7f3e';
const URL_CALLED = 'https://example.com/webhooks/hubspot?portal=42';
const BODY = '[{"eventId":1,"subscriptionType":"contact.creation","objectId":123}]';
const NOW = 1_780_000_000_000;

function sign(method: string, url: string, body: string, timestamp: string, secret = SECRET) {
  return createHmac('sha256', secret).update(`${method}${url}${body}${timestamp}`).digest('base64');
}

const base = () => ({
  clientSecret: SECRET,
  method: 'POST',
  url: URL_CALLED,
  body: BODY,
  timestamp: String(NOW - 1_000),
  signature: sign('POST', URL_CALLED, BODY, String(NOW - 1_000)),
  now: () => NOW,
});

describe('verifyHubSpotWebhook', () => {
  it('accepts a valid v3 signature and parses the body', async () => {
    const result = await verifyHubSpotWebhook(base());
    expect(result).toEqual({
      success: true,
      data: {
        timestamp: NOW - 1_000,
        payload: [{ eventId: 1, subscriptionType: 'contact.creation', objectId: 123 }],
      },
    });
  });

  it('reads the signature and timestamp from the headers', async () => {
    const { signature, timestamp, ...rest } = base();
    const headers = new Headers({
      'X-HubSpot-Signature-v3': signature,
      'X-HubSpot-Request-Timestamp': timestamp,
    });
    expect((await verifyHubSpotWebhook({ ...rest, headers })).success).toBe(true);
  });

  it('signs the URI with the characters HubSpot decodes', async () => {
    const encoded = 'https://example.com/hook%3Fx%3A1';
    const signature = sign('POST', 'https://example.com/hook?x:1', BODY, String(NOW));
    expect((await verifyHubSpotWebhook({ ...base(), url: encoded, timestamp: NOW, signature })).success).toBe(
      true,
    );
  });

  it('refuses a tampered body, another secret, method or URL', async () => {
    for (const change of [
      { body: `${BODY} ` },
      { clientSecret: 'other' },
      { method: 'PUT' },
      { url: 'https://example.com/other' },
    ]) {
      const result = await verifyHubSpotWebhook({ ...base(), ...change });
      expect(result).toMatchObject({ success: false, error: { code: 'AUTH_ERROR', field: 'signature' } });
    }
  });

  it('refuses a delivery older than 5 minutes, even when signed', async () => {
    const timestamp = String(NOW - 300_001);
    const result = await verifyHubSpotWebhook({
      ...base(),
      timestamp,
      signature: sign('POST', URL_CALLED, BODY, timestamp),
    });
    expect(result).toMatchObject({ success: false, error: { code: 'AUTH_ERROR', field: 'timestamp' } });
  });

  it('refuses missing or malformed values by field', async () => {
    expect(await verifyHubSpotWebhook({ ...base(), signature: undefined })).toMatchObject({
      success: false,
      error: { field: 'signature' },
    });
    expect(await verifyHubSpotWebhook({ ...base(), timestamp: '12a' })).toMatchObject({
      success: false,
      error: { field: 'timestamp' },
    });
    expect(await verifyHubSpotWebhook({ ...base(), url: '/relative' })).toMatchObject({
      success: false,
      error: { field: 'url' },
    });
    expect(await verifyHubSpotWebhook({ ...base(), clientSecret: '' })).toMatchObject({
      success: false,
      error: { code: 'CONFIG_ERROR' },
    });
  });

  it('never throws and never quotes the secret, whatever it is given', async () => {
    for (const [, value] of hostileValues()) {
      for (const field of [
        'clientSecret',
        'method',
        'url',
        'body',
        'signature',
        'timestamp',
        'headers',
        'now',
        'toleranceMs',
      ]) {
        const result = await verifyHubSpotWebhook({ ...base(), [field]: value } as never);
        if (!result.success) expect(JSON.stringify(result.error)).not.toContain(SECRET);
      }
      const whole = await verifyHubSpotWebhook(value as never);
      expect(whole.success).toBe(false);
    }
  });
});
