import {
  type ApiResult,
  backoffDelay,
  encodePathSegment,
  err,
  IntegrationError,
  type JsonValue,
  ok,
  sleep,
  validateSchema,
} from '@patchbay/core';
import type * as z from 'zod/mini';
import { failedQueryError } from '../posthog-errors.ts';
import { abortedError } from './aborted.ts';
import type { QueryLimits } from './limits.ts';
import { type QueryStatus, queryEnvelopeSchema, queryStatusResponseSchema } from './query-status.ts';
import type { QueryTransport } from './transport.ts';

/**
 * How PostHog may answer a query (`posthog/schema.py` `RefreshType`): `blocking` (PostHog's default) computes it
 * within the request unless a fresh cached answer exists; `async` answers 202 and computes it in the background,
 * polled by the client; the `force_` modes skip the cache.
 */
export const REFRESH_MODES = [
  'blocking',
  'async',
  'lazy_async',
  'force_blocking',
  'force_async',
  'force_cache',
  'async_except_on_cache_miss',
] as const;

/** One of PostHog's refresh modes. */
export type RefreshMode = (typeof REFRESH_MODES)[number];

/** How an asynchronous query is polled. */
export interface PollOptions {
  /** Wait before the first status poll; doubled for each next one. Default 500 ms. */
  initialDelayMs: number;
  /** Longest wait between polls. Default 5 000 ms (each poll counts against the hourly limit). */
  maxDelayMs: number;
  /** Longest a query is polled before it is cancelled and the call ends with `TIMEOUT`. Default 10 minutes. */
  timeoutMs: number;
}

/** What running a query needs from its client. */
export interface QueryContext {
  transport: QueryTransport;
  limits: QueryLimits | undefined;
  /** `/api/projects/{projectId}/query/`. */
  queryPath: string;
  poll: PollOptions;
  /** Longest a cancel (the DELETE after an abort or a timeout) may take. */
  cancelTimeoutMs: number;
  /**
   * Removes the client's credentials from text a 2xx body carried (a failed query's `error_message`): core
   * scrubs the error responses it reads, not the successful ones this file reads itself.
   */
  scrub: (text: string) => string;
}

/** Per-query options. */
export interface RunQueryOptions {
  refresh?: RefreshMode;
  /** A name for the query in PostHog's query log. */
  name?: string;
  signal?: AbortSignal;
}

const noRelease = () => {};

/**
 * Runs a checked query node: `POST /api/projects/{id}/query/` with a `client_query_id` of its own, then, when
 * PostHog answers 202 with a `query_status`, status polls (`GET …/query/{id}/`) with backoff until it is
 * complete. The caller's abort (and the poll deadline) cancels the query on PostHog (`DELETE …/query/{id}/`,
 * a blocking one by its `client_query_id`) before the call resolves `ABORTED` (or `TIMEOUT`). A failed query is
 * its typed error with PostHog's message. The answer is validated with `schema`. The query holds a slot of the
 * concurrency limit from its POST to its last poll.
 * @example const result = await runQuery(context, node, hogQLQueryResponseSchema, { refresh: 'async', signal });
 */
export async function runQuery<S extends z.ZodMiniType>(
  context: QueryContext,
  node: { [key: string]: JsonValue },
  schema: S,
  options: RunQueryOptions = {},
): Promise<ApiResult<z.output<S>>> {
  const { signal } = options;
  if (signal?.aborted) return err(abortedError());
  let release = noRelease;
  if (context.limits) {
    const slot = await context.limits.slot(signal);
    if (!slot.success) return slot;
    release = slot.data;
  }
  try {
    return await postAndPoll(context, node, schema, options);
  } finally {
    release();
  }
}

async function postAndPoll<S extends z.ZodMiniType>(
  context: QueryContext,
  node: { [key: string]: JsonValue },
  schema: S,
  options: RunQueryOptions,
): Promise<ApiResult<z.output<S>>> {
  const { transport, queryPath } = context;
  const { signal } = options;
  const clientQueryId = globalThis.crypto.randomUUID();
  let sent = false;
  const posted = await transport.send('POST', queryPath, {
    json: {
      query: node,
      client_query_id: clientQueryId,
      ...(options.refresh === undefined ? {} : { refresh: options.refresh }),
      ...(options.name === undefined ? {} : { name: options.name }),
    },
    schema: queryEnvelopeSchema,
    signal,
    onSend: () => {
      sent = true;
    },
    // A query that outlived the timeout still runs on PostHog: it is cancelled, not started again.
    retryable: (error) => error.retryable && error.code !== 'TIMEOUT',
  });
  if (!posted.success) {
    const { code } = posted.error;
    if (sent && (code === 'ABORTED' || code === 'TIMEOUT')) await cancel(context, clientQueryId);
    return posted;
  }
  const { data: body, status } = posted.data;
  const queryStatus = body.query_status ?? undefined;
  if (queryStatus?.error) {
    return err(
      failedQueryError(scrubbed(context, queryStatus.error_message), {
        status,
        method: 'POST',
        path: queryPath,
      }),
    );
  }
  if (status === 202 || (queryStatus !== undefined && queryStatus.complete !== true)) {
    return poll(context, queryStatus?.id ?? clientQueryId, schema, signal);
  }
  return validated(schema, body, { method: 'POST', path: queryPath, status });
}

async function poll<S extends z.ZodMiniType>(
  context: QueryContext,
  queryId: string,
  schema: S,
  signal: AbortSignal | undefined,
): Promise<ApiResult<z.output<S>>> {
  const path = statusPath(context, queryId);
  if (!path.success) return path;
  const { initialDelayMs, maxDelayMs, timeoutMs } = context.poll;
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    const delayMs = backoffDelay(attempt, { initialDelayMs, maxDelayMs, jitter: 'none' });
    if (Date.now() + delayMs > deadline) {
      await cancel(context, queryId);
      return err(
        new IntegrationError(
          'TIMEOUT',
          `PostHog query ${queryId} was still running after ${timeoutMs} ms (poll.timeoutMs); cancelled`,
          { method: 'GET', path: path.data, field: 'poll.timeoutMs' },
        ),
      );
    }
    try {
      await sleep(delayMs, signal === undefined ? {} : { signal });
    } catch {
      await cancel(context, queryId);
      return err(abortedError());
    }
    const polled = await context.transport.send('GET', path.data, {
      schema: queryStatusResponseSchema,
      signal,
    });
    if (!polled.success) {
      if (polled.error.code === 'ABORTED') await cancel(context, queryId);
      return polled;
    }
    const status: QueryStatus = polled.data.data.query_status;
    if (status.error) {
      return err(
        failedQueryError(scrubbed(context, status.error_message), {
          status: polled.data.status,
          method: 'GET',
          path: path.data,
        }),
      );
    }
    if (status.complete === true) {
      return validated(schema, status.results, {
        method: 'GET',
        path: path.data,
        status: polled.data.status,
      });
    }
  }
}

const scrubbed = (context: QueryContext, text: unknown): unknown =>
  typeof text === 'string' ? context.scrub(text) : text;

// `…/query/{id}/`, the id checked and encoded: it came from the server, and must not reach another route.
function statusPath(context: QueryContext, queryId: string): ApiResult<string> {
  const segment = encodePathSegment(queryId, { field: 'query_status.id' });
  if (!segment.success) {
    return err(
      new IntegrationError('INVALID_RESPONSE', `PostHog answered a query id that is not a path segment`, {
        field: 'query_status.id',
        retryable: false,
      }),
    );
  }
  return ok(`${context.queryPath}${segment.data}/`);
}

// Best effort and bounded: the caller's signal has aborted (or the deadline passed), so the DELETE runs on a
// signal of its own; whatever it answers, the call it belongs to ends as it was going to.
async function cancel(context: QueryContext, queryId: string): Promise<void> {
  const path = statusPath(context, queryId);
  if (!path.success) return;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), context.cancelTimeoutMs);
  try {
    await context.transport.send('DELETE', path.data, { signal: controller.signal, retryable: () => false });
  } finally {
    clearTimeout(timer);
  }
}

async function validated<S extends z.ZodMiniType>(
  schema: S,
  data: unknown,
  context: { method: string; path: string; status: number },
): Promise<ApiResult<z.output<S>>> {
  const checked = await validateSchema(schema, data);
  if (checked.success) return ok(checked.value as z.output<S>);
  const { method, path, status } = context;
  return err(
    checked.error ??
      new IntegrationError(
        'INVALID_RESPONSE',
        `${method} ${path}: response did not match the expected shape: ${checked.summary}`,
        {
          status,
          retryable: false,
          field: checked.issues[0]?.field,
          issues: checked.issues.slice(0, 100),
          method,
          path,
        },
      ),
  );
}
