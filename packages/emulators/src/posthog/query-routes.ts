// The query API's HTTP side, as PostHog's Django app serves it (PostHog/posthog `posthog/api/query.py`,
// `QueryViewSet`): `POST /api/projects/{id}/query/` (and `/query/{Kind}/`, `create_with_kind`, whose kind must match
// the body's), `GET /query/{id}/` (`retrieve`: the stored `QueryStatus`), `DELETE /query/{id}/` (`destroy`: 200
// `{ message }`, not the 204 its schema documents). The order is DRF's `APIView.initial`: authentication and
// permissions (the key, then the project: "Project not found."), then throttles, then the method's handler.
// - `refresh` (`posthog/hogql_queries/query_runner.py`, `execution_mode_from_refresh` and `run`): `blocking`
//   (default), `force_blocking`, `force_cache` (calculated when missing, `_process_query_request`) and
//   `async_except_on_cache_miss` compute now; `async` and `lazy_async` enqueue on a cache miss and answer a
//   `CacheMissResponse { cache_key, query_status }`; `force_async` always enqueues and answers
//   `QueryStatusResponse { query_status }`; the legacy `async: true` flag is `async`. The emulator keeps no cache: every call is a miss. The status id is
//   `client_query_id`, else a fresh uuid7 hex; `async` with an id already enqueued answers that status.
// - 202 when `query_status.complete` is false, else 200 (`create`).
// - `/api/environments/{id}/…` is the same view under the deprecated alias (`posthog/api/__init__.py`,
//   `register_grandfathered_environment_nested_viewset`; PR #60406: projects canonical, environments deprecated);
//   its answers carry `Deprecation` (RFC 9745) and `Sunset` (RFC 8594) with a `Link` to the successor.
// - `/insights/trend/` and `/insights/funnel/` were removed (PR #97647): they fall through to the insight detail
//   route, which reads them as an insight id: GET is 404 "Not found.", POST 405.
// - `GET /events/` (deprecated `EventViewSet.list`): newest first, the last 24 hours unless `after` is given,
//   `{ next, results }` with `next` paging by `before`.
import { createHash } from 'node:crypto';
import type { CapturedEvent } from './capture.ts';
import { checkPersonalKey, drfError } from './query-auth.ts';
import {
  type AsyncCompletion,
  formatDate,
  type QueryOutcome,
  type QueryStatusRegistry,
} from './query-status.ts';
import {
  type ConcurrencySlots,
  concurrencyRefusal,
  type QueryThrottle,
  throttledResponse,
} from './query-throttle.ts';

/** What the engine answers for a query (./query-engine.ts `runPostHogQuery`). */
export type QueryEngineResult = { ok: true; body: unknown } | { ok: false; status: number; body: unknown };

/** The query engine as the routes use it. */
export interface QueryEngine {
  run(query: unknown, now: Date): QueryEngineResult;
}

/** One query request the emulator received (for tests of what a client sends). */
export interface QueryRequestRecord {
  /** The body's `query` (its `kind` says which). */
  query: unknown;
  refresh: string | boolean | undefined;
  clientQueryId: string | undefined;
  name: string | undefined;
  /** The status id it ran under. */
  queryId: string;
  /** Whether it was enqueued (answered with a `query_status`) rather than computed at once. */
  async: boolean;
  /** The status answered. */
  status: number;
}

/** Totals of the query endpoint, for tests. */
export interface QueryStats {
  /** Queries posted that were run or enqueued (past auth, project, throttles and validation). */
  queries: number;
  /** Of those, enqueued as async. */
  asyncQueries: number;
  /** `GET /query/{id}/` that reached the handler. */
  polls: number;
  /** `DELETE /query/{id}/` that reached the handler. */
  cancels: number;
  /** 429s of the rate throttles (per minute, per hour). */
  throttled: number;
  /** 429s of the concurrency limit. */
  concurrencyRefused: number;
  /** Async queries running now (each holds a concurrency slot). */
  running: number;
}

/** What {@link createQueryRoutes} needs from the emulator. */
export interface QueryRoutesConfig {
  projectId: number;
  personalApiKey: string;
  engine: QueryEngine;
  /** The rate throttles, or undefined for none. */
  throttle: QueryThrottle | undefined;
  slots: ConcurrencySlots;
  registry: QueryStatusRegistry;
  /** Given when every query is to be async (`asyncQueries`); undefined leaves it to `refresh`. */
  asyncAll: AsyncCompletion | undefined;
  /** How long a blocking query waits for a concurrency slot. */
  concurrencyWaitMs: number;
  /** How long a blocking query holds its slot before answering (real time). */
  queryLatencyMs: number;
  clock: () => number;
  newQueryId: () => string;
  /** Events for the deprecated events list. */
  listEvents: () => CapturedEvent[];
  /** Header values of the `/api/environments/` alias. */
  deprecation: { deprecation: string; sunset: string };
  /** How a blocking query's latency is waited for (tests may pass a fake). */
  sleep: (ms: number) => Promise<void>;
}

/** The query routes and their state. */
export interface QueryRoutes {
  /** Answers a request under `/api/`, or undefined for any other path. */
  handle(request: Request): Promise<Response | undefined>;
  stats(): QueryStats;
  queries(): QueryRequestRecord[];
  reset(): void;
}

const REFRESH_VALUES = new Set([
  'blocking',
  'async',
  'lazy_async',
  'force_async',
  'force_blocking',
  'force_cache',
  'async_except_on_cache_miss',
]);
const KIND = /^[A-Z][A-Za-z]*$/;
const DAY_MS = 24 * 60 * 60 * 1000;

const notFound = (detail: string) => drfError(404, 'invalid_request', 'not_found', detail);
const methodNotAllowed = (method: string) =>
  drfError(405, 'invalid_request', 'method_not_allowed', `Method "${method}" not allowed.`);
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Creates the `/api/` routes: the query endpoint (auth, throttles, concurrency, the async flow), the environments
 * alias, the removed insight endpoints, the deprecated events list, and PostHog's 404 for any other API path.
 * @example const api = createQueryRoutes(config); const answer = await api.handle(request);
 */
export function createQueryRoutes(config: QueryRoutesConfig): QueryRoutes {
  const { projectId, registry, slots } = config;
  let stats = { queries: 0, asyncQueries: 0, polls: 0, cancels: 0, throttled: 0, concurrencyRefused: 0 };
  let log: QueryRequestRecord[] = [];
  let blockingTasks = 0;

  async function handle(request: Request): Promise<Response | undefined> {
    const url = new URL(request.url);
    if (!url.pathname.startsWith('/api/')) return undefined;
    const match = /^\/api\/(projects|environments)\/([^/]+)\/(.*)$/.exec(url.pathname);
    if (!match) {
      await request.body?.cancel();
      return notFound('Endpoint not found.');
    }
    const [, parent, rawId, rest] = match as unknown as [string, string, string, string];
    const answer = await route(request, url, rawId, rest);
    if (parent === 'projects') return answer;
    // The deprecated alias: same answer, marked, pointing at the canonical path.
    const headers = new Headers(answer.headers);
    headers.set('Deprecation', config.deprecation.deprecation);
    headers.set('Sunset', config.deprecation.sunset);
    headers.set('Link', `</api/projects/${rawId}/${rest}>; rel="successor-version"`);
    return new Response(answer.body, { status: answer.status, statusText: answer.statusText, headers });
  }

  async function route(request: Request, url: URL, rawId: string, rest: string): Promise<Response> {
    const parts = rest.split('/').filter((part) => part !== '');
    const [first, second, third] = parts;
    if (first === 'query' && parts.length <= 2) return queryView(request, url, rawId, second);
    if (first === 'insights' && (second === 'trend' || second === 'funnel') && third === undefined) {
      return insightDetail(request, rawId);
    }
    if (first === 'events' && parts.length === 1) return eventsList(request, url, rawId);
    await request.body?.cancel();
    return notFound('Endpoint not found.');
  }

  // Authentication, then the project: what every viewset checks before its throttles.
  function authorize(
    request: Request,
    body: unknown,
    rawId: string,
    status: 401 | 403,
  ): Response | undefined {
    const refused = checkPersonalKey(request, body, config.personalApiKey, status);
    if (refused) return refused;
    // routing.py: a project id that is not an integer, or names no project, is "Project not found."
    if (rawId !== '@current' && rawId !== String(projectId)) return notFound('Project not found.');
    return undefined;
  }

  async function queryView(request: Request, url: URL, rawId: string, segment: string | undefined) {
    let body: unknown;
    let parseError = false;
    if (request.method === 'POST') {
      const text = await request.text();
      try {
        body = text === '' ? {} : JSON.parse(text);
      } catch {
        parseError = true;
      }
    } else {
      await request.body?.cancel();
    }
    const refused = authorize(request, body, rawId, 403);
    if (refused) return refused;
    if (config.throttle) {
      const decision = config.throttle.take(config.personalApiKey);
      if (!decision.allowed) {
        stats.throttled += 1;
        return throttledResponse(decision.waitSeconds);
      }
    }
    if (segment === undefined) {
      if (request.method !== 'POST') return methodNotAllowed(request.method);
      return create(parseError, body, undefined);
    }
    if (request.method === 'POST') {
      if (!KIND.test(segment)) return methodNotAllowed('POST');
      return create(parseError, body, segment);
    }
    if (request.method === 'GET') {
      stats.polls += 1;
      const progress = url.searchParams.get('show_progress') ?? url.searchParams.get('showProgress');
      return registry.poll(segment, { showProgress: progress === 'true' });
    }
    if (request.method === 'DELETE') {
      stats.cancels += 1;
      const dequeueOnly = url.searchParams.get('dequeue_only') === 'true';
      return Response.json({ message: registry.cancel(segment, { dequeueOnly }) }, { status: 200 });
    }
    return methodNotAllowed(request.method);
  }

  async function create(parseError: boolean, body: unknown, pathKind: string | undefined): Promise<Response> {
    if (parseError) return drfError(400, 'invalid_request', 'parse_error', 'JSON parse error - invalid JSON');
    if (!isObject(body))
      return drfError(400, 'validation_error', 'invalid_input', 'Query body must be a JSON object.');
    const query = body.query;
    if (pathKind !== undefined) {
      // query.py _validate_query_kind.
      if (query !== undefined && !isObject(query)) {
        return drfError(400, 'validation_error', 'invalid_input', 'Query must be a JSON object.');
      }
      const bodyKind = isObject(query) ? query.kind : undefined;
      if (bodyKind !== pathKind) {
        return drfError(
          400,
          'validation_error',
          'invalid_input',
          `Query kind mismatch: path kind "${pathKind}" does not match body kind "${bodyKind === undefined ? 'None' : String(bodyKind)}".`,
        );
      }
    }
    if (!isObject(query) || typeof query.kind !== 'string') {
      return drfError(400, 'validation_error', 'invalid_input', 'Field required', { attr: 'query' });
    }
    const refresh = body.refresh;
    if (
      refresh !== undefined &&
      typeof refresh !== 'boolean' &&
      !(typeof refresh === 'string' && REFRESH_VALUES.has(refresh))
    ) {
      return drfError(
        400,
        'validation_error',
        'invalid_input',
        `Input should be ${[...REFRESH_VALUES].map((value) => `'${value}'`).join(', ')} or a boolean`,
        { attr: 'refresh' },
      );
    }
    const clientQueryId = typeof body.client_query_id === 'string' ? body.client_query_id : undefined;
    const name = typeof body.name === 'string' ? body.name : undefined;
    const queryId = clientQueryId ?? config.newQueryId();
    const cacheKey = cacheKeyOf(query, projectId);
    stats.queries += 1;
    const record = (status: number, isAsync: boolean) => {
      log.push({
        query: structuredClone(query),
        refresh: refresh as string | boolean | undefined,
        clientQueryId,
        name,
        queryId,
        async: isAsync,
        status,
      });
    };

    // query.py: the legacy `async: true` flag means refresh 'async'.
    const wantsAsync =
      refresh === 'async' ||
      refresh === 'lazy_async' ||
      refresh === 'force_async' ||
      body.async === true ||
      config.asyncAll !== undefined;
    if (wantsAsync) {
      stats.asyncQueries += 1;
      const force = refresh === 'force_async';
      const status =
        !force && registry.has(queryId)
          ? (registry.peek(queryId, 'drf') as NonNullable<ReturnType<QueryStatusRegistry['peek']>>)
          : registry.enqueue(queryId, () =>
              outcomeOf(config.engine.run(query, new Date(config.clock())), cacheKey),
            );
      const code = status.complete ? 200 : 202;
      record(code, true);
      // force_async answers QueryStatusResponse; the cache-miss paths a CacheMissResponse.
      return Response.json(force ? { query_status: status } : { cache_key: cacheKey, query_status: status }, {
        status: code,
      });
    }

    // Blocking: a concurrency slot for as long as the query runs.
    const task = `blocking:${++blockingTasks}`;
    const acquired = await slots.acquire(task, {
      waitMs: config.concurrencyWaitMs,
      beforeRetry: () => registry.advance(),
    });
    if (!acquired) {
      stats.concurrencyRefused += 1;
      record(429, false);
      return concurrencyRefusal(slots.limit, projectId, queryId);
    }
    try {
      const result = config.engine.run(query, new Date(config.clock()));
      if (config.queryLatencyMs > 0) await config.sleep(config.queryLatencyMs);
      record(result.ok ? 200 : result.status, false);
      if (!result.ok) return Response.json(result.body, { status: result.status });
      return Response.json(withCacheFields(result.body, cacheKey, config.clock()), { status: 200 });
    } finally {
      slots.release(task);
    }
  }

  function outcomeOf(result: QueryEngineResult, cacheKey: string): QueryOutcome {
    if (result.ok) return { ok: true, body: withCacheFields(result.body, cacheKey, config.clock()) };
    // execute_async.py: an exposed error keeps its message (polls 400); anything else shows none (polls 500).
    const detail = isObject(result.body) ? result.body.detail : undefined;
    return { ok: false, message: result.status < 500 && typeof detail === 'string' ? detail : null };
  }

  async function insightDetail(request: Request, rawId: string): Promise<Response> {
    await request.body?.cancel();
    const refused = authorize(request, undefined, rawId, 403);
    if (refused) return refused;
    if (request.method === 'GET') return notFound('Not found.');
    return methodNotAllowed(request.method);
  }

  async function eventsList(request: Request, url: URL, rawId: string): Promise<Response> {
    await request.body?.cancel();
    const refused = authorize(request, undefined, rawId, 401);
    if (refused) return refused;
    if (request.method !== 'GET') return methodNotAllowed(request.method);
    const params = url.searchParams;
    const now = config.clock();
    const after = params.has('after') ? Date.parse(params.get('after') as string) : now - DAY_MS;
    const before = params.has('before')
      ? Date.parse(params.get('before') as string)
      : Number.POSITIVE_INFINITY;
    const limit = Math.min(Math.max(Number.parseInt(params.get('limit') ?? '100', 10) || 100, 1), 1000);
    const eventName = params.get('event');
    const distinctId = params.get('distinct_id');
    const rows = config
      .listEvents()
      .map((event) => ({ event, at: Date.parse(event.timestamp ?? event.receivedAt ?? '') }))
      .filter(
        ({ event, at }) =>
          Number.isFinite(at) &&
          at > after &&
          at < before &&
          (eventName === null || event.event === eventName) &&
          (distinctId === null || event.distinct_id === distinctId),
      )
      .sort((a, b) => b.at - a.at);
    const page = rows.slice(0, limit);
    let next: string | null = null;
    const last = page[page.length - 1];
    if (rows.length > limit && last) {
      const nextUrl = new URL(url);
      nextUrl.searchParams.set('before', new Date(last.at).toISOString());
      next = nextUrl.toString();
    }
    return Response.json({
      next,
      results: page.map(({ event, at }) => ({
        id: event.uuid,
        distinct_id: event.distinct_id,
        properties: event.properties,
        event: event.event,
        timestamp: formatDate(at, 'drf'),
        person: null,
        elements: [],
        elements_chain: '',
      })),
    });
  }

  return {
    handle,
    stats: () => ({ ...stats, running: registry.running() }),
    queries: () => log.map((entry) => structuredClone(entry)),
    reset() {
      stats = { queries: 0, asyncQueries: 0, polls: 0, cancels: 0, throttled: 0, concurrencyRefused: 0 };
      log = [];
      registry.reset();
      slots.reset();
      config.throttle?.reset();
    },
  };
}

// A cache key as PostHog's are shaped ("cache_" and a hash of the query and team); the emulator caches nothing.
function cacheKeyOf(query: unknown, teamId: number): string {
  return `cache_${createHash('sha256')
    .update(`${teamId}:${JSON.stringify(query)}`)
    .digest('hex')
    .slice(0, 32)}`;
}

/**
 * The fields a computed response carries besides the engine's (`CachedQueryResponse`: `is_cached`, `cache_key`,
 * `last_refresh`, `next_allowed_client_refresh`, `cache_target_age`, `timezone`, `query_status`), added only where the
 * engine's body has none.
 */
export function withCacheFields(body: unknown, cacheKey: string, nowMs: number): unknown {
  if (!isObject(body)) return body;
  const defaults: Record<string, unknown> = {
    is_cached: false,
    cache_key: cacheKey,
    last_refresh: formatDate(nowMs, 'drf'),
    next_allowed_client_refresh: formatDate(nowMs + 60_000, 'drf'),
    cache_target_age: null,
    timezone: 'UTC',
    query_status: null,
  };
  const out: Record<string, unknown> = { ...body };
  for (const [key, value] of Object.entries(defaults)) if (!(key in out)) out[key] = value;
  return out;
}
