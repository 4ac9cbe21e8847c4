import { describe, expect, it } from 'vitest';
import { createExactLimits } from './limits.ts';

function setup(options: { minutely?: number; daily?: number } = {}) {
  let clock = Date.UTC(2026, 0, 10, 12);
  const limits = createExactLimits({ now: () => clock, ...options });
  return { limits, advance: (ms: number) => (clock += ms), at: () => clock };
}

describe('Exact limits', () => {
  it('allows 60 a minute per division, with the minutely and daily headers in epoch ms on clock boundaries', () => {
    const { limits, advance } = setup();
    advance(49_000);
    for (let i = 0; i < 59; i++) limits.take(1);
    const last = limits.take(1);
    expect(last.allowed).toBe(true);
    expect(last.headers).toEqual({
      'X-RateLimit-Limit': '5000',
      'X-RateLimit-Remaining': '4940',
      'X-RateLimit-Reset': String(Date.UTC(2026, 0, 11)),
      'X-RateLimit-Minutely-Limit': '60',
      'X-RateLimit-Minutely-Remaining': '0',
      'X-RateLimit-Minutely-Reset': String(Date.UTC(2026, 0, 10, 12, 1)),
    });
    const refused = limits.take(1);
    expect(refused).toMatchObject({ allowed: false, exceeded: 'minutely' });
    expect(Object.keys(refused.headers)).toEqual([
      'X-RateLimit-Minutely-Limit',
      'X-RateLimit-Minutely-Remaining',
      'X-RateLimit-Minutely-Reset',
    ]);
    expect(limits.take(2).allowed).toBe(true);
    advance(11_000);
    expect(limits.take(1).allowed).toBe(true);
  });

  it('stops at the daily budget until midnight UTC, answering only the daily headers', () => {
    const { limits, advance } = setup({ daily: 3, minutely: 100 });
    limits.take(1);
    limits.take(1);
    limits.take(1);
    const refused = limits.take(1);
    expect(refused).toMatchObject({ allowed: false, exceeded: 'daily' });
    expect(Object.keys(refused.headers)).toEqual([
      'X-RateLimit-Limit',
      'X-RateLimit-Remaining',
      'X-RateLimit-Reset',
    ]);
    expect(limits.dailyRemaining(1)).toBe(0);
    advance(11 * 3_600_000);
    expect(limits.take(1).allowed).toBe(false);
    advance(3_600_000);
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
});
