import {
  type AccessTokenSource,
  type ApiResult,
  createHttpClient,
  type ErrorMapper,
  err,
  type HttpClient,
  type HttpClientOptions,
  IntegrationError,
  invalidInput,
  optionsObject,
  parseOptions,
  type RateLimiter,
  type RetryOptions,
  revealSecret,
  type Secret,
} from '@patchbay/core';
import type { OAuth2RefreshLock } from '@patchbay/core/oauth';
import * as z from 'zod/mini';
import { isDivision, readCurrentDivision } from './division.ts';
import {
  createExactErrorBudget,
  type ExactErrorBudget,
  type ExactErrorBudgetOptions,
  errorBudgetMapping,
} from './error-budget.ts';
import { mapExactError } from './exact-errors.ts';
import { type ExactFilter, exactFilter } from './filter.ts';
import { createExactTokenSource, type ExactOAuthOptions } from './oauth.ts';
import { isGuid } from './odata.ts';
import { createExactRateLimiter, type ExactRateLimitOptions } from './rate-limit.ts';
import {
  DEFAULT_SELECT,
  type ExactAccount,
  type ExactAccountField,
  type ExactContact,
  type ExactContactField,
  type ExactCostCenter,
  type ExactCostCenterField,
  type ExactDivision,
  type ExactGLAccount,
  type ExactGLAccountField,
  type ExactItem,
  type ExactItemField,
  type ExactSalesInvoice,
  type ExactSalesInvoiceField,
  type ExactSalesInvoiceLine,
  type ExactSalesInvoiceLineField,
  type ExactTransactionLine,
  type ExactTransactionLineField,
  exactAccountSchema,
  exactContactSchema,
  exactCostCenterSchema,
  exactDivisionSchema,
  exactGLAccountSchema,
  exactItemSchema,
  exactSalesInvoiceLineSchema,
  exactSalesInvoiceSchema,
  exactTransactionLineSchema,
} from './records.ts';
import { EXACT_REGIONS, type ExactRegion, exactBaseUrl } from './regions.ts';
import {
  createResource,
  createSyncRead,
  type ExactContext,
  type ExactListOptions,
  type ExactResource,
  type ExactResourceDefinition,
  type ExactSyncResource,
  queryOf,
  readPages,
} from './resource.ts';
import {
  type ExactAccountChanges,
  type ExactAccountCreate,
  type ExactContactChanges,
  type ExactContactCreate,
  type ExactSalesInvoiceCreate,
  exactAccountChangesSchema,
  exactAccountCreateSchema,
  exactContactChangesSchema,
  exactContactCreateSchema,
  exactSalesInvoiceCreateSchema,
} from './write-inputs.ts';
import {
  createWrites,
  type ExactCreatedSalesInvoice,
  type ExactWritable,
  exactCreatedSalesInvoiceSchema,
} from './writes.ts';

/** Options of {@link createExactClient}. */
export interface ExactClientOptions
  extends Omit<HttpClientOptions, 'baseUrl' | 'auth' | 'retry' | 'idempotency' | 'rateLimiter' | 'mapError'> {
  /** The country site of the connection (`https://start.exactonline.{region}`). Default `nl`. */
  region?: ExactRegion;
  /** Another host for the API and token endpoint (an emulator); default the region's site. */
  baseUrl?: string;
  /** The app's OAuth2 client and the connection's token store, or a token source of your own. */
  oauth: ExactOAuthOptions | AccessTokenSource;
  /**
   * Where the refresh lock lives: an IntegrationStore (`store.syncState` is the lock), shared by every process using
   * the connection. Required with `oauth` options, so that two processes never spend one refresh token.
   */
  store?: { syncState: OAuth2RefreshLock };
  /** The division calls go to. Default the user's current division (`current/Me`, read once). */
  division?: number;
  /** Retries after the first attempt. Default 3. Ignored when `retry` is given. */
  maxRetries?: number;
  /** Full retry policy (see @patchbay/core); `false` for none. */
  retry?: RetryOptions | false;
  /** The per-division limiter's options (60 a minute, Exact's headers), or `false` for none. */
  rateLimit?: ExactRateLimitOptions | false;
  /** The hourly error budget per endpoint: its options, one shared between clients, or `false` to keep none. */
  errorBudget?: ExactErrorBudgetOptions | ExactErrorBudget | false;
  /**
   * Clock in epoch ms of the token set's expiry and the refresh window (and of the error budget unless its own `now`
   * is given). Every process sharing the connection must use the same clock. Default `Date.now`.
   */
  clock?: () => number;
}

/** The calls of one division. */
export interface ExactDivisionClient {
  /** The division these calls go to (resolved from `current/Me` when the client was given none). */
  division(): Promise<ApiResult<number>>;
  /** Accounts (`crm/Accounts`, bulk `bulk/CRM/Accounts`). */
  accounts: ExactResource<ExactAccount, ExactAccountField> &
    ExactSyncResource<ExactAccount, ExactAccountField> &
    ExactWritable<ExactAccount & { ID: string }, ExactAccountCreate, ExactAccountChanges>;
  /** Contacts (`crm/Contacts`, bulk `bulk/CRM/Contacts`). */
  contacts: ExactResource<ExactContact, ExactContactField> &
    ExactSyncResource<ExactContact, ExactContactField> &
    ExactWritable<ExactContact & { ID: string }, ExactContactCreate, ExactContactChanges>;
  /** Sales invoices (`salesinvoice/SalesInvoices`, key `InvoiceID`); `lines(invoiceId)` reads an invoice's lines. */
  salesInvoices: ExactResource<ExactSalesInvoice, ExactSalesInvoiceField> &
    ExactSyncResource<ExactSalesInvoice, ExactSalesInvoiceField> &
    Pick<ExactWritable<ExactCreatedSalesInvoice, ExactSalesInvoiceCreate, never>, 'create' | 'delete'> & {
      lines(
        invoiceId: string,
        options?: ExactListOptions<ExactSalesInvoiceLineField>,
      ): AsyncIterable<ApiResult<ExactSalesInvoiceLine[]>>;
    };
  /** Sales invoice lines of every invoice (`salesinvoice/SalesInvoiceLines`, bulk `bulk/SalesInvoice/SalesInvoiceLines`). */
  salesInvoiceLines: ExactResource<ExactSalesInvoiceLine, ExactSalesInvoiceLineField>;
  /** Items (`logistics/Items`, bulk `bulk/Logistics/Items`). */
  items: ExactResource<ExactItem, ExactItemField> & ExactSyncResource<ExactItem, ExactItemField>;
  /** GL accounts (`financial/GLAccounts`, bulk `bulk/Financial/GLAccounts`). */
  glAccounts: ExactResource<ExactGLAccount, ExactGLAccountField> &
    ExactSyncResource<ExactGLAccount, ExactGLAccountField>;
  /** Cost centres (`hrm/CostCenters`; Exact has no bulk endpoint for them). */
  costCenters: Omit<ExactResource<ExactCostCenter, ExactCostCenterField>, 'bulk'>;
  /** Financial transaction lines (`financialtransaction/TransactionLines`, bulk `bulk/Financial/TransactionLines`). */
  transactionLines: ExactResource<ExactTransactionLine, ExactTransactionLineField> &
    ExactSyncResource<ExactTransactionLine, ExactTransactionLineField>;
  /** The divisions of the user's licence (`system/Divisions`, read through this division). */
  divisions(options?: Pick<ExactListOptions, 'signal'>): AsyncIterable<ApiResult<ExactDivision[]>>;
}

/** An Exact Online client. Every call returns an ApiResult; nothing rejects. */
export interface ExactClient extends ExactDivisionClient {
  readonly region: ExactRegion;
  readonly baseUrl: string;
  /** The same calls in another division (a bad number makes every call answer `VALIDATION_ERROR`). */
  inDivision(division: number): ExactDivisionClient;
  /** The HTTP client of a division (its own rate limiter), for endpoints this package does not wrap. */
  http(division: number): HttpClient;
  /** The error budget this client keeps (undefined with `errorBudget: false`). */
  readonly errorBudget: ExactErrorBudget | undefined;
}

// Where each entity set lives under `/api/v1/{division}/`: REST, bulk and sync paths (Exact's reference pages, as
// picqer/exact-php-client's Bulk* and Sync* classes name them).
const accountsDefinition = {
  path: 'crm/Accounts',
  bulkPath: 'bulk/CRM/Accounts',
  syncPath: 'sync/CRM/Accounts',
  schema: exactAccountSchema,
  fields: DEFAULT_SELECT.accounts,
};
const contactsDefinition = {
  path: 'crm/Contacts',
  bulkPath: 'bulk/CRM/Contacts',
  syncPath: 'sync/CRM/Contacts',
  schema: exactContactSchema,
  fields: DEFAULT_SELECT.contacts,
};
const salesInvoicesDefinition = {
  path: 'salesinvoice/SalesInvoices',
  bulkPath: 'bulk/SalesInvoice/SalesInvoices',
  syncPath: 'sync/SalesInvoice/SalesInvoices',
  schema: exactSalesInvoiceSchema,
  fields: DEFAULT_SELECT.salesInvoices,
  key: 'InvoiceID',
};
const itemsDefinition = {
  path: 'logistics/Items',
  bulkPath: 'bulk/Logistics/Items',
  syncPath: 'sync/Logistics/Items',
  schema: exactItemSchema,
  fields: DEFAULT_SELECT.items,
};
const glAccountsDefinition = {
  path: 'financial/GLAccounts',
  bulkPath: 'bulk/Financial/GLAccounts',
  syncPath: 'sync/Financial/GLAccounts',
  schema: exactGLAccountSchema,
  fields: DEFAULT_SELECT.glAccounts,
};
const transactionLinesDefinition = {
  path: 'financialtransaction/TransactionLines',
  bulkPath: 'bulk/Financial/TransactionLines',
  syncPath: 'sync/Financial/TransactionLines',
  schema: exactTransactionLineSchema,
  fields: DEFAULT_SELECT.transactionLines,
};

const label = 'Exact Online client options';

const hasMethods = (value: unknown, names: readonly string[]) => {
  try {
    return (
      (typeof value === 'object' || typeof value === 'function') &&
      value !== null &&
      names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function')
    );
  } catch {
    return false;
  }
};
const isTokenSource = (value: unknown): value is AccessTokenSource => hasMethods(value, ['getAccessToken']);
const isBudget = (value: unknown): value is ExactErrorBudget => hasMethods(value, ['check', 'wrap', 'state']);
const isPlainObject = (value: unknown) => {
  try {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
};

const oauthSchema = z.object({
  clientId: z
    .string({ error: 'must be a string' })
    .check(z.regex(/^[\x21-\x7e]{1,200}$/, 'must be 1 to 200 printable characters without spaces')),
  clientSecret: z.custom<string | Secret>((value) => secretText(value) !== undefined, {
    error: 'must be a non-empty string or Secret',
  }),
  tokens: z.custom((value) => hasMethods(value, ['read', 'write']), {
    error: 'must be an OAuth2TokenStore (read and write)',
  }),
  connection: z.optional(
    z
      .string({ error: 'must be a string' })
      .check(z.regex(/^[\x21-\x7e][\x20-\x7e]{0,199}$/, 'must be 1 to 200 printable ASCII characters')),
  ),
  maxTokenCallsPerDay: z.optional(
    z.int({ error: 'must be a whole number' }).check(z.minimum(1, 'must be ≥ 1'), z.maximum(10_000)),
  ),
  refreshMarginMs: z.optional(
    z
      .int({ error: 'must be a whole number' })
      .check(z.minimum(0, 'must be ≥ 0'), z.maximum(25_000, 'must be ≤ 25000')),
  ),
});

const optionsSchema = z.object({
  region: z.enum(EXACT_REGIONS, { error: `must be one of ${EXACT_REGIONS.join(', ')}` }),
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }),
  division: z.optional(
    z.custom<number>(isDivision, { error: 'must be a division number (a whole number ≥ 1)' }),
  ),
  store: z.optional(
    z.custom(
      (value) => {
        try {
          return hasMethods((value as { syncState?: unknown }).syncState, ['acquireLease', 'releaseLease']);
        } catch {
          return false;
        }
      },
      { error: 'must be an IntegrationStore (its syncState is the refresh lock)' },
    ),
  ),
  maxRetries: z.optional(z.int().check(z.minimum(0), z.maximum(20))),
  // Checked here as well as by core: the token endpoint's calls and the error budget's wrapper use it first.
  fetch: z.optional(z.custom((value) => typeof value === 'function', { error: 'must be a function' })),
  clock: z.optional(z.custom((value) => typeof value === 'function', { error: 'must be a function' })),
  rateLimit: z.optional(
    z.custom((value) => value === false || isPlainObject(value), {
      error: 'must be rate-limit options or false',
    }),
  ),
  errorBudget: z.optional(
    z.custom(
      (value) => {
        if (value === false || isBudget(value)) return true;
        if (!isPlainObject(value)) return false;
        try {
          const { maxErrorsPerHour, now, store, keyPrefix } = value as ExactErrorBudgetOptions;
          return (
            (maxErrorsPerHour === undefined ||
              (Number.isSafeInteger(maxErrorsPerHour) && maxErrorsPerHour >= 1 && maxErrorsPerHour <= 10)) &&
            (now === undefined || typeof now === 'function') &&
            (store === undefined || hasMethods(store, ['record', 'read', 'reset'])) &&
            (keyPrefix === undefined || (typeof keyPrefix === 'string' && keyPrefix.length > 0))
          );
        } catch {
          return false;
        }
      },
      { error: 'must be { maxErrorsPerHour: 1 to 10, store?, keyPrefix? }, a budget or false' },
    ),
  ),
});

/**
 * Creates an Exact Online client on core's HTTP client: OAuth2 with Exact's rules (600-second tokens refreshed in
 * their last 30 s, single-use refresh tokens stored before use under a lock shared by every process, 200 token
 * calls a day), the division on every path, OData pages and bulk reads typed with zod, Exact's error bodies,
 * 60-a-minute and 5 000-a-day limits per division from its headers, and an hourly error budget per endpoint.
 * @example
 * const exact = createExactClient({ region: 'nl', store, oauth: { clientId, clientSecret, tokens } });
 * for await (const page of exact.accounts.list({ filter: exactFilter.eq('Status', 'C') }))
 *   if (page.success) accounts.push(...page.data.map((account) => account.Code));
 * @throws IntegrationError `CONFIG_ERROR` naming the field (`region`, `oauth.clientId`, `store`…), never its value.
 */
export function createExactClient(options: ExactClientOptions): ExactClient {
  const {
    region = 'nl',
    baseUrl,
    oauth,
    store,
    division,
    maxRetries,
    retry,
    rateLimit: rateLimitGiven,
    errorBudget: errorBudgetGiven,
    clock,
    ...rest
  } = optionsObject(options, { label }) as unknown as ExactClientOptions;
  // Option objects read once into plain copies: a getter or Proxy trap that throws is a CONFIG_ERROR naming it.
  const rateLimit = plainCopy(rateLimitGiven, 'rateLimit');
  const errorBudget = isBudget(errorBudgetGiven)
    ? errorBudgetGiven
    : plainCopy(errorBudgetGiven, 'errorBudget');
  const regionOk = (EXACT_REGIONS as readonly unknown[]).includes(region);
  const given = baseUrl ?? (regionOk ? exactBaseUrl(region) : undefined);
  const base = typeof given === 'string' ? given.trim().replace(/\/+$/, '') : given;
  const parsed = parseOptions(
    optionsSchema,
    { region, baseUrl: base, division, store, maxRetries, fetch: rest.fetch, rateLimit, errorBudget, clock },
    { label },
  );
  const site = parsed.baseUrl;
  const source = isTokenSource(oauth) ? oauth : undefined;
  let tokens: AccessTokenSource;
  if (source) {
    tokens = source;
  } else {
    const oauthOptions = parseOptions(oauthSchema, oauth, { label, prefix: 'oauth.' }) as ExactOAuthOptions;
    if (store === undefined) {
      throw new IntegrationError(
        'CONFIG_ERROR',
        `Invalid ${label}: store: is required with oauth options (its syncState is the refresh lock every process shares; refresh tokens are single-use)`,
        {
          field: 'store',
          issues: [{ field: 'store', message: 'is required with oauth options' }],
          retryable: false,
        },
      );
    }
    tokens = createExactTokenSource({
      tokenUrl: `${site}/api/oauth2/token`,
      oauth: oauthOptions,
      lock: store.syncState,
      ...(rest.fetch ? { fetch: rest.fetch } : {}),
      ...(rest.logger ? { logger: rest.logger } : {}),
      ...(clock ? { now: clock } : {}),
    });
  }

  const budgetClock = isPlainObject(errorBudget) ? (errorBudget as ExactErrorBudgetOptions).now : undefined;
  const now = budgetClock ?? clock ?? (() => Date.now());
  const budget =
    errorBudget === false
      ? undefined
      : isBudget(errorBudget)
        ? errorBudget
        : createExactErrorBudget({ ...(errorBudget ?? {}), now } as ExactErrorBudgetOptions);
  const limiterOptions = rateLimit === false ? undefined : ((rateLimit ?? {}) as ExactRateLimitOptions);
  const fetchBase =
    rest.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const mapError: ErrorMapper = (response) => {
    const spent = errorBudgetMapping(response, now());
    const mapped = mapExactError(response);
    return spent ? { ...mapped, ...spent } : mapped;
  };
  const common = {
    ...rest,
    baseUrl: site,
    auth: { type: 'oauth2' as const, tokens },
    retry: retry ?? { retries: maxRetries ?? 3 },
    // Exact ignores idempotency keys: creates are resent only after a 429 (core's unprocessed statuses).
    idempotency: false as const,
    fetch: budget ? budget.wrap(fetchBase) : fetchBase,
    mapError,
  };
  const keyPrefix = limiterOptions?.key ?? 'exact-online';
  // One limiter built now, so a bad rateLimit option is a CONFIG_ERROR here, not on the first call.
  if (limiterOptions) createExactRateLimiter({ ...limiterOptions, key: keyPrefix });
  const meHttp = createHttpClient({ ...common });
  const clients = new Map<number, HttpClient>();
  const httpFor = (number: number): HttpClient => {
    let client = clients.get(number);
    if (client === undefined) {
      const limiter: RateLimiter | undefined = limiterOptions
        ? createExactRateLimiter({ ...limiterOptions, key: `${keyPrefix}:${number}` })
        : undefined;
      client = createHttpClient({ ...common, ...(limiter ? { rateLimiter: limiter } : {}) });
      clients.set(number, client);
    }
    return client;
  };

  // The default division: the one given, or the current one read once (a failure is not kept: the next call asks again).
  let current: Promise<ApiResult<number>> | undefined;
  const defaultDivision = (): Promise<ApiResult<number>> => {
    if (parsed.division !== undefined) return Promise.resolve({ success: true, data: parsed.division });
    if (current === undefined) {
      const reading = readCurrentDivision(meHttp);
      current = reading;
      void reading.then((result) => {
        if (!result.success && current === reading) current = undefined;
      });
    }
    return current;
  };

  const scoped = (division: () => Promise<ApiResult<number>>): ExactDivisionClient => {
    const context: ExactContext = { baseUrl: site, division, http: httpFor, budget };
    const salesInvoiceLines = createResource<typeof exactSalesInvoiceLineSchema, ExactSalesInvoiceLineField>(
      context,
      {
        path: 'salesinvoice/SalesInvoiceLines',
        bulkPath: 'bulk/SalesInvoice/SalesInvoiceLines',
        schema: exactSalesInvoiceLineSchema,
        fields: DEFAULT_SELECT.salesInvoiceLines,
      },
    );
    const { bulk: _noBulk, ...costCenters } = createResource<
      typeof exactCostCenterSchema,
      ExactCostCenterField
    >(context, {
      path: 'hrm/CostCenters',
      schema: exactCostCenterSchema,
      fields: DEFAULT_SELECT.costCenters,
    });
    // An entity set with Exact's sync API: its REST and bulk reads and its sync read.
    const syncable = <
      S extends ExactResourceDefinition<z.ZodMiniType> & { syncPath: string },
      F extends string,
    >(
      definition: S,
    ) => ({
      ...createResource<S['schema'], F>(context, definition),
      ...createSyncRead<S['schema'], F>(context, definition),
    });
    // Writes (writes.ts): a POST is resent only after a 429, never after a 5xx or a timeout.
    const writable = <T, C, U>(
      path: string,
      record: z.ZodMiniType<T>,
      create: z.ZodMiniType,
      changes: z.ZodMiniType,
      key = 'ID',
    ) => createWrites<T, C, U>(context, { path, key, record, create, changes });
    const invoiceWrites = writable<ExactCreatedSalesInvoice, ExactSalesInvoiceCreate, never>(
      salesInvoicesDefinition.path,
      exactCreatedSalesInvoiceSchema as z.ZodMiniType<ExactCreatedSalesInvoice>,
      exactSalesInvoiceCreateSchema,
      z.never(),
      'InvoiceID',
    );
    return {
      division,
      accounts: {
        ...syncable<typeof accountsDefinition, ExactAccountField>(accountsDefinition),
        ...writable<ExactAccount & { ID: string }, ExactAccountCreate, ExactAccountChanges>(
          accountsDefinition.path,
          exactAccountSchema as z.ZodMiniType<ExactAccount & { ID: string }>,
          exactAccountCreateSchema,
          exactAccountChangesSchema,
        ),
      },
      contacts: {
        ...syncable<typeof contactsDefinition, ExactContactField>(contactsDefinition),
        ...writable<ExactContact & { ID: string }, ExactContactCreate, ExactContactChanges>(
          contactsDefinition.path,
          exactContactSchema as z.ZodMiniType<ExactContact & { ID: string }>,
          exactContactCreateSchema,
          exactContactChangesSchema,
        ),
      },
      salesInvoices: {
        ...syncable<typeof salesInvoicesDefinition, ExactSalesInvoiceField>(salesInvoicesDefinition),
        create: invoiceWrites.create,
        delete: invoiceWrites.delete,
        // Exact has no $expand: an invoice's lines are the line set filtered on its InvoiceID.
        async *lines(invoiceId, lineOptions) {
          if (!isGuid(invoiceId)) {
            yield err(invalidInput('invoiceId', 'must be a GUID'));
            return;
          }
          const own = exactFilter.eq('InvoiceID', exactFilter.guid(invoiceId));
          let given: unknown;
          try {
            given = (lineOptions as { filter?: unknown } | undefined)?.filter;
          } catch {
            yield err(invalidInput('options', 'could not be read'));
            return;
          }
          let options: ExactListOptions<ExactSalesInvoiceLineField>;
          try {
            options = {
              ...(lineOptions ?? {}),
              filter: given === undefined ? own : exactFilter.and(own, given as ExactFilter),
            };
          } catch {
            yield err(invalidInput('options', 'could not be read'));
            return;
          }
          yield* salesInvoiceLines.list(options);
        },
      },
      salesInvoiceLines,
      items: syncable<typeof itemsDefinition, ExactItemField>(itemsDefinition),
      glAccounts: syncable<typeof glAccountsDefinition, ExactGLAccountField>(glAccountsDefinition),
      costCenters,
      transactionLines: syncable<typeof transactionLinesDefinition, ExactTransactionLineField>(
        transactionLinesDefinition,
      ),
      async *divisions(listOptions) {
        const query = queryOf(listOptions, DEFAULT_SELECT.divisions);
        if (!query.success) {
          yield query;
          return;
        }
        yield* readPages(context, 'system/Divisions', exactDivisionSchema, query.data);
      },
    };
  };

  const main = scoped(defaultDivision);
  return {
    ...main,
    region: parsed.region,
    baseUrl: site,
    inDivision: (number) =>
      scoped(() =>
        Promise.resolve(
          isDivision(number)
            ? { success: true as const, data: number }
            : err(
                new IntegrationError(
                  'VALIDATION_ERROR',
                  'Invalid input: division: must be a whole number ≥ 1',
                  {
                    field: 'division',
                    issues: [{ field: 'division', message: 'must be a whole number ≥ 1' }],
                    retryable: false,
                  },
                ),
              ),
        ),
      ),
    http: httpFor,
    errorBudget: budget,
  };
}

// A plain copy of an options object (false and undefined as they are), or a CONFIG_ERROR naming the field.
function plainCopy<T>(value: T, field: string): T {
  if (value === undefined || value === false || !isPlainObject(value)) return value;
  try {
    return { ...(value as object) } as T;
  } catch {
    throw new IntegrationError('CONFIG_ERROR', `Invalid ${label}: ${field}: could not be read`, {
      field,
      issues: [{ field, message: 'could not be read' }],
      retryable: false,
    });
  }
}

function secretText(value: unknown): string | undefined {
  try {
    const text = typeof value === 'string' ? value : revealSecret(value as Secret);
    return typeof text === 'string' && text.length > 0 ? text : undefined;
  } catch {
    return undefined;
  }
}
