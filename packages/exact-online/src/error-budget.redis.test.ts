// The error budget shared through Redis, as processes share it: two clients, each on its own Redis connection (a
// process's own), count their errors together and both stop before Exact's block.
import { createManualClock } from '@patchbay/core/testing';
import { afterEach, expect, it } from 'vitest';
import { createRedisFailureWindowStore } from '../../store-redis/src/index.ts';
import { describeRedis, TEST_URL, usePrefixes } from '../../store-redis/test-support/redis.ts';
import { createExactErrorBudget, EXACT_ERROR_BUDGET_HEADER } from './error-budget.ts';

const ACCOUNTS = 'https://start.exactonline.nl/api/v1/1/crm/Accounts';
const { prefix } = usePrefixes();
const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

describeRedis('the Exact error budget on Redis', () => {
  it('counts the errors of two processes together and stops both at the limit', async () => {
    const clock = createManualClock(Date.UTC(2026, 0, 1));
    const shared = prefix();
    const budgets = [1, 2].map(() => {
      const store = createRedisFailureWindowStore({ url: TEST_URL, prefix: shared });
      opened.push(store);
      return createExactErrorBudget({ now: clock.now, store, maxErrorsPerHour: 4 });
    });
    let calls = 0;
    const fetches = budgets.map((budget) =>
      budget.wrap(async () => {
        calls++;
        return new Response('{}', { status: 500 });
      }),
    );
    for (let i = 0; i < 4; i++) {
      expect((await fetches[i % 2]!(ACCOUNTS)).status).toBe(500);
      clock.advance(10_000);
    }
    for (const fetch of fetches) {
      const refused = await fetch(ACCOUNTS);
      expect(refused.status).toBe(599);
      const frees = Number(refused.headers.get(EXACT_ERROR_BUDGET_HEADER));
      expect(frees).toBeGreaterThan(Date.UTC(2026, 0, 1) + 3_600_000);
      expect(frees).toBeLessThanOrEqual(Date.UTC(2026, 0, 1) + 3_601_000);
    }
    expect(calls).toBe(4);
    expect(budgets.map((budget) => budget.state(ACCOUNTS).errors)).toEqual([2, 2]);
  });
});
