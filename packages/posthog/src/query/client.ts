import { type ApiResult, createHttpClient, revealSecret, type Secret, settle } from '@patchbay/core';
import { mapPostHogError } from '../posthog-errors.ts';
import { type PostHogClientOptions, parsePostHogOptions } from './client-options.ts';
import { type EventsOptions, eventsWith, type PostHogEvent } from './events.ts';
import { type HogQLOptions, type HogQLResult, hogqlWith } from './hogql.ts';
import { createQueryLimits, type QueryLimits } from './limits.ts';
import { type PageViewsOptions, pageViewsWith } from './page-views.ts';
import { queryWith } from './query.ts';
import type { PostHogQueryNode } from './query-nodes.ts';
import type { QueryOptions } from './query-options.ts';
import type { QueryResponseOf, TrendsSeries } from './query-responses.ts';
import type { QueryContext } from './run-query.ts';
import { createQueryTransport } from './transport.ts';
import { type TrendsOptions, trendsWith } from './trends.ts';

/** A PostHog reading client: every call resolves to an `ApiResult`, never throws or rejects. */
export interface PostHogClient {
  /** The app host it reads from. */
  readonly host: string;
  readonly projectId: string;
  /**
   * Runs any query node through `POST /api/projects/{projectId}/query/`: `HogQLQuery`, `TrendsQuery` and
   * `EventsQuery` checked and their answers typed, other kinds passed through with a loose answer. A 202 is
   * polled until complete; an abort cancels the query on PostHog.
   */
  query<const N extends PostHogQueryNode>(
    node: N,
    options?: QueryOptions,
  ): Promise<ApiResult<QueryResponseOf<N>>>;
  /** A HogQL query with `{name}` placeholders filled from `values` by PostHog: rows (loosely typed) and columns. */
  hogql<Row extends readonly unknown[] = unknown[]>(
    sql: string,
    options?: HogQLOptions,
  ): Promise<ApiResult<HogQLResult<Row>>>;
  /** A trend: one entry per series (and breakdown value), its values per interval. */
  trends(options: TrendsOptions): Promise<ApiResult<TrendsSeries[]>>;
  /** How many `$pageview` events the last `days` days (default 30) hold. */
  getTotalPageViews(options?: PageViewsOptions): Promise<ApiResult<number>>;
  /** Every event matching the filters, oldest first, a page at a time (keyset pagination, bounded memory). */
  events(options: EventsOptions): AsyncIterable<ApiResult<PostHogEvent[]>>;
  /** For metrics: tokens left in each window, queries running and waiting; undefined with `rateLimits: false`. */
  rateLimitState(): Promise<Awaited<ReturnType<QueryLimits['state']>> | undefined>;
}

const CANCEL_TIMEOUT_MS = 10_000;
const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * Creates a PostHog reading client on core's HTTP client: a personal API key as Bearer token, PostHog's error
 * bodies read (`mapPostHogError`), and PostHog's query limits kept (240 requests a minute and 2 400 an hour per
 * key, 3 queries at once, by default) so that no 429 is drawn; one that comes anyway is waited out as asked.
 * @example
 * const posthog = createPostHogClient({ personalApiKey: process.env.POSTHOG_PERSONAL_API_KEY!, projectId: 12345 });
 * const views = await posthog.getTotalPageViews({ days: 7 });
 * @throws IntegrationError `CONFIG_ERROR` naming the field (`personalApiKey`, `projectId`, `host`…) before any request.
 */
export function createPostHogClient(options: PostHogClientOptions): PostHogClient {
  const resolved = parsePostHogOptions(options);
  const { host, personalApiKey, projectId, retry, rateLimits, poll } = resolved;
  const http = createHttpClient({
    ...resolved.http,
    timeoutMs: resolved.http.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    baseUrl: host,
    auth: { type: 'bearer', token: personalApiKey },
    // Retried by the transport instead, each attempt through the limits (transport.ts).
    retry: false,
    // Queries are reads: the transport retries them without a key.
    idempotency: false,
    mapError: mapPostHogError,
  });
  const limits =
    rateLimits === false
      ? undefined
      : createQueryLimits({ ...rateLimits, maxBlockMs: retry.maxRetryAfterMs });
  const context: QueryContext = {
    transport: createQueryTransport({ http, limits, retry, hooks: resolved.http.hooks }),
    limits,
    // Never /api/environments/ (an alias with Deprecation headers) nor the retired /insights/trend/.
    queryPath: `/api/projects/${projectId}/query/`,
    poll,
    cancelTimeoutMs: CANCEL_TIMEOUT_MS,
    scrub: scrubberOf(personalApiKey),
  };
  return {
    host,
    projectId,
    query: (node, callOptions) =>
      settle('posthog.query', () => queryWith(context, node, callOptions)) as Promise<
        ApiResult<QueryResponseOf<typeof node>>
      >,
    hogql: (sql, callOptions) => settle('posthog.hogql', () => hogqlWith(context, sql, callOptions)),
    trends: (callOptions) => settle('posthog.trends', () => trendsWith(context, callOptions)),
    getTotalPageViews: (callOptions) =>
      settle('posthog.getTotalPageViews', () => pageViewsWith(context, callOptions)),
    events: (callOptions) => eventsWith(context, callOptions),
    rateLimitState: async () => {
      try {
        return await limits?.state();
      } catch {
        // A shared store that fails: the state is unknown, which is what undefined says.
        return undefined;
      }
    },
  };
}

// The key's text and its URL-encoded form, replaced wherever PostHog echoed them.
function scrubberOf(key: string | Secret): (text: string) => string {
  const text = revealSecret(key);
  const forms = [...new Set([text, encodeURIComponent(text)])].filter((form) => form.length > 0);
  return (input) => forms.reduce((out, form) => out.split(form).join('[REDACTED]'), input);
}
