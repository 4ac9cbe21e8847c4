import { createManualClock } from '@patchbay/core/testing';
import { describe, expect, it } from 'vitest';
import { createExactRateLimiter } from './rate-limit.ts';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createExactRateLimiter', () => {
  it('grants a tenth of the minute at once, then paces', async () => {
    const clock = createManualClock(0);
    const limiter = createExactRateLimiter({ now: clock.now });
    for (let i = 0; i < 6; i++) await limiter.acquire();
    expect((await limiter.state()).tokens).toBe(0);
  });

  it('blocks until the minutely reset (epoch ms) when the minute is spent', async () => {
    const clock = createManualClock(1_000_000);
    const limiter = createExactRateLimiter({ now: clock.now });
    limiter.observe({
      status: 200,
      headers: new Headers({
        'X-RateLimit-Minutely-Remaining': '0',
        'X-RateLimit-Minutely-Reset': String(1_000_000 + 20_000),
        'X-RateLimit-Remaining': '4000',
        'X-RateLimit-Reset': String(1_000_000 + 3_600_000),
      }),
    });
    await settle();
    expect((await limiter.state()).blockedUntil).toBe(1_020_000);
  });

  it('lets the lowest remaining bind', async () => {
    const clock = createManualClock(0);
    const limiter = createExactRateLimiter({ now: clock.now });
    limiter.observe({
      status: 200,
      headers: new Headers({
        'X-RateLimit-Minutely-Remaining': '40',
        'X-RateLimit-Minutely-Reset': '30000',
        'X-RateLimit-Remaining': '1',
        'X-RateLimit-Reset': '3600000',
      }),
    });
    await settle();
    expect((await limiter.state()).tokens).toBe(1);
  });

  it('blocks a minute on a 429 that names no reset', async () => {
    const clock = createManualClock(5_000);
    const limiter = createExactRateLimiter({ now: clock.now });
    limiter.observe({ status: 429, headers: new Headers() });
    await settle();
    expect((await limiter.state()).blockedUntil).toBe(65_000);
  });

  it('names a bad option', () => {
    expect(() => createExactRateLimiter({ perMinute: 0 })).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', field: 'rateLimit.perMinute' }),
    );
    expect(() => createExactRateLimiter({ key: '' })).toThrow(
      expect.objectContaining({ field: 'rateLimit.key' }),
    );
  });
});
