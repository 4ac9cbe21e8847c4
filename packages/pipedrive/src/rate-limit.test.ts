import { describe, expect, it } from 'vitest';
import { bucketFor, createPipedriveRateLimiter, PIPEDRIVE_BURST_LIMITS } from './rate-limit.ts';

describe('createPipedriveRateLimiter', () => {
  it('carves the rolling 2-second window by plan, four times for OAuth', async () => {
    expect(bucketFor(PIPEDRIVE_BURST_LIMITS.lite, 2_000)).toEqual({ limit: 18, intervalMs: 2_000, burst: 2 });
    const now = 1_000_000;
    const lite = createPipedriveRateLimiter({ now: () => now });
    expect((await lite.state()).tokens).toBe(2);
    const oauth = createPipedriveRateLimiter({ plan: 'growth', oauth: true, now: () => now });
    expect((await oauth.state()).tokens).toBe(16);
  });

  it('blocks until x-ratelimit-reset (seconds) when x-ratelimit-remaining is 0', async () => {
    const now = 1_000_000;
    const limiter = createPipedriveRateLimiter({ now: () => now });
    limiter.observe({
      status: 200,
      headers: new Headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2' }),
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    const state = await limiter.state();
    expect(state.tokens).toBe(0);
    expect(state.blockedUntil).toBe(now + 2_000);
  });

  it('refuses a bad plan or limit by field', () => {
    expect(() => createPipedriveRateLimiter({ plan: 'gold' as never })).toThrow(
      expect.objectContaining({ field: 'rateLimit.plan' }),
    );
    expect(() => createPipedriveRateLimiter({ limit: 0 })).toThrow(
      expect.objectContaining({ field: 'rateLimit.limit' }),
    );
  });
});
