import { describe, expect, it } from 'vitest';
import { IntegrationError } from '../result/errors.ts';
import { combineRateLimiters } from './combine-rate-limiters.ts';
import type { RateLimiter } from './rate-limiter.ts';

type State = Awaited<ReturnType<RateLimiter['state']>>;

function recording(name: string, log: string[], state: State, fail?: Error): RateLimiter {
  return {
    async acquire() {
      log.push(`acquire ${name}`);
      if (fail) throw fail;
    },
    observe(response) {
      log.push(`observe ${name} ${response.status}`);
    },
    state: async () => state,
  };
}

describe('combineRateLimiters', () => {
  it('acquires from each limiter in order and feeds every response to all', async () => {
    const log: string[] = [];
    const combined = combineRateLimiters(
      recording('search', log, { tokens: 4, queued: 0 }),
      undefined,
      recording('account', log, { tokens: 90, queued: 2 }),
    );
    await combined.acquire();
    combined.observe({ status: 429, headers: new Headers() });
    expect(log).toEqual(['acquire search', 'acquire account', 'observe search 429', 'observe account 429']);
  });

  it('spends nothing from the next budget when the first refuses', async () => {
    const log: string[] = [];
    const refused = new IntegrationError('RATE_LIMIT', 'wait too long', { retryable: true });
    const combined = combineRateLimiters(
      recording('search', log, { tokens: 0, queued: 0 }, refused),
      recording('account', log, { tokens: 9, queued: 0 }),
    );
    await expect(combined.acquire()).rejects.toBe(refused);
    expect(log).toEqual(['acquire search']);
  });

  it('reports the tightest budget as its state', async () => {
    const combined = combineRateLimiters(
      recording('a', [], { tokens: 4, queued: 0, blockedUntil: 1_000 }),
      recording('b', [], { tokens: 90, queued: 2, blockedUntil: 5_000 }),
      recording('c', [], { tokens: 7, queued: 1 }),
    );
    expect(await combined.state()).toEqual({ tokens: 4, queued: 2, blockedUntil: 5_000 });
  });

  it('never waits when no limiter is given', async () => {
    const combined = combineRateLimiters(undefined);
    await expect(combined.acquire()).resolves.toBeUndefined();
    combined.observe({ status: 200, headers: new Headers() });
    expect(await combined.state()).toEqual({ tokens: Number.POSITIVE_INFINITY, queued: 0 });
  });
});
