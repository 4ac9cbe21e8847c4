// Webhooks: the v1 subscription routes' records and the v2 deliveries. A subscription is the `BaseWebhook` of the
// v1 spec (pipedrive/client-nodejs `src/versions/v1/models/base-webhook.ts`: `id`, `company_id`, `owner_id`,
// `user_id`, `event_action`, `event_object`, `subscription_url`, `version`, `is_active`, `add_time`, `type`,
// `http_auth_user`, `http_auth_password`, …), created from `add-webhook-request.ts` (`subscription_url`,
// `event_action` create|change|delete|*, `event_object` activity|deal|lead|note|organization|person|…|*, `name`,
// optional `http_auth_user`/`http_auth_password`, `version` '1.0'|'2.0'). At most 40 per user (wire notes). A v2
// delivery is `{ meta: { action, entity, entity_id (a string), id, correlation_id, change_source: app|api, attempt,
// timestamp, webhook_id, company_id, user_id, version: '2.0' }, data, previous }`, `previous` holding only the changed
// fields and `data: null` on delete (wire notes); HTTP basic auth when the subscription has a user (no signature).
// The 400 wording for a 41st webhook, and `is_active` as 1, are guesses.

import { badRequest } from './errors.ts';

/** An entity a webhook can name (the v1 spec's `event_object`, the ones this emulator writes). */
export type WebhookEntity = 'person' | 'organization' | 'deal' | 'activity' | 'note' | 'lead';

/** A stored subscription, as the v1 webhooks routes answer it. */
export interface PipedriveWebhook {
  id: number;
  company_id: number;
  owner_id: number;
  user_id: number;
  event_action: string;
  event_object: string;
  subscription_url: string;
  version: string;
  is_active: number;
  add_time: string;
  remove_time: null;
  type: 'general';
  http_auth_user: string | null;
  http_auth_password: string | null;
  remove_reason: null;
  last_delivery_time: string | null;
  last_http_status: number | null;
  admin_id: number;
  name: string;
}

/** A v2 webhook delivery. */
export interface WebhookDelivery {
  url: string;
  headers: Record<string, string>;
  body: {
    meta: {
      action: 'create' | 'change' | 'delete';
      entity: WebhookEntity;
      entity_id: string;
      id: string;
      correlation_id: string;
      change_source: 'api' | 'app';
      attempt: number;
      timestamp: string;
      webhook_id: string;
      company_id: string;
      user_id: string;
      version: '2.0';
    };
    data: Record<string, unknown> | null;
    previous: Record<string, unknown> | null;
  };
}

/** One change to announce. */
export interface ChangeEvent {
  action: 'create' | 'change' | 'delete';
  entity: WebhookEntity;
  entityId: number | string;
  source: 'api' | 'app';
  data: Record<string, unknown> | null;
  previous: Record<string, unknown> | null;
}

/** Most webhooks one user may hold (wire notes). */
export const MAX_WEBHOOKS_PER_USER = 40;

const ACTIONS = new Set(['create', 'change', 'delete', '*']);
const OBJECTS = new Set([
  'activity',
  'deal',
  'lead',
  'note',
  'organization',
  'person',
  'pipeline',
  'product',
  'stage',
  'user',
  '*',
]);

/** The webhooks of one company, and what they were sent. */
export interface WebhookRegistry {
  create(body: unknown, at: string): PipedriveWebhook;
  list(): PipedriveWebhook[];
  remove(id: number): boolean;
  /** Builds (and records, and with `deliver: 'fetch'` sends) the deliveries of one change. */
  announce(change: ChangeEvent, at: string): WebhookDelivery[];
  /** Every delivery built so far, oldest first. */
  deliveries(): WebhookDelivery[];
  clear(): void;
}

/** Options of {@link createWebhookRegistry}. */
export interface WebhookRegistryOptions {
  companyId: number;
  userId: number;
  /** `'record'` keeps deliveries for tests; `'fetch'` also POSTs them to `subscription_url`. */
  deliver: 'record' | 'fetch';
  uuid: () => string;
  fetch?: typeof fetch;
}

const optionalString = (value: unknown, name: string) => {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw badRequest(`${name} must be a string`);
  return value;
};

/** Creates the registry of one company's webhooks. */
export function createWebhookRegistry(options: WebhookRegistryOptions): WebhookRegistry {
  let hooks = new Map<number, PipedriveWebhook>();
  let sent: WebhookDelivery[] = [];
  let nextId = 1;
  const send = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  return {
    create(body, at) {
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw badRequest('The body must be a JSON object');
      const input = body as Record<string, unknown>;
      const url = input.subscription_url;
      if (typeof url !== 'string' || !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
        throw badRequest('subscription_url must be a valid http(s) URL');
      }
      if (typeof input.event_action !== 'string' || !ACTIONS.has(input.event_action)) {
        throw badRequest('event_action must be one of create, change, delete, *');
      }
      if (typeof input.event_object !== 'string' || !OBJECTS.has(input.event_object)) {
        throw badRequest(`event_object must be one of ${[...OBJECTS].join(', ')}`);
      }
      const version = input.version ?? '2.0';
      if (version !== '1.0' && version !== '2.0') throw badRequest("version must be '1.0' or '2.0'");
      const userId = input.user_id === undefined ? options.userId : input.user_id;
      if (typeof userId !== 'number' || !Number.isInteger(userId))
        throw badRequest('user_id must be an integer');
      const owned = [...hooks.values()].filter((hook) => hook.user_id === userId).length;
      if (owned >= MAX_WEBHOOKS_PER_USER) {
        throw badRequest(`A user can have at most ${MAX_WEBHOOKS_PER_USER} webhooks`);
      }
      const hook: PipedriveWebhook = {
        id: nextId++,
        company_id: options.companyId,
        owner_id: options.userId,
        user_id: userId,
        event_action: input.event_action,
        event_object: input.event_object,
        subscription_url: url,
        version,
        is_active: 1,
        add_time: at,
        remove_time: null,
        type: 'general',
        http_auth_user: optionalString(input.http_auth_user, 'http_auth_user'),
        http_auth_password: optionalString(input.http_auth_password, 'http_auth_password'),
        remove_reason: null,
        last_delivery_time: null,
        last_http_status: null,
        admin_id: options.userId,
        name: optionalString(input.name, 'name') ?? `Webhook ${nextId - 1}`,
      };
      hooks.set(hook.id, hook);
      return structuredClone(hook);
    },
    list: () => [...hooks.values()].map((hook) => structuredClone(hook)),
    remove: (id) => hooks.delete(id),
    announce(change, at) {
      const correlationId = options.uuid();
      const out: WebhookDelivery[] = [];
      for (const hook of hooks.values()) {
        if (hook.version !== '2.0') continue;
        if (hook.event_action !== '*' && hook.event_action !== change.action) continue;
        if (hook.event_object !== '*' && hook.event_object !== change.entity) continue;
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (hook.http_auth_user !== null) {
          const pair = `${hook.http_auth_user}:${hook.http_auth_password ?? ''}`;
          headers.authorization = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
        }
        const delivery: WebhookDelivery = {
          url: hook.subscription_url,
          headers,
          body: {
            meta: {
              action: change.action,
              entity: change.entity,
              entity_id: String(change.entityId),
              id: options.uuid(),
              correlation_id: correlationId,
              change_source: change.source,
              attempt: 1,
              timestamp: at,
              webhook_id: String(hook.id),
              company_id: String(options.companyId),
              user_id: String(options.userId),
              version: '2.0',
            },
            data: change.data === null ? null : structuredClone(change.data),
            previous: change.previous === null ? null : structuredClone(change.previous),
          },
        };
        hook.last_delivery_time = at;
        out.push(delivery);
        sent.push(delivery);
        if (options.deliver === 'fetch') {
          // Fire and forget, as Pipedrive's sender is: the writer's answer never waits for a receiver.
          send(delivery.url, { method: 'POST', headers, body: JSON.stringify(delivery.body) }).then(
            (response) => {
              hook.last_http_status = response.status;
              return response.body?.cancel();
            },
            () => {
              hook.last_http_status = 0;
            },
          );
        }
      }
      return out;
    },
    deliveries: () => sent.map((delivery) => structuredClone(delivery)),
    clear() {
      hooks = new Map();
      sent = [];
      nextId = 1;
    },
  };
}
