// Webhook subscriptions of a division (`webhooks/WebhookSubscriptions`; properties as picqer's
// WebhookSubscription.php mirrors Exact's reference page). One subscription per topic and callback URL; deliveries
// carry keys only (see webhook.ts).
import { type ApiResult, err, invalidInput, ok } from '@patchbay/core';
import * as z from 'zod/mini';
import type { ExactClient } from './client.ts';
import { isDivision } from './division.ts';
import { exactDateTime, exactGuid } from './odata.ts';
import { type ExactContext, queryOf, readPages } from './resource.ts';
import { createWrites, type ExactWriteOptions } from './writes.ts';

/** A webhook subscription as Exact answers it. */
export const exactWebhookSubscriptionSchema = z.looseObject({
  ID: exactGuid,
  CallbackURL: z.optional(z.nullable(z.string())),
  ClientID: z.optional(exactGuid),
  Created: z.optional(exactDateTime),
  Creator: z.optional(exactGuid),
  CreatorFullName: z.optional(z.nullable(z.string())),
  Description: z.optional(z.nullable(z.string())),
  Division: z.optional(z.nullable(z.int())),
  /** The entity topic: `Accounts`, `Contacts`, `SalesInvoices`, `Items`, `GLAccounts`, `FinancialTransactions`… */
  Topic: z.optional(z.nullable(z.string())),
});
/** A webhook subscription. */
export type ExactWebhookSubscription = z.output<typeof exactWebhookSubscriptionSchema>;

/** Input of {@link subscribeExactWebhook}. */
export interface ExactWebhookSubscribeInput {
  /** The entity topic, e.g. `Accounts` (Exact's webhook topics are entity names). */
  topic: string;
  /** Where Exact POSTs deliveries: an absolute http(s) URL (Exact requires https in production). */
  callbackUrl: string;
  description?: string;
}

const subscribeSchema = z.pipe(
  z.object({
    topic: z.string().check(z.regex(/^[A-Za-z]{1,100}$/, 'must be an entity topic such as Accounts')),
    callbackUrl: z.string().check(
      z.maxLength(2_000, 'must be at most 2 000 characters'),
      z.refine(
        (value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol),
        'must be an absolute http(s) URL',
      ),
    ),
    description: z.optional(z.string().check(z.maxLength(255, 'must be at most 255 characters'))),
  }),
  z.transform(({ topic, callbackUrl, description }) => ({
    Topic: topic,
    CallbackURL: callbackUrl,
    ...(description === undefined ? {} : { Description: description }),
  })),
);

const SELECT = [
  'ID',
  'CallbackURL',
  'ClientID',
  'Created',
  'Creator',
  'CreatorFullName',
  'Description',
  'Division',
  'Topic',
];

/** Options of the subscription calls. */
export interface ExactWebhookCallOptions {
  /** The division; default the client's. */
  division?: number;
  signal?: AbortSignal;
}

// The calls are functions of the client, not its methods: an app that never subscribes does not bundle them.
type SubscriptionClient = Pick<ExactClient, 'baseUrl' | 'division' | 'http' | 'errorBudget'>;

function contextOf(client: SubscriptionClient, options: unknown): ExactContext {
  let division: unknown;
  try {
    division = (options as { division?: unknown } | undefined)?.division;
  } catch {
    division = Number.NaN;
  }
  return {
    baseUrl: client.baseUrl,
    division: () =>
      division === undefined
        ? client.division()
        : Promise.resolve(
            isDivision(division)
              ? { success: true as const, data: division }
              : err(invalidInput('options.division', 'must be a whole number ≥ 1')),
          ),
    http: (number) => client.http(number),
    budget: client.errorBudget,
  };
}

const writesOf = (client: SubscriptionClient, options: unknown) =>
  createWrites<ExactWebhookSubscription & { ID: string }, unknown, never>(contextOf(client, options), {
    path: 'webhooks/WebhookSubscriptions',
    key: 'ID',
    record: exactWebhookSubscriptionSchema as z.ZodMiniType<ExactWebhookSubscription & { ID: string }>,
    create: subscribeSchema,
    changes: z.never(),
  });

const signalOnly = (options: unknown) => {
  try {
    const signal = (options as { signal?: unknown } | undefined)?.signal;
    return signal === undefined ? undefined : { signal };
  } catch {
    return { signal: Number.NaN };
  }
};

/**
 * Subscribes `callbackUrl` to a topic (`POST webhooks/WebhookSubscriptions`), in the client's division unless
 * `options.division` names another. Not retried after a 5xx or timeout (a POST).
 * @example await subscribeExactWebhook(exact, { topic: 'Accounts', callbackUrl: 'https://example.com/hooks/exact' });
 */
export function subscribeExactWebhook(
  client: SubscriptionClient,
  input: ExactWebhookSubscribeInput,
  options?: ExactWebhookCallOptions,
): Promise<ApiResult<ExactWebhookSubscription & { ID: string }>> {
  return writesOf(client, options).create(input, signalOnly(options) as ExactWriteOptions);
}

/** The subscriptions of the client's division (or `options.division`), every page read. */
export async function listExactWebhooks(
  client: SubscriptionClient,
  options?: ExactWebhookCallOptions,
): Promise<ApiResult<ExactWebhookSubscription[]>> {
  const query = queryOf(signalOnly(options), SELECT);
  if (!query.success) return query;
  const all: ExactWebhookSubscription[] = [];
  for await (const page of readPages(
    contextOf(client, options),
    'webhooks/WebhookSubscriptions',
    exactWebhookSubscriptionSchema,
    query.data,
  )) {
    if (!page.success) return err(page.error);
    all.push(...page.data);
  }
  return ok(all);
}

/** Ends a subscription by its ID (answered 204 No Content). */
export function deleteExactWebhook(
  client: SubscriptionClient,
  id: string,
  options?: ExactWebhookCallOptions,
): Promise<ApiResult<void>> {
  return writesOf(client, options).delete(id, signalOnly(options) as ExactWriteOptions);
}
