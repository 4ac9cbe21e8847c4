import { describe, expect, it } from 'vitest';
import { createExactLimits, nextAmsterdamMidnight } from './limits.ts';

function setup(options: { minutely?: number; daily?: number } = {}) {
  let clock = Date.UTC(2026, 0, 10, 12);
  const limits = createExactLimits({ now: () => clock, ...options });
  return { limits, advance: (ms: number) => (clock += ms), at: () => clock };
}

describe('Exact limits', () => {
  it('allows 60 a minute per division, with the minutely and daily headers in epoch ms', () => {
    const { limits, advance, at } = setup();
    const start = at();
    for (let i = 0; i < 59; i++) limits.take(1);
    const last = limits.take(1);
    expect(last.allowed).toBe(true);
    expect(last.headers).toEqual({
      'X-RateLimit-Limit': '5000',
      'X-RateLimit-Remaining': '4940',
      'X-RateLimit-Reset': String(Date.UTC(2026, 0, 10, 23)),
      'X-RateLimit-Minutely-Limit': '60',
      'X-RateLimit-Minutely-Remaining': '0',
      'X-RateLimit-Minutely-Reset': String(start + 60_000),
    });
    expect(limits.take(1)).toMatchObject({ allowed: false, exceeded: 'minutely' });
    expect(limits.take(2).allowed).toBe(true);
    advance(60_000);
    expect(limits.take(1).allowed).toBe(true);
  });

  it('stops at the daily budget until midnight in Amsterdam', () => {
    const { limits, advance } = setup({ daily: 3, minutely: 100 });
    limits.take(1);
    limits.take(1);
    limits.take(1);
    expect(limits.take(1)).toMatchObject({ allowed: false, exceeded: 'daily' });
    expect(limits.dailyRemaining(1)).toBe(0);
    advance(11 * 3_600_000);
    expect(limits.take(1).allowed).toBe(true);
  });

  it('blocks a key for an hour after its 11th error in an hour, and for longer the next time', () => {
    const { limits, advance, at } = setup();
    for (let i = 0; i < 10; i++) limits.recordStatus('app|1|crm/Accounts', 400);
    limits.recordStatus('app|1|crm/Accounts', 500);
    limits.recordStatus('app|1|crm/Accounts', 429);
    expect(limits.blockedUntil('app|1|crm/Accounts')).toBeUndefined();
    limits.recordStatus('app|1|crm/Accounts', 404);
    expect(limits.blockedUntil('app|1|crm/Accounts')).toBe(at() + 3_600_000);
    expect(limits.blockedUntil('app|1|crm/Contacts')).toBeUndefined();
    advance(3_600_000);
    expect(limits.blockedUntil('app|1|crm/Accounts')).toBeUndefined();
    for (let i = 0; i < 11; i++) limits.recordStatus('app|1|crm/Accounts', 401);
    expect(limits.blockedUntil('app|1|crm/Accounts')).toBe(at() + 7_200_000);
  });

  it('forgets errors older than an hour', () => {
    const { limits, advance } = setup();
    for (let i = 0; i < 10; i++) limits.recordStatus('k', 400);
    advance(3_600_000);
    limits.recordStatus('k', 400);
    expect(limits.blockedUntil('k')).toBeUndefined();
  });

  it('finds midnight in Amsterdam in winter and summer', () => {
    expect(nextAmsterdamMidnight(Date.UTC(2026, 0, 10, 12))).toBe(Date.UTC(2026, 0, 10, 23));
    expect(nextAmsterdamMidnight(Date.UTC(2026, 6, 10, 12))).toBe(Date.UTC(2026, 6, 10, 22));
    expect(nextAmsterdamMidnight(Date.UTC(2026, 6, 10, 22, 30))).toBe(Date.UTC(2026, 6, 11, 22));
  });
});
