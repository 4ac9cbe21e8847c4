// A receiver for Exact Online's webhooks: verify (webhook.ts), read the changed record through the client (the
// delivery carries keys only), deduplicate, then hand the event on. The record is read before the delivery is
// claimed in the seen-id store: a read that fails answers an error and Exact's retry is handled in full, where a
// claim first would turn that retry into a "duplicate" and lose the change. A duplicate costs one read.
import {
  type ApiResult,
  err,
  hmacKeyBytes,
  IntegrationError,
  ok,
  optionsObject,
  type Secret,
  type SeenIdStore,
  type WebhookBody,
} from '@patchbay/core';
import type { ExactClient, ExactDivisionClient } from './client.ts';
import type { ExactAccount, ExactContact, ExactGLAccount, ExactItem, ExactSalesInvoice } from './records.ts';
import { type ExactWebhookEvent, verifyExactWebhook } from './webhook.ts';

/** A record a delivery's topic names, read after the change. */
export type ExactWebhookRecord = ExactAccount | ExactContact | ExactSalesInvoice | ExactItem | ExactGLAccount;

/** What `onEvent` receives. */
export interface ExactWebhookDelivery {
  event: ExactWebhookEvent;
  /**
   * The record as it is now: null when it was deleted (the `Delete` action, or gone by the time it was read);
   * undefined for a topic this package does not read (`FinancialTransactions`…: read it through `client.http`).
   */
  record: ExactWebhookRecord | null | undefined;
}

/** What a receiver did with one delivery. */
export type ExactWebhookOutcome = 'handled' | 'duplicate';

/** Options of {@link createExactWebhookReceiver}. */
export interface ExactWebhookReceiverOptions {
  /** The app's webhook secret. */
  secret: string | Secret;
  /** The client the changed records are read through (in the delivery's division). */
  client: Pick<ExactClient, 'inDivision'>;
  /** Called once per new delivery; make it a durable enqueue (see below). */
  onEvent: (delivery: ExactWebhookDelivery) => unknown;
  /** Remembers deliveries so one Exact sends again is handled once. Default none (no deduplication). */
  seen?: SeenIdStore;
  /** How long a delivery is remembered. Default 3 days. */
  seenTtlMs?: number;
  /** Refuse deliveries for another app (`Content.ClientId`, compared case-insensitively). Default: every app's. */
  clientId?: string;
}

/** A webhook receiver: `handle` for any framework, `fetch` for a `(Request) => Response` server. */
export interface ExactWebhookReceiver {
  /** Verifies, reads the record, deduplicates, then calls `onEvent`. Never throws. */
  handle(request: {
    body: WebhookBody;
  }): Promise<ApiResult<{ outcome: ExactWebhookOutcome } & ExactWebhookDelivery>>;
  /** The same as a fetch handler: 200 handled or duplicate, 401 bad HashCode, 400 bad body, 500 otherwise (Exact retries). */
  fetch(request: Request): Promise<Response>;
}

const DEFAULT_SEEN_TTL_MS = 3 * 86_400_000;
const label = 'Exact Online webhook receiver options';

// The entity sets a topic's record is read from.
const READERS: Record<
  string,
  (client: ExactDivisionClient) => { get(id: string): Promise<ApiResult<ExactWebhookRecord>> }
> = {
  Accounts: (client) => client.accounts,
  Contacts: (client) => client.contacts,
  SalesInvoices: (client) => client.salesInvoices,
  Items: (client) => client.items,
  GLAccounts: (client) => client.glAccounts,
};

/**
 * An Exact Online webhook receiver: the HashCode checked in constant time over the raw Content text, the changed
 * record read through `client` (Exact sends keys only), each delivery handled once with a `seen` store (key: client
 * id, division, topic, action, record key and EventCreatedOn), then `onEvent({ event, record })`. The delivery is
 * claimed before `onEvent` runs (the store has no "unmark"), so a handler that fails answers 500 but Exact's retry
 * is a duplicate: make `onEvent` a durable enqueue.
 * @example const receiver = createExactWebhookReceiver({ secret, client: exact, seen, onEvent: (d) => queue.push(d) });
 * @throws IntegrationError `CONFIG_ERROR` naming `secret`, `client`, `onEvent`, `seen` or `seenTtlMs`, never a value.
 */
export function createExactWebhookReceiver(options: ExactWebhookReceiverOptions): ExactWebhookReceiver {
  const { secret, client, onEvent, seen, seenTtlMs, clientId } = optionsObject(options, {
    label,
  }) as unknown as ExactWebhookReceiverOptions;
  // Checked once here too: a receiver built with an unset variable would otherwise refuse every delivery quietly.
  if (!hmacKeyBytes(secret).success) throw config('secret', 'must be a non-empty string or Secret');
  if (typeof (client as { inDivision?: unknown } | undefined)?.inDivision !== 'function') {
    throw config('client', 'must be an Exact Online client (createExactClient)');
  }
  if (typeof onEvent !== 'function') throw config('onEvent', 'must be a function');
  if (seen !== undefined && typeof (seen as { markSeen?: unknown }).markSeen !== 'function') {
    throw config('seen', 'must be a SeenIdStore (with markSeen)');
  }
  const ttlMs = seenTtlMs ?? DEFAULT_SEEN_TTL_MS;
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw config('seenTtlMs', 'must be a positive number of ms');
  if (clientId !== undefined && (typeof clientId !== 'string' || clientId === '')) {
    throw config('clientId', 'must be a non-empty string');
  }

  const readRecord = async (event: ExactWebhookEvent): Promise<ApiResult<ExactWebhookDelivery['record']>> => {
    const { Topic, Action, Division, Key } = event.Content;
    const reader = Object.hasOwn(READERS, Topic) ? READERS[Topic] : undefined;
    if (reader === undefined) return ok(undefined);
    if (Action === 'Delete') return ok(null);
    const read = await reader(client.inDivision(Division)).get(Key);
    if (read.success) return ok(read.data as ExactWebhookRecord);
    // Deleted between the change and this read: the record is gone, as a Delete would say.
    if (read.error.code === 'NOT_FOUND') return ok(null);
    return read;
  };

  const handle: ExactWebhookReceiver['handle'] = async (request) => {
    try {
      let body: unknown;
      try {
        body = (request as { body?: unknown } | undefined)?.body;
      } catch {
        body = undefined;
      }
      const verified = await verifyExactWebhook({ body: body as WebhookBody, secret });
      if (!verified.success) return verified;
      const event = verified.data;
      const { ClientId, Division, Topic, Action, Key, EventCreatedOn } = event.Content;
      if (clientId !== undefined && ClientId.toLowerCase() !== clientId.toLowerCase()) {
        return err(
          new IntegrationError('AUTH_ERROR', 'The webhook delivery is for another app (ClientId)', {
            field: 'ClientId',
            retryable: false,
          }),
        );
      }
      const record = await readRecord(event);
      if (!record.success) return record;
      if (seen) {
        const id = ['exact', ClientId.toLowerCase(), Division, Topic, Action, Key, EventCreatedOn].join(':');
        const marked = await seen.markSeen(id, { ttlMs });
        if (!marked.success) return marked;
        if (!marked.data) return ok({ outcome: 'duplicate', event, record: record.data });
      }
      await onEvent({ event, record: record.data });
      return ok({ outcome: 'handled', event, record: record.data });
    } catch (error) {
      return err(
        new IntegrationError('OPERATION_FAILED', 'The webhook handler failed', {
          retryable: true,
          cause: error,
        }),
      );
    }
  };

  return {
    handle,
    async fetch(request) {
      let body: string;
      try {
        body = await request.text();
      } catch {
        return new Response(null, { status: 400 });
      }
      const result = await handle({ body });
      if (result.success) return new Response(null, { status: 200 });
      const status =
        result.error.code === 'AUTH_ERROR' ? 401 : result.error.code === 'VALIDATION_ERROR' ? 400 : 500;
      return new Response(null, { status });
    },
  };
}

function config(field: string, message: string): IntegrationError {
  return new IntegrationError('CONFIG_ERROR', `Invalid ${label}: ${field}: ${message}`, {
    field,
    issues: [{ field, message }],
    retryable: false,
  });
}
