import type { StandardSchemaV1 } from '@standard-schema/spec';
import ky, {
  type HTTPError,
  isHTTPError,
  isNetworkError,
  isTimeoutError,
  type KyInstance,
  type Options as KyOptions,
} from 'ky';
import { validateSchema } from '../input/schema.ts';
import type { LogFields, Logger } from '../logging/logger.ts';
import { isSensitiveKey, redactUrl, replaceForms, scrubbedForms } from '../logging/redact.ts';
import { drawBackoff } from '../resilience/backoff.ts';
import type { CircuitBreaker } from '../resilience/circuit-breaker.ts';
import { createIdempotencyKey } from '../resilience/idempotency.ts';
import type { RateLimiter } from '../resilience/rate-limiter.ts';
import { DEFAULT_RETRY_OPTIONS } from '../resilience/retry.ts';
import { abortedError } from '../resilience/timeout.ts';
import { IntegrationError, isIntegrationError, reviseError } from '../result/errors.ts';
import { type ApiResult, err, ok } from '../result/result.ts';
import {
  applyAuthHeaders,
  authQueryParam,
  reauthorize,
  refreshesOnUnauthorized,
  staticSecretsOf,
} from './auth.ts';
import { type ErrorMapping, errorFromResponse, runErrorMapper } from './classify.ts';
import {
  type CheckedCall,
  checkCallOptions,
  type HttpClientOptions,
  parseClientOptions,
  type RequestOptions,
} from './http-client-options.ts';
import { credentialHeaderNames, describeOrigin, nextHopRequest, REDIRECT_STATUSES } from './redirects.ts';
import { readBodyText } from './response-body.ts';
import { parseRetryAfterMs } from './retry-after.ts';

export type { HttpClientOptions, HttpHooks, RequestOptions } from './http-client-options.ts';

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
  /** The per-attempt timeout: the longest the limiter may hold an attempt before it fails fast. */
  timeoutMs: number;
  /** The server's (or the limiter's) requested wait before the next retry, when it set one. */
  retryWaitMs: number | undefined;
  /** The request body as given, to send again on a 307 or 308 (the first request's stream is spent). */
  requestBody: BodyInit | undefined;
  /** When totalTimeoutMs runs out (performance.now() time), if set: a longer wait is not started. */
  deadline: number | undefined;
  /** OAuth2: set once a 401 was answered by a forced refresh and a resend (once per call). */
  reauthorized?: boolean;
}

const METHODS: readonly Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'];
// ky checks its method list before shouldRetry: every method passes it, and shouldRetry decides.
const ALL_METHODS = ['get', 'head', 'put', 'delete', 'options', 'post', 'patch'];
// A token function may hand out a new token per call; the last few are enough to scrub what is in flight.
const MAX_DYNAMIC_SECRETS = 16;

/**
 * Creates an HTTP client on ky with retries (full jitter, Retry-After), timeouts, idempotency keys, an
 * optional rate limiter and circuit breaker, zod-validated responses and redacted logging.
 * @example
 * const client = createHttpClient({ baseUrl: 'https://api.example.com', auth: { type: 'bearer', token } });
 * const result = await client.get('/v1/things', { schema: z.object({ things: z.array(Thing) }) });
 * @throws IntegrationError `CONFIG_ERROR` naming the field when the options are invalid (never a TypeError).
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const config = parseClientOptions(options);
  const { retry, idempotency, hooks, auth, maxResponseBytes, redirects } = config;
  // The headers an auth option sets, removed from a request that follows a redirect to another origin.
  const authHeaderNames = auth?.type === 'header' ? [auth.name] : [];
  // The longest server-requested wait the client honours by itself, and blocks its limiter for; a longer one
  // ends the call with RATE_LIMIT carrying the hint.
  const maxRetryAfterMs = retry === false ? DEFAULT_RETRY_OPTIONS.maxRetryAfterMs : retry.maxRetryAfterMs;
  const logger = safeLogger(config.logger);
  const customFetch = config.fetch;
  const baseFetch =
    customFetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const breaker = config.circuitBreaker;
  const limiter = config.rateLimiter;
  const origin = new URL(config.baseUrl).origin;
  const queryAuth = authQueryParam(auth);
  const mapError = config.mapError;
  // One reading per failed attempt: the retry decision, the beforeRetry hook and the final error share it.
  const mappings = new WeakMap<HTTPError, ErrorMapping | undefined>();

  // The connector's reading of an error body (mapError), safe to call: what it throws or answers of the wrong
  // type is dropped and logged by name, and the generic reading stands in.
  function mappingOf(error: HTTPError, method: string, path: string): ErrorMapping | undefined {
    if (!mapError) return undefined;
    if (mappings.has(error)) return mappings.get(error);
    const { response } = error;
    const { mapping, rejected } = runErrorMapper(mapError, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      body: bodyOf(error),
      request: { method, path },
    });
    if (rejected.length > 0) {
      logger.warn('http mapError answer ignored', {
        method,
        path,
        status: response.status,
        ignored: rejected.join(', '),
      });
    }
    mappings.set(error, mapping);
    return mapping;
  }

  // Every credential value this client sends, scrubbed from anything it returns, logs or hands a hook: the
  // static ones, and the latest a token function returned (a bounded few, so rotating tokens do not grow it).
  // A credential passed as a plain header (`headers: { 'X-Api-Key': key }`) is one too.
  const staticSecrets = [...staticSecretsOf(auth), ...credentialValues(config.headers)].filter(Boolean);
  const dynamicSecrets = new Set<string>();
  // The forms to look for, computed when the secrets change rather than on every scrub (the hot path scrubs
  // each call's path).
  let forms = scrubbedForms(staticSecrets);
  const secrets = {
    has: (value: string) => staticSecrets.includes(value) || dynamicSecrets.has(value),
    add(value: string) {
      if (staticSecrets.includes(value) || dynamicSecrets.has(value)) return;
      dynamicSecrets.add(value);
      if (dynamicSecrets.size > MAX_DYNAMIC_SECRETS)
        dynamicSecrets.delete(dynamicSecrets.values().next().value as string);
      forms = scrubbedForms([...staticSecrets, ...dynamicSecrets]);
    },
  };
  const scrub = (text: string) => replaceForms(text, forms);

  const kyClient: KyInstance = ky.create({
    prefix: config.baseUrl,
    timeout: config.timeoutMs,
    totalTimeout: config.totalTimeoutMs ?? false,
    throwHttpErrors: true,
    headers: config.headers,
    // Redirects are followed by hand (fetchFollowingRedirects), so credentials never follow one elsewhere.
    redirect: 'manual',
  });

  async function attempt(state: CallState, request: Request, init: RequestInit) {
    state.attempts += 1;
    const attemptNo = state.attempts;
    const { method, url, signal } = state;
    // The last line of defence: whatever built this URL, credentials only ever go to the base URL's origin.
    // (A Request's URL is serialised, so its origin is a prefix of it exactly when it is that origin.)
    if (!request.url.startsWith(`${origin}/`)) {
      throw new IntegrationError(
        'VALIDATION_ERROR',
        `Refusing to send credentials to another origin than ${origin}`,
        {
          field: 'path',
          retryable: false,
        },
      );
    }
    // Bounded by the attempt's timeout: a limiter held longer (by a server's Retry-After) answers RATE_LIMIT
    // with the wait at once, which the retry policy may honour, instead of a local TIMEOUT.
    if (limiter) await limiter.acquire(init.signal ?? request.signal, { maxWaitMs: state.timeoutMs });
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
    let response: Response;
    let started = performance.now();
    const progress = { sent: false, answered: false };
    try {
      // The hook runs before auth is applied: it may add headers, and never sees the credentials.
      await hooks.beforeRequest?.({ method, url, attempt: attemptNo, headers: request.headers });
      for (const used of await applyAuthHeaders(request.headers, auth)) secrets.add(used);
      started = performance.now();
      response = await fetchFollowingRedirects(state, request, init, progress);
      // --- OAuth2 (auth.ts): a 401 may mean the token was revoked or rotated elsewhere. One forced refresh and
      // one resend per call, with the body as given (as for a 307); a second 401 is the answer. ---
      if (response.status === 401 && !state.reauthorized && refreshesOnUnauthorized(auth)) {
        state.reauthorized = true;
        response.body?.cancel().catch(() => {});
        const resend = nextHopRequest({
          from: request,
          status: 307,
          to: new URL(request.url),
          body: state.requestBody,
        });
        for (const used of await reauthorize(resend.headers, auth)) secrets.add(used);
        if (limiter) await limiter.acquire(init.signal ?? request.signal, { maxWaitMs: state.timeoutMs });
        response = await fetchFollowingRedirects(state, resend, init, progress);
      }
      // --- End of the OAuth2 resend. ---
    } catch (error) {
      // A caller's cancel, or a failure on our side before sending (a hook, the token function), says nothing
      // about the server's health: the permit is handed back uncounted. A redirect we refused was an answer.
      if (!progress.sent || signal?.aborted) breaker?.release?.();
      else if (progress.answered) breaker?.recordSuccess();
      else breaker?.recordFailure();
      logger.debug('http attempt failed', { method, path: url, attempt: attemptNo, error: errorName(error) });
      throw error;
    }
    const durationMs = Math.round(performance.now() - started);
    // A hint: a shared limiter of the caller's own that throws on it must not fail a call that was answered.
    callHook(() => limiter?.observe(response, { maxBlockMs: maxRetryAfterMs }));
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
    callHook(() =>
      hooks.afterResponse?.({ method, url, attempt: attemptNo, status: response.status, durationMs }),
    );
    // Error bodies are read here too, under the same cap (ky would read up to its own 10 MiB), and handed to
    // ky as a rebuilt response: the classifier only needs a message from them.
    if (!response.ok) return cappedErrorResponse(response, maxResponseBytes, scrub);
    // Read the body inside the attempt so ky's per-attempt timeout covers it and a corrupt body can be
    // retried. ky never reads a 2xx body itself, so the consumed response can be handed back as it is.
    const read =
      method === 'HEAD' || response.status === 204
        ? { text: '' }
        : await readBodyText(response, maxResponseBytes);
    if (read.tooLarge) {
      throw new IntegrationError(
        'INVALID_RESPONSE',
        `${method} ${url} answered ${response.status} with a body larger than maxResponseBytes (${maxResponseBytes} bytes); not read`,
        { status: response.status, retryable: false, field: 'maxResponseBytes' },
      );
    }
    const text = read.text;
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

  // Sends the request and follows redirects by hand (fetch is asked for none): within the base URL's origin up
  // to redirects.max, with the credentials; to another origin only when redirects.crossOrigin allows it, and
  // then with every credential removed, for the rest of the chain.
  async function fetchFollowingRedirects(
    state: CallState,
    request: Request,
    init: RequestInit,
    progress: { sent: boolean; answered: boolean },
  ): Promise<Response> {
    const { method, url } = state;
    let current = request;
    let withCredentials = true;
    for (let hops = 0; ; hops += 1) {
      progress.sent = true;
      const response: unknown = await baseFetch(current, init);
      if (!isResponse(response)) {
        throw new IntegrationError(
          'OPERATION_FAILED',
          `${method} ${url}: fetch returned something that is not a Response`,
          {
            retryable: false,
          },
        );
      }
      progress.answered = true;
      if (response.type === 'opaqueredirect') {
        throw new IntegrationError(
          'INVALID_RESPONSE',
          `${method} ${url} was redirected, and this runtime hides where to; not followed`,
          { status: response.status, retryable: false, field: 'redirects' },
        );
      }
      const location = REDIRECT_STATUSES.has(response.status) ? response.headers.get('location') : null;
      if (location === null) return response;
      // The redirect's own body is never read: releasing it frees the connection.
      response.body?.cancel().catch(() => {});
      const refuse = (message: string, field: string) =>
        new IntegrationError('INVALID_RESPONSE', `${method} ${url} ${message}`, {
          status: response.status,
          retryable: false,
          field,
        });
      if (hops >= redirects.max) {
        throw refuse(
          `was redirected more than redirects.max (${redirects.max}) times; not followed`,
          'redirects.max',
        );
      }
      let target: URL;
      try {
        target = new URL(location, current.url);
      } catch {
        throw refuse('was redirected to a Location that is not a URL; not followed', 'redirects');
      }
      // Credentials in a Location are the server's to leak, not ours to send (fetch would refuse the URL and
      // quote it in its error).
      target.username = '';
      target.password = '';
      if (target.protocol !== 'http:' && target.protocol !== 'https:') {
        throw refuse(`was redirected to a ${describeOrigin(target)} URL; not followed`, 'redirects');
      }
      if (target.origin !== origin) {
        if (redirects.crossOrigin !== 'follow-without-credentials') {
          throw refuse(
            `was redirected to another origin (${describeOrigin(target)}); not followed, so credentials stay with ${origin}. ` +
              "Set redirects.crossOrigin: 'follow-without-credentials' to follow such redirects without them",
            'redirects.crossOrigin',
          );
        }
        withCredentials = false;
      }
      if (withCredentials) {
        // The same origin may drop the query on the way: the query credential goes with every hop there.
        if (queryAuth) target.searchParams.set(queryAuth[0], queryAuth[1]);
      } else {
        for (const [name, value] of [...target.searchParams]) {
          if (name === queryAuth?.[0] || secrets.has(value)) target.searchParams.delete(name);
        }
      }
      logger.debug('http redirect', {
        method,
        path: url,
        status: response.status,
        to: describeOrigin(target),
        credentials: withCredentials,
      });
      current = nextHopRequest({
        from: current,
        status: response.status,
        to: target,
        body: state.requestBody,
        dropHeaders: withCredentials ? [] : credentialHeaderNames(current.headers, authHeaderNames),
      });
    }
  }

  // Logs and tells the hook, neither of which may break the call, and hands the failure back.
  function fail(
    error: IntegrationError,
    context: { method: string; path: string; attempts: number; started: number },
  ): ApiResult<never> {
    const safe = scrubError(error, scrub);
    logger.warn('http request failed', {
      method: context.method,
      path: context.path,
      status: safe.status,
      code: safe.code,
      attempts: context.attempts,
      durationMs: Math.round(performance.now() - context.started),
    });
    callHook(() => hooks.onError?.(safe));
    return err(safe);
  }

  async function send<S extends StandardSchemaV1 | undefined = undefined>(
    methodInput: Method,
    path: string,
    callInput?: RequestOptions<S>,
    dropSchema = false,
  ): Promise<ApiResult<HttpResponse<Output<S>>>> {
    const started = performance.now();
    const method = typeof methodInput === 'string' ? (methodInput.toUpperCase() as Method) : methodInput;
    // The path as every log line, hook and error shows it: credential-named query values and known secrets out.
    const logPath = typeof path === 'string' ? scrub(redactUrl(path)) : '(invalid path)';
    const context = {
      method: typeof method === 'string' ? method : '(invalid method)',
      path: logPath,
      attempts: 0,
      started,
    };
    if (!METHODS.includes(method)) {
      return fail(invalidArgument('method', `must be one of ${METHODS.join(', ')}`), context);
    }
    if (typeof path !== 'string') return fail(invalidArgument('path', 'must be a string'), context);
    let signal: AbortSignal | undefined;
    try {
      const call = checkCallOptions(method, callInput);
      if (call instanceof IntegrationError) return fail(withCallContext(call, method, logPath), context);
      if (dropSchema) call.schema = undefined;
      signal = call.signal;
      return await sendChecked<S>(method, path, logPath, call, context);
    } catch (error) {
      // Nothing a caller passes may turn into a rejection: an unforeseen throw is a typed failure too.
      return fail(
        toIntegrationError(error, {
          method,
          path: logPath,
          attempts: context.attempts,
          signal,
          maxRetryAfterMs,
          mapping: (failed) => mappingOf(failed, method, logPath),
        }),
        context,
      );
    }
  }

  async function sendChecked<S extends StandardSchemaV1 | undefined>(
    method: Method,
    path: string,
    logPath: string,
    call: CheckedCall,
    context: { method: string; path: string; attempts: number; started: number },
  ): Promise<ApiResult<HttpResponse<Output<S>>>> {
    const state: CallState = {
      method,
      url: logPath,
      signal: call.signal,
      attempts: 0,
      body: undefined,
      responseType: call.responseType,
      timeoutMs: call.timeoutMs ?? config.timeoutMs,
      retryWaitMs: undefined,
      requestBody: call.body,
      deadline: config.totalTimeoutMs === undefined ? undefined : performance.now() + config.totalTimeoutMs,
    };
    const failed = (error: IntegrationError) => {
      context.attempts = state.attempts;
      return fail(error, context);
    };

    const absolute = /^https?:\/\//i.test(path);
    if (absolute && originOf(path) !== origin) {
      // Following a link to another host would hand it our credentials.
      return failed(
        new IntegrationError(
          'VALIDATION_ERROR',
          `Refusing to send credentials to another origin than ${origin}`,
          {
            field: 'path',
            retryable: false,
            method,
            path: logPath,
          },
        ),
      );
    }
    if (call.signal?.aborted) return failed(withAttempts(abortedError(), method, logPath, 0));

    // Credentials a call passes by hand (a credential-named header or query parameter) are scrubbed as well.
    for (const value of credentialValues(call.headers)) secrets.add(value);
    for (const [name, value] of call.query ?? []) if (isSensitiveKey(name)) secrets.add(value);
    let headers = call.headers;
    let idempotencyKey = call.idempotencyKey;
    if (idempotency) {
      if (!idempotencyKey && (idempotency.methods as string[]).includes(method))
        idempotencyKey = createIdempotencyKey();
      if (idempotencyKey) headers = { ...headers, [idempotency.header]: idempotencyKey };
    }
    // POST and PATCH are safe to repeat with a key or when the caller says so; otherwise only after a status
    // that says the server did not process them (retry.unprocessedStatuses), decided in shouldRetry.
    const replayable =
      Boolean(idempotencyKey || call.idempotent) || (method !== 'POST' && method !== 'PATCH');
    const limit = retry === false || call.skipRetry ? 0 : retry.retries;

    const kyOptions: KyOptions = {
      method,
      // Left out when the call has none: ky reads `headers: undefined` as "no headers" and drops the client's own.
      ...(headers ? { headers } : {}),
      signal: call.signal,
      fetch: (request, init) => attempt(state, request as Request, init ?? {}),
      retry:
        retry === false
          ? 0
          : {
              limit,
              methods: ALL_METHODS,
              statusCodes: retry.statusCodes,
              // The wait is decided here, not by ky's own Retry-After reading: one parser (parseRetryAfterMs)
              // for the retry, the limiter and the error, and no silent cap of a longer wait.
              backoffLimit: Number.POSITIVE_INFINITY,
              // The server's wait when it named one (no jitter on it), else the shared backoff (backoff.ts).
              delay: (n) => state.retryWaitMs ?? drawBackoff(n, retry),
              retryOnTimeout: true,
              shouldRetry: ({ error }) => {
                state.retryWaitMs = undefined;
                if (!replayable && !unprocessed(error, retry.unprocessedStatuses)) return false;
                if (error instanceof MalformedBodyError) return true;
                if (isIntegrationError(error)) {
                  // Our own limiter refused within its bound: wait as it says (or back off) and try again.
                  if (error.code !== 'RATE_LIMIT' || error.status !== undefined) return false;
                  return waitWithin(state, error.retryAfterMs, maxRetryAfterMs);
                }
                if (isHTTPError(error)) {
                  const { status, headers } = error.response;
                  const mapped = mappingOf(error, method, logPath);
                  if (
                    !(mapped
                      ? retryableAs(mapped, status, retry.statusCodes)
                      : retry.statusCodes.includes(status))
                  )
                    return false;
                  const hint =
                    mapped?.retryAfterMs ??
                    (status === 429 || status === 503 ? parseRetryAfterMs(headers) : undefined);
                  return waitWithin(state, hint, maxRetryAfterMs);
                }
                return undefined;
              },
            },
      hooks: {
        beforeRetry: [
          ({ error, retryCount }) => {
            const reason = scrubError(
              toIntegrationError(error, {
                method,
                path: logPath,
                attempts: retryCount,
                signal: state.signal,
                maxRetryAfterMs,
                mapping: (failed) => mappingOf(failed, method, logPath),
              }),
              scrub,
            );
            logger.info('http retry', {
              method,
              path: logPath,
              attempt: retryCount + 1,
              code: reason.code,
              status: reason.status,
            });
            callHook(() =>
              hooks.beforeRetry?.({ method, url: logPath, attempt: retryCount + 1, error: reason }),
            );
          },
        ],
      },
    };
    // Serialised by checkCallOptions rather than handed to ky as `json`: ky's options outlive the call across
    // minor GCs, and an object graph in them was promoted to the old generation with them on every call (the
    // core client alone, 30 000 people: 35 → 30 MB promoted); a string is one flat allocation that the request
    // holds anyway.
    if (call.body !== undefined) kyOptions.body = call.body;
    if (call.isJson) kyOptions.headers = withJsonContentType(headers, config.headers);
    if (call.timeoutMs !== undefined) kyOptions.timeout = call.timeoutMs;

    // The query is written into the path here rather than passed to ky as `searchParams`, for which ky builds a
    // second Request per call; a path that already has a query is left to ky, which appends to it.
    const query = withQueryCredential(call.query, queryAuth);
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
        let validated: Awaited<ReturnType<typeof validateSchema>>;
        try {
          validated = await validateSchema(call.schema, data);
        } catch (error) {
          return failed(
            new IntegrationError(
              'OPERATION_FAILED',
              `${method} ${logPath}: the response schema threw while validating`,
              {
                status: response.status,
                retryable: false,
                field: 'schema',
                attempts: state.attempts,
                method,
                path: logPath,
                cause: error instanceof Error ? plainError(error, scrub) : undefined,
              },
            ),
          );
        }
        if (!validated.success && validated.error) {
          // The schema itself misbehaved (threw, or is no Standard Schema): its error, with this call's context.
          return failed(
            reviseError(validated.error, {
              message: `${method} ${logPath}: ${validated.error.message}`,
              status: response.status,
              attempts: state.attempts,
              method,
              path: logPath,
            }),
          );
        }
        if (!validated.success) {
          return failed(
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
      return failed(
        toIntegrationError(error, {
          method,
          path: logPath,
          attempts: state.attempts,
          signal: call.signal,
          maxRetryAfterMs,
          mapping: (failed) => mappingOf(failed, method, logPath),
        }),
      );
    }
  }

  // Every public method resolves: a result, never a rejection, whatever it was handed.
  const dataOnly =
    (method: Method): Call =>
    async (path, call) => {
      const result = await send(method, path, call);
      return result.success ? ok(result.data.data) : result;
    };

  return {
    baseUrl: config.baseUrl,
    get: dataOnly('GET'),
    post: dataOnly('POST'),
    put: dataOnly('PUT'),
    patch: dataOnly('PATCH'),
    delete: dataOnly('DELETE'),
    async head(path, call) {
      // HEAD has no body to validate.
      const result = await send('HEAD', path, call, true);
      return result.success ? ok({ status: result.data.status, headers: result.data.headers }) : result;
    },
    send,
    circuitBreaker: breaker,
    rateLimiter: limiter,
  };
}

const invalidArgument = (field: string, message: string): IntegrationError =>
  new IntegrationError('VALIDATION_ERROR', `${field}: ${message}`, {
    field,
    issues: [{ field, message }],
    retryable: false,
  });

function withCallContext(error: IntegrationError, method: string, path: string): IntegrationError {
  return reviseError(error, { message: `${method} ${path}: ${error.message}`, method, path, attempts: 0 });
}

// A hook that throws must not turn a result into a rejection (nor a success into a failure).
function callHook(run: () => unknown): void {
  try {
    const returned = run();
    if (returned instanceof Promise) returned.catch(() => {});
  } catch {
    // Ignored: hooks observe, they do not decide.
  }
}

// A logger that throws is ignored for the same reason.
function safeLogger(logger: Logger | undefined): Logger {
  const at =
    (level: keyof Logger) =>
    (message: string, fields?: LogFields): void => {
      if (!logger) return;
      try {
        logger[level](message, fields);
      } catch {
        // Logging must never fail a call.
      }
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

// A requested wait within the bound is the next delay; a longer one, or one that would outlast totalTimeoutMs,
// ends the call now (its error carries the wait) rather than after sleeping to no purpose.
function waitWithin(state: CallState, waitMs: number | undefined, maxRetryAfterMs: number): boolean {
  if (waitMs !== undefined && waitMs > maxRetryAfterMs) return false;
  if (waitMs !== undefined && state.deadline !== undefined && performance.now() + waitMs >= state.deadline) {
    return false;
  }
  state.retryWaitMs = waitMs;
  return true;
}

// Whether a failed attempt provably left the server untouched: answered with one of `statuses`, or refused
// by our own limiter before sending (a local 429, counted as one).
function unprocessed(error: unknown, statuses: readonly number[]): boolean {
  if (isHTTPError(error)) return statuses.includes(error.response.status);
  return (
    isIntegrationError(error) &&
    error.code === 'RATE_LIMIT' &&
    error.status === undefined &&
    statuses.includes(429)
  );
}

// Statuses a Response cannot be built with a body for (fetch §2.2.4).
const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([204, 205, 304]);

// Error responses whose body was over maxResponseBytes, so their error can say why it has no server message.
const OVERSIZED_ERROR_BODIES = new WeakSet<Response>();

// The body is scrubbed as text, before anything parses or truncates it: a server echoing the key in a long
// message must not leave half of it in a 300-character excerpt.
async function cappedErrorResponse(
  response: Response,
  maxBytes: number,
  scrub: (text: string) => string,
): Promise<Response> {
  // A status a Response cannot be built with (an opaque redirect's 0) is handed on as it is.
  if (response.status < 200 || response.status > 599) return response;
  const read = await readBodyText(response, maxBytes);
  const rebuilt = new Response(
    read.tooLarge || NULL_BODY_STATUSES.has(response.status) ? null : scrub(read.text),
    {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    },
  );
  if (read.tooLarge) OVERSIZED_ERROR_BODIES.add(rebuilt);
  return rebuilt;
}

function credentialValues(headers: Record<string, string> | undefined): string[] {
  return Object.entries(headers ?? {})
    .filter(([name]) => isSensitiveKey(name))
    .map(([, value]) => value);
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

function isResponse(value: unknown): value is Response {
  return (
    value instanceof Response ||
    (typeof value === 'object' &&
      value !== null &&
      typeof (value as Response).status === 'number' &&
      (value as Response).headers instanceof Headers)
  );
}

function toIntegrationError(
  error: unknown,
  context: {
    method: string;
    path: string;
    attempts: number;
    signal?: AbortSignal;
    maxRetryAfterMs: number;
    /** The connector's reading of an error response, when the client has a mapError. */
    mapping?: (error: HTTPError) => ErrorMapping | undefined;
  },
): IntegrationError {
  const { method, path, attempts } = context;
  const tries = attempts > 1 ? ` (after ${attempts} attempts)` : '';
  if (context.signal?.aborted)
    return withAttempts(abortedError(`${method} ${path} was aborted by the caller`), method, path, attempts);
  if (isIntegrationError(error)) return withAttempts(error, method, path, attempts);
  if (isHTTPError(error)) {
    const classified = errorFromResponse(
      {
        status: error.response.status,
        statusText: error.response.statusText,
        headers: error.response.headers,
        body: bodyOf(error),
        method,
        path,
        attempts,
        maxRetryAfterMs: context.maxRetryAfterMs,
      },
      context.mapping?.(error),
    );
    return OVERSIZED_ERROR_BODIES.has(error.response)
      ? reviseError(classified, {
          message: `${classified.message} (body larger than maxResponseBytes, not read)`,
        })
      : classified;
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

// An error body as ky read it (JSON by content type, else text), with JSON sent under another content type
// parsed too: a mapper and the generic reading then both see the object. The text is already bounded by
// maxResponseBytes.
function bodyOf(error: HTTPError): unknown {
  const data: unknown = error.data;
  if (typeof data !== 'string') return data;
  const text = data.trim();
  if (!text.startsWith('{') && !text.startsWith('[')) return data;
  try {
    return JSON.parse(text);
  } catch {
    return data;
  }
}

// Whether a mapped failure is worth another attempt: the mapping's own answer, else its code's default
// (IntegrationError's), else the retry policy's status list.
function retryableAs(mapping: ErrorMapping, status: number, statusCodes: readonly number[]): boolean {
  if (mapping.retryable !== undefined) return mapping.retryable;
  if (mapping.code !== undefined) return new IntegrationError(mapping.code, '').retryable;
  return statusCodes.includes(status);
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

// Everything an error carries that could hold a credential, rebuilt scrubbed: message (and so its stack), cause
// (reduced to name and message), path, request id and issue messages. Anything else is a fixed field.
function scrubError(error: IntegrationError, scrub: (text: string) => string): IntegrationError {
  return new IntegrationError(error.code, scrub(error.message), {
    status: error.status,
    retryable: error.retryable,
    retryAfterMs: error.retryAfterMs,
    requestId: error.requestId === undefined ? undefined : scrub(error.requestId),
    field: error.field === undefined ? undefined : scrub(error.field),
    issues: error.issues?.map((issue) => ({ field: scrub(issue.field), message: scrub(issue.message) })),
    attempts: error.attempts,
    method: error.method,
    path: error.path === undefined ? undefined : scrub(redactUrl(error.path)),
    cause: error.cause instanceof Error ? plainError(error.cause, scrub) : undefined,
  });
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

// The call's params (already checked) with the query credential, if any, set last.
function withQueryCredential(params: URLSearchParams | undefined, auth: [string, string] | undefined) {
  const out = params ?? new URLSearchParams();
  if (auth) out.set(auth[0], auth[1]);
  return out;
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
