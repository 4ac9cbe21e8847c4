import { createHttpClient, createMemoryFailureWindowStore } from '@patchbay/core';
import { createManualClock } from '@patchbay/core/testing';
import { describe, expect, it } from 'vitest';
import {
  createExactErrorBudget,
  EXACT_ERROR_BUDGET_HEADER,
  errorBudgetMapping,
  exactEndpointOf,
} from './error-budget.ts';
import { mapExactError } from './exact-errors.ts';

const BASE = 'https://start.exactonline.nl';
const ACCOUNTS = `${BASE}/api/v1/1/crm/Accounts`;

describe('exactEndpointOf', () => {
  it('counts an entity key and a query against the entity set', () => {
    expect(exactEndpointOf(`${ACCOUNTS}(guid'5e4c5b6d-0000-4c3f-8e9a-0123456789ab')`)).toBe(
      '/api/v1/1/crm/accounts',
    );
    expect(exactEndpointOf(`${ACCOUNTS}?$filter=Name%20eq%20'x'`)).toBe('/api/v1/1/crm/accounts');
    expect(exactEndpointOf('/api/v1/1/crm/Contacts/')).toBe('/api/v1/1/crm/contacts');
    expect(exactEndpointOf('/api/v1/2/crm/Contacts')).not.toBe(exactEndpointOf('/api/v1/1/crm/Contacts'));
  });
});

describe('createExactErrorBudget', () => {
  it('stops an endpoint after 9 errors within the hour, until the oldest leaves it', async () => {
    const clock = createManualClock(Date.UTC(2026, 0, 1));
    const budget = createExactErrorBudget({ now: clock.now });
    let calls = 0;
    const fetch = budget.wrap(async () => {
      calls++;
      return new Response('{}', { status: 400 });
    });
    for (let i = 0; i < 9; i++) {
      await fetch(ACCOUNTS);
      clock.advance(1_000);
    }
    expect(budget.state(ACCOUNTS)).toEqual({ errors: 9, freesAt: Date.UTC(2026, 0, 1) + 3_600_000 });
    const refused = await fetch(ACCOUNTS);
    expect(refused.status).toBe(599);
    expect(calls).toBe(9);
    const error = budget.check(ACCOUNTS);
    expect(error).toMatchObject({ code: 'RATE_LIMIT', retryable: false });
    expect(error?.message).toContain('2026-01-01T01:00:00.000Z');
    expect(error?.retryAfterMs).toBe(3_600_000 - 9_000);
    // Another endpoint is not affected.
    expect(budget.check(`${BASE}/api/v1/1/crm/Contacts`)).toBeUndefined();
    clock.advance(3_600_000 - 9_000);
    expect(budget.check(ACCOUNTS)).toBeUndefined();
    expect((await fetch(ACCOUNTS)).status).toBe(400);
  });

  it('with a shared store, counts the errors of every process sharing it', async () => {
    const clock = createManualClock(Date.UTC(2026, 0, 1));
    const store = createMemoryFailureWindowStore();
    const processes = [1, 2].map(() => createExactErrorBudget({ now: clock.now, store }));
    let calls = 0;
    const [first, second] = processes.map((budget) =>
      budget.wrap(async () => {
        calls++;
        return new Response('{}', { status: 400 });
      }),
    );
    // Nine errors in all, a minute apart, five and four each: both stop, though neither saw nine.
    for (let i = 0; i < 9; i++) {
      await (i % 2 === 0 ? first! : second!)(ACCOUNTS);
      clock.advance(60_000);
    }
    expect(processes.map((budget) => budget.state(ACCOUNTS).errors)).toEqual([5, 4]);
    for (const fetch of [first!, second!]) {
      const refused = await fetch(ACCOUNTS);
      expect(refused.status).toBe(599);
      // Free again an hour after the first error (to the second).
      const frees = Number(refused.headers.get(EXACT_ERROR_BUDGET_HEADER));
      expect(frees).toBeGreaterThan(Date.UTC(2026, 0, 1) + 3_600_000);
      expect(frees).toBeLessThanOrEqual(Date.UTC(2026, 0, 1) + 3_601_000);
    }
    expect(calls).toBe(9);
    // Another endpoint, and another key prefix (another app key or user), are not affected.
    expect((await first!(`${BASE}/api/v1/1/crm/Contacts`)).status).toBe(400);
    const other = createExactErrorBudget({ now: clock.now, store, keyPrefix: 'exact-errors:other-user' });
    expect((await other.wrap(async () => new Response('{}'))(ACCOUNTS)).status).toBe(200);
    clock.advance(3_601_000 - 9 * 60_000);
    expect((await second!(ACCOUNTS)).status).toBe(400);
  });

  it('does not count successes', async () => {
    const budget = createExactErrorBudget({ maxErrorsPerHour: 1 });
    const fetch = budget.wrap(async () => new Response('{}', { status: 200 }));
    for (let i = 0; i < 5; i++) await fetch(ACCOUNTS);
    expect(budget.state(ACCOUNTS)).toEqual({ errors: 0 });
  });

  it('stops the retries of a call once the budget is spent inside it', async () => {
    const budget = createExactErrorBudget({ maxErrorsPerHour: 2 });
    let calls = 0;
    const http = createHttpClient({
      baseUrl: BASE,
      retry: { retries: 5, initialDelayMs: 1, maxDelayMs: 1 },
      mapError: (response) => {
        const spent = errorBudgetMapping(response);
        return spent ? { ...mapExactError(response), ...spent } : mapExactError(response);
      },
      fetch: budget.wrap(async () => {
        calls++;
        return new Response('{}', { status: 503 });
      }),
    });
    const result = await http.get('/api/v1/1/crm/Accounts');
    expect(calls).toBe(2);
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(result.error.code).toBe('RATE_LIMIT');
      expect(result.error.retryable).toBe(false);
      expect(result.error.message).toContain('before Exact blocks');
    }
  });
});
