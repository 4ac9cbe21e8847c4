// Webhooks: subscriptions through `webhooks/WebhookSubscriptions` (properties from Exact's reference page as picqer's
// `WebhookSubscription.php` mirrors it: `ID`, `CallbackURL`, `ClientID`, `Created`, `Creator`, `CreatorFullName`,
// `Description`, `Division`, `Topic`; topics such as `Accounts`, `Contacts`, `Items`, `SalesInvoices`, `GLAccounts`,
// `FinancialTransactions`), and deliveries `{"Content":{…},"HashCode":"…"}`, where HashCode is the upper-case hex
// HMAC-SHA256 of the raw `Content` text with the app's webhook secret: picqer's `Webhook/Authenticatable.php` matches
// the body with `/^{"Content":(.*),"HashCode":"(.*)"}$/` and compares `strtoupper(hash_hmac('sha256', $content,
// $secret))`, so the body is written in exactly that order with no spaces. Content carries keys only: `Topic`,
// `ClientId`, `Division`, `Action` (Create, Update, Delete), `Key`, `ExactOnlineEndpoint`, `EventCreatedOn` (wire
// notes). Guesses: `EventCreatedOn` as Dutch wall-clock ISO text without a zone, `ExactOnlineEndpoint` as the
// record's REST URL, the 400 for an unknown topic or a callback that is not an absolute http(s) URL, and that Exact
// sends no validation request on subscribe (it may).

import { createHmac } from 'node:crypto';
import { EXACT_ENTITIES } from './entities.ts';
import { badRequest } from './errors.ts';
import type { StoreChange } from './store.ts';
import { amsterdamWallClock, exactDate, guidFrom } from './values.ts';

/** Topics a subscription may name. */
export const EXACT_WEBHOOK_TOPICS: readonly string[] = [...EXACT_ENTITIES.values()]
  .map((def) => def.topic)
  .filter((topic): topic is string => topic !== undefined);

/** A stored subscription, as the API answers it. */
export interface ExactWebhookSubscription {
  ID: string;
  CallbackURL: string;
  ClientID: string;
  Created: string;
  Creator: string;
  CreatorFullName: string;
  Description: string | null;
  Division: number;
  Topic: string;
}

/** The keys-only content of a delivery. */
export interface ExactWebhookContent {
  Topic: string;
  ClientId: string;
  Division: number;
  Action: 'Create' | 'Update' | 'Delete';
  Key: string;
  ExactOnlineEndpoint: string;
  EventCreatedOn: string;
}

/** One delivery: where it went, its raw body, and its content parsed back. */
export interface ExactWebhookDelivery {
  url: string;
  body: string;
  content: ExactWebhookContent;
  hashCode: string;
  /** The callback's status, when delivered by fetch; `'failed'` when fetch threw. */
  status?: number | 'failed';
}

/**
 * The upper-case hex HMAC-SHA256 of a delivery's raw `Content` JSON text, as Exact signs it.
 * @example signExactWebhook('{"Topic":"Accounts",…}', secret) === body.HashCode
 */
export function signExactWebhook(contentText: string, secret: string): string {
  return createHmac('sha256', secret).update(contentText).digest('hex').toUpperCase();
}

/** Options of {@link createExactWebhooks}. */
export interface ExactWebhooksOptions {
  clientId: string;
  secret: string;
  userId: string;
  userName: string;
  baseUrl: string;
  now: () => number;
  random: () => number;
  deliver: 'record' | 'fetch';
  fetch?: typeof fetch;
}

/** Subscriptions and deliveries. */
export interface ExactWebhooks {
  subscribe(division: number, body: Record<string, unknown>): ExactWebhookSubscription;
  list(division: number): ExactWebhookSubscription[];
  get(division: number, id: string): ExactWebhookSubscription | undefined;
  remove(division: number, id: string): boolean;
  /** Announces a write to the subscriptions of its topic. */
  announce(change: StoreChange): void;
  deliveries(): ExactWebhookDelivery[];
  /** Resolves once every fetch delivery started so far has ended. */
  settled(): Promise<void>;
  clear(): void;
}

/** Creates an empty webhook registry. */
export function createExactWebhooks(options: ExactWebhooksOptions): ExactWebhooks {
  let subscriptions: ExactWebhookSubscription[] = [];
  let deliveries: ExactWebhookDelivery[] = [];
  let pending: Promise<unknown>[] = [];

  function send(url: string, content: ExactWebhookContent): void {
    const text = JSON.stringify(content);
    const hashCode = signExactWebhook(text, options.secret);
    const delivery: ExactWebhookDelivery = {
      url,
      body: `{"Content":${text},"HashCode":"${hashCode}"}`,
      content,
      hashCode,
    };
    deliveries.push(delivery);
    if (options.deliver !== 'fetch') return;
    const fetchFn = options.fetch ?? fetch;
    pending.push(
      Promise.resolve()
        .then(() =>
          fetchFn(url, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: delivery.body,
          }),
        )
        .then(
          async (response) => {
            delivery.status = response.status;
            await response.body?.cancel();
          },
          () => {
            delivery.status = 'failed';
          },
        ),
    );
  }

  return {
    subscribe(division, body) {
      const url = body.CallbackURL;
      const topic = body.Topic;
      if (typeof url !== 'string' || !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
        throw badRequest('CallbackURL: an absolute http(s) URL is required');
      }
      if (typeof topic !== 'string' || !EXACT_WEBHOOK_TOPICS.includes(topic)) {
        throw badRequest(`Topic: unknown webhook topic, expected one of ${EXACT_WEBHOOK_TOPICS.join(', ')}`);
      }
      const subscription: ExactWebhookSubscription = {
        ID: guidFrom(options.random),
        CallbackURL: url,
        ClientID: options.clientId,
        Created: exactDate(options.now()),
        Creator: options.userId,
        CreatorFullName: options.userName,
        Description: typeof body.Description === 'string' ? body.Description : null,
        Division: division,
        Topic: topic,
      };
      subscriptions.push(subscription);
      return subscription;
    },
    list: (division) => subscriptions.filter((s) => s.Division === division),
    get: (division, id) => subscriptions.find((s) => s.Division === division && s.ID === id.toLowerCase()),
    remove(division, id) {
      const before = subscriptions.length;
      subscriptions = subscriptions.filter((s) => !(s.Division === division && s.ID === id.toLowerCase()));
      return subscriptions.length < before;
    },
    announce(change) {
      const topic = change.entity.topic;
      if (!topic) return;
      const wall = new Date(amsterdamWallClock(options.now())).toISOString().replace('Z', '');
      for (const subscription of subscriptions) {
        if (subscription.Division !== change.division || subscription.Topic !== topic) continue;
        send(subscription.CallbackURL, {
          Topic: topic,
          ClientId: options.clientId,
          Division: change.division,
          Action: change.action,
          Key: change.key,
          ExactOnlineEndpoint: `${options.baseUrl}/api/v1/${change.division}/${change.entity.path}(guid'${change.key}')`,
          EventCreatedOn: wall,
        });
      }
    },
    deliveries: () => [...deliveries],
    async settled() {
      while (pending.length > 0) {
        const batch = pending;
        pending = [];
        await Promise.all(batch);
      }
    },
    clear() {
      subscriptions = [];
      deliveries = [];
    },
  };
}
