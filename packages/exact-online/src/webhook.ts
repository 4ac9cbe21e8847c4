// Exact Online's webhook deliveries: a POST whose body is `{"Content":{…},"HashCode":"…"}`, where HashCode is the
// upper-case hex HMAC-SHA256 of the raw `Content` text under the app's webhook secret (picqer's
// Webhook/Authenticatable.php). Content carries keys only: `Topic`, `ClientId`, `Division`, `Action` (Create,
// Update, Delete), `Key`, `ExactOnlineEndpoint`, `EventCreatedOn`. Exact signs no timestamp: replays within Exact's
// retries are caught by the receiver's seen-id store (webhook-receiver.ts), not here.
import {
  type ApiResult,
  err,
  hmacKeyBytes,
  IntegrationError,
  ok,
  readWebhookBody,
  type Secret,
  verifyHmacSignature,
  type WebhookBody,
} from '@patchbay/core';
import * as z from 'zod/mini';
import { rawJsonMembers } from './raw-json-members.ts';

/** The keys-only content of a delivery. */
export const exactWebhookContentSchema = z.looseObject({
  /** The entity topic: `Accounts`, `Contacts`, `SalesInvoices`, `Items`, `GLAccounts`, `FinancialTransactions`… */
  Topic: z.string().check(z.regex(/^[A-Za-z]{1,100}$/, 'must be an entity topic such as Accounts')),
  /** The app's client id. */
  ClientId: z.string().check(z.minLength(1), z.maxLength(100)),
  /** The division the change happened in. */
  Division: z.int().check(z.minimum(1, 'must be a division number')),
  Action: z.enum(['Create', 'Update', 'Delete'], { error: 'must be Create, Update or Delete' }),
  /** The changed record's key (a GUID for the entity topics), lower-cased when it is one. */
  Key: z.pipe(
    z.string().check(z.regex(/^[\w-]{1,100}$/, 'must be a record key')),
    z.transform((key) => (/^[0-9a-f-]{36}$/i.test(key) ? key.toLowerCase() : key)),
  ),
  /** The record's REST URL. */
  ExactOnlineEndpoint: z.optional(z.nullable(z.string().check(z.maxLength(2_000)))),
  /** When the change happened, as Exact writes it (Dutch local time, no zone). */
  EventCreatedOn: z.string().check(z.minLength(1), z.maxLength(50)),
});
/** The keys-only content of a delivery. */
export type ExactWebhookContent = z.output<typeof exactWebhookContentSchema>;

/** A verified delivery. */
export interface ExactWebhookEvent {
  Content: ExactWebhookContent;
  /** The upper-case hex HMAC-SHA256 Exact sent with it. */
  HashCode: string;
}

/** Options of {@link verifyExactWebhook}. */
export interface VerifyExactWebhookOptions {
  /** The raw body exactly as received (text or its bytes): the signature covers the `Content` text as sent. */
  body: WebhookBody;
  /** The app's webhook secret (Exact's app centre). */
  secret: string | Secret;
}

// Exact's deliveries are a few hundred bytes; a much larger body is not one.
const MAX_BODY_CHARS = 64 * 1024;

/**
 * Verifies an Exact Online webhook delivery: the HashCode is checked in constant time against the HMAC-SHA256 of
 * the raw `Content` text exactly as sent (never a re-serialisation), then the content is parsed. Never throws and
 * fails closed: `AUTH_ERROR` (the HashCode does not match), `VALIDATION_ERROR` (a body that is not a delivery, naming
 * the field), `CONFIG_ERROR` (an empty secret). The secret never appears in an error.
 * @example const verified = await verifyExactWebhook({ body: await request.text(), secret });
 */
export async function verifyExactWebhook(
  options: VerifyExactWebhookOptions,
): Promise<ApiResult<ExactWebhookEvent>> {
  try {
    return await verify(options);
  } catch {
    // Every step returns its failures; this guard keeps anything unforeseen from failing open.
    return err(
      new IntegrationError('AUTH_ERROR', 'The Exact Online webhook could not be verified', {
        retryable: false,
      }),
    );
  }
}

async function verify(options: unknown): Promise<ApiResult<ExactWebhookEvent>> {
  if (typeof options !== 'object' || options === null) return invalid('options', 'must be an object');
  let body: unknown;
  let secret: unknown;
  try {
    ({ body, secret } = options as Record<string, unknown>);
  } catch {
    return invalid('options', 'could not be read');
  }
  const key = hmacKeyBytes(secret);
  if (!key.success) return key;
  const raw = readWebhookBody(body);
  if (!raw.success) return raw;
  if (raw.data.text.length > MAX_BODY_CHARS) return invalid('body', 'is too large for a webhook delivery');
  const members = rawJsonMembers(raw.data.text);
  if (members === undefined) return invalid('body', 'is not a JSON object with one Content and one HashCode');
  const contentText = members.get('Content');
  const hashText = members.get('HashCode');
  if (contentText === undefined || !contentText.startsWith('{'))
    return invalid('body.Content', 'must be an object');
  const hashCode: unknown = hashText === undefined ? undefined : JSON.parse(hashText);
  if (typeof hashCode !== 'string' || !/^[0-9a-f]{64}$/i.test(hashCode)) {
    return invalid('body.HashCode', 'must be a hex HMAC-SHA256');
  }
  const valid = await verifyHmacSignature({
    secret: key.data,
    payload: contentText,
    signature: hashCode,
    encoding: 'hex',
  });
  if (!valid) {
    return err(
      new IntegrationError('AUTH_ERROR', 'The webhook HashCode does not match its Content', {
        field: 'HashCode',
        retryable: false,
      }),
    );
  }
  const content = exactWebhookContentSchema.safeParse(JSON.parse(contentText));
  if (!content.success) {
    const issue = content.error.issues[0];
    return invalid(
      ['body', 'Content', ...(issue?.path ?? []).map(String)].join('.'),
      issue?.message ?? 'is invalid',
    );
  }
  return ok({ Content: content.data, HashCode: hashCode.toUpperCase() });
}

function invalid(field: string, message: string): ApiResult<never> {
  return err(new IntegrationError('VALIDATION_ERROR', `${field}: ${message}`, { field, retryable: false }));
}
