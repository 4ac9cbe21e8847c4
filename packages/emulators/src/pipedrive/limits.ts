// Pipedrive's token-based limits (every account since 2025; wire notes "Pipedrive", and Pipedrive's "Rate limiting"
// page, pipedrive.readme.io/docs/core-api-concepts-rate-limiting):
// - a daily budget per company of 30 000 tokens × plan multiplier (Lite 1, Growth 2, Premium 5, Ultimate 7) × seats,
//   reset at the server's midnight (UTC here), shared by every token of the company;
// - each request costs its endpoint's flat token cost (`x-token-cost` in the OpenAPI spec), v2 half of v1: list 10
//   vs 20, get 1 vs 2, search 20 vs 40, a single-entity write 5 vs 10 (rate-limits.apis.io's summary of the page
//   gives v1 10 for POST/PUT/PATCH; delete costing the same as a write is a guess);
// - a burst limit per token over a rolling 2 s: 20/40/100/120 by plan (wire notes; the page's tables, under older
//   plan names, read 20/40/80/100/120), four times that for OAuth access tokens (the page: 80/160/320/400/480), and
//   search 10 per 2 s on every plan for API and access tokens alike (the page's "Rate limiting for Search API");
// - headers `x-ratelimit-limit`, `-remaining`, `-reset` (seconds until the window frees), and the undocumented
//   `x-daily-ratelimit-token-limit` / `-remaining`; a 429 when over (its body is undocumented: the failure envelope
//   here, a guess);
// - repeated requests after 429s get a 403 HTML page from the edge (wire notes). How many it takes is not
//   documented: `edgeBlockAfter` consecutive 429s here (default 10), lifted by the next admitted request.

import { PipedriveError } from './errors.ts';

/** Pipedrive plans with their daily multiplier and burst limit per 2 s. */
export const PIPEDRIVE_PLANS = {
  lite: { multiplier: 1, burst: 20 },
  growth: { multiplier: 2, burst: 40 },
  premium: { multiplier: 5, burst: 100 },
  ultimate: { multiplier: 7, burst: 120 },
} as const;

/** A plan name of {@link PIPEDRIVE_PLANS}. */
export type PipedrivePlan = keyof typeof PIPEDRIVE_PLANS;

/** What a request does, for its token cost. */
export type CostKind = 'list' | 'get' | 'search' | 'write' | 'delete';

const V1_COSTS: Record<CostKind, number> = { list: 20, get: 2, search: 40, write: 10, delete: 10 };

/** The token cost of a request of `kind` on API `version` (v2 costs half of v1). */
export function tokenCost(kind: CostKind, version: 1 | 2): number {
  return version === 1 ? V1_COSTS[kind] : V1_COSTS[kind] / 2;
}

/** The daily token budget of a company: 30 000 × plan multiplier × seats. */
export function dailyBudget(plan: PipedrivePlan, seats: number): number {
  return 30_000 * PIPEDRIVE_PLANS[plan].multiplier * seats;
}

/** Options of {@link createPipedriveLimits}. */
export interface PipedriveLimitsOptions {
  /** Burst requests per 2 s per token. */
  burst: number;
  /** Search requests per 2 s per token. Default 10. */
  searchBurst?: number;
  /** The company's daily token budget. */
  dailyTokens: number;
  /** Consecutive 429s after which the edge answers 403 HTML. Default 10. */
  edgeBlockAfter?: number;
  now: () => number;
}

/** The verdict on one request: its headers, and the answer to send instead when it is refused. */
export interface LimitVerdict {
  headers: Record<string, string>;
  /** A 429 (burst or daily) or the edge's 403 page; undefined when admitted. */
  refusal?: Response;
}

/** The limiter of one emulated company. */
export interface PipedriveLimits {
  /** Admits (and charges) one request of `token`, or refuses it. */
  /** `oauth`: an OAuth access token, whose burst limit is four times the plan's. */
  take(token: string, cost: number, options?: { search?: boolean; oauth?: boolean }): LimitVerdict;
  /** Tokens left today. */
  dailyRemaining(): number;
  readonly dailyTokens: number;
  reset(): void;
}

const WINDOW_MS = 2_000;
const DAY_MS = 86_400_000;

/** The edge's page for a client that keeps going after 429s: HTML, not the JSON envelope. */
export function edgeBlockedPage(): Response {
  const html =
    '<!DOCTYPE html><html><head><title>403 Forbidden</title></head><body><h1>403 Forbidden</h1>' +
    '<p>Request blocked. Too many requests after being rate limited.</p></body></html>';
  return new Response(html, { status: 403, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

/**
 * Creates the limiter: a rolling 2-s window per token (and one for search), a daily budget per company, and the
 * edge block. Refused requests cost nothing.
 * @example const limits = createPipedriveLimits({ burst: 20, dailyTokens: 30_000, now: Date.now });
 */
export function createPipedriveLimits(options: PipedriveLimitsOptions): PipedriveLimits {
  const { burst, dailyTokens, now } = options;
  const searchBurst = options.searchBurst ?? 10;
  const edgeBlockAfter = options.edgeBlockAfter ?? 10;
  let windows = new Map<string, number[]>();
  let searchWindows = new Map<string, number[]>();
  let strikes = new Map<string, number>();
  let day = { index: -1, used: 0 };

  const live = (map: Map<string, number[]>, token: string, at: number) => {
    let hits = map.get(token);
    if (!hits) {
      hits = [];
      map.set(token, hits);
    }
    while (hits.length > 0 && hits[0]! <= at - WINDOW_MS) hits.shift();
    return hits;
  };
  const today = (at: number) => {
    const index = Math.floor(at / DAY_MS);
    if (day.index !== index) day = { index, used: 0 };
    return day;
  };
  const headersFor = (hits: number[], limit: number, at: number): Record<string, string> => {
    const resetMs = hits.length === 0 ? WINDOW_MS : hits[0]! + WINDOW_MS - at;
    return {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, limit - hits.length)),
      'x-ratelimit-reset': String(Math.max(1, Math.ceil(resetMs / 1000))),
      'x-daily-ratelimit-token-limit': String(dailyTokens),
      'x-daily-ratelimit-token-remaining': String(Math.max(0, dailyTokens - today(at).used)),
    };
  };

  return {
    dailyTokens,
    take(token, cost, takeOptions = {}) {
      const at = now();
      const search = takeOptions.search === true;
      const hits = live(search ? searchWindows : windows, token, at);
      const limit = search ? searchBurst : takeOptions.oauth ? burst * 4 : burst;
      const struck = strikes.get(token) ?? 0;
      const refuse = (message: string) => {
        strikes.set(token, struck + 1);
        const headers = headersFor(hits, limit, at);
        headers['retry-after'] = headers['x-ratelimit-reset']!;
        return { headers, refusal: new PipedriveError(429, message, headers).toResponse() };
      };
      if (struck >= edgeBlockAfter && hits.length >= limit) {
        return { headers: {}, refusal: edgeBlockedPage() };
      }
      const spent = today(at);
      // The budget comes back at the next midnight; no header says when (none is documented), so none is invented.
      if (spent.used + cost > dailyTokens) return refuse('Daily token budget exhausted');
      if (hits.length >= limit) return refuse('Request over limit');
      hits.push(at);
      spent.used += cost;
      strikes.delete(token);
      return { headers: headersFor(hits, limit, at) };
    },
    dailyRemaining: () => Math.max(0, dailyTokens - today(now()).used),
    reset() {
      windows = new Map();
      searchWindows = new Map();
      strikes = new Map();
      day = { index: -1, used: 0 };
    },
  };
}
