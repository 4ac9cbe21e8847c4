import {
  type AccessTokenSource,
  combineRateLimiters,
  createHttpClient,
  type HttpClient,
  type HttpClientOptions,
  isRateLimiter,
  optionsObject,
  parseOptions,
  type RateLimiter,
  type RetryOptions,
  revealSecret,
  type Secret,
} from '@patchbay/core';
import * as z from 'zod/mini';
import {
  createCustomFields,
  type PipedriveCustomFieldsOption,
  type PipedriveEntity,
} from './custom-fields.ts';
import { createFieldDefinitionCalls, type PipedriveFieldDefinitions } from './field-definitions.ts';
import { mapPipedriveError } from './pipedrive-errors.ts';
import {
  createPipedriveRateLimiter,
  createPipedriveSearchRateLimiter,
  type PipedriveRateLimitOptions,
} from './rate-limit.ts';
import {
  activityCreateSchema,
  dealCreateSchema,
  organizationCreateSchema,
  type PipedriveActivity,
  type PipedriveActivityInput,
  type PipedriveCustomValues,
  type PipedriveDeal,
  type PipedriveDealInput,
  type PipedriveOrganization,
  type PipedriveOrganizationInput,
  type PipedrivePerson,
  type PipedrivePersonInput,
  personCreateSchema,
  pipedriveActivitySchema,
  pipedriveDealSchema,
  pipedriveOrganizationSchema,
  pipedrivePersonSchema,
} from './records.ts';
import { createResource, type PipedriveResource, type PipedriveSearchableResource } from './resource.ts';
import {
  createPipedriveTokenBudget,
  type PipedriveTokenBudget,
  type PipedriveTokenBudgetOptions,
} from './token-budget.ts';
import {
  createV1Resource,
  type PipedriveLead,
  type PipedriveLeadInput,
  type PipedriveNote,
  type PipedriveNoteInput,
  type PipedriveV1Resource,
} from './v1.ts';
import { createWebhookCalls, type PipedriveWebhooks } from './webhook-subscriptions.ts';

/** Options of {@link createPipedriveClient}: where (company domain or base URL), how (API token or OAuth), and core's HTTP options. */
export interface PipedriveClientOptions<C extends PipedriveCustomFieldsOption = PipedriveCustomFieldsOption>
  extends Omit<HttpClientOptions, 'baseUrl' | 'auth' | 'retry' | 'idempotency' | 'rateLimiter' | 'mapError'> {
  /** The company's subdomain: `acme` for `https://acme.pipedrive.com`. Give this or `baseUrl`. */
  companyDomain?: string;
  /** The API host (an OAuth token's `api_domain`, or an emulator's URL). Give this or `companyDomain`. */
  baseUrl?: string;
  /** A personal API token, sent as `x-api-token`. Give this or `oauth`. */
  apiToken?: string | Secret;
  /** An OAuth 2.0 token source (core's `createOAuth2TokenManager`), sent as a Bearer token. */
  oauth?: AccessTokenSource;
  /** Retries after the first attempt. Default 3. Ignored when `retry` is given. */
  maxRetries?: number;
  /** Full retry policy (see @patchbay/core); `false` for none. */
  retry?: RetryOptions | false;
  /** The 2-second burst window: the plan (default `lite`), a limiter of your own, or `false` for none. */
  rateLimit?: PipedriveRateLimitOptions | RateLimiter | false;
  /** Search's own 10-per-2-s limit: a limiter of your own, or `false` for none. */
  searchRateLimit?: RateLimiter | false;
  /** The daily token budget: its options, one shared between clients, or `false` to track none. */
  tokenBudget?: PipedriveTokenBudgetOptions | PipedriveTokenBudget | false;
  /** Custom fields by the names you choose, per record type. */
  customFields?: C;
}

type Names<C, E extends PipedriveEntity> = C extends { readonly [K in E]?: infer M }
  ? M extends Readonly<Record<string, string>>
    ? keyof M & string
    : never
  : never;
type WithCustom<I, N extends string> = Omit<I, 'custom'> & { custom?: PipedriveCustomValues<N> };

/** A Pipedrive client. Every call returns an ApiResult; nothing rejects. */
export interface PipedriveClient<C extends PipedriveCustomFieldsOption = PipedriveCustomFieldsOption> {
  persons: PipedriveSearchableResource<
    PipedrivePerson<Names<C, 'person'>>,
    WithCustom<PipedrivePersonInput, Names<C, 'person'>>
  >;
  organizations: PipedriveSearchableResource<
    PipedriveOrganization<Names<C, 'organization'>>,
    WithCustom<PipedriveOrganizationInput, Names<C, 'organization'>>
  >;
  deals: PipedriveSearchableResource<
    PipedriveDeal<Names<C, 'deal'>>,
    WithCustom<PipedriveDealInput, Names<C, 'deal'>>
  >;
  activities: PipedriveResource<PipedriveActivity, PipedriveActivityInput>;
  /** v1 (no v2 equivalent): notes, numeric ids, `start`/`limit` paging. */
  notes: PipedriveV1Resource<PipedriveNote, PipedriveNoteInput, number>;
  /** v1 (no v2 equivalent): leads, UUIDs, `start`/`limit` paging. */
  leads: PipedriveV1Resource<PipedriveLead, PipedriveLeadInput, string>;
  /**
   * Field definitions: `list(entity)` every field of a record type (v2), `create(entity, { name, field_type,
   * options? })` a custom field (v1); after a create, `customFields` names are resolved again on their next use.
   */
  fields: PipedriveFieldDefinitions;
  registerWebhook: PipedriveWebhooks['registerWebhook'];
  listWebhooks: PipedriveWebhooks['listWebhooks'];
  deleteWebhook: PipedriveWebhooks['deleteWebhook'];
  /** The daily token budget this client spends from (undefined with `tokenBudget: false`). */
  readonly tokenBudget: PipedriveTokenBudget | undefined;
  /** The underlying HTTP client, for endpoints this package does not wrap. */
  http: HttpClient;
}

const limiterShape = (value: unknown) => value === false || isPlainOrLimiter(value);
const optionsSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }),
  companyDomain: z.optional(
    z
      .string()
      .check(z.regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i, 'must be a subdomain such as "acme"')),
  ),
  apiToken: z.optional(
    z
      .string()
      .check(z.minLength(1, 'must not be empty'), z.regex(/^[^\s]+$/, 'must be one word without spaces')),
  ),
  maxRetries: z.optional(z.int().check(z.minimum(0), z.maximum(20))),
  rateLimit: z.optional(
    z.custom<unknown>(limiterShape, { error: 'must be rate-limit options, a RateLimiter or false' }),
  ),
  searchRateLimit: z.optional(
    z.custom<unknown>((v) => v === false || isRateLimiter(v), { error: 'must be a RateLimiter or false' }),
  ),
  tokenBudget: z.optional(
    z.custom<unknown>(limiterShape, { error: 'must be budget options, a budget or false' }),
  ),
  oauth: z.optional(
    z.custom<unknown>(
      (value) => {
        try {
          return typeof (value as AccessTokenSource)?.getAccessToken === 'function';
        } catch {
          return false;
        }
      },
      { error: 'must be a token source with getAccessToken()' },
    ),
  ),
  customFields: z.optional(
    z.partialRecord(
      z.enum(['person', 'organization', 'deal', 'activity'], {
        error: 'must be person, organization, deal or activity',
      }),
      z.record(
        z.string().check(z.regex(/^[A-Za-z_$][\w$]{0,99}$/, 'must be a name like externalId')),
        z.string().check(z.minLength(1), z.maxLength(200)),
      ),
    ),
  ),
});

/**
 * Creates a Pipedrive client on API v2 (v1 for notes, leads and webhooks) on core's HTTP client: `x-api-token` or
 * OAuth Bearer auth, Pipedrive's error bodies read (`mapPipedriveError`), the 2-second burst window and search's
 * 10 per 2 s on limiters fed by Pipedrive's headers, the daily token budget spent before each call, and custom
 * fields by the names you choose.
 * @example
 * const pipedrive = createPipedriveClient({ companyDomain: 'acme', apiToken: process.env.PIPEDRIVE_API_TOKEN!, customFields: { person: { externalId: 'External ID' } } });
 * const person = await pipedrive.persons.create({ name: 'Ada', custom: { externalId: 'ada-1' } });
 * @throws IntegrationError `CONFIG_ERROR` naming the field (`apiToken`, `companyDomain`, `customFields.person`…), never its value.
 */
export function createPipedriveClient<
  const C extends PipedriveCustomFieldsOption = PipedriveCustomFieldsOption,
>(options: PipedriveClientOptions<C>): PipedriveClient<C> {
  const label = 'Pipedrive client options';
  // A plain copy read once: a Proxy or a throwing getter is a CONFIG_ERROR, not a TypeError.
  const {
    apiToken,
    oauth,
    companyDomain,
    baseUrl,
    maxRetries,
    retry,
    rateLimit,
    searchRateLimit,
    tokenBudget,
    customFields,
    ...rest
  } = optionsObject(options, { label }) as unknown as PipedriveClientOptions<C>;
  const given =
    baseUrl ??
    (typeof companyDomain === 'string' ? `https://${companyDomain.trim()}.pipedrive.com` : undefined);
  const base = typeof given === 'string' ? given.trim().replace(/\/+$/, '') : given;
  parseOptions(
    z.object({
      baseUrl: z.custom(
        (value) => (baseUrl === undefined) !== (companyDomain === undefined) && value !== undefined,
        {
          error: 'give either companyDomain (e.g. "acme") or baseUrl, not both or neither',
        },
      ),
      apiToken: z.custom(() => (apiToken === undefined) !== (oauth === undefined), {
        error: 'give either apiToken or oauth (a token source), not both or neither',
      }),
    }),
    { baseUrl: base, apiToken },
    { label },
  );
  const parsed = parseOptions(
    optionsSchema,
    {
      baseUrl: base,
      companyDomain,
      apiToken: tokenText(apiToken),
      maxRetries,
      rateLimit,
      searchRateLimit,
      tokenBudget,
      oauth,
      customFields,
    },
    { label },
  );
  const burst =
    rateLimit === false
      ? undefined
      : isRateLimiter(rateLimit)
        ? rateLimit
        : createPipedriveRateLimiter({ oauth: oauth !== undefined, ...(rateLimit ?? {}) });
  const search =
    searchRateLimit === false
      ? undefined
      : isRateLimiter(searchRateLimit)
        ? searchRateLimit
        : createPipedriveSearchRateLimiter();
  const budget =
    tokenBudget === false
      ? undefined
      : isBudget(tokenBudget)
        ? tokenBudget
        : createPipedriveTokenBudget((tokenBudget ?? {}) as PipedriveTokenBudgetOptions);
  const common = {
    ...rest,
    baseUrl: parsed.baseUrl as string,
    auth:
      apiToken !== undefined
        ? { type: 'header' as const, name: 'x-api-token', value: apiToken }
        : { type: 'oauth2' as const, tokens: oauth! },
    retry: retry ?? { retries: maxRetries ?? 3 },
    // Pipedrive ignores idempotency keys: creates are resent only after a 429 (core's unprocessed statuses).
    idempotency: false as const,
    mapError: mapPipedriveError,
  };
  const http = createHttpClient({ ...common, rateLimiter: feeding(budget, burst) });
  const searchHttp = createHttpClient({ ...common, rateLimiter: feeding(budget, burst, search) });
  const spend = budget ? budget.spend.bind(budget) : () => ({ success: true as const, data: undefined });
  const mapping = (parsed.customFields ?? {}) as PipedriveCustomFieldsOption;
  const context = { http, searchHttp, spend };
  const custom = {
    person: createCustomFields({ http, spend }, 'person', mapping.person),
    organization: createCustomFields({ http, spend }, 'organization', mapping.organization),
    deal: createCustomFields({ http, spend }, 'deal', mapping.deal),
    activity: createCustomFields({ http, spend }, 'activity', mapping.activity),
  } satisfies Record<PipedriveEntity, unknown>;
  const webhooks = createWebhookCalls(http, spend);
  return {
    persons: createResource(context, {
      path: 'persons',
      schema: pipedrivePersonSchema,
      createSchema: personCreateSchema,
      fields: custom.person,
    }),
    organizations: createResource(context, {
      path: 'organizations',
      schema: pipedriveOrganizationSchema,
      createSchema: organizationCreateSchema,
      fields: custom.organization,
    }),
    deals: createResource(context, {
      path: 'deals',
      schema: pipedriveDealSchema,
      createSchema: dealCreateSchema,
      fields: custom.deal,
    }),
    activities: createResource(context, {
      path: 'activities',
      schema: pipedriveActivitySchema,
      createSchema: activityCreateSchema,
      fields: custom.activity,
    }),
    notes: createV1Resource(http, spend, 'notes'),
    leads: createV1Resource(http, spend, 'leads'),
    fields: createFieldDefinitionCalls({ http, spend, invalidate: (entity) => custom[entity].invalidate() }),
    registerWebhook: webhooks.registerWebhook,
    listWebhooks: webhooks.listWebhooks,
    deleteWebhook: webhooks.deleteWebhook,
    tokenBudget: budget,
    http,
  } as PipedriveClient<C>;
}

// One limiter for the HTTP client: every limiter given is acquired in turn, and every response feeds them all and
// the daily budget (`x-daily-ratelimit-token-remaining`).
function feeding(
  budget: PipedriveTokenBudget | undefined,
  ...limiters: (RateLimiter | undefined)[]
): RateLimiter {
  const combined = combineRateLimiters(...limiters);
  return {
    ...combined,
    observe(response, options) {
      combined.observe(response, options);
      try {
        budget?.observe(response.headers);
      } catch {
        // Feedback is a hint: it must not fail the call being observed.
      }
    },
  };
}

function isBudget(value: unknown): value is PipedriveTokenBudget {
  try {
    return (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as PipedriveTokenBudget).spend === 'function'
    );
  } catch {
    return false;
  }
}

// Options objects whose fields can be read, a limiter or a budget.
function isPlainOrLimiter(value: unknown): boolean {
  if (isRateLimiter(value) || isBudget(value)) return true;
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

// The token's text for validation only; a value that is neither a string nor a Secret fails the schema by type.
function tokenText(token: unknown): unknown {
  if (token === undefined || typeof token === 'string') return token;
  try {
    return revealSecret(token as Secret);
  } catch {
    return 42;
  }
}
