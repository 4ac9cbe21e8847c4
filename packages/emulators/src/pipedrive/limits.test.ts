import { describe, expect, it } from 'vitest';
import { createPipedriveLimits, dailyBudget, tokenCost } from './limits.ts';

function limiter(overrides: { burst?: number; dailyTokens?: number; edgeBlockAfter?: number } = {}) {
  let at = Date.UTC(2026, 0, 5, 12);
  const limits = createPipedriveLimits({ burst: 3, dailyTokens: 1_000, ...overrides, now: () => at });
  return { limits, tick: (ms: number) => (at += ms) };
}

describe('token costs and budgets', () => {
  it('charges v2 half of v1', () => {
    expect([tokenCost('list', 1), tokenCost('list', 2)]).toEqual([20, 10]);
    expect([tokenCost('get', 1), tokenCost('get', 2)]).toEqual([2, 1]);
    expect([tokenCost('search', 1), tokenCost('search', 2)]).toEqual([40, 20]);
    expect(tokenCost('write', 2)).toBe(5);
  });
  it('budgets 30 000 × multiplier × seats', () => {
    expect(dailyBudget('lite', 1)).toBe(30_000);
    expect(dailyBudget('growth', 3)).toBe(180_000);
    expect(dailyBudget('premium', 1)).toBe(150_000);
    expect(dailyBudget('ultimate', 2)).toBe(420_000);
  });
});

describe('createPipedriveLimits', () => {
  it('admits the burst with headers, then 429s until the 2-s window rolls', async () => {
    const { limits, tick } = limiter();
    const first = limits.take('t', 10);
    expect(first.refusal).toBeUndefined();
    expect(first.headers).toMatchObject({
      'x-ratelimit-limit': '3',
      'x-ratelimit-remaining': '2',
      'x-ratelimit-reset': '2',
      'x-daily-ratelimit-token-limit': '1000',
      'x-daily-ratelimit-token-remaining': '990',
    });
    limits.take('t', 10);
    limits.take('t', 10);
    const denied = limits.take('t', 10);
    expect(denied.refusal?.status).toBe(429);
    expect(denied.refusal?.headers.get('retry-after')).toBe('2');
    expect((await denied.refusal!.json()).success).toBe(false);
    expect(limits.dailyRemaining()).toBe(970);
    expect(limits.take('other', 1).refusal).toBeUndefined();
    tick(2_001);
    expect(limits.take('t', 10).refusal).toBeUndefined();
  });

  it('gives OAuth tokens four times the burst', () => {
    const { limits } = limiter();
    for (let i = 0; i < 12; i++) expect(limits.take('o', 1, { oauth: true }).refusal).toBeUndefined();
    expect(limits.take('o', 1, { oauth: true }).refusal?.status).toBe(429);
  });

  it('has its own search window of 10 per 2 s', () => {
    const { limits } = limiter({ burst: 100 });
    for (let i = 0; i < 10; i++) expect(limits.take('t', 20, { search: true }).refusal).toBeUndefined();
    expect(limits.take('t', 20, { search: true }).refusal?.status).toBe(429);
    expect(limits.take('t', 10).refusal).toBeUndefined();
  });

  it('answers a 403 HTML page after repeated 429s, lifted once the window admits again', async () => {
    const { limits, tick } = limiter({ burst: 1, edgeBlockAfter: 2 });
    limits.take('t', 1);
    expect(limits.take('t', 1).refusal?.status).toBe(429);
    expect(limits.take('t', 1).refusal?.status).toBe(429);
    const edge = limits.take('t', 1).refusal!;
    expect(edge.status).toBe(403);
    expect(edge.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await edge.text()).toContain('<html');
    tick(2_001);
    expect(limits.take('t', 1).refusal).toBeUndefined();
    expect(limits.take('t', 1).refusal?.status).toBe(429);
  });

  it('refuses once the daily budget is spent, with the daily header at 0, until midnight', () => {
    const { limits, tick } = limiter({ burst: 100, dailyTokens: 25 });
    limits.take('t', 10);
    limits.take('t', 10);
    const denied = limits.take('t', 10);
    expect(denied.refusal?.status).toBe(429);
    expect(denied.headers['x-daily-ratelimit-token-remaining']).toBe('5');
    limits.take('t', 5);
    const empty = limits.take('t', 1);
    expect(empty.headers['x-daily-ratelimit-token-remaining']).toBe('0');
    expect(empty.refusal?.status).toBe(429);
    tick(12 * 3600 * 1000 - 1);
    expect(limits.take('t', 1).refusal?.status).toBe(429);
    tick(1);
    expect(limits.take('t', 1).refusal).toBeUndefined();
    expect(limits.dailyRemaining()).toBe(24);
  });
});
