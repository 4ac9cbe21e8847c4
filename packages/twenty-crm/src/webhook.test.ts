import { createHmac } from 'node:crypto';
import { createMemorySeenIdStore, type ErrorCode, Secret, type SeenIdStore } from '@patchbay/core';
import { expectRefusal, hostileClocks, throwingProxy } from '@patchbay/core/testing';
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

// Every header shape, body type, secret and option a caller can pass: the verifier answers a result for each,
// never throws or rejects, and fails closed.
describe('verifyTwentyWebhook against hostile input', () => {
  const YEAR_MS = 365 * 24 * 3600 * 1000;
  const stamp = String(now);
  const throwing = throwingProxy();
  const base = () => ({ secret, headers: headers(stamp), body, now: () => now }) as Record<string, unknown>;
  const lower = () => ({ 'x-twenty-webhook-timestamp': stamp, 'x-twenty-webhook-signature': sign(stamp) });
  const aYearAgo = String(now - YEAR_MS);
  const stale = () => ({ ...base(), headers: headers(aYearAgo) });

  const accepted: [string, () => Record<string, unknown>][] = [
    ['Fetch Headers', () => ({ ...base(), headers: new Headers(headers(stamp)) })],
    [
      'Node IncomingHttpHeaders',
      () => ({ ...base(), headers: Object.assign(Object.create(null) as object, lower()) }),
    ],
    [
      'one-element array values',
      () => ({
        ...base(),
        headers: { 'x-twenty-webhook-timestamp': [stamp], 'x-twenty-webhook-signature': [sign(stamp)] },
      }),
    ],
    [
      'extra null headers',
      () => ({ ...base(), headers: { ...lower(), 'x-other': null, 'x-gone': undefined } }),
    ],
    ['the body as a Buffer-like Uint8Array', () => ({ ...base(), body: new TextEncoder().encode(body) })],
    ['the body as an ArrayBuffer', () => ({ ...base(), body: new TextEncoder().encode(body).buffer })],
    ['the secret as a Secret', () => ({ ...base(), secret: new Secret(secret) })],
    ['a Secret from another copy of core', () => ({ ...base(), secret: { reveal: () => secret } })],
  ];

  it.each(accepted)('accepts %s', async (_label, build) => {
    const result = await verifyTwentyWebhook(build() as never);
    expect(result).toEqual({ success: true, data: { timestamp: now, payload: JSON.parse(body) } });
  });

  type Refused = [string, () => unknown, ErrorCode, string];
  const refused: Refused[] = [
    ['no options', () => undefined, 'VALIDATION_ERROR', 'options'],
    ['null options', () => null, 'VALIDATION_ERROR', 'options'],
    ['options whose getters throw', () => throwing, 'VALIDATION_ERROR', 'options'],
    ['null headers', () => ({ ...base(), headers: null }), 'VALIDATION_ERROR', 'headers'],
    ['undefined headers', () => ({ ...base(), headers: undefined }), 'VALIDATION_ERROR', 'headers'],
    ['a number as headers', () => ({ ...base(), headers: 7 }), 'VALIDATION_ERROR', 'headers'],
    ['headers whose getters throw', () => ({ ...base(), headers: throwing }), 'VALIDATION_ERROR', 'headers'],
    [
      'null header values',
      () => ({
        ...base(),
        headers: { 'x-twenty-webhook-signature': null, 'x-twenty-webhook-timestamp': null },
      }),
      'VALIDATION_ERROR',
      'x-twenty-webhook-signature',
    ],
    [
      'two signatures',
      () => ({ ...base(), headers: { ...lower(), 'x-twenty-webhook-signature': [sign(stamp), 'ab'] } }),
      'AUTH_ERROR',
      'x-twenty-webhook-signature',
    ],
    [
      'two timestamps',
      () => ({ ...base(), headers: { ...lower(), 'x-twenty-webhook-timestamp': [stamp, stamp] } }),
      'VALIDATION_ERROR',
      'x-twenty-webhook-timestamp',
    ],
    [
      'a number header value',
      () => ({ ...base(), headers: { ...lower(), 'x-twenty-webhook-timestamp': now } }),
      'VALIDATION_ERROR',
      'x-twenty-webhook-timestamp',
    ],
    [
      'an object header value',
      () => ({ ...base(), headers: { ...lower(), 'x-twenty-webhook-signature': { value: 'x' } } }),
      'VALIDATION_ERROR',
      'x-twenty-webhook-signature',
    ],
    ['a null body', () => ({ ...base(), body: null }), 'VALIDATION_ERROR', 'body'],
    ['a number body', () => ({ ...base(), body: 42 }), 'VALIDATION_ERROR', 'body'],
    ['a parsed body', () => ({ ...base(), body: JSON.parse(body) }), 'VALIDATION_ERROR', 'body'],
    ['an empty secret', () => ({ ...base(), secret: '' }), 'CONFIG_ERROR', 'secret'],
    ['an empty Secret', () => ({ ...base(), secret: new Secret('') }), 'CONFIG_ERROR', 'secret'],
    ['a number secret', () => ({ ...base(), secret: 42 }), 'CONFIG_ERROR', 'secret'],
    ['a null secret', () => ({ ...base(), secret: null }), 'CONFIG_ERROR', 'secret'],
    ['an undefined secret', () => ({ ...base(), secret: undefined }), 'CONFIG_ERROR', 'secret'],
    ['an object secret', () => ({ ...base(), secret: {} }), 'CONFIG_ERROR', 'secret'],
    ['a NaN tolerance', () => ({ ...base(), toleranceMs: Number.NaN }), 'CONFIG_ERROR', 'toleranceMs'],
    [
      'an infinite tolerance',
      () => ({ ...base(), toleranceMs: Number.POSITIVE_INFINITY }),
      'CONFIG_ERROR',
      'toleranceMs',
    ],
    ['a negative tolerance', () => ({ ...base(), toleranceMs: -1 }), 'CONFIG_ERROR', 'toleranceMs'],
    ['a string tolerance', () => ({ ...base(), toleranceMs: '300000' }), 'CONFIG_ERROR', 'toleranceMs'],
    ...hostileClocks().map(
      ([label, now]): Refused => [label, () => ({ ...base(), now }), 'CONFIG_ERROR', 'now'],
    ),
    ['a year-old delivery', stale, 'AUTH_ERROR', 'x-twenty-webhook-timestamp'],
    ['a year-old delivery, NaN clock', () => ({ ...stale(), now: () => Number.NaN }), 'CONFIG_ERROR', 'now'],
    [
      'a year-old delivery, NaN tolerance',
      () => ({ ...stale(), toleranceMs: Number.NaN }),
      'CONFIG_ERROR',
      'toleranceMs',
    ],
    [
      'a year-old delivery, infinite tolerance',
      () => ({ ...stale(), toleranceMs: Number.POSITIVE_INFINITY }),
      'CONFIG_ERROR',
      'toleranceMs',
    ],
  ];

  it.each(refused)('refuses %s', async (_label, build, code, field) => {
    expectRefusal(await verifyTwentyWebhook(build() as never), { code, field, hidden: [secret] });
  });
});

describe('verifyTwentyWebhook with replay protection', () => {
  it('accepts a delivery once; the same delivery again is CONFLICT, whatever the signature case', async () => {
    const store = createMemorySeenIdStore();
    const stamp = String(now);
    const first = await verifyTwentyWebhook({
      secret,
      headers: headers(stamp),
      body,
      now: () => now,
      replay: { store },
    });
    expect(first.success).toBe(true);
    for (const signature of [sign(stamp), sign(stamp).toUpperCase()]) {
      const again = await verifyTwentyWebhook({
        secret,
        headers: headers(stamp, signature),
        body,
        now: () => now,
        replay: { store },
      });
      expect(again).toMatchObject({
        success: false,
        error: { code: 'CONFLICT', field: 'x-twenty-webhook-signature', retryable: false },
      });
    }
    // A new delivery (Twenty signs each with its own timestamp) is not a replay.
    const next = String(now + 1_000);
    expect(
      (await verifyTwentyWebhook({ secret, headers: headers(next), body, now: () => now, replay: { store } }))
        .success,
    ).toBe(true);
  });

  it('keys by the signature under "twenty:", for twice the tolerance plus a minute', async () => {
    const calls: { key: string; ttlMs: number }[] = [];
    const store: SeenIdStore = {
      markSeen: async (key, options) => {
        calls.push({ key, ttlMs: options.ttlMs });
        return { success: true, data: true };
      },
    };
    const stamp = String(now);
    await verifyTwentyWebhook({ secret, headers: headers(stamp), body, now: () => now, replay: { store } });
    expect(calls).toEqual([{ key: `twenty:${sign(stamp)}`, ttlMs: 660_000 }]);
  });

  it('records nothing for a forged or stale delivery, and fails closed when the store fails', async () => {
    const store = createMemorySeenIdStore();
    const stamp = String(now);
    const forged = await verifyTwentyWebhook({
      secret: 'another-secret-123',
      headers: headers(stamp),
      body,
      now: () => now,
      replay: { store },
    });
    expect(forged).toMatchObject({ success: false, error: { code: 'AUTH_ERROR' } });
    expect(store.size).toBe(0);
    const broken = await verifyTwentyWebhook({
      secret,
      headers: headers(stamp),
      body,
      now: () => now,
      replay: { store: { markSeen: async () => Promise.reject(new Error('down')) } },
    });
    expect(broken).toMatchObject({ success: false, error: { code: 'OPERATION_FAILED', retryable: true } });
    const config = await verifyTwentyWebhook({
      secret,
      headers: headers(stamp),
      body,
      now: () => now,
      replay: { store: {} as SeenIdStore },
    });
    expect(config).toMatchObject({ success: false, error: { code: 'CONFIG_ERROR', field: 'replay.store' } });
  });
});
