import { type ApiResult, err, IntegrationError, ok } from '@patchbay/core';

/**
 * Token costs of the calls this package makes, from Pipedrive's "Rate limiting" page and the OpenAPI
 * `x-token-cost` of each operation: API v2 costs half of v1 (list 10 vs 20, get 1 vs 2, search 20 vs 40).
 */
export const PIPEDRIVE_TOKEN_COSTS = {
  get: 1,
  list: 10,
  search: 20,
  create: 5,
  update: 5,
  delete: 3,
  v1Get: 2,
  v1List: 20,
  v1Create: 10,
  v1Update: 10,
  v1Delete: 6,
} as const;

/** A call kind with a token cost. */
export type PipedriveCallKind = keyof typeof PIPEDRIVE_TOKEN_COSTS;

/** The daily budget of a company: 30 000 tokens × the plan's multiplier × seats. */
export const PIPEDRIVE_DAILY_TOKENS_PER_SEAT = 30_000;

/** Options of {@link createPipedriveTokenBudget}. */
export interface PipedriveTokenBudgetOptions {
  /** The company's daily tokens, when known (30 000 × plan multiplier × seats). Default: learnt from headers. */
  dailyTokens?: number;
  /** Clock, epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Epoch ms of the next reset after `at`. Default the next UTC midnight (the server's midnight is not sent). */
  nextReset?: (at: number) => number;
}

/** The daily token budget as this process knows it. */
export interface PipedriveTokenBudget {
  /** Takes `cost` tokens before a request: a `RATE_LIMIT` error (retryable false, `retryAfterMs` to the reset) when the budget cannot pay it. */
  spend(cost: number, operation: string): ApiResult<void>;
  /** Corrects the count from `x-daily-ratelimit-token-remaining` / `-limit` of any response. */
  observe(headers: Headers): void;
  /** What is known: remaining tokens (undefined before any header or `dailyTokens`), and the next reset. */
  state(): { remaining: number | undefined; limit: number | undefined; resetsAt: number };
}

const DAY_MS = 86_400_000;
const REMAINING = 'x-daily-ratelimit-token-remaining';
const LIMIT = 'x-daily-ratelimit-token-limit';

/** Epoch ms of the first UTC midnight after `at`. */
export function nextUtcMidnight(at: number): number {
  return (Math.floor(at / DAY_MS) + 1) * DAY_MS;
}

/**
 * The daily token budget shared by a company: each call's cost taken locally before it is sent, corrected by
 * the `x-daily-ratelimit-token-remaining` header of every answer. Once it cannot pay a call, every call fails
 * at once with a typed `RATE_LIMIT` (no request, no retry) until the reset.
 * @example const budget = createPipedriveTokenBudget({ dailyTokens: 30_000 * 2 * 5 });
 */
export function createPipedriveTokenBudget(options: PipedriveTokenBudgetOptions = {}): PipedriveTokenBudget {
  const now = options.now ?? (() => Date.now());
  const nextReset = options.nextReset ?? nextUtcMidnight;
  let limit = positive(options.dailyTokens);
  let remaining = limit;
  let resetsAt = nextReset(now());
  const roll = () => {
    const t = now();
    if (t >= resetsAt) {
      remaining = limit;
      resetsAt = nextReset(t);
    }
    return t;
  };
  return {
    spend(cost, operation) {
      const t = roll();
      if (remaining !== undefined && remaining < cost) {
        const waitMs = Math.max(0, resetsAt - t);
        return err(
          new IntegrationError(
            'RATE_LIMIT',
            `${operation}: Pipedrive's daily token budget is spent (${remaining} left, this call costs ${cost}); it resets at ${new Date(resetsAt).toISOString()}`,
            { retryable: false, retryAfterMs: waitMs },
          ),
        );
      }
      if (remaining !== undefined) remaining -= cost;
      return ok(undefined);
    },
    observe(headers) {
      try {
        roll();
        const left = wholeNumber(headers.get(REMAINING));
        const max = wholeNumber(headers.get(LIMIT));
        if (max !== undefined && max > 0) limit = max;
        if (left !== undefined) remaining = left;
      } catch {
        // A header that cannot be read is no correction.
      }
    },
    state: () => {
      roll();
      return { remaining, limit, resetsAt };
    },
  };
}

function positive(value: number | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined;
}

function wholeNumber(value: string | null): number | undefined {
  const trimmed = value?.trim();
  return trimmed && /^\d{1,12}$/.test(trimmed) ? Number(trimmed) : undefined;
}
