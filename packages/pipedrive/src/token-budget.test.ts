import { describe, expect, it } from 'vitest';
import { createFakePipedrive } from '../test-support/fake-pipedrive.ts';
import { createPipedriveClient } from './client.ts';
import { createPipedriveTokenBudget, nextUtcMidnight } from './token-budget.ts';

const TOKEN = 'pipedrive-test-token';
const NOON = Date.parse('2026-03-01T12:00:00Z');

describe('createPipedriveTokenBudget', () => {
  it('spends locally, is corrected by the header, and refuses what it cannot pay until midnight', () => {
    let now = NOON;
    const budget = createPipedriveTokenBudget({ dailyTokens: 25, now: () => now });
    expect(budget.spend(10, 'persons.list').success).toBe(true);
    expect(budget.state().remaining).toBe(15);
    budget.observe(new Headers({ 'x-daily-ratelimit-token-remaining': '12' }));
    expect(budget.spend(10, 'persons.list').success).toBe(true);
    const refused = budget.spend(10, 'persons.list');
    expect(refused.success || refused.error).toMatchObject({
      code: 'RATE_LIMIT',
      retryable: false,
      retryAfterMs: nextUtcMidnight(NOON) - NOON,
    });
    expect(refused.success || refused.error.message).toContain('2026-03-02T00:00:00.000Z');
    now = nextUtcMidnight(NOON) + 1;
    expect(budget.spend(10, 'persons.list').success).toBe(true);
  });

  it('knows nothing until a header says so', () => {
    const budget = createPipedriveTokenBudget();
    expect(budget.spend(1_000_000, 'x').success).toBe(true);
    budget.observe(
      new Headers({ 'x-daily-ratelimit-token-remaining': '0', 'x-daily-ratelimit-token-limit': '30000' }),
    );
    expect(budget.spend(1, 'x').success).toBe(false);
    expect(budget.state().limit).toBe(30_000);
  });
});

describe('a budget running out mid-walk', () => {
  it('stops a list with a typed RATE_LIMIT, sends nothing more and does not retry', async () => {
    const fake = createFakePipedrive({ token: TOKEN });
    fake.seed('persons', 50);
    fake.daily.remaining = 25;
    const client = createPipedriveClient({
      apiToken: TOKEN,
      baseUrl: 'https://acme.pipedrive.test',
      fetch: fake.fetch,
      rateLimit: false,
      retry: { retries: 3, initialDelayMs: 1, maxDelayMs: 1 },
      tokenBudget: { now: () => NOON },
    });
    const outcomes: string[] = [];
    for await (const page of client.persons.list({ limit: 10 })) {
      outcomes.push(page.success ? `page ${page.data.items.length}` : page.error.code);
    }
    // 25 → 15 → 5 after two pages (as the header reports): the third page's 10 tokens are refused locally.
    expect(outcomes).toEqual(['page 10', 'page 10', 'RATE_LIMIT']);
    expect(fake.sent).toHaveLength(2);
    expect(client.tokenBudget?.state().remaining).toBe(5);
  });

  it('treats a 429 with no daily tokens left as final, until midnight', async () => {
    const fake = createFakePipedrive({ token: TOKEN });
    fake.seed('persons', 1);
    fake.daily.remaining = 0;
    const client = createPipedriveClient({
      apiToken: TOKEN,
      baseUrl: 'https://acme.pipedrive.test',
      fetch: fake.fetch,
      rateLimit: false,
      retry: { retries: 3, initialDelayMs: 1, maxDelayMs: 1 },
    });
    const result = await client.persons.get(1);
    expect(result.success || result.error).toMatchObject({
      code: 'RATE_LIMIT',
      retryable: false,
      status: 429,
    });
    expect(fake.sent).toHaveLength(1);
    // The header of that 429 told the budget: the next call is refused without a request.
    const next = await client.persons.get(1);
    expect(next.success || next.error.code).toBe('RATE_LIMIT');
    expect(fake.sent).toHaveLength(1);
  });

  it('is shared by clients given the same budget (one company, one budget)', async () => {
    const fake = createFakePipedrive({ token: TOKEN });
    fake.seed('persons', 1);
    const budget = createPipedriveTokenBudget({ dailyTokens: 2, now: () => NOON });
    const make = () =>
      createPipedriveClient({
        apiToken: TOKEN,
        baseUrl: 'https://acme.pipedrive.test',
        fetch: fake.fetch,
        rateLimit: false,
        tokenBudget: budget,
      });
    const [first, second] = [make(), make()];
    expect(first.tokenBudget).toBe(budget);
    budget.observe(new Headers({ 'x-daily-ratelimit-token-remaining': '2' }));
    expect((await first.persons.get(1)).success).toBe(true);
    // The fake reports its own (large) count: the shared budget follows the server.
    expect(budget.state().remaining).toBe(fake.daily.remaining);
    fake.daily.remaining = 1;
    expect((await second.persons.get(1)).success).toBe(true);
    const spent = await first.persons.get(1);
    expect(spent.success || spent.error).toMatchObject({ code: 'RATE_LIMIT', retryable: false });
  });
});
