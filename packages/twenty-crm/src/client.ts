import {
  createHttpClient,
  type HttpClient,
  type HttpClientOptions,
  optionsObject,
  parseOptions,
  type RateLimiter,
  type RateLimiterOptions,
  type RetryOptions,
  revealSecret,
  type Secret,
} from '@patchbay/core';
import * as z from 'zod/mini';
import { type Company, type CompanyInput, companyInputSchema, companySchema } from './company.ts';
import { createMetadataResource, type MetadataResource } from './metadata.ts';
import { type Person, type PersonInput, personInputSchema, personSchema } from './person.ts';
import { batchSizeSchema, COMPANIES, createRecordResource, PEOPLE, type RecordResource } from './records.ts';
import { mapTwentyError } from './twenty-errors.ts';

/** Dotted names of a person's standard fields, for typed filters (custom fields are allowed too). */
export type PersonField =
  | 'id'
  | 'createdAt'
  | 'updatedAt'
  | 'deletedAt'
  | 'name.firstName'
  | 'name.lastName'
  | 'emails.primaryEmail'
  | 'jobTitle'
  | 'city'
  | 'companyId';

/** Dotted names of a company's standard fields, for typed filters (custom fields are allowed too). */
export type CompanyField =
  | 'id'
  | 'createdAt'
  | 'updatedAt'
  | 'deletedAt'
  | 'name'
  | 'domainName.primaryLinkUrl'
  | 'employees'
  | 'idealCustomerProfile'
  | 'accountOwnerId';

/** Options of `createTwentyClient`. */
export interface TwentyClientOptions
  extends Omit<HttpClientOptions, 'baseUrl' | 'auth' | 'retry' | 'idempotency' | 'rateLimiter' | 'mapError'> {
  /** Your Twenty instance, e.g. `https://api.twenty.com` or `https://crm.example.com`. */
  baseUrl: string;
  /** An API key from Settings → APIs & Webhooks. */
  apiKey: string | Secret;
  /** Retries after the first attempt. Default 3. Ignored when `retry` is given. */
  maxRetries?: number;
  /** Full retry policy (see @patchbay/core); `false` for none. */
  retry?: RetryOptions | false;
  /** Client-side rate limit. Default Twenty's documented 100 requests per minute; `false` for none. */
  rateLimit?: RateLimiterOptions | RateLimiter | false;
  /** Records per batch call. Default 60, Twenty's documented batch limit. */
  batchSize?: number;
}

/** A Twenty CRM client. */
export interface TwentyClient {
  people: RecordResource<Person, PersonInput, PersonField>;
  companies: RecordResource<Company, CompanyInput, CompanyField>;
  metadata: MetadataResource;
  /** The underlying HTTP client, for endpoints this package does not wrap. */
  http: HttpClient;
}

/**
 * Twenty's documented limit, 100 requests per minute per API key, with a burst one token short of the
 * server's bucket: a request that reaches Twenty a little early never meets an empty bucket.
 */
export const TWENTY_RATE_LIMIT: RateLimiterOptions = { limit: 100, intervalMs: 60_000, burst: 99 };

const optionsSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }),
  apiKey: z.string().check(z.trim(), z.minLength(1, 'must not be empty')),
  maxRetries: z.optional(z.int().check(z.minimum(0), z.maximum(20))),
  batchSize: z.optional(batchSizeSchema),
});

/**
 * Creates a Twenty CRM client. Every call returns an ApiResult; responses are validated.
 * @example
 * const twenty = createTwentyClient({ baseUrl: 'https://api.twenty.com', apiKey: process.env.TWENTY_API_KEY! });
 * for await (const page of twenty.people.list({ filter: { city: { eq: 'Paris' } } })) { ... }
 * @throws IntegrationError `CONFIG_ERROR` naming the field (`baseUrl`, `apiKey`, …) before any request.
 */
export function createTwentyClient(options: TwentyClientOptions): TwentyClient {
  // A plain copy read once: destructuring a Proxy or a throwing getter must be a CONFIG_ERROR, not a TypeError.
  const label = 'Twenty client options';
  const { baseUrl, apiKey, maxRetries, retry, rateLimit, batchSize, ...rest } = optionsObject(options, {
    label,
  }) as unknown as TwentyClientOptions;
  parseOptions(optionsSchema, { baseUrl, apiKey: apiKeyText(apiKey), maxRetries, batchSize }, { label });
  const http = createHttpClient({
    ...rest,
    baseUrl: twentyRoot(baseUrl),
    auth: { type: 'bearer', token: apiKey },
    retry: retry ?? { retries: maxRetries ?? 3 },
    // Twenty ignores idempotency keys: only calls that are idempotent by nature are retried (see records.ts).
    idempotency: false,
    rateLimiter: rateLimit === false ? undefined : (rateLimit ?? TWENTY_RATE_LIMIT),
    // Twenty's error body (messages, unique violations, the spent quota, the 429's wait), for every call
    // through this client, `http` included.
    mapError: mapTwentyError,
  });
  const context = { http, batchSize: batchSize ?? 60 };
  return {
    people: createRecordResource(context, PEOPLE, { record: personSchema, input: personInputSchema }),
    companies: createRecordResource(context, COMPANIES, { record: companySchema, input: companyInputSchema }),
    metadata: createMetadataResource(http),
    http,
  };
}

// The key's text for validation only; a value that is neither a string nor a Secret fails the schema by type.
function apiKeyText(apiKey: unknown): unknown {
  if (typeof apiKey === 'string') return apiKey;
  try {
    return revealSecret(apiKey as Secret);
  } catch {
    return undefined;
  }
}

/**
 * The instance root: users paste `https://host/`, `https://host/rest` or `https://host/rest/`, often with
 * surrounding whitespace. Trimmed first: a trailing space would hide `/rest` from the strip, and the client
 * (which trims too) would then call `/rest/rest/…`.
 */
export function twentyRoot(baseUrl: string): string {
  return baseUrl
    .trim()
    .replace(/\/+$/, '')
    .replace(/\/rest$/, '');
}
