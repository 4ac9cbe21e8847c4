import { createManualClock } from '@patchbay/core/testing';
import { describe, expect, it } from 'vitest';
import { bucketFor, createHubSpotRateLimiter } from './rate-limit.ts';

describe('bucketFor', () => {
  it('carves the burst out of the limit so no rolling window sees more than the limit', () => {
    const bucket = bucketFor(100, 10_000);
    expect(bucket.burst + bucket.limit).toBe(100);
    expect(bucketFor(5, 1_000)).toEqual({ limit: 4, intervalMs: 1_000, burst: 1 });
  });
});

describe('createHubSpotRateLimiter', () => {
  it('grants the burst at once, then no more until tokens refill', async () => {
    const clock = createManualClock(0);
    const limiter = createHubSpotRateLimiter({ now: clock.now });
    for (let i = 0; i < 10; i++) await limiter.acquire();
    expect((await limiter.state()).tokens).toBe(0);
  });

  it('lowers the local tokens from X-HubSpot-RateLimit-Remaining', async () => {
    const clock = createManualClock(0);
    const limiter = createHubSpotRateLimiter({ now: clock.now });
    limiter.observe({ status: 200, headers: new Headers({ 'X-HubSpot-RateLimit-Remaining': '2' }) });
    await Promise.resolve();
    expect((await limiter.state()).tokens).toBe(2);
  });

  it("reads HubSpot's header names only: a generic X-RateLimit-Remaining is not HubSpot's budget", async () => {
    const clock = createManualClock(0);
    const limiter = createHubSpotRateLimiter({ now: clock.now });
    limiter.observe({ status: 200, headers: new Headers({ 'X-RateLimit-Remaining': '0' }) });
    await Promise.resolve();
    expect(await limiter.state()).toEqual({ tokens: 10, queued: 0 });
  });

  it('blocks for Retry-After on a 429 that names it, and for the new window after the interval changes', async () => {
    const clock = createManualClock(1_000);
    const limiter = createHubSpotRateLimiter({ now: clock.now });
    limiter.observe({ status: 429, headers: new Headers({ 'Retry-After': '2' }) });
    await Promise.resolve();
    expect((await limiter.state()).blockedUntil).toBe(3_000);
    clock.advance(5_000);
    limiter.observe({
      status: 429,
      headers: new Headers({ 'X-HubSpot-RateLimit-Interval-Milliseconds': '1000' }),
    });
    await Promise.resolve();
    expect((await limiter.state()).blockedUntil).toBe(7_000);
  });

  it('blocks for the window on a 429 without Retry-After', async () => {
    const clock = createManualClock(1_000);
    const limiter = createHubSpotRateLimiter({ now: clock.now });
    limiter.observe({
      status: 429,
      headers: new Headers({ 'X-HubSpot-RateLimit-Interval-Milliseconds': '10000' }),
    });
    await Promise.resolve();
    expect((await limiter.state()).blockedUntil).toBe(11_000);
  });

  it('follows X-HubSpot-RateLimit-Max to a larger plan limit', async () => {
    const clock = createManualClock(0);
    const limiter = createHubSpotRateLimiter({ now: clock.now });
    limiter.observe({
      status: 200,
      headers: new Headers({
        'X-HubSpot-RateLimit-Max': '190',
        'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
      }),
    });
    clock.advance(100_000);
    // The bucket at 190 per 10 s holds a burst of 19 (at 100 it held 10).
    expect((await limiter.state()).tokens).toBe(19);
  });

  it('keeps the configured limit with followServerLimit false, and ignores malformed feedback', async () => {
    const clock = createManualClock(0);
    const limiter = createHubSpotRateLimiter({ now: clock.now, followServerLimit: false });
    limiter.observe({ status: 200, headers: new Headers({ 'X-HubSpot-RateLimit-Max': 'lots' }) });
    limiter.observe({ status: 200, headers: {} as Headers });
    limiter.observe(null as never);
    expect((await limiter.state()).tokens).toBe(10);
  });

  it('refuses a limit or interval that is not a positive whole number, naming the field', () => {
    for (const [options, field] of [
      [{ limit: -5 }, 'rateLimit.limit'],
      [{ limit: 0.5 }, 'rateLimit.limit'],
      [{ intervalMs: 0 }, 'rateLimit.intervalMs'],
      [{ followServerLimit: 'yes' }, 'rateLimit.followServerLimit'],
    ] as const) {
      expect(() => createHubSpotRateLimiter(options as never)).toThrow(
        expect.objectContaining({ code: 'CONFIG_ERROR', field }),
      );
    }
  });
});
