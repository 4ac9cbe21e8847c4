import {
  type ApiResult,
  createHttpClient,
  err,
  type Logger,
  ok,
  optionsObject,
  parseOptions,
  type RetryOptions,
} from '@patchbay/core';
import * as z from 'zod/mini';
import { collectBody } from './collect-body.ts';
import type { ReportDeliverer, ReportDelivery } from './report-delivery.ts';

/** Options of {@link webhookDeliverer}. */
export interface WebhookDelivererOptions {
  /** Where each run is POSTed (`https://…`; a query string is kept, and never shown in results or logs). */
  url: string;
  /** Headers sent with each POST (`Authorization`…): treated as secrets, never logged or put in errors. */
  headers?: Record<string, string>;
  /** A fetch implementation (tests, proxies). Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Retries on 429 and 5xx (core's policy: `Retry-After` honoured, full-jitter backoff). Default 3 retries. */
  retry?: RetryOptions | false;
  /** Per-attempt timeout. Default 30 000 ms. */
  timeoutMs?: number;
  /**
   * Largest export sent, in bytes. The body is held in memory so that a retry can send it again; a larger export
   * is refused (`VALIDATION_ERROR`, field `maxBytes`) and stops paging. Default 10 MiB.
   */
  maxBytes?: number;
  logger?: Logger;
}

const LABEL = 'webhook deliverer options';
const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
const isFunction = (value: unknown) => typeof value === 'function';
const isObject = (value: unknown) => typeof value === 'object' && value !== null;

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value.trim());
  } catch {
    return undefined;
  }
}

const schema = z.object({
  url: z.string({ error: 'is required: an http(s) URL' }).check(
    z.refine((value) => {
      const url = parseUrl(value);
      return url !== undefined && (url.protocol === 'https:' || url.protocol === 'http:');
    }, 'must be an http(s) URL'),
    z.refine((value) => {
      const url = parseUrl(value);
      return url === undefined || (url.username === '' && url.password === '');
    }, 'must not hold credentials: send them in headers'),
  ),
  headers: z.optional(z.record(z.string(), z.string())),
  fetch: z.optional(z.custom<typeof fetch>(isFunction, 'must be a function')),
  retry: z.optional(
    z.union([z.literal(false), z.custom<RetryOptions>(isObject, 'must be retry options or false')]),
  ),
  timeoutMs: z.optional(z.int().check(z.minimum(1), z.maximum(2_147_483_647))),
  maxBytes: z.optional(
    z.int().check(z.minimum(1, 'must be 1 or more'), z.maximum(2 ** 31, 'must be at most 2 GiB')),
  ),
  logger: z.optional(z.custom<Logger>(isObject, 'must be a logger')),
});

/**
 * Delivers each run as the body of a POST (`Content-Type` the format's), with core's HTTP client: retries on 429
 * and 5xx with `Retry-After` and an `Idempotency-Key` kept across them, timeouts, redirects only within the URL's
 * origin, and the headers (credentials) scrubbed from logs and errors. A non-2xx after the retries is the run's
 * typed error (`SERVER_ERROR`, `RATE_LIMIT`, `AUTH_ERROR`…).
 * @example webhookDeliverer({ url: 'https://hooks.example.com/reports', headers: { authorization: `Bearer ${token}` } })
 * @throws IntegrationError `CONFIG_ERROR` naming the field (`url`, `headers`…), never its value.
 */
export function webhookDeliverer(options: WebhookDelivererOptions): ReportDeliverer {
  const parsed = parseOptions(schema, optionsObject(options, { label: LABEL }), { label: LABEL });
  const url = new URL(parsed.url.trim());
  const http = createHttpClient({
    baseUrl: url.origin,
    ...(parsed.headers && { headers: parsed.headers }),
    ...(parsed.fetch && { fetch: parsed.fetch }),
    ...(parsed.retry !== undefined && { retry: parsed.retry }),
    ...(parsed.logger && { logger: parsed.logger }),
    timeoutMs: parsed.timeoutMs ?? 30_000,
    maxResponseBytes: 1024 * 1024,
  });
  const maxBytes = parsed.maxBytes ?? DEFAULT_MAX_BYTES;
  // Results name the endpoint without its query: a query string often carries a token.
  const deliveredTo = `${url.origin}${url.pathname}`;
  const path = url.pathname;
  const searchParams = new URLSearchParams(url.search);

  return {
    async deliver(delivery: ReportDelivery): Promise<ApiResult<{ deliveredTo: string }>> {
      const body = await collectBody(delivery.body, maxBytes);
      if (!body.success) return body;
      const sent = await http.post(path, {
        body: body.data,
        searchParams,
        headers: { 'content-type': delivery.contentType },
        responseType: 'text',
        ...(delivery.signal && { signal: delivery.signal }),
      });
      if (!sent.success) return err(sent.error);
      return ok({ deliveredTo });
    },
  };
}
