import { gunzipSync } from 'node:zlib';
import { IntegrationError, type Logger } from '@patchbay/core';
import { createMemoryStore } from '@patchbay/core/store';
import { hostileValues } from '@patchbay/core/testing';
import { createPostHogEmulator, type EmulatorReply, type PostHogEmulator } from '@patchbay/emulators';
import { afterEach, describe, expect, it } from 'vitest';
import { createPostHogCapture, type PostHogCaptureOptions } from './capture.ts';

const KEY = 'phc_capture_test_key_0123456789';
const captures: { shutdown(options?: { timeoutMs?: number }): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(captures.splice(0).map((capture) => capture.shutdown({ timeoutMs: 0 })));
});

// The emulator's handler answers a Response or a network fault; fetch turns a reset into the TypeError it throws.
async function toResponse(reply: EmulatorReply): Promise<Response> {
  if (reply instanceof Response) return reply;
  if (reply.kind === 'reset') throw new TypeError('fetch failed: connection reset');
  return new Promise<Response>(() => {});
}

type Refuse = (body: string) => Response | undefined;

function setUp(options: Partial<PostHogCaptureOptions> = {}, emulatorOptions = {}, refuse?: Refuse) {
  const emulator = createPostHogEmulator({ projectKey: KEY, ...emulatorOptions });
  const store = createMemoryStore();
  const requests: { encoding: string | null }[] = [];
  const fetchEmulator: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    requests.push({ encoding: request.headers.get('content-encoding') });
    if (refuse) {
      const body = gunzipSync(new Uint8Array(await request.clone().arrayBuffer())).toString('utf8');
      const refusal = refuse(body);
      if (refusal) return refusal;
    }
    return toResponse(await emulator.handler(request));
  };
  const capture = createPostHogCapture({
    projectApiKey: KEY,
    host: emulator.baseUrl,
    store,
    fetch: fetchEmulator,
    flushIntervalMs: 60_000,
    ...options,
  });
  captures.push(capture);
  return { emulator, store, capture, requests };
}

const event = (index: number, extra: Record<string, unknown> = {}) => ({
  event: 'page_viewed',
  distinctId: `user-${index % 7}`,
  properties: { index, ...extra },
});

async function captureAll(capture: ReturnType<typeof createPostHogCapture>, count: number, extra = {}) {
  const results = await Promise.all(
    Array.from({ length: count }, (_, index) => capture.capture(event(index, extra))),
  );
  for (const result of results) if (!result.success) throw result.error;
  return results.map((result) => (result.success ? result.data.uuid : ''));
}

const uuidsIn = (emulator: PostHogEmulator) => new Set(emulator.events().map((stored) => stored.uuid));

describe('createPostHogCapture', () => {
  it('resolves once the event is in the outbox, then sends it gzipped to /batch/ with its properties', async () => {
    const { emulator, store, capture, requests } = setUp();
    const captured = await capture.capture({
      event: 'signed_up',
      distinctId: 'user-1',
      properties: { plan: 'pro' },
    });
    if (!captured.success) throw captured.error;
    const stats = await store.queue.stats('posthog-capture');
    expect(stats.success && stats.data.count).toBe(1);
    const flushed = await capture.flush();
    expect(flushed).toEqual({ success: true, data: { sent: 1 } });
    const [stored] = emulator.eventsByUuid(captured.data.uuid);
    expect(stored).toMatchObject({
      event: 'signed_up',
      distinct_id: 'user-1',
      properties: { plan: 'pro', $lib: '@patchbay/posthog' },
      token: KEY,
      path: '/batch/',
    });
    expect(requests.at(-1)?.encoding).toBe('gzip');
    expect(capture.stats()).toMatchObject({ captured: 1, sent: 1, requests: 1, outbox: 0, lastError: null });
  });

  it('sends a burst of 3 000 events in 3 requests, one per full batch, without waiting for the timer', async () => {
    const { emulator, capture } = setUp({ batchSize: 1_000 });
    const uuids = await captureAll(capture, 3_000);
    const flushed = await capture.flush();
    expect(flushed.success).toBe(true);
    expect(uuidsIn(emulator)).toEqual(new Set(uuids));
    expect(emulator.counters.snapshot().total).toBe(3);
  });

  it('sends a partial batch when the flush interval passes', async () => {
    const { emulator, capture } = setUp({ flushIntervalMs: 20 });
    await captureAll(capture, 5);
    await expect.poll(() => emulator.events().length, { timeout: 2_000 }).toBe(5);
  });

  it('refuses an invalid or oversized event at capture(), storing nothing', async () => {
    const { store, capture } = setUp({ maxEventBytes: 2_000 });
    const nameless = await capture.capture({ distinctId: 'u' } as never);
    expect(!nameless.success && [nameless.error.code, nameless.error.field]).toEqual([
      'VALIDATION_ERROR',
      'event',
    ]);
    const big = await capture.capture({
      event: 'x',
      distinctId: 'u',
      properties: { blob: 'a'.repeat(3_000) },
    });
    expect(!big.success && big.error.field).toBe('properties');
    const stats = await store.queue.stats('posthog-capture');
    expect(stats.success && stats.data.count).toBe(0);
  });

  it('halves a batch PostHog refuses with 413 until the oversized event stands alone, and dead-letters only it', async () => {
    const { emulator, store, capture } = setUp({}, { maxEventBytes: 4_000 });
    const small = await captureAll(capture, 20);
    const big = await capture.capture({
      event: 'x',
      distinctId: 'u',
      properties: { blob: 'b'.repeat(5_000) },
    });
    if (!big.success) throw big.error;
    const flushed = await capture.flush();
    expect(flushed.success).toBe(true);
    expect(uuidsIn(emulator)).toEqual(new Set(small));
    expect(capture.stats().rejected).toBe(1);
    const dead = await store.queue.claim('posthog-capture:dead', { owner: 't', limit: 10, leaseMs: 1_000 });
    if (!dead.success) throw dead.error;
    expect(dead.data.map((message) => message.id)).toEqual([big.data.uuid]);
    expect(JSON.parse(dead.data[0]?.payload ?? '{}').error.status).toBe(413);
  });

  it('isolates an event a 400 refuses the whole batch for, and sends the rest', async () => {
    // The current capture service refuses a whole batch for one bad event (wire notes); capture() checks what
    // it can, and a refusal it could not foresee is narrowed down to the one event by halving.
    const { emulator, store, capture } = setUp({}, {}, (body) =>
      body.includes('"poison"') ? new Response('Invalid event', { status: 400 }) : undefined,
    );
    const good = await captureAll(capture, 9);
    const poisoned = await capture.capture({ event: 'poison', distinctId: 'u' });
    if (!poisoned.success) throw poisoned.error;
    const flushed = await capture.flush();
    expect(flushed.success).toBe(true);
    expect(uuidsIn(emulator)).toEqual(new Set(good));
    expect(capture.stats()).toMatchObject({ rejected: 1, sent: 9 });
    const dead = await store.queue.stats('posthog-capture:dead');
    expect(dead.success && dead.data.count).toBe(1);
  });

  it('keeps events through 429s, honouring Retry-After, and loses none', async () => {
    const { emulator, capture } = setUp({ batchSize: 100 }, { rateLimit: { limit: 2, windowMs: 300 } });
    const uuids = await captureAll(capture, 500);
    const flushed = await capture.flush({ timeoutMs: 20_000 });
    expect(flushed.success).toBe(true);
    expect(uuidsIn(emulator)).toEqual(new Set(uuids));
    expect(emulator.counters.snapshot().byRoute['POST /batch/']?.byOutcome['429']).toBeGreaterThan(0);
    expect(capture.stats().retries).toBeGreaterThan(0);
  });

  it('keeps events through 5xx, resets and malformed answers, retrying until every one arrives', async () => {
    const { emulator, capture } = setUp({ batchSize: 50, retryDelay: { initialDelayMs: 5, maxDelayMs: 20 } });
    emulator.faults.inject({ kind: 'error', status: 503, rate: 0.3 });
    emulator.faults.inject({ kind: 'reset', rate: 0.1 });
    emulator.faults.inject({ kind: 'commit-then-fail', rate: 0.1 });
    const uuids = await captureAll(capture, 1_000);
    const flushed = await capture.flush({ timeoutMs: 20_000 });
    expect(flushed.success).toBe(true);
    expect(uuidsIn(emulator)).toEqual(new Set(uuids));
    // A commit-then-fail sends a batch twice: PostHog drops repeats by uuid; the emulator counts them.
    expect(emulator.events().length).toBe(uuids.length + emulator.duplicateCount());
    expect(capture.stats().retries).toBeGreaterThan(0);
  });

  it('keeps every event when the key is refused, and says so in flush() and stats()', async () => {
    const { emulator, store, capture } = setUp({ projectApiKey: 'phc_wrong_key_000000000000' });
    await captureAll(capture, 10);
    const flushed = await capture.flush({ timeoutMs: 200 });
    expect(!flushed.success && flushed.error.code).toBe('AUTH_ERROR');
    expect(!flushed.success && flushed.error.message).toContain('10 events are still in the outbox');
    expect(capture.stats().lastError?.code).toBe('AUTH_ERROR');
    const stats = await store.queue.stats('posthog-capture');
    expect(stats.success && stats.data.count).toBe(10);
    expect(emulator.events()).toEqual([]);
  });

  it('fails fast with RATE_LIMIT when the outbox is full and whenFull is error', async () => {
    const { emulator, capture } = setUp({ maxQueueSize: 10, whenFull: 'error' });
    emulator.faults.inject({ kind: 'error', status: 503 });
    await captureAll(capture, 10);
    const refused = await capture.capture(event(11));
    expect(!refused.success && refused.error.code).toBe('RATE_LIMIT');
    expect(!refused.success && refused.error.message).toContain('maxQueueSize 10');
  });

  it('waits for room when the outbox is full (backpressure), then stores the event', async () => {
    const { emulator, capture } = setUp({
      maxQueueSize: 10,
      retryDelay: { initialDelayMs: 10, maxDelayMs: 10 },
    });
    const down = emulator.faults.inject({ kind: 'error', status: 503 });
    await captureAll(capture, 10);
    const waiting = capture.capture(event(11));
    setTimeout(() => down.remove(), 100);
    const stored = await waiting;
    expect(stored.success).toBe(true);
    expect((await capture.flush()).success).toBe(true);
    expect(emulator.events().length).toBe(11);
  });

  it('serverless: no timer; each commit starts a send handed to waitUntil', async () => {
    const pending: Promise<unknown>[] = [];
    const { emulator, capture } = setUp({ serverless: { waitUntil: (promise) => pending.push(promise) } });
    const uuids = await captureAll(capture, 3);
    expect(pending.length).toBeGreaterThan(0);
    await Promise.all(pending);
    expect(uuidsIn(emulator)).toEqual(new Set(uuids));
  });

  it('shutdown flushes, then refuses new events', async () => {
    const { emulator, capture } = setUp();
    await captureAll(capture, 7);
    const done = await capture.shutdown();
    expect(done).toEqual({ success: true, data: { sent: 7, pending: 0 } });
    expect(emulator.events().length).toBe(7);
    const late = await capture.capture(event(1));
    expect(!late.success && late.error.message).toContain('shut down');
  });

  it('never lets the key out: errors, logs, stats and JSON', async () => {
    const lines: string[] = [];
    const logger: Logger = {
      debug: (message, fields) => lines.push(message + JSON.stringify(fields)),
      info: (message, fields) => lines.push(message + JSON.stringify(fields)),
      warn: (message, fields) => lines.push(message + JSON.stringify(fields)),
      error: (message, fields) => lines.push(message + JSON.stringify(fields)),
    };
    const secret = 'phc_this_key_must_never_leak_42';
    const { capture } = setUp({ projectApiKey: secret, logger });
    await captureAll(capture, 3);
    const flushed = await capture.flush({ timeoutMs: 100 });
    const seen = [
      JSON.stringify(flushed),
      !flushed.success ? `${flushed.error.stack} ${String(flushed.error.cause)}` : '',
      JSON.stringify(capture.stats()),
      JSON.stringify(capture),
      lines.join('\n'),
    ].join('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(seen).not.toContain(secret);
  });

  it('is a CONFIG_ERROR naming the field for bad options, never echoing the key', () => {
    const config = (options: unknown) => {
      try {
        createPostHogCapture(options as PostHogCaptureOptions);
      } catch (error) {
        expect(error).toBeInstanceOf(IntegrationError);
        return [(error as IntegrationError).code, (error as IntegrationError).field];
      }
      return ['created'];
    };
    expect(config({})).toEqual(['CONFIG_ERROR', 'projectApiKey']);
    expect(config({ projectApiKey: KEY, host: 'ftp://x' })).toEqual(['CONFIG_ERROR', 'host']);
    expect(config({ projectApiKey: KEY, batchSize: 0, store: createMemoryStore() })).toEqual([
      'CONFIG_ERROR',
      'batchSize',
    ]);
    expect(config({ projectApiKey: KEY, whenFull: 'drop', store: createMemoryStore() })).toEqual([
      'CONFIG_ERROR',
      'whenFull',
    ]);
    for (const [, value] of hostileValues()) {
      expect(() => {
        try {
          createPostHogCapture(value as PostHogCaptureOptions);
        } catch (error) {
          if (!(error instanceof IntegrationError)) throw error;
        }
      }).not.toThrow();
    }
  });

  it('answers a store without a queue with CONFIG_ERROR from every call', async () => {
    const capture = createPostHogCapture({ projectApiKey: KEY, store: {} as never, flushIntervalMs: 60_000 });
    captures.push(capture);
    const result = await capture.capture(event(1));
    expect(!result.success && [result.error.code, result.error.field]).toEqual(['CONFIG_ERROR', 'store']);
  });

  it('never rejects on hostile events', async () => {
    const { capture } = setUp();
    for (const [, value] of hostileValues()) {
      const result = await capture.capture(value as never);
      expect(result.success).toBe(false);
    }
  });
});
