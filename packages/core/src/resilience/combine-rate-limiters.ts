import type { RateLimiter } from './rate-limiter.ts';

/**
 * One limiter spending from several budgets: `acquire` waits on each in the order given, every response feeds all.
 *
 * `undefined` entries are skipped (an optional budget); with none left the result never waits. `state()` reports
 * the tightest budget: the fewest tokens, the longest queue and the latest block.
 * @example const search = combineRateLimiters(searchLimiter, accountLimiter);
 */
export function combineRateLimiters(...limiters: (RateLimiter | undefined)[]): RateLimiter {
  const active = limiters.filter((limiter): limiter is RateLimiter => limiter !== undefined);
  return {
    async acquire(signal, options) {
      // In turn, not at once: a call that fails to get the first budget's token spends none of the next.
      for (const limiter of active) await limiter.acquire(signal, options);
    },
    observe(response, options) {
      for (const limiter of active) limiter.observe(response, options);
    },
    async state() {
      const states = await Promise.all(active.map((limiter) => limiter.state()));
      const blocks = states.flatMap((state) =>
        state.blockedUntil === undefined ? [] : [state.blockedUntil],
      );
      return {
        tokens: Math.min(Number.POSITIVE_INFINITY, ...states.map((state) => state.tokens)),
        queued: Math.max(0, ...states.map((state) => state.queued)),
        ...(blocks.length > 0 ? { blockedUntil: Math.max(...blocks) } : {}),
      };
    },
  };
}
