import {
  type FieldIssue,
  type HttpClientOptions,
  IntegrationError,
  isIntegrationError,
  optionsObject,
  parseOptions,
  type RateLimitStore,
  revealSecret,
  type Secret,
} from '@patchbay/core';
import * as z from 'zod/mini';
import { POSTHOG_US_HOST, postHogAppHost } from './host.ts';
import { POSTHOG_QUERY_LIMITS, type PostHogRateLimitOptions, type ResolvedRateLimits } from './limits.ts';
import type { PollOptions } from './run-query.ts';
import type { QueryRetryPolicy } from './transport.ts';

/** The retry policy of `createPostHogClient`, in core's vocabulary. */
export interface PostHogRetryOptions {
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  /** Delay before the first retry, doubled for each next one (full jitter). Default 1 000 ms. */
  initialDelayMs?: number;
  /** Ceiling of the delay. Default 30 000 ms. */
  maxDelayMs?: number;
  /**
   * Longest wait a 429 may ask for (`Retry-After`, "Expected available in N seconds") that the client honours by
   * itself; a longer one ends the call with `RATE_LIMIT` and `retryAfterMs`. Default 60 000 ms.
   */
  maxRetryAfterMs?: number;
}

/** Options of `createPostHogClient`: PostHog's, then core's HTTP client options (timeouts, fetch, logger, hooks…). */
export interface PostHogClientOptions
  extends Omit<HttpClientOptions, 'baseUrl' | 'auth' | 'retry' | 'idempotency' | 'rateLimiter' | 'mapError'> {
  /**
   * The PostHog app host. Default `https://us.posthog.com`; `https://eu.posthog.com` for EU Cloud, or your own.
   * A Cloud ingestion host (`https://us.i.posthog.com`, posthog-js's) is read as its region's app host.
   */
  host?: string;
  /** A personal API key (`phx_…`) with the `query:read` scope; sent as a Bearer token, never shown. */
  personalApiKey: string | Secret;
  /** The project's id (a whole number, in the project's settings and its URLs). */
  projectId: string | number;
  /** Per-attempt timeout. Default 60 000 ms: a blocking query can take that long. */
  timeoutMs?: number;
  /** Retries of failed requests; `false` for none. */
  retry?: PostHogRetryOptions | false;
  /** PostHog's query limits, which the client stays under; `false` to send without a limit. */
  rateLimits?: PostHogRateLimitOptions | false;
  /** How asynchronous queries are polled. */
  poll?: Partial<PollOptions>;
}

/** The options once checked. */
export interface ResolvedPostHogOptions {
  host: string;
  personalApiKey: string | Secret;
  projectId: string;
  retry: QueryRetryPolicy;
  rateLimits: ResolvedRateLimits | false;
  poll: PollOptions;
  /** Everything else, for core's HTTP client to check. */
  http: Omit<HttpClientOptions, 'baseUrl' | 'auth' | 'retry' | 'idempotency' | 'rateLimiter' | 'mapError'>;
}

const LABEL = 'PostHog client options';
const MAX_TIMER_MS = 2_147_483_647;
const delay = z.int().check(z.minimum(0), z.maximum(MAX_TIMER_MS));
const limit = (max: number) =>
  z.int({ error: `must be a whole number from 2 to ${max}` }).check(z.minimum(2), z.maximum(max));
const isFunction = (value: unknown) => typeof value === 'function';

// Required values say where they come from, so a missing one is fixed without reading the docs.
const personalApiKeySchema = z
  .string({ error: 'is required: a personal API key (phx_…) with the query:read scope' })
  .check(z.trim(), z.minLength(1, 'must not be empty'));
const PROJECT_ID_RULE = "is required: the project's id, a whole number (Project settings)";
const projectIdSchema = z.union(
  [
    z.int({ error: PROJECT_ID_RULE }).check(z.positive(PROJECT_ID_RULE)),
    z.string({ error: PROJECT_ID_RULE }).check(z.trim(), z.regex(/^\d{1,20}$/, PROJECT_ID_RULE)),
  ],
  { error: PROJECT_ID_RULE },
);

const optionsSchema = z.object({
  host: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }),
  personalApiKey: personalApiKeySchema,
  projectId: projectIdSchema,
  // `false` is taken out before parsing (see parsePostHogOptions): a union would report a bad field inside the
  // object as the whole option being invalid.
  retry: z.optional(
    z.object(
      {
        retries: z.optional(z.int().check(z.minimum(0), z.maximum(20))),
        initialDelayMs: z.optional(delay),
        maxDelayMs: z.optional(delay),
        maxRetryAfterMs: z.optional(delay),
      },
      { error: 'must be an options object or false' },
    ),
  ),
  rateLimits: z.optional(
    z.object(
      {
        perMinute: z.optional(limit(100_000)),
        perHour: z.optional(limit(10_000_000)),
        concurrent: z.optional(z.int().check(z.minimum(1), z.maximum(100))),
        store: z.optional(
          z.custom<RateLimitStore>(
            (value) =>
              typeof value === 'object' &&
              value !== null &&
              ['take', 'update', 'peek'].every((name) =>
                isFunction((value as unknown as Record<string, unknown>)[name]),
              ),
            { error: 'must be a RateLimitStore (take, update and peek functions)' },
          ),
        ),
        key: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
      },
      { error: 'must be an options object or false' },
    ),
  ),
  poll: z.optional(
    z.object({
      initialDelayMs: z.optional(delay.check(z.positive())),
      maxDelayMs: z.optional(delay.check(z.positive())),
      timeoutMs: z.optional(delay.check(z.positive())),
    }),
  ),
});

/**
 * Checks `createPostHogClient`'s options: read once (a getter or Proxy that throws is named), PostHog's own
 * checked here, core's left to its HTTP client. Throws only `CONFIG_ERROR` naming every bad field, never its
 * value; a missing `personalApiKey` or `projectId` is one, before any request.
 * @example const resolved = parsePostHogOptions({ personalApiKey, projectId: 12345 });
 */
export function parsePostHogOptions(options: unknown): ResolvedPostHogOptions {
  const {
    host,
    personalApiKey,
    projectId,
    retry,
    rateLimits,
    poll,
    baseUrl,
    auth,
    rateLimiter,
    mapError,
    idempotency,
    ...http
  } = optionsObject(options, { label: LABEL });
  const parsed = parseEachOption({
    host: host === undefined ? POSTHOG_US_HOST : typeof host === 'string' ? postHogAppHost(host) : host,
    personalApiKey: keyText(personalApiKey),
    projectId,
    retry: retry === false ? undefined : retry,
    rateLimits: rateLimits === false ? undefined : rateLimits,
    poll,
  });
  const retryOptions = retry === false ? { retries: 0 } : (parsed.retry ?? {});
  const initialDelayMs = retryOptions.initialDelayMs ?? 1_000;
  const limits = rateLimits === false ? false : parsed.rateLimits;
  const pollOptions = parsed.poll ?? {};
  const pollInitial = pollOptions.initialDelayMs ?? 500;
  return {
    host: parsed.host,
    // The trimmed text of a string key; a Secret is kept as it is (core reveals it only to send it).
    personalApiKey: typeof personalApiKey === 'string' ? parsed.personalApiKey : (personalApiKey as Secret),
    projectId: String(parsed.projectId).trim(),
    retry: {
      retries: retryOptions.retries ?? 3,
      initialDelayMs,
      maxDelayMs: Math.max(initialDelayMs, retryOptions.maxDelayMs ?? 30_000),
      maxRetryAfterMs: retryOptions.maxRetryAfterMs ?? 60_000,
    },
    rateLimits:
      limits === false
        ? false
        : {
            perMinute: limits?.perMinute ?? POSTHOG_QUERY_LIMITS.perMinute,
            perHour: limits?.perHour ?? POSTHOG_QUERY_LIMITS.perHour,
            concurrent: limits?.concurrent ?? POSTHOG_QUERY_LIMITS.concurrent,
            ...(limits?.store === undefined ? {} : { store: limits.store }),
            key: limits?.key ?? 'posthog-query',
          },
    poll: {
      initialDelayMs: pollInitial,
      maxDelayMs: Math.max(pollInitial, pollOptions.maxDelayMs ?? 5_000),
      timeoutMs: pollOptions.timeoutMs ?? 600_000,
    },
    http: http as ResolvedPostHogOptions['http'],
  };
}

// Each option parsed apart (core's parseOptions, named under it): an option that is a Proxy whose traps throw is
// then reported by its own name rather than as the whole options object, and every bad option is listed.
function parseEachOption(raw: Record<string, unknown>): z.output<typeof optionsSchema> {
  const issues: FieldIssue[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(optionsSchema.def.shape)) {
    try {
      out[key] = parseOptions(schema as z.ZodMiniType, raw[key], { label: LABEL, prefix: `${key}.` });
    } catch (error) {
      if (!isIntegrationError(error)) throw error;
      issues.push(...(error.issues ?? [{ field: key, message: error.message }]));
    }
  }
  if (issues.length > 0) {
    const listed = issues.slice(0, 5).map((issue) => `${issue.field}: ${issue.message}`);
    if (issues.length > 5) listed.push(`and ${issues.length - 5} more`);
    throw new IntegrationError('CONFIG_ERROR', `Invalid ${LABEL}: ${listed.join('; ')}`, {
      field: issues[0]?.field ?? '(root)',
      issues,
      retryable: false,
    });
  }
  return out as z.output<typeof optionsSchema>;
}

/**
 * True when `options` name a personal API key and a project id a client can be created with (seed 000's
 * `isConfigured`): the check `createPostHogClient` makes of them, without throwing.
 * @example if (isPostHogConfigured({ personalApiKey: env.POSTHOG_PERSONAL_API_KEY, projectId: env.POSTHOG_PROJECT_ID })) …
 */
export function isPostHogConfigured(options: unknown): boolean {
  try {
    const { personalApiKey, projectId } = optionsObject(options, { label: LABEL });
    return (
      personalApiKeySchema.safeParse(keyText(personalApiKey)).success &&
      projectIdSchema.safeParse(projectId).success
    );
  } catch {
    return false;
  }
}

// The key's text for validation only; a value that is neither a string nor a Secret fails the schema by type.
function keyText(key: unknown): unknown {
  if (typeof key === 'string') return key;
  try {
    // revealSecret hands back what is not a Secret as it is: only text is a key.
    const text: unknown = revealSecret(key as Secret);
    return typeof text === 'string' ? text : undefined;
  } catch {
    return undefined;
  }
}
