import {
  type AccessTokenSource,
  type ApiResult,
  combineRateLimiters,
  createHttpClient,
  createRateLimiter,
  type HttpClient,
  type HttpClientOptions,
  isRateLimiter,
  optionsObject,
  parseOptions,
  type RateLimiter,
  type RateLimiterOptions,
  type RetryOptions,
  revealSecret,
  type Secret,
} from '@patchbay/core';
import * as z from 'zod/mini';
import { createAssociations, type HubSpotAssociations } from './associations.ts';
import { mapHubSpotError } from './hubspot-errors.ts';
import { createObjectResource, type HubSpotObjectResource } from './objects.ts';
import {
  DEFAULT_HUBSPOT_API_VERSION,
  HUBSPOT_API_VERSIONS,
  type HubSpotApiVersion,
  hubspotPaths,
} from './paths.ts';
import {
  bucketFor,
  createHubSpotRateLimiter,
  HUBSPOT_SEARCH_RATE_LIMIT,
  type HubSpotRateLimitOptions,
} from './rate-limit.ts';
import {
  type HubSpotCompany,
  type HubSpotContact,
  type HubSpotDeal,
  type HubSpotPropertiesSchema,
  type HubSpotRecord,
  type HubSpotTicket,
  hubspotCompanyPropertiesSchema,
  hubspotContactPropertiesSchema,
  hubspotDealPropertiesSchema,
  hubspotPropertiesSchema,
  hubspotRecordSchema,
  hubspotTicketPropertiesSchema,
} from './records.ts';
import {
  type HubSpotSearchOptions,
  type HubSpotSearchPage,
  type HubSpotSearchRequest,
  searchPageSchema,
  searchRecords,
} from './search.ts';

/** HubSpot's API host. */
export const HUBSPOT_BASE_URL = 'https://api.hubapi.com';

/** Options of {@link createHubSpotClient}: a private app token or an OAuth token source, and core's HTTP options. */
export interface HubSpotClientOptions
  extends Omit<HttpClientOptions, 'baseUrl' | 'auth' | 'retry' | 'idempotency' | 'rateLimiter' | 'mapError'> {
  /** A private app's access token (or a service key). Give this or `oauth`. */
  accessToken?: string | Secret;
  /** An OAuth 2.0 token source (core's `createOAuth2TokenManager`): refreshed by core, once per 401. */
  oauth?: AccessTokenSource;
  /** `2026-03` (default, dated paths) or `v3` (semantic-version paths, supported until September 2027). */
  apiVersion?: HubSpotApiVersion;
  /** Default `https://api.hubapi.com`; an emulator's URL in tests. */
  baseUrl?: string;
  /** Retries after the first attempt. Default 3. Ignored when `retry` is given. */
  maxRetries?: number;
  /** Full retry policy (see @patchbay/core); `false` for none. */
  retry?: RetryOptions | false;
  /** The 10-second budget: the plan's limit (default 100 per 10 s), a limiter of your own, or `false` for none. */
  rateLimit?: HubSpotRateLimitOptions | RateLimiter | false;
  /** Search's own budget (default 5 per second), or `false` for none. */
  searchRateLimit?: RateLimiterOptions | RateLimiter | false;
}

/** A HubSpot CRM client. Every call returns an ApiResult; nothing rejects. */
export interface HubSpotClient {
  /** The calls of any object type: `contacts`, `0-1`, a custom object's `2-123456` or `p_name`, its properties read with `properties`. */
  objects<R extends HubSpotRecord = HubSpotRecord>(
    type: string,
    options?: { properties?: HubSpotPropertiesSchema },
  ): HubSpotObjectResource<R>;
  contacts: HubSpotObjectResource<HubSpotContact>;
  companies: HubSpotObjectResource<HubSpotCompany>;
  deals: HubSpotObjectResource<HubSpotDeal>;
  tickets: HubSpotObjectResource<HubSpotTicket>;
  /** Searches one object type, page by page, past the 10 000-result cap (see `searchRecords`). */
  search<R extends HubSpotRecord = HubSpotRecord>(
    type: string,
    request?: HubSpotSearchRequest,
    options?: HubSpotSearchOptions & { properties?: HubSpotPropertiesSchema },
  ): AsyncIterable<ApiResult<HubSpotSearchPage<R>>>;
  associations: HubSpotAssociations;
  readonly apiVersion: HubSpotApiVersion;
  /** The underlying HTTP client, for endpoints this package does not wrap. */
  http: HttpClient;
}

const optionsSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }),
  accessToken: z.optional(z.string().check(z.trim(), z.minLength(1, 'must not be empty'))),
  apiVersion: z.enum(HUBSPOT_API_VERSIONS as [HubSpotApiVersion, ...HubSpotApiVersion[]], {
    error: `must be one of ${HUBSPOT_API_VERSIONS.join(', ')}`,
  }),
  maxRetries: z.optional(z.int().check(z.minimum(0), z.maximum(20))),
  // Shapes only: the limiters check their own numbers (a CONFIG_ERROR naming the field) when built.
  rateLimit: z.optional(
    z.custom<unknown>(isLimiterOption, { error: 'must be rate-limit options, a RateLimiter or false' }),
  ),
  searchRateLimit: z.optional(
    z.custom<unknown>(isLimiterOption, { error: 'must be rate-limit options, a RateLimiter or false' }),
  ),
  oauth: z.optional(
    z.custom<unknown>(
      (value) => {
        try {
          return (
            typeof value === 'object' &&
            value !== null &&
            typeof (value as AccessTokenSource).getAccessToken === 'function'
          );
        } catch {
          return false;
        }
      },
      { error: 'must be a token source with getAccessToken()' },
    ),
  ),
});

// false, a RateLimiter, or a plain options object whose fields can be read.
function isLimiterOption(value: unknown): boolean {
  if (value === false || isRateLimiter(value)) return true;
  try {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const copy = { ...(value as Record<string, unknown>) };
    return Object.values(copy).every((field) =>
      ['number', 'string', 'boolean', 'function', 'object', 'undefined'].includes(typeof field),
    );
  } catch {
    return false;
  }
}

/**
 * Creates a HubSpot CRM client on core's HTTP client: bearer auth (token or OAuth), HubSpot's error bodies read
 * (`mapHubSpotError`), the 10-second budget on a limiter that follows HubSpot's rate-limit headers, and search on
 * its own 5-per-second limiter as well.
 * @example
 * const hubspot = createHubSpotClient({ accessToken: process.env.HUBSPOT_ACCESS_TOKEN! });
 * const result = await hubspot.contacts.batchUpsert([{ id: 'ada@example.com', properties: { firstname: 'Ada' } }], { idProperty: 'email' });
 * @throws IntegrationError `CONFIG_ERROR` naming the field (`accessToken`, `baseUrl`, `apiVersion`…), never its value.
 */
export function createHubSpotClient(options: HubSpotClientOptions): HubSpotClient {
  const label = 'HubSpot client options';
  // A plain copy read once: a Proxy or a throwing getter is a CONFIG_ERROR, not a TypeError.
  const { accessToken, oauth, apiVersion, baseUrl, maxRetries, retry, rateLimit, searchRateLimit, ...rest } =
    optionsObject(options, { label }) as unknown as HubSpotClientOptions;
  const version = apiVersion ?? DEFAULT_HUBSPOT_API_VERSION;
  const given = baseUrl ?? HUBSPOT_BASE_URL;
  const base = typeof given === 'string' ? given.trim().replace(/\/+$/, '') : given;
  parseOptions(
    optionsSchema,
    {
      baseUrl: base,
      accessToken: tokenText(accessToken),
      apiVersion: version,
      maxRetries,
      rateLimit,
      searchRateLimit,
      oauth,
    },
    { label },
  );
  parseOptions(
    z.object({
      accessToken: z.custom((value) => (value === undefined) !== (oauth === undefined), {
        error: 'give either accessToken (a private app token) or oauth (a token source), not both or neither',
      }),
    }),
    { accessToken },
    { label },
  );
  const limiter =
    rateLimit === false
      ? undefined
      : isRateLimiter(rateLimit)
        ? rateLimit
        : createHubSpotRateLimiter(rateLimit ?? {});
  const searchLimiter =
    searchRateLimit === false
      ? undefined
      : isRateLimiter(searchRateLimit)
        ? searchRateLimit
        : createRateLimiter(
            searchRateLimit ?? {
              ...bucketFor(HUBSPOT_SEARCH_RATE_LIMIT.limit, HUBSPOT_SEARCH_RATE_LIMIT.intervalMs),
              key: 'hubspot-search',
            },
          );
  // Every token handed out is remembered, so a 2xx body echoing it (core scrubs error bodies) loses it too.
  const scrub = createScrubber();
  scrub.remember(tokenText(accessToken));
  const common = {
    ...rest,
    baseUrl: base,
    auth:
      accessToken !== undefined
        ? { type: 'bearer' as const, token: accessToken }
        : { type: 'oauth2' as const, tokens: rememberingTokens(oauth!, scrub.remember) },
    retry: retry ?? { retries: maxRetries ?? 3 },
    // HubSpot ignores idempotency keys: only calls that are safe to repeat are retried (see batch.ts).
    idempotency: false as const,
    mapError: mapHubSpotError,
  };
  const http = createHttpClient({ ...common, ...(limiter ? { rateLimiter: limiter } : {}) });
  // Search spends from both budgets: its own per second, and the account's per 10 seconds.
  const combined =
    searchLimiter && limiter ? combineRateLimiters(searchLimiter, limiter) : (searchLimiter ?? limiter);
  const searchHttp = createHttpClient({ ...common, ...(combined ? { rateLimiter: combined } : {}) });
  const paths = hubspotPaths(version);
  const context = {
    http,
    paths,
    scrub: scrub.text,
    traceId: () => `patchbay-${randomPart()}`,
  };
  const objects = <R extends HubSpotRecord>(
    type: string,
    resource?: { properties?: HubSpotPropertiesSchema },
  ) => createObjectResource<R>(context, type, readPropertiesSchema(resource));
  return {
    objects,
    contacts: createObjectResource<HubSpotContact>(context, 'contacts', hubspotContactPropertiesSchema),
    companies: createObjectResource<HubSpotCompany>(context, 'companies', hubspotCompanyPropertiesSchema),
    deals: createObjectResource<HubSpotDeal>(context, 'deals', hubspotDealPropertiesSchema),
    tickets: createObjectResource<HubSpotTicket>(context, 'tickets', hubspotTicketPropertiesSchema),
    search: <R extends HubSpotRecord>(
      type: string,
      request?: HubSpotSearchRequest,
      searchOptions?: HubSpotSearchOptions & { properties?: HubSpotPropertiesSchema },
    ) => {
      const schema = searchPageSchema(
        hubspotRecordSchema(readPropertiesSchema(searchOptions)),
      ) as unknown as Parameters<typeof searchRecords<R>>[4];
      const rest = withoutProperties(searchOptions);
      return searchRecords<R>(searchHttp, paths.objects(type), request, rest, schema);
    },
    associations: createAssociations(http, paths, scrub.text),
    apiVersion: version,
    http,
  };
}

function readPropertiesSchema(options: unknown): HubSpotPropertiesSchema {
  try {
    const schema = (options as { properties?: unknown } | undefined)?.properties;
    if (
      typeof schema === 'object' &&
      schema !== null &&
      typeof (schema as { safeParse?: unknown }).safeParse === 'function'
    ) {
      return schema as HubSpotPropertiesSchema;
    }
  } catch {
    // An options object that cannot be read: the default schema, and the search's own checks name the problem.
  }
  return hubspotPropertiesSchema;
}

function withoutProperties(options: unknown): unknown {
  if (typeof options !== 'object' || options === null) return options;
  try {
    const { properties: _, ...rest } = options as Record<string, unknown>;
    return rest;
  } catch {
    return null;
  }
}

function randomPart(): string {
  return globalThis.crypto.randomUUID();
}

// The token's text for validation only; a value that is neither a string nor a Secret fails the schema by type.
function tokenText(token: unknown): unknown {
  if (token === undefined || typeof token === 'string') return token;
  try {
    return revealSecret(token as Secret);
  } catch {
    return 42;
  }
}

// The static token in the forms a server may echo (as sent, URL-encoded). An OAuth token is not known here: core
// scrubs error bodies of it, not 2xx bodies (a gap noted in the README).
// The last few tokens are enough: an OAuth token lives hours, and only one is in use at a time.
const REMEMBERED_TOKENS = 8;

function createScrubber(): { remember: (token: unknown) => void; text: (value: string) => string } {
  const forms: string[] = [];
  return {
    remember(token) {
      if (typeof token !== 'string' || token.length < 4 || forms.includes(token)) return;
      forms.unshift(...new Set([token, encodeURIComponent(token)]));
      forms.length = Math.min(forms.length, REMEMBERED_TOKENS * 2);
    },
    text: (value) => forms.reduce((out, form) => out.split(form).join('[REDACTED]'), value),
  };
}

// The caller's token source, unchanged, except that each token it yields is remembered for scrubbing.
function rememberingTokens(source: AccessTokenSource, remember: (token: string) => void): AccessTokenSource {
  const seen = async (got: Promise<ApiResult<Secret>>): Promise<ApiResult<Secret>> => {
    const result = await got;
    try {
      if (result?.success) remember(revealSecret(result.data));
    } catch {
      // Not a Secret: core refuses it on its own; nothing to remember.
    }
    return result;
  };
  const refresh = source.refreshAccessToken;
  return {
    getAccessToken: () => seen(source.getAccessToken()),
    ...(refresh ? { refreshAccessToken: (options) => seen(refresh.call(source, options)) } : {}),
  };
}
