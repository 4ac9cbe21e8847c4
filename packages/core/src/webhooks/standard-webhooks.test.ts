import { describe, expect, it } from 'vitest';
import { type ErrorCode, IntegrationError } from '../result/errors.ts';
import { err, ok } from '../result/result.ts';
import { Secret } from '../secrets/secret.ts';
import { createMemorySeenIdStore, type SeenIdStore } from '../store/seen-id-store.ts';
import { hostileClocks, throwingProxy } from '../testing/hostile-values.ts';
import { expectRefusal } from '../testing/refusals.ts';
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

// Every shape a server framework or a careless caller can hand over: the verifier answers a result for each,
// never throws or rejects, and accepts only a delivery that really verifies.
describe('verifyStandardWebhook against hostile input', () => {
  const YEAR_MS = 365 * 24 * 3600 * 1000;
  const throwing = throwingProxy();
  const nodeHeaders = () => {
    // Node's IncomingHttpHeaders: a prototype-less object with lower-case names.
    const record = Object.create(null) as Record<string, string | string[] | undefined>;
    Object.assign(record, headers());
    return record;
  };
  const base = () =>
    ({ secret: SECRET, headers: headers(), body: BODY, now: NOW }) as Record<string, unknown>;

  const accepted: [string, () => Record<string, unknown>][] = [
    ['Fetch Headers', () => ({ ...base(), headers: new Headers(headers() as Record<string, string>) })],
    ['Node IncomingHttpHeaders', () => ({ ...base(), headers: nodeHeaders() })],
    [
      'one-element array values',
      () => ({
        ...base(),
        headers: {
          'webhook-id': [ID],
          'webhook-timestamp': [String(TIMESTAMP)],
          'webhook-signature': [SIGNATURE],
        },
      }),
    ],
    [
      'extra null and undefined headers',
      () => ({ ...base(), headers: { ...headers(), 'x-null': null, 'x-undefined': undefined } }),
    ],
    ['the body as a Uint8Array', () => ({ ...base(), body: new TextEncoder().encode(BODY) })],
    ['the body as an ArrayBuffer', () => ({ ...base(), body: new TextEncoder().encode(BODY).buffer })],
    [
      'the body as a view into a larger buffer',
      () => {
        const bytes = new TextEncoder().encode(`xx${BODY}yy`);
        return { ...base(), body: bytes.subarray(2, bytes.length - 2) };
      },
    ],
    [
      'the secret in a Secret from another copy of the package',
      () => ({ ...base(), secret: { reveal: () => SECRET } }),
    ],
  ];

  it.each(accepted)('accepts %s', async (_label, build) => {
    const result = await verifyStandardWebhook(build() as never);
    expect(result).toEqual({ success: true, data: { id: ID, timestamp: TIMESTAMP, body: BODY } });
  });

  type Refused = [string, () => unknown, ErrorCode, string | undefined];
  const refused: Refused[] = [
    ['no options', () => undefined, 'VALIDATION_ERROR', 'options'],
    ['null options', () => null, 'VALIDATION_ERROR', 'options'],
    ['a string as options', () => 'options', 'VALIDATION_ERROR', 'options'],
    ['options whose getters throw', () => throwing, 'VALIDATION_ERROR', 'options.secret'],
    ['null headers', () => ({ ...base(), headers: null }), 'VALIDATION_ERROR', 'headers'],
    ['undefined headers', () => ({ ...base(), headers: undefined }), 'VALIDATION_ERROR', 'headers'],
    ['a number as headers', () => ({ ...base(), headers: 42 }), 'VALIDATION_ERROR', 'headers'],
    ['a string as headers', () => ({ ...base(), headers: 'webhook-id: x' }), 'VALIDATION_ERROR', 'headers'],
    ['headers whose getters throw', () => ({ ...base(), headers: throwing }), 'VALIDATION_ERROR', 'headers'],
    ['an array as headers', () => ({ ...base(), headers: [ID] }), 'VALIDATION_ERROR', 'webhook-id'],
    [
      'null header values',
      () => ({
        ...base(),
        headers: { 'webhook-id': null, 'webhook-timestamp': null, 'webhook-signature': null },
      }),
      'VALIDATION_ERROR',
      'webhook-id',
    ],
    [
      'a number header value',
      () => ({ ...base(), headers: headers({ 'webhook-timestamp': TIMESTAMP as never }) }),
      'VALIDATION_ERROR',
      'webhook-timestamp',
    ],
    [
      'an array with a non-string',
      () => ({ ...base(), headers: { ...headers(), 'webhook-id': [ID, 7] } }),
      'VALIDATION_ERROR',
      'webhook-id',
    ],
    [
      'two different ids',
      () => ({ ...base(), headers: { ...headers(), 'webhook-id': [ID, 'msg_other'] } }),
      'AUTH_ERROR',
      'webhook-signature',
    ],
    [
      'two timestamps',
      () => ({ ...base(), headers: { ...headers(), 'webhook-timestamp': [String(TIMESTAMP), '1'] } }),
      'VALIDATION_ERROR',
      'webhook-timestamp',
    ],
    [
      'an empty array',
      () => ({ ...base(), headers: { ...headers(), 'webhook-signature': [] } }),
      'VALIDATION_ERROR',
      'webhook-signature',
    ],
    [
      'a Headers-like get that throws',
      () => ({
        ...base(),
        headers: {
          get: () => {
            throw new Error('x');
          },
        },
      }),
      'VALIDATION_ERROR',
      'headers',
    ],
    ['a null body', () => ({ ...base(), body: null }), 'VALIDATION_ERROR', 'body'],
    ['an undefined body', () => ({ ...base(), body: undefined }), 'VALIDATION_ERROR', 'body'],
    ['a number body', () => ({ ...base(), body: 2432232314 }), 'VALIDATION_ERROR', 'body'],
    ['a parsed JSON body', () => ({ ...base(), body: JSON.parse(BODY) }), 'VALIDATION_ERROR', 'body'],
    ['an empty secret', () => ({ ...base(), secret: '' }), 'CONFIG_ERROR', 'secret'],
    ['a number secret', () => ({ ...base(), secret: 42 }), 'CONFIG_ERROR', 'secret'],
    ['a null secret', () => ({ ...base(), secret: null }), 'CONFIG_ERROR', 'secret'],
    ['an undefined secret', () => ({ ...base(), secret: undefined }), 'CONFIG_ERROR', 'secret'],
    ['an empty Secret', () => ({ ...base(), secret: new Secret('') }), 'CONFIG_ERROR', 'secret'],
    ['a Uint8Array secret', () => ({ ...base(), secret: new Uint8Array(24) }), 'CONFIG_ERROR', 'secret'],
    [
      'a secret whose reveal throws',
      () => ({
        ...base(),
        secret: {
          reveal: () => {
            throw new Error('x');
          },
        },
      }),
      'CONFIG_ERROR',
      'secret',
    ],
    [
      'a NaN tolerance',
      () => ({ ...base(), toleranceSeconds: Number.NaN }),
      'CONFIG_ERROR',
      'toleranceSeconds',
    ],
    [
      'an infinite tolerance',
      () => ({ ...base(), toleranceSeconds: Number.POSITIVE_INFINITY }),
      'CONFIG_ERROR',
      'toleranceSeconds',
    ],
    ['a negative tolerance', () => ({ ...base(), toleranceSeconds: -1 }), 'CONFIG_ERROR', 'toleranceSeconds'],
    [
      'a string tolerance',
      () => ({ ...base(), toleranceSeconds: '300' }),
      'CONFIG_ERROR',
      'toleranceSeconds',
    ],
    ['a null tolerance', () => ({ ...base(), toleranceSeconds: null }), 'CONFIG_ERROR', 'toleranceSeconds'],
    ...hostileClocks().map(
      ([label, now]): Refused => [label, () => ({ ...base(), now }), 'CONFIG_ERROR', 'now'],
    ),
    [
      'a year-old delivery',
      () => ({ ...base(), now: () => TIMESTAMP * 1000 + YEAR_MS }),
      'AUTH_ERROR',
      'webhook-timestamp',
    ],
    [
      'a year-old delivery with a NaN clock',
      () => ({ ...base(), now: () => Number.NaN + YEAR_MS }),
      'CONFIG_ERROR',
      'now',
    ],
    [
      'a year-old delivery with a NaN tolerance',
      () => ({ ...base(), now: () => TIMESTAMP * 1000 + YEAR_MS, toleranceSeconds: Number.NaN }),
      'CONFIG_ERROR',
      'toleranceSeconds',
    ],
    [
      'a year-old delivery with an infinite tolerance',
      () => ({
        ...base(),
        now: () => TIMESTAMP * 1000 + YEAR_MS,
        toleranceSeconds: Number.POSITIVE_INFINITY,
      }),
      'CONFIG_ERROR',
      'toleranceSeconds',
    ],
    [
      'thousands of signature entries',
      () => ({
        ...base(),
        headers: headers({ 'webhook-signature': `${'v1,AAAA '.repeat(5_000)}${SIGNATURE}` }),
      }),
      'AUTH_ERROR',
      'webhook-signature',
    ],
  ];

  it.each(refused)('refuses %s', async (_label, build, code, field) => {
    expectRefusal(await verifyStandardWebhook(build() as never), { code, field, hidden: [SECRET.slice(6)] });
  });
});

describe('verifyStandardWebhook with replay protection', () => {
  const recordingStore = () => {
    const calls: { key: string; ttlMs: number }[] = [];
    const inner = createMemorySeenIdStore();
    const store: SeenIdStore = {
      markSeen: (key, options) => {
        calls.push({ key, ttlMs: options.ttlMs });
        return inner.markSeen(key, options);
      },
    };
    return { store, calls };
  };

  it('accepts a delivery once, then refuses it as CONFLICT on webhook-id', async () => {
    const { store, calls } = recordingStore();
    expect((await verify({ replay: { store } })).success).toBe(true);
    const again = await verify({ replay: { store } });
    expect(again).toMatchObject({
      success: false,
      error: { code: 'CONFLICT', field: 'webhook-id', retryable: false },
    });
    // Remembered for twice the tolerance plus a minute, under the verifier's namespace.
    expect(calls).toEqual([
      { key: `standard-webhooks:${ID}`, ttlMs: 660_000 },
      { key: `standard-webhooks:${ID}`, ttlMs: 660_000 },
    ]);
  });

  it('records only verified deliveries: a forgery with a real id does not use it up', async () => {
    const { store, calls } = recordingStore();
    const forged = await verify({
      replay: { store },
      headers: headers({ 'webhook-signature': 'v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' }),
    });
    expect(forged).toMatchObject({ success: false, error: { code: 'AUTH_ERROR' } });
    const stale = await verify({ replay: { store }, now: () => (TIMESTAMP + 3_600) * 1000 });
    expect(stale).toMatchObject({ success: false, error: { code: 'AUTH_ERROR' } });
    expect(calls).toEqual([]);
    expect((await verify({ replay: { store } })).success).toBe(true);
  });

  it('takes a longer ttlMs and a namespace, never a TTL shorter than the window', async () => {
    const { store, calls } = recordingStore();
    await verify({ replay: { store, ttlMs: 86_400_000, namespace: 'acme' } });
    await verify({ replay: { store, ttlMs: 1_000, namespace: 'other' }, toleranceSeconds: 60 });
    expect(calls).toEqual([
      { key: `acme:${ID}`, ttlMs: 86_400_000 },
      { key: `other:${ID}`, ttlMs: 180_000 },
    ]);
  });

  it.each([
    ['a store that rejects', async () => Promise.reject(new Error('connection reset'))],
    [
      'a store that throws',
      () => {
        throw new Error('boom');
      },
    ],
    ['a store that answers a failure', async () => err(new IntegrationError('NETWORK_ERROR', 'down'))],
    ['a store that answers garbage', async () => 'yes' as never],
    ['a store that answers a non-boolean', async () => ok('maybe' as never)],
  ])('fails closed with a retryable OPERATION_FAILED on %s', async (_label, markSeen) => {
    const result = await verify({ replay: { store: { markSeen } as SeenIdStore } });
    expect(result).toMatchObject({
      success: false,
      error: { code: 'OPERATION_FAILED', field: 'replay.store', retryable: true },
    });
  });

  it.each([
    ['not an object', 'memory', 'replay'],
    ['no store', {}, 'replay.store'],
    ['a store without markSeen', { store: {} }, 'replay.store'],
    ['a NaN ttlMs', { store: createMemorySeenIdStore(), ttlMs: Number.NaN }, 'replay.ttlMs'],
    ['a negative ttlMs', { store: createMemorySeenIdStore(), ttlMs: -1 }, 'replay.ttlMs'],
    ['an empty namespace', { store: createMemorySeenIdStore(), namespace: '' }, 'replay.namespace'],
  ])(
    'refuses replay options with %s as CONFIG_ERROR, before anything else',
    async (_label, replay, field) => {
      const result = await verify({ replay: replay as never, headers: {} });
      expect(result).toMatchObject({ success: false, error: { code: 'CONFIG_ERROR', field } });
    },
  );

  it('lets exactly one of many concurrent deliveries of one id through', async () => {
    const store = createMemorySeenIdStore();
    const results = await Promise.all(Array.from({ length: 20 }, () => verify({ replay: { store } })));
    expect(results.filter((result) => result.success)).toHaveLength(1);
    expect(results.filter((result) => !result.success && result.error.code === 'CONFLICT')).toHaveLength(19);
  });
});
