import type { StandardSchemaV1 } from '@standard-schema/spec';
import * as z from 'zod/mini';
import { httpUrlSchema } from '../config/config-schemas.ts';
import {
  invalidInput,
  isPlainObject,
  readFields,
  readOptions,
  readOwnFields,
  readSignal,
  UNREADABLE,
} from '../input/caller-input.ts';
import { optionsError, parseOptionFields, parseOptions } from '../input/options.ts';
import type { Logger } from '../logging/logger.ts';
import {
  type CircuitBreaker,
  type CircuitBreakerOptions,
  createCircuitBreaker,
} from '../resilience/circuit-breaker.ts';
import {
  type IdempotencyOptions,
  idempotencyOptionsSchema,
  type ResolvedIdempotencyOptions,
} from '../resilience/idempotency.ts';
import { createRateLimiter, type RateLimiter, type RateLimiterOptions } from '../resilience/rate-limiter.ts';
import { type ResolvedRetryOptions, type RetryOptions, retryOptionsSchema } from '../resilience/retry.ts';
import { type FieldIssue, IntegrationError, isIntegrationError } from '../result/errors.ts';
import { type AuthOption, authOptionSchema } from './auth.ts';
import type { ErrorMapper } from './classify.ts';
import { isHeaderName, isHeaderValue } from './header-syntax.ts';

type SearchParams = Record<string, string | number | boolean | undefined> | URLSearchParams;

/** Lifecycle callbacks, for metrics and tracing. They receive redacted URLs and errors only. */
export interface HttpHooks {
  /**
   * Before each attempt, before auth is applied: `headers` may be changed (a tracing header), and never hold
   * the client's credentials.
   */
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
  /**
   * Base URL every path is appended to, e.g. `https://crm.example.com` or `https://host/api/`. Surrounding
   * whitespace is trimmed; inner spaces, credentials, a query or a fragment are refused.
   */
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
  /**
   * Largest response body read, in bytes, for success and error bodies alike. A larger 2xx body is an
   * `INVALID_RESPONSE` error (`field: 'maxResponseBytes'`); a larger error body is dropped and the error
   * classified by its status. Checked on `Content-Length` up front and counted while streaming. Default
   * 10 MiB (10 485 760).
   */
  maxResponseBytes?: number;
  /**
   * How redirects are followed. Within the base URL's origin: up to `max` hops (default 5), credentials kept.
   * To another origin: by default not at all, the call failing with `INVALID_RESPONSE` (field
   * `redirects.crossOrigin`) that names the target's origin; with `crossOrigin: 'follow-without-credentials'`
   * followed with every credential (auth header, query credential, Authorization, Cookie, credential-named
   * headers) removed for the rest of the chain. 303 (and 301/302 after a POST) become a GET without a body;
   * 307 and 308 repeat the method and body.
   */
  redirects?: { max?: number; crossOrigin?: 'error' | 'follow-without-credentials' };
  /** Reads the vendor's error body into the typed error before the generic reading (see {@link ErrorMapper}). */
  mapError?: ErrorMapper;
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

/** The client's options once validated; instances (logger, hooks, limiter, breaker) are the caller's own. */
export interface ResolvedClientOptions {
  baseUrl: string;
  auth: AuthOption | undefined;
  timeoutMs: number;
  totalTimeoutMs: number | undefined;
  retry: ResolvedRetryOptions | false;
  idempotency: ResolvedIdempotencyOptions | false;
  logger: Logger | undefined;
  hooks: HttpHooks;
  headers: Record<string, string> | undefined;
  fetch: typeof fetch | undefined;
  maxResponseBytes: number;
  redirects: { max: number; crossOrigin: 'error' | 'follow-without-credentials' };
  mapError: ErrorMapper | undefined;
  rateLimiter: RateLimiter | undefined;
  circuitBreaker: CircuitBreaker | undefined;
}

const MAX_TIMER_MS = 2_147_483_647;
// Ten times a large API page (a 200-record JSON page is well under 1 MiB) and ky's own cap on error bodies,
// yet small enough that a runaway or hostile body (a 50 MB export, a decompression bomb) cannot take the
// process's memory: parsed JSON costs several times its text.
const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
// As many as a login flow or a moved API needs; a loop is caught at once.
const DEFAULT_MAX_REDIRECTS = 5;
const LABEL = 'client options';

const isFunction = (value: unknown): boolean => typeof value === 'function';
const hasFunctions = (value: unknown, names: readonly string[]): boolean =>
  isPlainObject(value) && names.every((name) => isFunction(value[name]));

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

const HOOK_NAMES = [
  'beforeRequest',
  'afterResponse',
  'beforeRetry',
  'onError',
  'onCircuitStateChange',
] as const;
const LOGGER_METHODS = ['debug', 'info', 'warn', 'error'] as const;

// Logger and hooks are checked, not copied: their methods may need their own `this` (pino's do).
const clientOptionsSchema = z.object({
  baseUrl: baseUrlSchema,
  auth: z.optional(authOptionSchema),
  timeoutMs: z._default(z.int().check(z.positive(), z.maximum(MAX_TIMER_MS)), 10_000),
  totalTimeoutMs: z.optional(z.int().check(z.positive(), z.maximum(MAX_TIMER_MS))),
  logger: z.optional(
    z.custom<Logger>((value) => hasFunctions(value, LOGGER_METHODS), {
      error: 'must have debug, info, warn and error functions',
    }),
  ),
  hooks: z.optional(
    z.custom<HttpHooks>(
      (value) =>
        isPlainObject(value) &&
        HOOK_NAMES.every((name) => value[name] === undefined || isFunction(value[name])),
      { error: `must be an object whose ${HOOK_NAMES.join(', ')} are functions` },
    ),
  ),
  fetch: z.optional(z.custom<typeof fetch>(isFunction, { error: 'must be a function' })),
  mapError: z.optional(z.custom<ErrorMapper>(isFunction, { error: 'must be a function' })),
  maxResponseBytes: z._default(
    z
      .int({ error: 'must be a whole number of bytes ≥ 1' })
      .check(z.positive('must be a whole number of bytes ≥ 1'), z.maximum(Number.MAX_SAFE_INTEGER)),
    DEFAULT_MAX_RESPONSE_BYTES,
  ),
  redirects: z.optional(
    z.object({
      max: z.optional(z.int({ error: 'must be an integer 0–20' }).check(z.minimum(0), z.maximum(20))),
      crossOrigin: z.optional(
        z.enum(['error', 'follow-without-credentials'], {
          error: "must be 'error' or 'follow-without-credentials'",
        }),
      ),
    }),
  ),
});

const CLIENT_KEYS = [
  'baseUrl',
  'auth',
  'timeoutMs',
  'totalTimeoutMs',
  'retry',
  'idempotency',
  'rateLimiter',
  'circuitBreaker',
  'logger',
  'hooks',
  'headers',
  'fetch',
  'maxResponseBytes',
  'redirects',
  'mapError',
] as const;

const configError = (field: string, message: string): IntegrationError =>
  optionsError(LABEL, [{ field, message }]);

/**
 * Validates `createHttpClient`'s options. Throws only an IntegrationError `CONFIG_ERROR` naming the field,
 * whatever it is given (null, a number, getters that throw, instances of the wrong shape).
 */
export function parseClientOptions(input: unknown): ResolvedClientOptions {
  // Each field read once, so a getter runs (and may throw) exactly here, and later code sees plain values.
  const issues: FieldIssue[] = [];
  const raw = readFields(input, CLIENT_KEYS, '', issues);
  if (!raw || issues.length > 0) throw optionsError(LABEL, issues);
  const base = parseOptionFields(clientOptionsSchema, raw, { label: LABEL });
  const hooks = base.hooks ?? {};
  return {
    baseUrl: base.baseUrl,
    auth: base.auth,
    timeoutMs: base.timeoutMs,
    totalTimeoutMs: base.totalTimeoutMs,
    retry: nested('retry', raw.retry, retryOptionsSchema),
    idempotency: parseIdempotency(raw.idempotency),
    logger: base.logger,
    hooks,
    headers: parseClientHeaders(raw.headers),
    fetch: base.fetch,
    maxResponseBytes: base.maxResponseBytes,
    redirects: {
      max: base.redirects?.max ?? DEFAULT_MAX_REDIRECTS,
      crossOrigin: base.redirects?.crossOrigin ?? 'error',
    },
    mapError: base.mapError,
    rateLimiter: instanceOrCreate<RateLimiter, RateLimiterOptions>('rateLimiter', raw.rateLimiter, {
      marker: 'acquire',
      methods: ['acquire', 'observe'],
      create: createRateLimiter,
    }),
    circuitBreaker: instanceOrCreate<CircuitBreaker, CircuitBreakerOptions>(
      'circuitBreaker',
      raw.circuitBreaker,
      {
        marker: 'tryAcquire',
        methods: ['tryAcquire', 'recordSuccess', 'recordFailure'],
        create: (options) => {
          const own = options.onStateChange;
          if (own !== undefined && !isFunction(own)) {
            throw configError('onStateChange', 'must be a function');
          }
          return createCircuitBreaker({
            ...options,
            onStateChange: (change) => {
              own?.(change);
              hooks.onCircuitStateChange?.(change);
            },
          });
        },
      },
    ),
  };
}

// A getter or a Proxy trap of an instance may throw while it is inspected: still a CONFIG_ERROR naming the field.
function guarded<T>(field: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (isIntegrationError(error)) throw error;
    throw configError(field, UNREADABLE);
  }
}

function nested<S extends z.ZodMiniType>(field: string, value: unknown, schema: S): z.output<S> | false {
  if (value === false) return false;
  if (value !== undefined && !isPlainObject(value))
    throw configError(field, 'must be an options object or false');
  return parseOptions(schema, value ?? {}, { label: LABEL, prefix: `${field}.` });
}

function parseIdempotency(value: unknown): ResolvedIdempotencyOptions | false {
  const parsed = nested('idempotency', value, idempotencyOptionsSchema);
  if (parsed && !isHeaderName(parsed.header))
    throw configError('idempotency.header', 'must be a valid header name');
  return parsed;
}

function parseClientHeaders(value: unknown): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  const headers = readHeaderRecord(value, 'headers');
  if (headers instanceof IntegrationError) throw optionsError(LABEL, headers.issues ?? []);
  return headers;
}

/**
 * A plain object of header names to string values, copied, or the VALIDATION_ERROR naming the bad entry
 * (never its value: it may be a credential).
 */
export function readHeaderRecord(value: unknown, field: string): Record<string, string> | IntegrationError {
  if (!isPlainObject(value)) return invalidInput(field, 'must be an object of header names to strings');
  const entries = readEntries(value, field);
  if (entries instanceof IntegrationError) return entries;
  const out: Record<string, string> = {};
  for (const [name, headerValue] of entries) {
    if (!isHeaderName(name)) return invalidInput(field, 'has a name that is not a valid header name');
    if (!isHeaderValue(headerValue)) {
      return invalidInput(`${field}.${name}`, 'must be a string without line breaks');
    }
    out[name] = headerValue;
  }
  return out;
}

// An instance (it has `marker`) is used as it is, after checking its methods; options go to its factory,
// whose CONFIG_ERROR is re-labelled under this field (`rateLimiter.limit`).
function instanceOrCreate<I, O>(
  field: string,
  value: unknown,
  shape: { marker: string; methods: readonly string[]; create: (options: O) => I },
): I | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) {
    throw configError(field, 'must be an instance or its options object');
  }
  const record = value as Record<string, unknown>;
  if (guarded(field, () => shape.marker in record)) {
    if (!guarded(field, () => shape.methods.every((name) => isFunction(record[name])))) {
      throw configError(field, `must have ${shape.methods.join(', ')} functions, or be an options object`);
    }
    return value as I;
  }
  try {
    return shape.create(value as O);
  } catch (error) {
    if (!isIntegrationError(error)) throw configError(field, UNREADABLE);
    const inner = error.field && error.field !== '(root)' ? `${field}.${error.field}` : field;
    throw configError(inner, error.issues?.[0]?.message ?? error.message);
  }
}

/** A call's options once checked: the JSON body serialised, the query built, the headers copied. */
export interface CheckedCall {
  schema: StandardSchemaV1 | undefined;
  query: URLSearchParams | undefined;
  headers: Record<string, string> | undefined;
  /** The serialised `json`, or the raw `body`. */
  body: BodyInit | undefined;
  isJson: boolean;
  signal: AbortSignal | undefined;
  skipRetry: boolean;
  idempotencyKey: string | undefined;
  idempotent: boolean;
  timeoutMs: number | undefined;
  responseType: 'json' | 'text';
}

const CALL_KEYS = [
  'schema',
  'searchParams',
  'headers',
  'json',
  'body',
  'signal',
  'skipRetry',
  'idempotencyKey',
  'idempotent',
  'timeoutMs',
  'responseType',
] as const;

/**
 * Checks a call's options (whatever the caller passed: null, getters that throw, a cyclic `json`…) and
 * returns them ready to send, or the VALIDATION_ERROR naming the field. Never throws.
 */
export function checkCallOptions(method: string, input: unknown): CheckedCall | IntegrationError {
  const read = readOptions(input, CALL_KEYS);
  if (!read.success) return read.error;
  const raw = read.data;
  const schema = raw.schema;
  if (schema !== undefined && !isStandardSchema(schema)) {
    return invalidInput('options.schema', 'must be a Standard Schema (zod, valibot, arktype…)');
  }
  const query = readSearchParams(raw.searchParams);
  if (query instanceof IntegrationError) return query;
  let headers: Record<string, string> | undefined;
  if (raw.headers !== undefined) {
    const checked = readHeaderRecord(raw.headers, 'options.headers');
    if (checked instanceof IntegrationError) return checked;
    headers = checked;
  }
  if (raw.json !== undefined && raw.body !== undefined)
    return invalidInput('options.body', 'pass json or body, not both');
  const bodyField = raw.json !== undefined ? 'json' : 'body';
  if ((raw.json !== undefined || raw.body !== undefined) && (method === 'GET' || method === 'HEAD')) {
    return invalidInput(`options.${bodyField}`, `a ${method} request cannot have a body`);
  }
  let body: BodyInit | undefined;
  if (raw.json !== undefined) {
    let text: string | undefined;
    try {
      text = JSON.stringify(raw.json);
    } catch (error) {
      const reason = error instanceof Error ? error.name : typeof error;
      return invalidInput(
        'options.json',
        `could not be serialised as JSON (${reason}: a cycle, a BigInt or a throwing toJSON)`,
      );
    }
    if (text === undefined) return invalidInput('options.json', 'is not a JSON value (a function, a symbol)');
    body = text;
  } else if (raw.body !== undefined) {
    if (!isBodyInit(raw.body)) {
      return invalidInput(
        'options.body',
        'must be a string, Blob, ArrayBuffer, typed array, FormData, URLSearchParams or ReadableStream',
      );
    }
    body = raw.body;
  }
  const signal = readSignal(raw.signal, 'options.signal');
  if (!signal.success) return signal.error;
  for (const flag of ['skipRetry', 'idempotent'] as const) {
    if (raw[flag] !== undefined && typeof raw[flag] !== 'boolean')
      return invalidInput(`options.${flag}`, 'must be a boolean');
  }
  const key = raw.idempotencyKey;
  if (key !== undefined && !(typeof key === 'string' && key.length > 0 && isHeaderValue(key))) {
    return invalidInput('options.idempotencyKey', 'must be a non-empty string without line breaks');
  }
  const timeoutMs = raw.timeoutMs;
  if (
    timeoutMs !== undefined &&
    !(Number.isInteger(timeoutMs) && (timeoutMs as number) > 0 && (timeoutMs as number) <= MAX_TIMER_MS)
  ) {
    return invalidInput('options.timeoutMs', `must be an integer between 1 and ${MAX_TIMER_MS}`);
  }
  const responseType = raw.responseType ?? 'json';
  if (responseType !== 'json' && responseType !== 'text')
    return invalidInput('options.responseType', "must be 'json' or 'text'");
  return {
    schema: schema as StandardSchemaV1 | undefined,
    query,
    headers,
    body,
    isJson: raw.json !== undefined,
    signal: signal.data,
    skipRetry: raw.skipRetry === true,
    idempotencyKey: key as string | undefined,
    idempotent: raw.idempotent === true,
    timeoutMs: timeoutMs as number | undefined,
    responseType,
  };
}

function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  try {
    const standard = (value as { '~standard'?: { validate?: unknown } })['~standard'];
    return typeof standard === 'object' && standard !== null && typeof standard.validate === 'function';
  } catch {
    return false;
  }
}

function isBodyInit(value: unknown): value is BodyInit {
  return (
    typeof value === 'string' ||
    value instanceof Blob ||
    value instanceof ArrayBuffer ||
    ArrayBuffer.isView(value) ||
    value instanceof URLSearchParams ||
    value instanceof FormData ||
    value instanceof ReadableStream
  );
}

// Values a query can carry as text; undefined is left out.
const isQueryValue = (value: unknown): boolean =>
  typeof value === 'string' ||
  typeof value === 'boolean' ||
  (typeof value === 'number' && Number.isFinite(value));

function readSearchParams(value: unknown): URLSearchParams | undefined | IntegrationError {
  if (value === undefined) return undefined;
  if (value instanceof URLSearchParams) return new URLSearchParams(value);
  if (!isPlainObject(value))
    return invalidInput('options.searchParams', 'must be an object or URLSearchParams');
  const entries = readEntries(value, 'options.searchParams');
  if (entries instanceof IntegrationError) return entries;
  const params = new URLSearchParams();
  for (const [name, item] of entries) {
    if (item === undefined) continue;
    if (!isQueryValue(item)) {
      return invalidInput(
        `options.searchParams.${name}`,
        'must be a string, a finite number, a boolean or undefined',
      );
    }
    params.append(name, String(item));
  }
  return params;
}

// A record's entries, each value read once, or the VALIDATION_ERROR naming what could not be read.
function readEntries(value: unknown, field: string): [string, unknown][] | IntegrationError {
  const issues: FieldIssue[] = [];
  const copy = readOwnFields(value, field, issues);
  return copy && issues.length === 0 ? Object.entries(copy) : invalidInput(field, UNREADABLE, issues);
}
