import { matchesRoute, type RoutePattern } from './route-key.ts';

/** How a request ended: the HTTP status answered, or a transport failure. */
export type Outcome = number | 'reset' | 'hang';

/** Totals of every request seen, by route key and by outcome (`'200'`, `'429'`, `'reset'`…). */
export interface CountersSnapshot {
  total: number;
  byRoute: Record<string, { total: number; byOutcome: Record<string, number> }>;
}

/** Request counters, so a test can assert on what the server really saw (not just what the client got). */
export interface Counters {
  record(routeKey: string, outcome: Outcome): void;
  /** A copy of the totals; later requests don't change it. */
  snapshot(): CountersSnapshot;
  /**
   * Requests matching the filter. `route` works as in fault specs; `outcome` is a status, `'reset'`/`'hang'`,
   * or a status class such as `'5xx'`.
   */
  count(filter?: { route?: RoutePattern; outcome?: number | string }): number;
  reset(): void;
}

/**
 * Creates empty request counters.
 * @example
 * const counters = createCounters();
 * counters.record('POST /rest/people', 201);
 * counters.count({ route: '* /rest/people', outcome: '2xx' }); // 1
 */
export function createCounters(): Counters {
  let byRoute = new Map<string, Map<string, number>>();

  return {
    record(routeKey, outcome) {
      let outcomes = byRoute.get(routeKey);
      if (!outcomes) {
        outcomes = new Map();
        byRoute.set(routeKey, outcomes);
      }
      const key = String(outcome);
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    },
    snapshot() {
      const snapshot: CountersSnapshot = { total: 0, byRoute: {} };
      for (const [route, outcomes] of byRoute) {
        const byOutcome = Object.fromEntries(outcomes);
        const total = sum(outcomes.values());
        snapshot.byRoute[route] = { total, byOutcome };
        snapshot.total += total;
      }
      return snapshot;
    },
    count(filter = {}) {
      let total = 0;
      for (const [route, outcomes] of byRoute) {
        if (!matchesRoute(filter.route, route)) continue;
        for (const [outcome, n] of outcomes) if (matchesOutcome(filter.outcome, outcome)) total += n;
      }
      return total;
    },
    reset() {
      byRoute = new Map();
    },
  };
}

function matchesOutcome(wanted: number | string | undefined, outcome: string): boolean {
  if (wanted === undefined) return true;
  const text = String(wanted);
  const statusClass = /^([1-5])xx$/i.exec(text);
  if (statusClass) return /^\d{3}$/.test(outcome) && outcome[0] === statusClass[1];
  return text === outcome;
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
