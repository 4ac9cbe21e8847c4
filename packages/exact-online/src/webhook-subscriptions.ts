// Webhook subscriptions of a division (`webhooks/WebhookSubscriptions`; properties as picqer's
// WebhookSubscription.php mirrors Exact's reference page). One subscription per topic and callback URL; deliveries
// carry keys only (see webhook.ts).
import { type ApiResult, err, ok } from '@patchbay/core';
import * as z from 'zod/mini';
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

/** Input of `subscribeWebhook`. */
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

/** The webhook calls of a division. */
export interface ExactWebhookSubscriptions {
  /** Subscribes `callbackUrl` to a topic (`POST webhooks/WebhookSubscriptions`). Not retried after a 5xx or timeout. */
  subscribeWebhook(
    input: ExactWebhookSubscribeInput,
    options?: ExactWriteOptions,
  ): Promise<ApiResult<ExactWebhookSubscription & { ID: string }>>;
  /** The division's subscriptions (every page read). */
  listWebhooks(options?: ExactWriteOptions): Promise<ApiResult<ExactWebhookSubscription[]>>;
  /** Ends a subscription by its ID (answered 204 No Content). */
  deleteWebhook(id: string, options?: ExactWriteOptions): Promise<ApiResult<void>>;
}

/** Builds the webhook calls of a division. */
export function createWebhookSubscriptions(context: ExactContext): ExactWebhookSubscriptions {
  const writes = createWrites<ExactWebhookSubscription & { ID: string }, unknown, never>(context, {
    path: 'webhooks/WebhookSubscriptions',
    key: 'ID',
    record: exactWebhookSubscriptionSchema as z.ZodMiniType<ExactWebhookSubscription & { ID: string }>,
    create: subscribeSchema,
    changes: z.never(),
  });
  return {
    subscribeWebhook: (input, options) => writes.create(input, options),
    async listWebhooks(options) {
      const query = queryOf(options, SELECT);
      if (!query.success) return query;
      const all: ExactWebhookSubscription[] = [];
      for await (const page of readPages(
        context,
        'webhooks/WebhookSubscriptions',
        exactWebhookSubscriptionSchema,
        query.data,
      )) {
        if (!page.success) return err(page.error);
        all.push(...page.data);
      }
      return ok(all);
    },
    deleteWebhook: (id, options) => writes.delete(id, options),
  };
}
