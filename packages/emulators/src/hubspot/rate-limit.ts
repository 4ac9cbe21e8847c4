// HubSpot's API limits, per token. Private apps get a rolling 10-second window (100 requests on Free/Starter, 190 on
// Professional/Enterprise, 250 with the API limit increase) and a daily budget (250 000 / 625 000 / 1 000 000) that
// resets at midnight; every answer carries `X-HubSpot-RateLimit-Max`, `-Remaining`, `-Interval-Milliseconds`,
// `-Daily` and `-Daily-Remaining` (the daily pair absent for OAuth apps). A 429 body is `{ status: 'error', message,
// errorType: 'RATE_LIMIT', correlationId, policyName: 'TEN_SECONDLY_ROLLING' | 'DAILY' }`. Source: HubSpot's
// "API usage guidelines and limits" (developers.hubspot.com/docs/guides/apps/api-usage/usage-details) and the
// project's wire notes. The search endpoints have their own limit, 5 requests per second per account, answered
// without the headers; its 429 reads "You have reached your secondly limit." with policyName `SECONDLY`
// (body quoted in HGData/mk-node-hubspot #89 and #84). HubSpot's own client keys its retries on exactly these:
// `policyName === 'TEN_SECONDLY_ROLLING'` and `message === 'You have reached your secondly limit.'` (hubspot-api-nodejs
// `src/services/decorators/RetryDecorator.ts`). Denied requests use up no budget.

import { HubSpotError } from './errors.ts';

/** HubSpot plans and their private-app limits (usage guidelines page). */
export const HUBSPOT_PLAN_LIMITS = {
  free: { max: 100, daily: 250_000 },
  starter: { max: 100, daily: 250_000 },
  professional: { max: 190, daily: 625_000 },
  enterprise: { max: 190, daily: 1_000_000 },
  'api-add-on': { max: 250, daily: 1_000_000 },
} as const;

/** A plan name of {@link HUBSPOT_PLAN_LIMITS}. */
export type HubSpotPlan = keyof typeof HUBSPOT_PLAN_LIMITS;

/** The limits one emulator enforces. */
export interface HubSpotLimits {
  /** Requests per rolling window. */
  max: number;
  /** The window, in ms (HubSpot's is 10 000). */
  intervalMs: number;
  /** Requests per day (UTC days here). */
  daily: number;
  /** OAuth apps get no daily headers. */
  oauth: boolean;
}

/** The verdict on one request: allowed (with the headers to answer) or the 429 to send. */
export type LimitVerdict =
  | { allowed: true; headers: Record<string, string> }
  | { allowed: false; error: HubSpotError };

/** The per-token limiter of one emulator. */
export interface HubSpotRateLimiter {
  /** Counts one ordinary request. */
  take(token: string): LimitVerdict;
  /** Counts one search request: the 5-per-second search limit first, then the account's. */
  takeSearch(token: string): LimitVerdict;
  readonly limits: HubSpotLimits;
  /** Requests still allowed today. */
  dailyRemaining(token: string): number;
  /**
   * Denies the next `times` requests (searches too) with the 429 of `policyName`, whatever the windows say: the
   * kit's `rate-limit` fault answers a generic 429, this one answers HubSpot's body and headers.
   */
  force(policyName: 'TEN_SECONDLY_ROLLING' | 'DAILY' | 'SECONDLY', times?: number): void;
  reset(): void;
}

const DAY_MS = 86_400_000;

/** A rolling window: timestamps of the admitted requests inside it. */
function rollingWindow(max: number, intervalMs: number) {
  let hits = new Map<string, number[]>();
  return {
    used(key: string, at: number): number {
      const list = hits.get(key);
      if (!list) return 0;
      while (list.length > 0 && list[0]! <= at - intervalMs) list.shift();
      return list.length;
    },
    admit(key: string, at: number): boolean {
      if (this.used(key, at) >= max) return false;
      let list = hits.get(key);
      if (!list) {
        list = [];
        hits.set(key, list);
      }
      list.push(at);
      return true;
    },
    reset() {
      hits = new Map();
    },
  };
}

function rateLimited(policyName: string, message: string, headers?: Record<string, string>): HubSpotError {
  return new HubSpotError(429, undefined, message, {
    extra: { errorType: 'RATE_LIMIT', policyName },
    headers,
  });
}

/**
 * Creates the limiter. `searchPerSecond` false turns the search limit off; `limits` undefined turns the account
 * limits off (no headers either).
 */
export function createHubSpotRateLimiter(options: {
  limits?: HubSpotLimits;
  searchPerSecond?: number | false;
  now: () => number;
}): HubSpotRateLimiter {
  const { limits, now } = options;
  const window = limits ? rollingWindow(limits.max, limits.intervalMs) : undefined;
  const search = options.searchPerSecond ? rollingWindow(options.searchPerSecond, 1000) : undefined;
  let daily = new Map<string, { day: number; used: number }>();
  let forced: { policyName: 'TEN_SECONDLY_ROLLING' | 'DAILY' | 'SECONDLY'; left: number } | undefined;
  const MESSAGES = {
    TEN_SECONDLY_ROLLING: 'You have reached your ten_secondly_rolling limit.',
    DAILY: 'You have reached your daily limit.',
    SECONDLY: 'You have reached your secondly limit.',
  } as const;
  const takeForced = (token: string, at: number, withHeaders: boolean): LimitVerdict | undefined => {
    if (!forced || forced.left <= 0) return undefined;
    forced.left -= 1;
    const { policyName } = forced;
    const headers = withHeaders && policyName !== 'SECONDLY' ? headersFor(token, at) : undefined;
    return { allowed: false, error: rateLimited(policyName, MESSAGES[policyName], headers) };
  };

  const dailyOf = (token: string, at: number) => {
    const day = Math.floor(at / DAY_MS);
    let entry = daily.get(token);
    if (!entry || entry.day !== day) {
      entry = { day, used: 0 };
      daily.set(token, entry);
    }
    return entry;
  };
  const headersFor = (token: string, at: number): Record<string, string> => {
    if (!limits || !window) return {};
    const headers: Record<string, string> = {
      'X-HubSpot-RateLimit-Max': String(limits.max),
      'X-HubSpot-RateLimit-Remaining': String(Math.max(0, limits.max - window.used(token, at))),
      'X-HubSpot-RateLimit-Interval-Milliseconds': String(limits.intervalMs),
    };
    if (!limits.oauth) {
      headers['X-HubSpot-RateLimit-Daily'] = String(limits.daily);
      headers['X-HubSpot-RateLimit-Daily-Remaining'] = String(
        Math.max(0, limits.daily - dailyOf(token, at).used),
      );
    }
    return headers;
  };
  const takeAccount = (token: string, at: number, withHeaders: boolean): LimitVerdict => {
    if (!limits || !window) return { allowed: true, headers: {} };
    const day = dailyOf(token, at);
    if (!limits.oauth && day.used >= limits.daily) {
      const headers = withHeaders ? headersFor(token, at) : undefined;
      return { allowed: false, error: rateLimited('DAILY', 'You have reached your daily limit.', headers) };
    }
    if (!window.admit(token, at)) {
      const headers = withHeaders ? headersFor(token, at) : undefined;
      return {
        allowed: false,
        error: rateLimited(
          'TEN_SECONDLY_ROLLING',
          'You have reached your ten_secondly_rolling limit.',
          headers,
        ),
      };
    }
    day.used += 1;
    return { allowed: true, headers: withHeaders ? headersFor(token, at) : {} };
  };

  return {
    limits: limits ?? {
      max: Number.POSITIVE_INFINITY,
      intervalMs: 10_000,
      daily: Number.POSITIVE_INFINITY,
      oauth: false,
    },
    take(token) {
      const at = now();
      return takeForced(token, at, true) ?? takeAccount(token, at, true);
    },
    takeSearch(token) {
      const at = now();
      const denied = takeForced(token, at, false);
      if (denied) return denied;
      if (search && search.used(token, at) >= (options.searchPerSecond as number)) {
        return { allowed: false, error: rateLimited('SECONDLY', 'You have reached your secondly limit.') };
      }
      const verdict = takeAccount(token, at, false);
      if (verdict.allowed) search?.admit(token, at);
      return verdict;
    },
    dailyRemaining(token) {
      if (!limits) return Number.POSITIVE_INFINITY;
      return Math.max(0, limits.daily - dailyOf(token, now()).used);
    },
    force(policyName, times = 1) {
      if (!(policyName in MESSAGES))
        throw new RangeError(`policyName must be one of ${Object.keys(MESSAGES).join(', ')}`);
      if (!Number.isInteger(times) || times < 0) throw new RangeError('times must be a non-negative integer');
      forced = { policyName, left: times };
    },
    reset() {
      forced = undefined;
      window?.reset();
      search?.reset();
      daily = new Map();
    },
  };
}
