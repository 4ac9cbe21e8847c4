// Exact Online's API limits, per app and division (wire notes; Exact's announcement quoted at
// forums.invantive.com/t/new-exact-online-api-limitations/1040): 60 calls a minute and 5 000 a day, told in
// `X-RateLimit-Minutely-Limit/-Remaining/-Reset` and `X-RateLimit-Limit/-Remaining/-Reset` (resets in epoch ms), 429
// past either; "no more than 10 errors per API key, per user, per company, per endpoint, and per hour ... the block
// will automatically be lifted after one hour and will gradually increase", where "response code 400, 401, 403, and
// 404 are counted as errors" (forums.invantive.com/t/impact-analysis-of-10-error-messages-…/1336). The windows follow
// the clock: the minutely reset falls on the next whole minute and the daily one at midnight UTC (a log in
// picqer/exact-php-client issue #646 shows, in Amsterdam time, a call at 02:01:49 with minutely reset 02:02:00 and
// daily reset 02:00:00 the next day; fretje/exactonline-api-dotnet-client PR #8 notes the reset is "only specific to
// the minute"). A 429 carries only the headers of the budget it hit ("Exact omits the daily limit information when
// they return a 429 due to minutely limits and vice versa", issue #646). Guesses: a blocked key is answered 429 (the
// status is not documented); each further block doubles (1 h, 2 h, 4 h…) as "gradually increase" is not quantified.

/** Options of {@link createExactLimits}. */
export interface ExactLimitsOptions {
  now: () => number;
  /** Default 60. */
  minutely?: number;
  /** Default 5 000. */
  daily?: number;
  /** Errors allowed per key, division and endpoint in an hour before the block. Default 10. */
  errorsPerHour?: number;
}

/** The verdict on one call. */
export interface ExactLimitDecision {
  allowed: boolean;
  /** Which budget refused it. */
  exceeded?: 'minutely' | 'daily';
  headers: Record<string, string>;
}

/** The limits' state. */
export interface ExactLimits {
  /** Counts one call against the division's windows (a refused call uses nothing). */
  take(division: number): ExactLimitDecision;
  /** Counts an answer with a status; 400, 401, 403 and 404 count against the error budget of `key`. */
  recordStatus(key: string, status: number): void;
  /** Until when (epoch ms) `key` is blocked, if it is. */
  blockedUntil(key: string): number | undefined;
  /** Calls left today in a division. */
  dailyRemaining(division: number): number;
  reset(): void;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const COUNTED_ERRORS = new Set([400, 401, 403, 404]);

/** Creates the limits with fresh windows. */
export function createExactLimits(options: ExactLimitsOptions): ExactLimits {
  const { now } = options;
  const minutely = options.minutely ?? 60;
  const daily = options.daily ?? 5_000;
  const errorsPerHour = options.errorsPerHour ?? 10;
  let minute = new Map<number, { used: number; resetAt: number }>();
  let day = new Map<number, { used: number; resetAt: number }>();
  let errors = new Map<string, number[]>();
  let blocks = new Map<string, { until: number; count: number }>();

  const window = (
    map: Map<number, { used: number; resetAt: number }>,
    division: number,
    at: number,
    resetAt: () => number,
  ) => {
    let found = map.get(division);
    if (!found || at >= found.resetAt) {
      found = { used: 0, resetAt: resetAt() };
      map.set(division, found);
    }
    return found;
  };

  return {
    take(division) {
      const at = now();
      const m = window(minute, division, at, () => (Math.floor(at / MINUTE_MS) + 1) * MINUTE_MS);
      const d = window(day, division, at, () => (Math.floor(at / DAY_MS) + 1) * DAY_MS);
      const exceeded = d.used >= daily ? 'daily' : m.used >= minutely ? 'minutely' : undefined;
      if (!exceeded) {
        m.used += 1;
        d.used += 1;
      }
      const dailyHeaders = {
        'X-RateLimit-Limit': String(daily),
        'X-RateLimit-Remaining': String(daily - d.used),
        'X-RateLimit-Reset': String(d.resetAt),
      };
      const minutelyHeaders = {
        'X-RateLimit-Minutely-Limit': String(minutely),
        'X-RateLimit-Minutely-Remaining': String(minutely - m.used),
        'X-RateLimit-Minutely-Reset': String(m.resetAt),
      };
      if (exceeded === 'daily') return { allowed: false, exceeded, headers: dailyHeaders };
      if (exceeded === 'minutely') return { allowed: false, exceeded, headers: minutelyHeaders };
      return { allowed: true, headers: { ...dailyHeaders, ...minutelyHeaders } };
    },
    recordStatus(key, status) {
      if (!COUNTED_ERRORS.has(status)) return;
      const at = now();
      const recent = (errors.get(key) ?? []).filter((t) => at - t < HOUR_MS);
      recent.push(at);
      errors.set(key, recent);
      if (recent.length > errorsPerHour) {
        const previous = blocks.get(key);
        const count = (previous?.count ?? 0) + 1;
        blocks.set(key, { until: at + HOUR_MS * 2 ** (count - 1), count });
        errors.set(key, []);
      }
    },
    blockedUntil(key) {
      const block = blocks.get(key);
      return block && now() < block.until ? block.until : undefined;
    },
    dailyRemaining(division) {
      const d = day.get(division);
      return !d || now() >= d.resetAt ? daily : daily - d.used;
    },
    reset() {
      minute = new Map();
      day = new Map();
      errors = new Map();
      blocks = new Map();
    },
  };
}
