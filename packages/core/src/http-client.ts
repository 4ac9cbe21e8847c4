import type { StandardSchemaV1 } from '@standard-schema/spec';
import ky, {
  isHTTPError,
  isNetworkError,
  isTimeoutError,
  type KyInstance,
  type Options as KyOptions,
} from 'ky';
import * as z from 'zod/mini';
import { type AuthOption, applyAuthHeaders, authQueryParam, staticSecretsOf } from './auth.ts';
import { type CircuitBreaker, type CircuitBreakerOptions, createCircuitBreaker } from './circuit-breaker.ts';
import { errorFromResponse } from './classify.ts';
import { httpUrlSchema } from './config-schemas.ts';
import { IntegrationError, isIntegrationError, reviseError } from './errors.ts';
import { createIdempotencyKey, type IdempotencyOptions, idempotencyOptionsSchema } from './idempotency.ts';
import { type Logger, noopLogger } from './logger.ts';
import { parseOptions } from './options.ts';
import { createRateLimiter, type RateLimiter, type RateLimiterOptions } from './rate-limiter.ts';
import { redactUrl, scrubSecrets } from './redact.ts';
import { type ApiResult, err, ok } from './result.ts';
import { type RetryOptions, retryOptionsSchema } from './retry.ts';
import { validateSchema } from './schema.ts';
import { abortedError } from './timeout.ts';

type SearchParams = Record<string, string | number | boolean | undefined> | URLSearchParams;

/** Lifecycle callbacks, for metrics and tracing. They receive redacted URLs only. */
export interface HttpHooks {
  /** Before each attempt, after auth is applied; `headers` may be changed (but are not redacted: don't log them). */
  beforeRequest?: (event: {
    method: string;
    url: string;
    attempt: number;
    headers: Headers;
  }) => void | Promise<void>;
  /** After each attempt that received a response. */
  afterResponse?: (event: {
    method: string;
    url: string;
    attempt: number;
    status: number;
    durationMs: number;
  }) => void;
  /** When a failed attempt is about to be retried. */
  beforeRetry?: (event: { method: string; url: string; attempt: number; error: IntegrationError }) => void;
  /** When a call ends in failure, after all its attempts. */
  onError?: (error: IntegrationError) => void;
  /** When the client's circuit breaker changes state. */
  onCircuitStateChange?: CircuitBreakerOptions['onStateChange'];
}

/** Options of `createHttpClient`. */
export interface HttpClientOptions {
  /** Base URL every path is appended to, e.g. `https://crm.example.com` or `https://host/api/`. */
  baseUrl: string;
  auth?: AuthOption;
  /** Per-attempt timeout. Default 10 000 ms. */
  timeoutMs?: number;
  /** Overall deadline including retries and their delays. Default none. */
  totalTimeoutMs?: number;
  /** Retry policy, or `false` for none. Default 3 retries, 1 s → 30 s full-jitter backoff. */
  retry?: RetryOptions | false;
  /** Idempotency-key policy, or `false` to send none (then POST and PATCH are never retried). */
  idempotency?: IdempotencyOptions | false;
  /** A limiter instance (to share one between clients) or its options. Default none. */
  rateLimiter?: RateLimiter | RateLimiterOptions;
  /** A breaker instance or its options. Default none. */
  circuitBreaker?: CircuitBreaker | CircuitBreakerOptions;
  logger?: Logger;
  hooks?: HttpHooks;
  /** Headers sent on every request. */
  headers?: Record<string, string>;
  /** A fetch implementation (tests, proxies, instrumentation). Default `globalThis.fetch`. */
  fetch?: typeof fetch;
}

/** Per-call options. */
export interface RequestOptions<S extends StandardSchemaV1 | undefined = StandardSchemaV1 | undefined> {
  /** Validates the response body; its output type becomes `data`'s type. */
  schema?: S;
  searchParams?: SearchParams;
  headers?: Record<string, string>;
  /** JSON request body. */
  json?: unknown;
  /** Raw request body (instead of `json`). */
  body?: BodyInit;
  signal?: AbortSignal;
  /** One attempt only. */
  skipRetry?: boolean;
  /** Your own deterministic key; otherwise one is generated for POST/PUT/PATCH. */
  idempotencyKey?: string;
  /**
   * The call is safe to repeat without a key (an upsert, a PATCH that sets values): retry it even as a
   * POST or PATCH, for servers that ignore idempotency keys.
   */
  idempotent?: boolean;
  /** Per-attempt timeout for this call. */
  timeoutMs?: number;
  /** How to read a 2xx body. Default `json` (an empty body reads as undefined). */
  responseType?: 'json' | 'text';
}

/** A successful response. */
export interface HttpResponse<T> {
  data: T;
  status: number;
  headers: Headers;
  attempts: number;
}

type Output<S> = S extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<S> : unknown;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
type Call = <S extends StandardSchemaV1 | undefined = undefined>(
  path: string,
  options?: RequestOptions<S>,
) => Promise<ApiResult<Output<S>>>;

/** A configured client: every method returns an ApiResult and never throws for a remote failure. */
export interface HttpClient {
  readonly baseUrl: string;
  get: Call;
  post: Call;
  put: Call;
  patch: Call;
  delete: Call;
  /** HEAD: data is the response status and headers. */
  head(
    path: string,
    options?: RequestOptions<undefined>,
  ): Promise<ApiResult<{ status: number; headers: Headers }>>;
  /** Any method, returning status, headers and attempt count with the data. */
  send<S extends StandardSchemaV1 | undefined = undefined>(
    method: Method,
    path: string,
    options?: RequestOptions<S>,
  ): Promise<ApiResult<HttpResponse<Output<S>>>>;
  readonly circuitBreaker?: CircuitBreaker;
  readonly rateLimiter?: RateLimiter;
}

const baseUrlSchema = httpUrlSchema('must be an absolute http(s) URL').check(
  // fetch refuses a URL with credentials, and names it in full in its error.
  z.refine((url: string) => {
    try {
      const parsed = new URL(url);
      return parsed.username === '' && parsed.password === '';
    } catch {
      return true;
    }
  }, 'must not contain credentials (user:password@): pass them as auth'),
  // Paths are appended to the base URL: a query or fragment in it would end up in the middle of the URL.
  z.refine(
    (url: string) => !/[?#]/.test(url),
    'must not have a query or fragment (pass searchParams per call)',
  ),
);

const optionsSchema = z.object({
  baseUrl: baseUrlSchema,
  timeoutMs: z._default(z.int().check(z.positive(), z.maximum(2_147_483_647)), 10_000),
  totalTimeoutMs: z.optional(z.int().check(z.positive(), z.maximum(2_147_483_647))),
});

// A 2xx body that is not the JSON it claims to be: a truncated or corrupted response, worth a retry.
class MalformedBodyError extends Error {
  override readonly name = 'MalformedBodyError';
}

interface CallState {
  method: string;
  /** The path as logged, query credentials redacted. */
  url: string;
  signal: AbortSignal | undefined;
  attempts: number;
  body: unknown;
  responseType: 'json' | 'text';
}

/**
 * Creates an HTTP client on ky with retries (full jitter, Retry-After), timeouts, idempotency keys, an
 * optional rate limiter and circuit breaker, zod-validated responses and redacted logging.
 * @example
 * const client = createHttpClient({ baseUrl: 'https://api.example.com', auth: { type: 'bearer', token } });
 * const result = await client.get('/v1/things', { schema: z.object({ things: z.array(Thing) }) });
 * @throws IntegrationError `CONFIG_ERROR` naming the field when the options are invalid.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const base = parseOptions(optionsSchema, options, { label: 'client options' });
  const retry =
    options.retry === false
      ? false
      : parseOptions(retryOptionsSchema, options.retry ?? {}, { label: 'client options', prefix: 'retry.' });
  const idempotency =
    options.idempotency === false
      ? false
      : parseOptions(idempotencyOptionsSchema, options.idempotency ?? {}, {
          label: 'client options',
          prefix: 'idempotency.',
        });
  const logger = options.logger ?? noopLogger;
  const hooks = options.hooks ?? {};
  const baseFetch =
    options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const breaker = resolveBreaker(options.circuitBreaker, hooks);
  const limiter = resolveLimiter(options.rateLimiter);
  const origin = new URL(base.baseUrl).origin;
  const queryAuth = authQueryParam(options.auth);

  // Every credential value this client has sent; scrubbed from anything it returns or logs.
  const secrets = new Set(staticSecretsOf(options.auth).filter(Boolean));
  const scrub = (text: string) => scrubSecrets(text, [...secrets]);

  const kyClient: KyInstance = ky.create({
    prefix: base.baseUrl,
    timeout: base.timeoutMs,
    totalTimeout: base.totalTimeoutMs ?? false,
    throwHttpErrors: true,
    headers: options.headers,
  });

  async function attempt(state: CallState, request: Request, init: RequestInit) {
    state.attempts += 1;
    const attemptNo = state.attempts;
    const { method, url, signal } = state;
    if (limiter) await limiter.acquire(init.signal ?? request.signal);
    if (breaker) {
      const permit = breaker.tryAcquire();
      if (!permit.allowed) {
        throw new IntegrationError('CIRCUIT_OPEN', `Circuit open: ${method} ${url} not sent`, {
          retryAfterMs: permit.retryAfterMs,
          method,
          path: url,
        });
      }
    }
    for (const used of await applyAuthHeaders(request.headers, options.auth)) secrets.add(used);
    await hooks.beforeRequest?.({ method, url, attempt: attemptNo, headers: request.headers });
    const started = performance.now();
    let response: Response;
    try {
      response = await baseFetch(request, init);
    } catch (error) {
      // A caller's cancel says nothing about the server's health.
      if (signal?.aborted) breaker?.release?.();
      else breaker?.recordFailure();
      logger.debug('http attempt failed', { method, path: url, attempt: attemptNo, error: errorName(error) });
      throw error;
    }
    const durationMs = Math.round(performance.now() - started);
    limiter?.observe(response);
    if (breaker) {
      if (response.status >= 500 || response.status === 408) breaker.recordFailure();
      else breaker.recordSuccess();
    }
    logger.debug('http attempt', {
      method,
      path: url,
      status: response.status,
      attempt: attemptNo,
      durationMs,
    });
    hooks.afterResponse?.({ method, url, attempt: attemptNo, status: response.status, durationMs });
    if (!response.ok) return response;
    // Read the body inside the attempt so ky's per-attempt timeout covers it and a corrupt body can be
    // retried. ky never reads a 2xx body itself, so the consumed response can be handed back as it is.
    const text = method === 'HEAD' || response.status === 204 ? '' : await response.text();
    if (state.responseType === 'text') state.body = text;
    else if (text.length === 0) state.body = undefined;
    else {
      try {
        state.body = JSON.parse(text);
      } catch {
        throw new MalformedBodyError(
          `${method} ${url} answered ${response.status} with a body that is not valid JSON`,
        );
      }
    }
    return response;
  }

  async function send<S extends StandardSchemaV1 | undefined = undefined>(
    method: Method,
    path: string,
    call: RequestOptions<S> = {},
  ): Promise<ApiResult<HttpResponse<Output<S>>>> {
    const logPath = redactUrl(path);
    const state: CallState = {
      method,
      url: logPath,
      signal: call.signal,
      attempts: 0,
      body: undefined,
      responseType: call.responseType ?? 'json',
    };
    const started = performance.now();
    const fail = (error: IntegrationError): ApiResult<never> => {
      logger.warn('http request failed', {
        method,
        path: logPath,
        status: error.status,
        code: error.code,
        attempts: state.attempts,
        durationMs: Math.round(performance.now() - started),
      });
      hooks.onError?.(error);
      return err(error);
    };

    const absolute = /^https?:\/\//i.test(path);
    if (absolute && new URL(path).origin !== origin) {
      // Following a link to another host would hand it our credentials.
      return fail(
        new IntegrationError(
          'VALIDATION_ERROR',
          `Refusing to send credentials to another origin than ${origin}`,
          {
            field: 'path',
            method,
            path: logPath,
          },
        ),
      );
    }
    if (call.signal?.aborted) return fail(withAttempts(abortedError(), method, logPath, 0));

    let headers = call.headers;
    let idempotencyKey = call.idempotencyKey;
    if (idempotency) {
      if (!idempotencyKey && (idempotency.methods as string[]).includes(method))
        idempotencyKey = createIdempotencyKey();
      if (idempotencyKey) headers = { ...headers, [idempotency.header]: idempotencyKey };
    }
    const retryMethods = ['get', 'head', 'put', 'delete', 'options'];
    if (idempotencyKey || call.idempotent) retryMethods.push('post', 'patch');
    const limit = retry === false || call.skipRetry ? 0 : retry.retries;

    const kyOptions: KyOptions = {
      method,
      headers,
      signal: call.signal,
      fetch: (request, init) => attempt(state, request as Request, init ?? {}),
      retry:
        retry === false
          ? 0
          : {
              limit,
              methods: retryMethods,
              statusCodes: retry.statusCodes,
              afterStatusCodes: [429, 503],
              maxRetryAfter: retry.maxRetryAfterMs,
              backoffLimit: retry.maxDelayMs,
              delay: (n) => Math.min(retry.maxDelayMs, retry.initialDelayMs * 2 ** (n - 1)),
              jitter: retry.jitter === 'full' ? true : (d) => d,
              retryOnTimeout: true,
              shouldRetry: ({ error }) => {
                if (error instanceof MalformedBodyError) return true;
                if (isIntegrationError(error)) return false;
                return undefined;
              },
            },
      hooks: {
        beforeRetry: [
          ({ error, retryCount }) => {
            const reason = toIntegrationError(error, {
              method,
              path: logPath,
              attempts: retryCount,
              signal: state.signal,
            });
            logger.info('http retry', {
              method,
              path: logPath,
              attempt: retryCount + 1,
              code: reason.code,
              status: reason.status,
            });
            hooks.beforeRetry?.({ method, url: logPath, attempt: retryCount + 1, error: reason });
          },
        ],
      },
    };
    // Serialised here rather than handed to ky as `json`: ky's options outlive the call across minor GCs, and an
    // object graph in them was promoted to the old generation with them on every call (the core client alone,
    // 30 000 people: 35 → 30 MB promoted); a string is one flat allocation that the request holds anyway.
    if (call.json !== undefined) {
      kyOptions.body = JSON.stringify(call.json);
      kyOptions.headers = withJsonContentType(headers, options.headers);
    } else if (call.body !== undefined) kyOptions.body = call.body;
    if (call.timeoutMs !== undefined) kyOptions.timeout = call.timeoutMs;

    // The query is written into the path here rather than passed to ky as `searchParams`, for which ky builds a
    // second Request per call; a path that already has a query is left to ky, which appends to it.
    const query = searchParamsOf(call.searchParams, queryAuth);
    let target = path;
    if (path.includes('?')) kyOptions.searchParams = query;
    else if (query.size > 0) target = `${path}?${query}`;

    try {
      const input = absolute ? new URL(target) : target;
      const response = await kyClient(input, kyOptions);
      let data: unknown = state.body;
      // This state is reachable from ky's options too (see the JSON body above): a body left here was promoted
      // with them (measured: a third of the sync benchmark's promoted bytes).
      state.body = undefined;
      if (call.schema) {
        const validated = await validateSchema(call.schema, data);
        if (!validated.success) {
          return fail(
            new IntegrationError(
              'INVALID_RESPONSE',
              `${method} ${logPath}: response did not match the expected shape: ${validated.summary}`,
              {
                status: response.status,
                retryable: false,
                field: validated.issues[0]?.field,
                issues: validated.issues,
                attempts: state.attempts,
                method,
                path: logPath,
              },
            ),
          );
        }
        data = validated.value;
      }
      if (state.attempts > 1)
        logger.info('http request succeeded after retries', {
          method,
          path: logPath,
          attempts: state.attempts,
        });
      return ok({
        data: data as Output<S>,
        status: response.status,
        headers: response.headers,
        attempts: state.attempts,
      });
    } catch (error) {
      return fail(
        scrubError(
          toIntegrationError(error, { method, path: logPath, attempts: state.attempts, signal: call.signal }),
          scrub,
        ),
      );
    }
  }

  const dataOnly =
    (method: Method): Call =>
    async (path, call) => {
      const result = await send(method, path, call);
      return result.success ? ok(result.data.data) : result;
    };

  return {
    baseUrl: base.baseUrl,
    get: dataOnly('GET'),
    post: dataOnly('POST'),
    put: dataOnly('PUT'),
    patch: dataOnly('PATCH'),
    delete: dataOnly('DELETE'),
    async head(path, call) {
      const result = await send('HEAD', path, { ...call, schema: undefined });
      return result.success ? ok({ status: result.data.status, headers: result.data.headers }) : result;
    },
    send,
    circuitBreaker: breaker,
    rateLimiter: limiter,
  };
}

function toIntegrationError(
  error: unknown,
  context: { method: string; path: string; attempts: number; signal?: AbortSignal },
): IntegrationError {
  const { method, path, attempts } = context;
  const tries = attempts > 1 ? ` (after ${attempts} attempts)` : '';
  if (context.signal?.aborted)
    return withAttempts(abortedError(`${method} ${path} was aborted by the caller`), method, path, attempts);
  if (isIntegrationError(error)) return withAttempts(error, method, path, attempts);
  if (isHTTPError(error)) {
    return errorFromResponse({
      status: error.response.status,
      statusText: error.response.statusText,
      headers: error.response.headers,
      body: error.data,
      method,
      path,
      attempts,
    });
  }
  if (isTimeoutError(error)) {
    return new IntegrationError('TIMEOUT', `${method} ${path} timed out${tries}`, { attempts, method, path });
  }
  if (error instanceof MalformedBodyError) {
    return new IntegrationError('INVALID_RESPONSE', `${error.message}${tries}`, {
      retryable: true,
      attempts,
      method,
      path,
    });
  }
  if (isNetworkError(error)) {
    const cause = error.cause instanceof Error ? error.cause : undefined;
    const reason = cause ? `: ${networkReason(cause)}` : '';
    return new IntegrationError(
      'NETWORK_ERROR',
      `${method} ${path} could not reach the server${reason}${tries}`,
      {
        attempts,
        method,
        path,
        cause: cause ? plainError(cause) : undefined,
      },
    );
  }
  if (error instanceof DOMException && error.name === 'AbortError') {
    return withAttempts(abortedError(`${method} ${path} was aborted`), method, path, attempts);
  }
  return new IntegrationError('OPERATION_FAILED', `${method} ${path} failed unexpectedly${tries}`, {
    attempts,
    method,
    path,
    retryable: false,
    cause: error instanceof Error ? plainError(error) : undefined,
  });
}

// Rebuild with the call's context; errors raised inside an attempt don't know how many attempts there were.
function withAttempts(
  error: IntegrationError,
  method: string,
  path: string,
  attempts: number,
): IntegrationError {
  return reviseError(error, { attempts, method: error.method ?? method, path: error.path ?? path });
}

function scrubError(error: IntegrationError, scrub: (text: string) => string): IntegrationError {
  const message = scrub(error.message);
  const cause = error.cause instanceof Error ? plainError(error.cause, scrub) : undefined;
  if (message === error.message && cause?.message === (error.cause as Error | undefined)?.message)
    return error;
  return reviseError(error, { message, cause });
}

// A bare copy of an error: low-level errors can hold requests, sockets and headers we must not expose.
function plainError(error: Error, scrub: (text: string) => string = (t) => t): Error {
  const copy = new Error(scrub(redactUrl(error.message)));
  copy.name = error.name;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') (copy as Error & { code: string }).code = code;
  copy.stack = `${copy.name}: ${copy.message}`;
  return copy;
}

function networkReason(cause: Error): string {
  const code = (cause as { code?: unknown }).code ?? (cause.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : cause.message;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

// The call's params, undefined values left out, with the query credential (if any) set last.
function searchParamsOf(searchParams: SearchParams | undefined, auth: [string, string] | undefined) {
  const params = new URLSearchParams();
  if (searchParams instanceof URLSearchParams) for (const [k, v] of searchParams) params.append(k, v);
  else if (searchParams)
    for (const [k, v] of Object.entries(searchParams)) if (v !== undefined) params.append(k, String(v));
  if (auth) params.set(auth[0], auth[1]);
  return params;
}

// As ky does for `json`: application/json unless the call or the client already names a content type.
function withJsonContentType(
  headers: Record<string, string> | undefined,
  clientHeaders: Record<string, string> | undefined,
): Record<string, string> {
  const named = (h: Record<string, string> | undefined) =>
    h !== undefined && Object.keys(h).some((key) => key.toLowerCase() === 'content-type');
  return named(headers) || named(clientHeaders)
    ? { ...headers }
    : { ...headers, 'content-type': 'application/json' };
}

function resolveBreaker(
  option: HttpClientOptions['circuitBreaker'],
  hooks: HttpHooks,
): CircuitBreaker | undefined {
  if (!option) return undefined;
  if ('tryAcquire' in option) return option;
  return createCircuitBreaker({
    ...option,
    onStateChange: (change) => {
      option.onStateChange?.(change);
      hooks.onCircuitStateChange?.(change);
    },
  });
}

function resolveLimiter(option: HttpClientOptions['rateLimiter']): RateLimiter | undefined {
  if (!option) return undefined;
  return 'acquire' in option ? option : createRateLimiter(option);
}
