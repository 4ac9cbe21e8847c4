import { EmulatorConfigError, readOptionsObject } from './options.ts';
import { matchesRoute, type RoutePattern, readRoutePattern } from './route-key.ts';

/** How a request ended: the HTTP status answered, or a transport failure. */
export type Outcome = number | 'reset' | 'hang';

/** Totals of every request seen, by route key and by outcome (`'200'`, `'429'`, `'reset'`…). */
export interface CountersSnapshot {
  total: number;
  byRoute: Record<string, { total: number; byOutcome: Record<string, number> }>;
}

/**
 * Request counters, so a test can assert on what the server really saw (not just what the client got). Arguments
 * of the wrong kind (a route key that is not a string, an outcome that is neither a status nor `'reset'`/`'hang'`,
 * a filter that is not an object) throw an EmulatorConfigError naming them, and count nothing.
 */
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
      if (typeof routeKey !== 'string') throw new EmulatorConfigError('routeKey', 'must be a string');
      const isStatus =
        typeof outcome === 'number' && Number.isInteger(outcome) && outcome >= 0 && outcome <= 999;
      if (!isStatus && outcome !== 'reset' && outcome !== 'hang') {
        throw new EmulatorConfigError('outcome', "must be an HTTP status, 'reset' or 'hang'");
      }
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
    count(filter) {
      const read = readOptionsObject(filter, ['route', 'outcome'], 'filter');
      const route = read.route === undefined ? undefined : readRoutePattern(read.route, 'filter.route');
      const wanted = read.outcome;
      if (wanted !== undefined && typeof wanted !== 'string' && typeof wanted !== 'number') {
        throw new EmulatorConfigError(
          'filter.outcome',
          "must be a status, a class such as '5xx', 'reset' or 'hang'",
        );
      }
      let total = 0;
      for (const [key, outcomes] of byRoute) {
        if (!matchesRoute(route, key)) continue;
        for (const [outcome, n] of outcomes) if (matchesOutcome(wanted, outcome)) total += n;
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
