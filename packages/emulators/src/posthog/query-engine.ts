// The query engine behind the emulator's `/query/` endpoint: runs one query node over the stored events and
// answers as PostHog's `QueryViewSet.create` does (`posthog/api/query.py`): the runner's response for a 200, and
// for a HogQL error a 400 `{ type: 'validation_error', code, detail, attr: null }` (ExposedHogQLError becomes a
// DRF ValidationError with the error's `code_name`; a node that fails the schema is a ParseError, code
// `parse_error`). Never throws: an unexpected failure is a 500 with DRF's server_error body.
import type { PostHogEventStore } from './event-store.ts';
import { runEventsQuery } from './events-query.ts';
import { EMULATOR_LIMIT, HogQLError, parseError } from './hogql-ast.ts';
import { runHogQLQuery } from './hogql-query.ts';
import type { QueryContext } from './query-context.ts';
import { runTrendsQuery } from './trends-query.ts';

/** A query's outcome: the body of a 200, or an error status and body. */
export type QueryOutcome =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; status: number; body: Record<string, unknown> };

/** Options of `runPostHogQuery`. */
export interface RunQueryOptions {
  /** The moment the query runs at: `now()`, relative dates, EventsQuery's default window. */
  now: Date;
  /** The project id (`team_id`, and EventsQuery's `*`); 1 by default. */
  teamId?: number;
  /**
   * Allow OFFSET in HogQL. PostHog refuses it for personal-API-key callers unless the organisation is on the
   * `hogql-personal-api-key-offset-allowed` flag; the default (false) is what a personal key gets.
   */
  offsetAllowed?: boolean;
}

/** Query kinds PostHog runs that the emulator does not (a clear 400 rather than a schema error). */
const OTHER_KINDS = new Set([
  'FunnelsQuery',
  'RetentionQuery',
  'PathsQuery',
  'StickinessQuery',
  'LifecycleQuery',
  'ActorsQuery',
  'PersonsNode',
  'SessionsQuery',
  'SessionsTimelineQuery',
  'InsightActorsQuery',
  'HogQLMetadata',
  'HogQLAutocomplete',
  'HogQuery',
  'WebOverviewQuery',
  'WebStatsTableQuery',
  'ErrorTrackingQuery',
  'DataVisualizationNode',
  'DataTableNode',
  'InsightVizNode',
  'RecordingsQuery',
  'GroupsQuery',
]);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const validationError = (code: string, detail: string): QueryOutcome => ({
  ok: false,
  status: 400,
  body: { type: 'validation_error', code, detail, attr: null },
});

/**
 * Runs one query node (`{ kind: 'HogQLQuery' | 'TrendsQuery' | 'EventsQuery', … }`) over the stored events, as
 * PostHog's /query/ answers it (the body of a 200). Errors as PostHog's 400 bodies:
 * `{ type: 'validation_error', code, detail, attr }`.
 */
export function runPostHogQuery(
  store: PostHogEventStore,
  query: unknown,
  options: RunQueryOptions,
): QueryOutcome {
  const context: QueryContext = {
    nowUs: options.now.getTime() * 1000,
    teamId: options.teamId ?? 1,
    offsetAllowed: options.offsetAllowed ?? false,
  };
  try {
    if (!isObject(query) || typeof query.kind !== 'string') {
      throw parseError(
        "1 validation error for QueryRequest\nquery\n  Unable to extract tag using discriminator 'kind'",
      );
    }
    switch (query.kind) {
      case 'HogQLQuery':
        return { ok: true, body: runHogQLQuery(store, query, context) };
      case 'TrendsQuery':
        return { ok: true, body: runTrendsQuery(store, query, context) };
      case 'EventsQuery':
        return { ok: true, body: runEventsQuery(store, query, context) };
      default:
        if (OTHER_KINDS.has(query.kind)) {
          return validationError(
            'invalid',
            `The PostHog emulator does not run ${query.kind}: it runs HogQLQuery, TrendsQuery and EventsQuery. ${EMULATOR_LIMIT}.`,
          );
        }
        throw parseError(
          `1 validation error for QueryRequest\nquery\n  Input tag '${query.kind}' found using 'kind' does not match any of the expected tags`,
        );
    }
  } catch (error) {
    if (error instanceof HogQLError) return validationError(error.code, error.message);
    // DRF's answer to an unhandled exception; the emulator's own bug, not the caller's.
    return {
      ok: false,
      status: 500,
      body: {
        type: 'server_error',
        code: 'error',
        detail: `A server error occurred: ${error instanceof Error ? error.message : String(error)}`,
        attr: null,
      },
    };
  }
}
