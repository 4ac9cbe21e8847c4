// Exact Online blocks an app's key for an hour (longer each time) once it has answered more than 10 errors for
// one user, division and endpoint within an hour. The client counts the error answers it receives, per endpoint,
// and refuses a call to an endpoint that has had `maxErrorsPerHour` (default 9) of them, so it stops before the
// block rather than after. The count is this process's, and with `store` also every process's sharing it.
import {
  type ErrorMapping,
  type ErrorResponse,
  type FailureWindowStore,
  IntegrationError,
} from '@patchbay/core';
import { sharedErrorCount } from './shared-error-count.ts';

/** Options of {@link createExactErrorBudget}. */
export interface ExactErrorBudgetOptions {
  /** Error answers one endpoint may give within the hour before calls to it stop. Default 9 (Exact blocks at 10). */
  maxErrorsPerHour?: number;
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
  /**
   * A store every process of the app shares (e.g. `@patchbay/store-redis`'s failure-window store): their errors
   * then count together over a sliding hour, as Exact counts them. Default none: this process's errors only.
   */
  store?: FailureWindowStore;
  /** Prefix of the shared keys: one per app key and user whose errors Exact counts together. Default `exact-errors`. */
  keyPrefix?: string;
}

/** What one endpoint has left of its hourly error budget. */
export interface ExactErrorBudgetState {
  /** Error answers within the last hour. */
  errors: number;
  /** When a call to it is allowed again (epoch ms), when it is spent now. */
  freesAt?: number;
}

/** The hourly error budget of a client's endpoints. */
export interface ExactErrorBudget {
  /** This process's count for an endpoint now; `url` is a request URL or path (the key in `Accounts(guid'…')` is left out). */
  state(url: string): ExactErrorBudgetState;
  /** The error of a call to `url` now by this process's count, or undefined while it allows one. */
  check(url: string, method?: string): IntegrationError | undefined;
  /** A fetch that counts the error answers of `base` and answers for Exact once an endpoint's budget (shared too) is spent. */
  wrap(base: typeof fetch): typeof fetch;
}

const HOUR_MS = 3_600_000;
// Endpoints remembered at most: a client reaches a few dozen; the bound keeps a long-lived process's map small.
const MAX_ENDPOINTS = 1_000;

/** Marks a response the budget answered in Exact's place (its value: when the endpoint frees, epoch ms). */
export const EXACT_ERROR_BUDGET_HEADER = 'x-patchbay-exact-error-budget';

/**
 * The endpoint an error is counted against: the path, lower-cased, without its query and without the key of an
 * entity (`/api/v1/1/crm/accounts(guid'…')` counts as `/api/v1/1/crm/accounts`).
 */
export function exactEndpointOf(url: string): string {
  let path = url;
  try {
    path = new URL(url, 'https://endpoint.invalid').pathname;
  } catch {
    path = url.split('?')[0] ?? url;
  }
  try {
    path = decodeURIComponent(path);
  } catch {
    // A path that does not decode is counted as it came.
  }
  return path
    .replace(/\([^/]*\)$/, '')
    .replace(/\/+$/, '')
    .toLowerCase();
}

/**
 * Creates the error budget a client keeps. The client checks it before each call and wraps its fetch in it, so a
 * retry inside a call stops too; a refused call is `RATE_LIMIT`, not retryable, with `retryAfterMs` and the time
 * it frees in its message.
 * @example const budget = createExactErrorBudget({ maxErrorsPerHour: 5 });
 */
export function createExactErrorBudget(options: ExactErrorBudgetOptions = {}): ExactErrorBudget {
  const limit = options.maxErrorsPerHour ?? 9;
  const now = options.now ?? (() => Date.now());
  const errors = new Map<string, number[]>();
  const shared = options.store
    ? sharedErrorCount(options.store, options.keyPrefix ?? 'exact-errors', limit)
    : undefined;

  const recent = (endpoint: string, at: number): number[] => {
    const times = (errors.get(endpoint) ?? []).filter((time) => time > at - HOUR_MS);
    if (times.length === 0) errors.delete(endpoint);
    else errors.set(endpoint, times);
    return times;
  };
  const record = (endpoint: string, at: number) => {
    const times = recent(endpoint, at);
    errors.delete(endpoint);
    errors.set(endpoint, [...times, at]);
    if (errors.size > MAX_ENDPOINTS) errors.delete(errors.keys().next().value as string);
  };
  const state = (url: string): ExactErrorBudgetState => {
    const at = now();
    const times = recent(exactEndpointOf(url), at);
    if (times.length < limit) return { errors: times.length };
    // Frees when enough of the oldest errors leave the hour for one more call.
    const freesAt = (times[times.length - limit] ?? at) + HOUR_MS;
    return { errors: times.length, freesAt };
  };
  const message = (endpoint: string, s: ExactErrorBudgetState) =>
    `Exact Online answered ${s.errors} errors for ${endpoint} within the hour${shared ? ' to this process (more to others sharing the budget)' : ''}; calls to it stop here, before Exact blocks the app's key at 10, until ${new Date(s.freesAt ?? now()).toISOString()}`;

  return {
    state,
    check(url, method = 'GET') {
      const s = state(url);
      if (s.freesAt === undefined) return undefined;
      const endpoint = exactEndpointOf(url);
      return new IntegrationError('RATE_LIMIT', `${method} ${endpoint}: ${message(endpoint, s)}`, {
        retryable: false,
        retryAfterMs: Math.max(0, s.freesAt - now()),
        method,
        path: endpoint,
      });
    },
    wrap(base) {
      return async (input, init) => {
        const url = input instanceof Request ? input.url : String(input);
        const endpoint = exactEndpointOf(url);
        const own = state(url);
        const sharedFrees = own.freesAt === undefined ? await shared?.freesAt(endpoint, now()) : undefined;
        const s = sharedFrees === undefined ? own : { ...own, freesAt: sharedFrees };
        if (s.freesAt !== undefined) {
          return new Response(
            JSON.stringify({
              error: { code: 'ErrorBudget', message: { lang: 'en', value: message(endpoint, s) } },
            }),
            {
              status: 599,
              headers: { 'content-type': 'application/json', [EXACT_ERROR_BUDGET_HEADER]: String(s.freesAt) },
            },
          );
        }
        const response = await base(input, init);
        if (response.status >= 400) {
          const at = now();
          record(endpoint, at);
          await shared?.record(endpoint, at);
        }
        return response;
      };
    },
  };
}

/** The mapping of a response the budget answered (see {@link EXACT_ERROR_BUDGET_HEADER}), else undefined. */
export function errorBudgetMapping(
  response: ErrorResponse,
  now: number = Date.now(),
): ErrorMapping | undefined {
  const value = response.headers.get(EXACT_ERROR_BUDGET_HEADER);
  if (value === null || !/^\d{1,16}$/.test(value)) return undefined;
  return { code: 'RATE_LIMIT', retryable: false, retryAfterMs: Math.max(0, Number(value) - now) };
}
