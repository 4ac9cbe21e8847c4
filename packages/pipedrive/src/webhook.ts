import {
  type ApiResult,
  err,
  IntegrationError,
  ok,
  optionsObject,
  readWebhookBody,
  readWebhookHeader,
  revealSecret,
  type Secret,
  type SeenIdStore,
  signHmac,
  toBase64,
  utf8,
  verifyHmacSignature,
  type WebhookBody,
  type WebhookHeaders,
} from '@patchbay/core';
import * as z from 'zod/mini';

// Webhooks v2 (default since 2025-03): `{ meta: { action, entity, entity_id, id, correlation_id, change_source,
// attempt, timestamp, webhook_id, company_id, user_id, … }, data, previous }`; `previous` holds only the changed
// fields, a delete has `data: null`. Authentication is optional HTTP basic auth (no signature).
const metaSchema = z.looseObject({
  action: z.string().check(z.minLength(1)),
  entity: z.string().check(z.minLength(1)),
  entity_id: z.pipe(z.union([z.string(), z.int()]), z.transform(String)),
  id: z.string().check(z.minLength(1), z.maxLength(200)),
  correlation_id: z.optional(z.nullable(z.string())),
  change_source: z.optional(z.nullable(z.string())),
  attempt: z.optional(z.nullable(z.number())),
  timestamp: z.optional(z.nullable(z.string())),
  webhook_id: z.optional(z.nullable(z.union([z.string(), z.int()]))),
  company_id: z.optional(z.nullable(z.union([z.string(), z.int()]))),
  user_id: z.optional(z.nullable(z.union([z.string(), z.int()]))),
  version: z.optional(z.nullable(z.string())),
});
/** A webhook v2 delivery's body. */
export const pipedriveWebhookEventSchema = z.looseObject({
  meta: metaSchema,
  data: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  previous: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
});
/** A webhook v2 delivery. */
export type PipedriveWebhookEvent = z.output<typeof pipedriveWebhookEventSchema>;

/** Options of {@link verifyPipedriveWebhook}. */
export interface VerifyPipedriveWebhookOptions {
  /** The `http_auth_user` the webhook was registered with. */
  username: string;
  /** The `http_auth_password` it was registered with. */
  password: string | Secret;
  /** The request headers (the `Authorization` header is read). */
  headers: WebhookHeaders;
  /** The raw body, as received. */
  body: WebhookBody;
}

/**
 * Checks a delivery's HTTP basic auth in constant time and parses its body (`meta`, `data`, `previous`).
 * Never throws and fails closed: `AUTH_ERROR` (missing or wrong credentials), `VALIDATION_ERROR` (a body that is
 * not a v2 event, naming the field), `CONFIG_ERROR` (an empty username or password). Credentials never appear in
 * an error.
 * @example const event = await verifyPipedriveWebhook({ username, password, headers: req.headers, body: rawBody });
 */
export async function verifyPipedriveWebhook(
  options: VerifyPipedriveWebhookOptions,
): Promise<ApiResult<PipedriveWebhookEvent>> {
  try {
    return await verify(options);
  } catch {
    return err(
      new IntegrationError('AUTH_ERROR', 'The Pipedrive webhook could not be verified', { retryable: false }),
    );
  }
}

async function verify(options: unknown): Promise<ApiResult<PipedriveWebhookEvent>> {
  if (typeof options !== 'object' || options === null) return invalid('options', 'must be an object');
  const { username, password, headers, body } = { ...(options as Record<string, unknown>) };
  const secret = passwordText(password);
  if (typeof username !== 'string' || username === '' || username.includes(':')) {
    return err(config('username', 'must be a non-empty string without ":"'));
  }
  if (secret === undefined || secret === '')
    return err(config('password', 'must be a non-empty string or Secret'));
  const header = readWebhookHeader(headers, 'authorization');
  if (!header.success) return header;
  const expected = `Basic ${toBase64(utf8(`${username}:${secret}`))}`;
  if (!(await sameText(header.data ?? '', expected))) {
    return err(
      new IntegrationError('AUTH_ERROR', 'Webhook credentials do not match', {
        field: 'authorization',
        retryable: false,
      }),
    );
  }
  const raw = readWebhookBody(body);
  if (!raw.success) return raw;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.data.text);
  } catch {
    return invalid('body', 'is not JSON');
  }
  const event = pipedriveWebhookEventSchema.safeParse(parsed);
  if (!event.success) {
    const issue = event.error.issues[0];
    const field = ['body', ...(issue?.path ?? []).map(String)].join('.');
    return invalid(field, issue?.message ?? 'is not a webhook v2 event');
  }
  return ok(event.data);
}

// Constant time through core's HMAC verifier: the expected text is signed under a fresh random key and the
// received text verified against it, so the comparison time says nothing about where they differ.
async function sameText(received: string, expected: string): Promise<boolean> {
  const key = globalThis.crypto.getRandomValues(new Uint8Array(32));
  const signature = await signHmac({ secret: key, payload: expected });
  return verifyHmacSignature({ secret: key, payload: received, signature });
}

function passwordText(password: unknown): string | undefined {
  if (typeof password === 'string') return password;
  try {
    return revealSecret(password as Secret);
  } catch {
    return undefined;
  }
}

/** What a receiver did with one delivery. */
export type PipedriveWebhookOutcome = 'handled' | 'skipped-own-change' | 'duplicate';

/** Options of {@link createPipedriveWebhookReceiver}. */
export interface PipedriveWebhookReceiverOptions {
  username: string;
  password: string | Secret;
  /** Called once per new delivery not caused by our own API writes; make it a durable enqueue (see below). */
  onEvent: (event: PipedriveWebhookEvent) => unknown;
  /** Remembers delivery ids (`meta.id`) so a retried delivery is handled once. Default none (no deduplication). */
  seen?: SeenIdStore;
  /** How long an id is remembered. Default 3 days (Pipedrive retries for up to about 12 hours). */
  seenTtlMs?: number;
  /** Skip deliveries with `meta.change_source: 'api'` (writes through the API: ours, in a sync). Default true. */
  skipApiChanges?: boolean;
}

/** A webhook receiver: `handle` for any framework, `fetch` for a `(Request) => Response` server. */
export interface PipedriveWebhookReceiver {
  /** Verifies, parses, filters and deduplicates one delivery, then calls `onEvent`. Never throws. */
  handle(request: {
    headers: WebhookHeaders;
    body: WebhookBody;
  }): Promise<ApiResult<{ outcome: PipedriveWebhookOutcome; event: PipedriveWebhookEvent }>>;
  /** The same as a fetch handler: 200 handled or skipped, 401 bad credentials, 400 bad body, 500 handler failure. */
  fetch(request: Request): Promise<Response>;
}

const DEFAULT_SEEN_TTL_MS = 3 * 86_400_000;

/**
 * A webhook v2 receiver: HTTP basic auth checked in constant time, the body parsed, deliveries caused by API writes
 * skipped (`change_source: 'api'`, so a sync does not react to its own writes), and each `meta.id` handled once
 * when a `seen` store is given. The id is claimed before `onEvent` runs (the store has no "unmark"), so a handler
 * that fails answers 500 but its retry is a duplicate: make `onEvent` a durable enqueue (core's queue store).
 * @example const receiver = createPipedriveWebhookReceiver({ username, password, seen, onEvent: (e) => queue.push(e) });
 * @throws IntegrationError `CONFIG_ERROR` naming `username`, `password` or `onEvent`, never a value.
 */
export function createPipedriveWebhookReceiver(
  options: PipedriveWebhookReceiverOptions,
): PipedriveWebhookReceiver {
  // A plain copy read once: a Proxy or a throwing getter is a CONFIG_ERROR, not a TypeError.
  const { username, password, onEvent, seen, seenTtlMs, skipApiChanges } = optionsObject(options, {
    label: 'Pipedrive webhook receiver options',
  }) as unknown as PipedriveWebhookReceiverOptions;
  if (typeof onEvent !== 'function') throw config('onEvent', 'must be a function');
  // Checked once here too: a receiver built with an unset variable would otherwise refuse every delivery quietly.
  if (typeof username !== 'string' || username === '' || username.includes(':')) {
    throw config('username', 'must be a non-empty string without ":"');
  }
  const secret = passwordText(password);
  if (secret === undefined || secret === '') throw config('password', 'must be a non-empty string or Secret');
  const ttlMs = seenTtlMs ?? DEFAULT_SEEN_TTL_MS;
  const skipApi = skipApiChanges ?? true;
  const handle: PipedriveWebhookReceiver['handle'] = async (request) => {
    try {
      const verified = await verifyPipedriveWebhook({
        username,
        password,
        headers: request?.headers as WebhookHeaders,
        body: request?.body as WebhookBody,
      });
      if (!verified.success) return verified;
      const event = verified.data;
      if (skipApi && event.meta.change_source === 'api') return ok({ outcome: 'skipped-own-change', event });
      if (seen) {
        const marked = await seen.markSeen(`pipedrive:${event.meta.id}`, { ttlMs });
        if (!marked.success) return marked;
        if (!marked.data) return ok({ outcome: 'duplicate', event });
      }
      await onEvent(event);
      return ok({ outcome: 'handled', event });
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
        return new Response('Bad Request', { status: 400 });
      }
      const result = await handle({ headers: request.headers, body });
      if (result.success) return new Response(null, { status: 200 });
      const status =
        result.error.code === 'AUTH_ERROR' ? 401 : result.error.code === 'VALIDATION_ERROR' ? 400 : 500;
      return new Response(null, { status });
    },
  };
}

function invalid(field: string, message: string): ApiResult<never> {
  return err(new IntegrationError('VALIDATION_ERROR', `${field}: ${message}`, { field, retryable: false }));
}

function config(field: string, message: string): IntegrationError {
  return new IntegrationError('CONFIG_ERROR', `${field} ${message}`, { field, retryable: false });
}
