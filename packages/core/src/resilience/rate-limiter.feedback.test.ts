import { describe, expect, it } from 'vitest';
import { createHttpClient } from '../http/http-client.ts';
import { createManualClock } from '../testing/manual-clock.ts';
import { createRateLimiter, type RateLimiterOptions } from './rate-limiter.ts';

// The limiter's `feedback` option: a server's own names for its rate-limit headers.
const T0 = 1_800_000_000_000;

const response = (status: number, headers: Record<string, string>) => ({
  status,
  headers: new Headers(headers),
});

function limiterWith(feedback: RateLimiterOptions['feedback']) {
  const clock = createManualClock(T0);
  return createRateLimiter({ limit: 100, intervalMs: 60_000, now: clock.now, feedback });
}

// Two windows as Exact Online reports them: per minute and per day, resets in epoch ms.
const MINUTE_AND_DAY = {
  windows: [
    {
      remaining: 'X-RateLimit-Minutely-Remaining',
      reset: 'X-RateLimit-Minutely-Reset',
      resetUnit: 'epoch-ms',
    },
    { remaining: 'X-RateLimit-Remaining', reset: 'X-RateLimit-Reset', resetUnit: 'epoch-ms' },
  ],
} as const;

describe('createRateLimiter feedback', () => {
  it("lowers the tokens from a vendor's remaining header, the lowest window binding", async () => {
    const limiter = limiterWith(MINUTE_AND_DAY);
    limiter.observe(
      response(200, { 'X-RateLimit-Minutely-Remaining': '7', 'X-RateLimit-Remaining': '4000' }),
    );
    expect(await limiter.state()).toEqual({ tokens: 7, queued: 0 });
    limiter.observe(response(200, { 'X-RateLimit-Minutely-Remaining': '50', 'X-RateLimit-Remaining': '3' }));
    expect((await limiter.state()).tokens).toBe(3);
  });

  it("blocks until the exhausted window's own reset, not the longest one", async () => {
    const limiter = limiterWith(MINUTE_AND_DAY);
    limiter.observe(
      response(200, {
        'X-RateLimit-Minutely-Remaining': '0',
        'X-RateLimit-Minutely-Reset': String(T0 + 20_000),
        'X-RateLimit-Remaining': '4000',
        'X-RateLimit-Reset': String(T0 + 50_000),
      }),
    );
    expect(await limiter.state()).toEqual({ tokens: 0, queued: 0, blockedUntil: T0 + 20_000 });
  });

  it('lets Retry-After win over a window reset on a 429', async () => {
    const limiter = limiterWith(MINUTE_AND_DAY);
    limiter.observe(
      response(429, {
        'Retry-After': '5',
        'X-RateLimit-Minutely-Remaining': '0',
        'X-RateLimit-Minutely-Reset': String(T0 + 20_000),
      }),
    );
    expect((await limiter.state()).blockedUntil).toBe(T0 + 5_000);
  });

  it('reads a reset in the unit named, and guesses it by magnitude by default', async () => {
    const inMs = limiterWith({ windows: [{ remaining: 'x-left', reset: 'x-wait', resetUnit: 'delta-ms' }] });
    inMs.observe(response(200, { 'x-left': '0', 'x-wait': '1500' }));
    expect((await inMs.state()).blockedUntil).toBe(T0 + 1_500);
    const guessed = limiterWith({ windows: [{ remaining: 'x-left', reset: 'x-wait' }] });
    guessed.observe(response(200, { 'x-left': '0', 'x-wait': '2' }));
    expect((await guessed.state()).blockedUntil).toBe(T0 + 2_000);
    const epochSeconds = limiterWith({ windows: [{ remaining: 'x-left', reset: 'x-wait' }] });
    epochSeconds.observe(response(200, { 'x-left': '0', 'x-wait': String(T0 / 1000 + 30) }));
    expect((await epochSeconds.state()).blockedUntil).toBe(T0 + 30_000);
  });

  it('ignores the generic headers once told other names', async () => {
    const limiter = limiterWith({ windows: [{ remaining: 'x-vendor-remaining' }] });
    limiter.observe(response(200, { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '30' }));
    expect(await limiter.state()).toEqual({ tokens: 100, queued: 0 });
  });

  it('blocks a 429 that names no wait for throttleBlockMs, and only a 429', async () => {
    const limiter = limiterWith({ windows: [{ remaining: 'x-vendor-remaining' }], throttleBlockMs: 10_000 });
    limiter.observe(response(200, { 'x-vendor-remaining': '0' }));
    expect((await limiter.state()).blockedUntil).toBeUndefined();
    limiter.observe(response(429, {}));
    expect(await limiter.state()).toEqual({ tokens: 0, queued: 0, blockedUntil: T0 + 10_000 });
    const unset = limiterWith({ windows: [{ remaining: 'x-vendor-remaining' }] });
    unset.observe(response(429, {}));
    expect((await unset.state()).blockedUntil).toBeUndefined();
  });

  it('keeps the generic names by default (x- and IETF forms)', async () => {
    const limiter = limiterWith(undefined);
    limiter.observe(response(200, { 'RateLimit-Remaining': '0', 'RateLimit-Reset': '4' }));
    expect((await limiter.state()).blockedUntil).toBe(T0 + 4_000);
  });

  it('refuses malformed feedback with CONFIG_ERROR naming the field', () => {
    const cases: [unknown, string][] = [
      [{ windows: [] }, 'feedback.windows'],
      [{ windows: 'x-left' }, 'feedback.windows'],
      [{ windows: [{ reset: 'x-wait' }] }, 'feedback.windows.0.remaining'],
      [{ windows: [{ remaining: 'bad name' }] }, 'feedback.windows.0.remaining'],
      [{ windows: [{ remaining: 'x-left', reset: 'x:wait' }] }, 'feedback.windows.0.reset'],
      [{ windows: [{ remaining: 'x-left', resetUnit: 'hours' }] }, 'feedback.windows.0.resetUnit'],
      [{ throttleBlockMs: -1 }, 'feedback.throttleBlockMs'],
    ];
    for (const [feedback, field] of cases) {
      expect(() => limiterWith(feedback as RateLimiterOptions['feedback'])).toThrow(
        expect.objectContaining({ code: 'CONFIG_ERROR', field }),
      );
    }
  });

  it("takes feedback through the HTTP client's limiter options, errors named under rateLimiter", () => {
    const feedback = { windows: [{ remaining: 'x-vendor-remaining' }] };
    const client = createHttpClient({
      baseUrl: 'https://api.example.com',
      rateLimiter: { limit: 10, intervalMs: 1_000, feedback },
    });
    expect(client.rateLimiter).toBeDefined();
    expect(() =>
      createHttpClient({
        baseUrl: 'https://api.example.com',
        rateLimiter: { limit: 10, intervalMs: 1_000, feedback: { windows: [{ remaining: 'a b' }] } },
      }),
    ).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', field: 'rateLimiter.feedback.windows.0.remaining' }),
    );
  });
});
