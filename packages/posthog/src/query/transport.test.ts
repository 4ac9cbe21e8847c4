import { createHttpClient, IntegrationError } from '@patchbay/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { json, recordingFetch, type SeenRequest, TEST_HOST } from '../../test-support/query-fetch.ts';
import { mapPostHogError } from '../posthog-errors.ts';
import { createQueryLimits, type QueryLimits } from './limits.ts';
import { createQueryTransport } from './transport.ts';

const retry = { retries: 3, initialDelayMs: 1_000, maxDelayMs: 30_000, maxRetryAfterMs: 60_000 };

function transportOn(
  respond: (request: SeenRequest, index: number) => Response | Promise<Response>,
  options: { limits?: QueryLimits; hooks?: { beforeRetry?: (event: unknown) => void } } = {},
) {
  const { fetch, seen } = recordingFetch(respond);
  const http = createHttpClient({ baseUrl: TEST_HOST, fetch, retry: false, mapError: mapPostHogError });
  return {
    transport: createQueryTransport({ http, limits: options.limits, retry, hooks: options.hooks }),
    seen,
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createQueryTransport', () => {
  it("waits out a 429's Retry-After exactly, then succeeds", async () => {
    const { transport, seen } = transportOn((_, index) =>
      index === 0
        ? json({ type: 'throttled_error', detail: 'Request was throttled.' }, 429, { 'retry-after': '5' })
        : json({ ok: 1 }),
    );
    const pending = transport.send('GET', '/x');
    await vi.runAllTimersAsync();
    expect(await pending).toMatchObject({ success: true, data: { data: { ok: 1 } } });
    expect(seen[1]!.at - seen[0]!.at).toBe(5_000);
  });

  it('waits out the throttled body\'s "Expected available in N seconds"', async () => {
    const detail = 'Request was throttled. Expected available in 17 seconds.';
    const { transport, seen } = transportOn((_, index) =>
      index === 0
        ? json({ type: 'throttled_error', code: 'throttled', detail, attr: null }, 429)
        : json({ ok: 1 }),
    );
    const pending = transport.send('POST', '/x', { json: {} });
    await vi.runAllTimersAsync();
    expect((await pending).success).toBe(true);
    expect(seen[1]!.at - seen[0]!.at).toBe(17_000);
  });

  it('ends with RATE_LIMIT and the wait when a 429 asks for longer than maxRetryAfterMs', async () => {
    const detail = 'Request was throttled. Expected available in 1800 seconds.';
    const { transport, seen } = transportOn(() => json({ type: 'throttled_error', detail }, 429));
    const result = await transport.send('GET', '/x');
    expect(result).toMatchObject({ success: false, error: { code: 'RATE_LIMIT', retryAfterMs: 1_800_000 } });
    expect(seen).toHaveLength(1);
  });

  it('takes a turn under the limits for every attempt, retries included', async () => {
    const limits = createQueryLimits({
      perMinute: 8,
      perHour: 1000,
      concurrent: 3,
      key: 'k',
      maxBlockMs: 60_000,
    });
    const { transport, seen } = transportOn(
      (_, index) => (index < 2 ? new Response('down', { status: 503 }) : json({})),
      {
        limits,
      },
    );
    const pending = transport.send('GET', '/x');
    await vi.runAllTimersAsync();
    expect((await pending).success).toBe(true);
    expect(seen).toHaveLength(3);
    // A burst of 2 of 8 a minute: the third attempt waited for a token.
    expect((await limits.state()).minute.tokens).toBe(0);
  });

  it('blocks the limits for the wait a 429 names, so the next request waits too', async () => {
    const limits = createQueryLimits({
      perMinute: 240,
      perHour: 2400,
      concurrent: 3,
      key: 'k',
      maxBlockMs: 60_000,
    });
    const detail = 'Request was throttled. Expected available in 20 seconds.';
    const { transport, seen } = transportOn(
      (request) => (request.path === '/first' && seen.length === 1 ? json({ detail }, 429) : json({})),
      { limits },
    );
    const first = transport.send('GET', '/first', { retryable: () => false });
    await vi.advanceTimersByTimeAsync(0);
    expect((await first).success).toBe(false);
    const second = transport.send('GET', '/second');
    await vi.runAllTimersAsync();
    expect((await second).success).toBe(true);
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(20_000);
  });

  it('does not retry what the call says is final, nor an abort', async () => {
    const { transport, seen } = transportOn(() => new Response('down', { status: 503 }));
    const final = await transport.send('GET', '/x', { retryable: () => false });
    expect(final).toMatchObject({ success: false, error: { code: 'SERVER_ERROR' } });
    expect(seen).toHaveLength(1);
    const aborted = await transport.send('GET', '/x', { signal: AbortSignal.abort() });
    expect(aborted).toMatchObject({ success: false, error: { code: 'ABORTED' } });
    expect(seen).toHaveLength(1);
  });

  it("tells the caller's beforeRetry hook of each retry, and survives one that throws", async () => {
    const events: unknown[] = [];
    const { transport } = transportOn(
      (_, index) => (index === 0 ? new Response('', { status: 502 }) : json({})),
      {
        hooks: {
          beforeRetry: (event) => {
            events.push(event);
            throw new Error('observer broke');
          },
        },
      },
    );
    const pending = transport.send('GET', '/x');
    await vi.runAllTimersAsync();
    expect((await pending).success).toBe(true);
    expect(events).toEqual([{ method: 'GET', url: '/x', attempt: 2, error: expect.any(IntegrationError) }]);
  });

  it('calls onSend for each attempt that goes out, not for one refused by the limits', async () => {
    const limits = createQueryLimits({
      perMinute: 240,
      perHour: 2400,
      concurrent: 3,
      key: 'k',
      maxBlockMs: 60_000,
    });
    const { transport } = transportOn(() => json({}), { limits });
    let sends = 0;
    const controller = new AbortController();
    controller.abort();
    await transport.send('GET', '/x', { signal: controller.signal, onSend: () => sends++ });
    expect(sends).toBe(0);
    await transport.send('GET', '/x', { onSend: () => sends++ });
    expect(sends).toBe(1);
  });
});
