import {
  type ApiResult,
  type HttpClient,
  type HttpHooks,
  type HttpResponse,
  type IntegrationError,
  withRetry,
} from '@patchbay/core';
import type * as z from 'zod/mini';
import type { QueryLimits } from './limits.ts';

/** The retry policy of a client's query requests, in core's vocabulary. */
export interface QueryRetryPolicy {
  /** Retries after the first attempt; 0 for none. */
  retries: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** Longest server-requested wait honoured by itself; a longer one ends the call with `RATE_LIMIT`. */
  maxRetryAfterMs: number;
}

/** One request's options. */
export interface SendOptions<S extends z.ZodMiniType | undefined> {
  json?: unknown;
  schema?: S;
  signal?: AbortSignal;
  /** Which failures are worth another attempt. Default: the error's `retryable`. */
  retryable?: (error: IntegrationError) => boolean;
  /** Called before each attempt goes out (after its turn under the limits). */
  onSend?: () => void;
}

/** Sends the client's requests, each one under the limits and retried as the policy says. */
export interface QueryTransport {
  send<S extends z.ZodMiniType | undefined = undefined>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    options?: SendOptions<S>,
  ): Promise<ApiResult<HttpResponse<S extends z.ZodMiniType ? z.output<S> : unknown>>>;
}

/**
 * The client's requests: each attempt waits for its turn under both windows (PostHog counts every request on
 * the query endpoint, status polls and cancels too), then goes out once through core's HTTP client, and the
 * retry (core's `withRetry`: full-jitter backoff, `retryAfterMs` honoured) comes back through the limits. The
 * HTTP client's own retry is off for this reason: its attempts would skip the limits, or wait for them inside
 * an attempt's timeout.
 * @example const posted = await transport.send('POST', path, { json: body, schema, signal });
 */
export function createQueryTransport(context: {
  http: HttpClient;
  limits: QueryLimits | undefined;
  retry: QueryRetryPolicy;
  hooks: HttpHooks | undefined;
}): QueryTransport {
  const { http, limits, retry, hooks } = context;
  return {
    send(method, path, options = {}) {
      const { json, schema, signal, onSend } = options;
      const retryable = options.retryable ?? ((error: IntegrationError) => error.retryable);
      return withRetry(
        async () => {
          if (limits) {
            const turn = await limits.take(signal);
            if (!turn.success) return turn;
          }
          onSend?.();
          const result = await http.send(method, path, {
            ...(json === undefined ? {} : { json }),
            ...(schema === undefined ? {} : { schema }),
            ...(signal === undefined ? {} : { signal }),
          });
          if (!result.success) limits?.observeFailure(result.error);
          return result;
        },
        {
          retries: retry.retries,
          initialDelayMs: retry.initialDelayMs,
          maxDelayMs: retry.maxDelayMs,
          maxRetryAfterMs: retry.maxRetryAfterMs,
          shouldRetry: (error) => error.code !== 'ABORTED' && retryable(error),
          onRetry: (error, attempt) => {
            // The HTTP client's beforeRetry never fires (its retry is off): the hook hears of retries here.
            try {
              hooks?.beforeRetry?.({ method, url: path, attempt: attempt + 1, error });
            } catch {
              // Hooks observe; one that throws changes nothing.
            }
          },
          ...(signal === undefined ? {} : { signal }),
        },
      ) as never;
    },
  };
}
