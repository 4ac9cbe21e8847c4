import { describe, expect, it } from 'vitest';
import { emulatorWithCaller } from '../../test-support/hubspot-caller.ts';
import { createHubSpotRateLimiter, HUBSPOT_PLAN_LIMITS } from './rate-limit.ts';

describe('createHubSpotRateLimiter', () => {
  it('admits max per rolling window, then answers TEN_SECONDLY_ROLLING until the oldest request leaves it', () => {
    let now = 0;
    const limiter = createHubSpotRateLimiter({
      limits: { max: 3, intervalMs: 10_000, daily: 100, oauth: false },
      now: () => now,
    });
    for (const at of [0, 4000, 8000]) {
      now = at;
      expect(limiter.take('t').allowed).toBe(true);
    }
    now = 9999;
    const denied = limiter.take('t');
    expect(denied.allowed).toBe(false);
    if (!denied.allowed) {
      expect(denied.error.status).toBe(429);
      expect(denied.error.body('c')).toEqual({
        status: 'error',
        message: 'You have reached your ten_secondly_rolling limit.',
        correlationId: 'c',
        errorType: 'RATE_LIMIT',
        policyName: 'TEN_SECONDLY_ROLLING',
      });
    }
    // Rolling, not fixed: at 10 000 only the request of t=0 has left the window.
    now = 10_000;
    const again = limiter.take('t');
    expect(again.allowed && again.headers['X-HubSpot-RateLimit-Remaining']).toBe('0');
    expect(limiter.take('other').allowed).toBe(true);
  });

  it('answers DAILY once the day is spent, and resets at the next UTC day', () => {
    let now = Date.UTC(2026, 0, 1, 23, 59);
    const limiter = createHubSpotRateLimiter({
      limits: { max: 100, intervalMs: 10_000, daily: 2, oauth: false },
      now: () => now,
    });
    expect(limiter.take('t').allowed).toBe(true);
    const second = limiter.take('t');
    expect(second.allowed && second.headers['X-HubSpot-RateLimit-Daily-Remaining']).toBe('0');
    const denied = limiter.take('t');
    expect(!denied.allowed && denied.error.body('c')).toMatchObject({
      policyName: 'DAILY',
      message: 'You have reached your daily limit.',
    });
    now = Date.UTC(2026, 0, 2, 0, 1);
    expect(limiter.take('t').allowed).toBe(true);
    expect(limiter.dailyRemaining('t')).toBe(1);
  });

  it('omits the daily headers for OAuth apps, and knows the plans', () => {
    const limiter = createHubSpotRateLimiter({
      limits: { max: 110, intervalMs: 10_000, daily: 1, oauth: true },
      now: () => 0,
    });
    const verdict = limiter.take('t');
    expect(verdict.allowed && Object.keys(verdict.headers)).toEqual([
      'X-HubSpot-RateLimit-Max',
      'X-HubSpot-RateLimit-Remaining',
      'X-HubSpot-RateLimit-Interval-Milliseconds',
    ]);
    expect(HUBSPOT_PLAN_LIMITS.professional).toEqual({ max: 190, daily: 625_000 });
    expect(HUBSPOT_PLAN_LIMITS['api-add-on'].max).toBe(250);
  });
});

describe('rate limits through the emulator', () => {
  it('answers every request with the headers, and 429 with them past the limit', async () => {
    let now = 5_000_000;
    const { call } = emulatorWithCaller({ rateLimit: { max: 2 }, now: () => now });
    const first = await call('GET', '/crm/v3/objects/contacts');
    expect(first.headers.get('x-hubspot-ratelimit-max')).toBe('2');
    expect(first.headers.get('x-hubspot-ratelimit-remaining')).toBe('1');
    expect(first.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
    expect(first.headers.get('x-hubspot-ratelimit-daily')).toBe('250000');
    expect(first.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('249999');
    await call('GET', '/crm/v3/objects/contacts');
    const denied = await call('GET', '/crm/v3/objects/contacts');
    expect(denied.status).toBe(429);
    expect(denied.body.policyName).toBe('TEN_SECONDLY_ROLLING');
    expect(denied.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    now += 10_000;
    expect((await call('GET', '/crm/v3/objects/contacts')).status).toBe(200);
  });

  it('takes the plan limits by default', async () => {
    const { call } = emulatorWithCaller({ plan: 'enterprise', rateLimit: undefined });
    const answer = await call('GET', '/crm/v3/objects/contacts');
    expect(answer.headers.get('x-hubspot-ratelimit-max')).toBe('190');
    expect(answer.headers.get('x-hubspot-ratelimit-daily')).toBe('1000000');
  });
});

describe('forced denials', () => {
  it('answers the next requests with the forced policy, then the windows again', async () => {
    const { call, hubspot } = emulatorWithCaller({ rateLimit: undefined });
    hubspot.rateLimiter.force('DAILY', 2);
    for (let i = 0; i < 2; i++) {
      const denied = await call('GET', '/crm/v3/objects/contacts');
      expect(denied.status).toBe(429);
      expect(denied.body).toMatchObject({
        policyName: 'DAILY',
        message: 'You have reached your daily limit.',
      });
      expect(denied.headers.get('x-hubspot-ratelimit-daily')).toBe('250000');
    }
    expect((await call('GET', '/crm/v3/objects/contacts')).status).toBe(200);
    hubspot.rateLimiter.force('SECONDLY');
    const search = await call('POST', '/crm/v3/objects/contacts/search', {});
    expect(search.body).toMatchObject({
      policyName: 'SECONDLY',
      message: 'You have reached your secondly limit.',
    });
    expect(search.headers.get('x-hubspot-ratelimit-max')).toBeNull();
    expect(() => hubspot.rateLimiter.force('WEEKLY' as never)).toThrow(RangeError);
    expect(() => hubspot.rateLimiter.force('DAILY', -1)).toThrow(RangeError);
    hubspot.rateLimiter.force('TEN_SECONDLY_ROLLING', 5);
    hubspot.reset();
    expect((await call('GET', '/crm/v3/objects/contacts')).status).toBe(200);
  });
});
