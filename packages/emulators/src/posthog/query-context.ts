// What every query runner of the engine receives, and PostHog's row limits (`posthog/hogql/constants.py`).

/** PostHog's DEFAULT_RETURNED_ROWS: rows a query returns when it asks for no LIMIT. */
export const DEFAULT_RETURNED_ROWS = 100;

/** PostHog's MAX_SELECT_RETURNED_ROWS: the most rows any query returns; a larger LIMIT is clamped to it. */
export const MAX_SELECT_RETURNED_ROWS = 50_000;

/** PostHog's BREAKDOWN_VALUES_LIMIT: breakdown values a trend shows before grouping the rest as "Other". */
export const BREAKDOWN_VALUES_LIMIT = 25;

/** The moment and project a query runs for. */
export interface QueryContext {
  /** `now()`, microseconds since the epoch. */
  nowUs: number;
  /** The project (team) id, which `team_id` and `SELECT *` on EventsQuery show. */
  teamId: number;
  /**
   * Whether HogQL OFFSET is allowed. PostHog refuses it on queries made with a personal API key unless the
   * organisation is on the `hogql-personal-api-key-offset-allowed` flag (`posthog/hogql/user_query_validator.py`).
   */
  offsetAllowed: boolean;
}
