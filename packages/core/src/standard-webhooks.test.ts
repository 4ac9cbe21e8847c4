import { describe, expect, it } from 'vitest';
import { Secret } from './secret.ts';
import {
  signStandardWebhook,
  type VerifyStandardWebhookOptions,
  verifyStandardWebhook,
} from './standard-webhooks.ts';

// The reference libraries' (Svix / standard-webhooks) known-answer vector.
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TIMESTAMP = 1614265330;
const BODY = '{"test": 2432232314}';
const SIGNATURE = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
const NOW = () => TIMESTAMP * 1000;

const headers = (overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> => ({
  'webhook-id': ID,
  'webhook-timestamp': String(TIMESTAMP),
  'webhook-signature': SIGNATURE,
  ...overrides,
});

const verify = (overrides: Partial<VerifyStandardWebhookOptions> = {}) =>
  verifyStandardWebhook({ secret: SECRET, headers: headers(), body: BODY, now: NOW, ...overrides });

describe('signStandardWebhook', () => {
  it('matches the reference vector', async () => {
    expect(await signStandardWebhook({ secret: SECRET, id: ID, timestamp: TIMESTAMP, body: BODY })).toBe(
      SIGNATURE,
    );
  });

  it('reads a secret without the whsec_ prefix, or wrapped in a Secret, the same way', async () => {
    const bare = SECRET.slice('whsec_'.length);
    expect(await signStandardWebhook({ secret: bare, id: ID, timestamp: TIMESTAMP, body: BODY })).toBe(
      SIGNATURE,
    );
    expect(
      await signStandardWebhook({ secret: new Secret(SECRET), id: ID, timestamp: TIMESTAMP, body: BODY }),
    ).toBe(SIGNATURE);
  });

  it('throws for a non-integer timestamp or a secret that is not base64', async () => {
    await expect(
      signStandardWebhook({ secret: SECRET, id: ID, timestamp: 1.5, body: BODY }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      field: 'timestamp',
    });
    await expect(
      signStandardWebhook({ secret: 'whsec_not base64!', id: ID, timestamp: TIMESTAMP, body: BODY }),
    ).rejects.toMatchObject({ code: 'CONFIG_ERROR', field: 'secret' });
  });
});

describe('verifyStandardWebhook', () => {
  it('accepts a valid delivery and returns id, timestamp and body', async () => {
    expect(await verify()).toEqual({ success: true, data: { id: ID, timestamp: TIMESTAMP, body: BODY } });
  });

  it('round-trips with signStandardWebhook and a Headers object with mixed-case names', async () => {
    const secret = new Secret('whsec_dGVzdC1rZXktYnl0ZXMtMTIzNDU2Nzg5MA==');
    const body = JSON.stringify({ type: 'contact.created', data: { id: 42 } });
    const timestamp = 1_700_000_000;
    const signature = await signStandardWebhook({ secret, id: 'msg_1', timestamp, body });
    const result = await verifyStandardWebhook({
      secret,
      headers: new Headers({
        'Webhook-Id': 'msg_1',
        'Webhook-Timestamp': String(timestamp),
        'Webhook-Signature': signature,
      }),
      body,
      now: () => timestamp * 1000 + 12_345,
    });
    expect(result).toEqual({ success: true, data: { id: 'msg_1', timestamp, body } });
  });

  it('matches header names case-insensitively in a plain record', async () => {
    const result = await verify({
      headers: { 'WEBHOOK-ID': ID, 'Webhook-Timestamp': String(TIMESTAMP), 'webhook-SIGNATURE': SIGNATURE },
    });
    expect(result.success).toBe(true);
  });

  it('rejects a tampered body', async () => {
    const result = await verify({ body: '{"test": 2432232315}' });
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.code).toBe('AUTH_ERROR');
  });

  it('rejects a tampered id (the id is part of the signed content)', async () => {
    const result = await verify({ headers: headers({ 'webhook-id': 'msg_other' }) });
    expect(result).toMatchObject({ success: false, error: { code: 'AUTH_ERROR' } });
  });

  it('rejects a delivery signed with another secret', async () => {
    const result = await verify({ secret: 'whsec_dGVzdC1rZXktYnl0ZXMtMTIzNDU2Nzg5MA==' });
    expect(result).toMatchObject({ success: false, error: { code: 'AUTH_ERROR' } });
  });

  it('rejects a replay older than the tolerance', async () => {
    const result = await verify({ now: () => (TIMESTAMP + 301) * 1000 });
    expect(result).toMatchObject({
      success: false,
      error: { code: 'AUTH_ERROR', field: 'webhook-timestamp' },
    });
    if (!result.success) expect(result.error.message).toMatch(/outside the tolerance/);
  });

  it('rejects a timestamp too far in the future', async () => {
    const result = await verify({ now: () => (TIMESTAMP - 301) * 1000 });
    expect(result).toMatchObject({
      success: false,
      error: { code: 'AUTH_ERROR', field: 'webhook-timestamp' },
    });
    if (!result.success) expect(result.error.message).toMatch(/outside the tolerance/);
  });

  it('accepts timestamps right at the tolerance edge, and honours toleranceSeconds', async () => {
    expect((await verify({ now: () => (TIMESTAMP + 300) * 1000 })).success).toBe(true);
    expect((await verify({ now: () => (TIMESTAMP - 300) * 1000 })).success).toBe(true);
    expect((await verify({ now: () => (TIMESTAMP + 10) * 1000, toleranceSeconds: 5 })).success).toBe(false);
    expect((await verify({ now: () => (TIMESTAMP + 3600) * 1000, toleranceSeconds: 7200 })).success).toBe(
      true,
    );
  });

  it('fails closed when the clock returns NaN', async () => {
    expect((await verify({ now: () => Number.NaN })).success).toBe(false);
  });

  it('accepts when any one v1 entry is valid and ignores other versions', async () => {
    const signature = [
      'v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      `v1a,${SIGNATURE.slice(3)}`,
      'v1,not-base64!!',
      SIGNATURE,
    ].join(' ');
    expect((await verify({ headers: headers({ 'webhook-signature': signature }) })).success).toBe(true);
  });

  it('does not accept a valid signature under another version', async () => {
    const result = await verify({ headers: headers({ 'webhook-signature': `v2,${SIGNATURE.slice(3)}` }) });
    expect(result).toMatchObject({ success: false, error: { code: 'AUTH_ERROR' } });
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])(
    'returns VALIDATION_ERROR when %s is missing or empty',
    async (name) => {
      for (const value of [undefined, '', '  ']) {
        const result = await verify({ headers: headers({ [name]: value }) });
        expect(result).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR', field: name } });
      }
    },
  );

  it.each([
    ['webhook-timestamp', '1614265330.5'],
    ['webhook-timestamp', '2021-02-25T15:02:10Z'],
    ['webhook-timestamp', '-1614265330'],
    ['webhook-signature', 'g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='],
    ['webhook-signature', 'v1, v1,'],
  ])('returns VALIDATION_ERROR for a malformed %s (%s)', async (name, value) => {
    const result = await verify({ headers: headers({ [name]: value }) });
    expect(result).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR', field: name } });
  });

  it('returns CONFIG_ERROR for a secret that is not base64 or a negative tolerance', async () => {
    expect(await verify({ secret: 'whsec_%%%' })).toMatchObject({
      success: false,
      error: { code: 'CONFIG_ERROR', field: 'secret' },
    });
    expect(await verify({ secret: '' })).toMatchObject({ success: false, error: { code: 'CONFIG_ERROR' } });
    expect(await verify({ toleranceSeconds: -1 })).toMatchObject({
      success: false,
      error: { code: 'CONFIG_ERROR', field: 'toleranceSeconds' },
    });
  });

  it('never puts the secret or the signature in an error', async () => {
    const secret = 'whsec_c2VjcmV0LWtleS1ieXRlcy1kby1ub3QtbGVhaw==';
    const cases: Partial<VerifyStandardWebhookOptions>[] = [
      { secret },
      { secret, now: () => 0 },
      { secret, headers: headers({ 'webhook-id': undefined }) },
      { secret, headers: headers({ 'webhook-signature': 'garbage' }) },
      { secret: 'whsec_%%%secret-that-does-not-decode' },
    ];
    for (const overrides of cases) {
      const result = await verify(overrides);
      expect(result.success).toBe(false);
      if (result.success) continue;
      const text = `${result.error.message} ${JSON.stringify(result.error)} ${String(result.error.stack)}`;
      for (const leak of [secret, secret.slice(6), 'secret-that-does-not-decode', SIGNATURE.slice(3)]) {
        expect(text).not.toContain(leak);
      }
    }
  });
});
