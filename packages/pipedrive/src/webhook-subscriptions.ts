import {
  type ApiResult,
  err,
  type HttpClient,
  IntegrationError,
  ok,
  readJsonInput,
  redact,
  revealSecret,
  reviseError,
  type Secret,
  settle,
} from '@patchbay/core';
import * as z from 'zod/mini';
import { readId } from './input.ts';
import { PIPEDRIVE_TOKEN_COSTS } from './token-budget.ts';

// `/v1/webhooks` (v1 only): POST `{ subscription_url, event_action, event_object, user_id?, http_auth_user?,
// http_auth_password?, version }`, GET lists them, DELETE `/v1/webhooks/{id}`. The answer echoes
// `http_auth_password`: it is dropped here, never handed back.
const webhookSchema = z.looseObject({
  id: z.int(),
  event_action: z.string(),
  event_object: z.string(),
  subscription_url: z.string(),
  version: z.optional(z.nullable(z.string())),
  is_active: z.optional(z.nullable(z.union([z.boolean(), z.int()]))),
  user_id: z.optional(z.nullable(z.int())),
  http_auth_user: z.optional(z.nullable(z.string())),
  add_time: z.optional(z.nullable(z.string())),
  last_delivery_time: z.optional(z.nullable(z.string())),
  last_http_status: z.optional(z.nullable(z.int())),
});
const withoutPassword = (webhook: Record<string, unknown>): PipedriveWebhookSubscription => {
  const { http_auth_password: _, ...rest } = webhook;
  return rest as unknown as PipedriveWebhookSubscription;
};
/** A webhook subscription (without its password). */
export interface PipedriveWebhookSubscription {
  id: number;
  event_action: string;
  event_object: string;
  subscription_url: string;
  version?: string | null;
  is_active?: boolean | number | null;
  user_id?: number | null;
  http_auth_user?: string | null;
  add_time?: string | null;
  last_delivery_time?: string | null;
  last_http_status?: number | null;
}

const registerSchema = z.object({
  subscription_url: z.url({ protocol: /^https$/, error: 'must be an https URL' }),
  event_action: z.enum(['create', 'change', 'delete', '*']),
  event_object: z.enum([
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
  ]),
  user_id: z.optional(z.int().check(z.minimum(1))),
  http_auth_user: z.optional(
    z.string().check(z.minLength(1), z.maxLength(200), z.regex(/^[^:]*$/, 'must not contain ":"')),
  ),
  name: z.optional(z.string().check(z.maxLength(200))),
});

/** What `registerWebhook` takes. */
export interface PipedriveWebhookRegistration {
  subscription_url: string;
  event_action: 'create' | 'change' | 'delete' | '*';
  event_object:
    | 'activity'
    | 'deal'
    | 'lead'
    | 'note'
    | 'organization'
    | 'person'
    | 'pipeline'
    | 'product'
    | 'stage'
    | 'user'
    | '*';
  user_id?: number;
  /** HTTP basic auth the deliveries carry: give both, and the same to the receiver. */
  http_auth_user?: string;
  http_auth_password?: string | Secret;
  name?: string;
}

/** The webhook subscription calls. */
export interface PipedriveWebhooks {
  /** Subscribes (webhooks v2; at most 40 per user). */
  registerWebhook(input: PipedriveWebhookRegistration): Promise<ApiResult<PipedriveWebhookSubscription>>;
  listWebhooks(): Promise<ApiResult<PipedriveWebhookSubscription[]>>;
  deleteWebhook(id: number): Promise<ApiResult<void>>;
}

// Pipedrive's error text becomes the message (pipedrive-errors.ts), and core scrubs only the credentials it sends
// itself: an answer quoting the delivery password (a 400 naming the bad value) would carry it into the caller's
// logs. Every text the error holds is rebuilt without it: message, field, issues, request id, path and cause.
function withoutSecret(error: IntegrationError, secret: string): IntegrationError {
  const scrub = (text: string) => redact(text, { secrets: [secret] });
  const cause: unknown = error.cause;
  let safeCause: unknown = cause;
  if (cause instanceof Error) {
    const copy = new Error(scrub(cause.message));
    copy.name = cause.name;
    copy.stack = `${copy.name}: ${copy.message}`;
    safeCause = copy;
  } else if (cause !== undefined) safeCause = redact(cause, { secrets: [secret] });
  return reviseError(error, {
    message: scrub(error.message),
    ...(error.field === undefined ? {} : { field: scrub(error.field) }),
    ...(error.requestId === undefined ? {} : { requestId: scrub(error.requestId) }),
    ...(error.path === undefined ? {} : { path: scrub(error.path) }),
    ...(error.issues === undefined
      ? {}
      : {
          issues: error.issues.map((issue) => ({ field: scrub(issue.field), message: scrub(issue.message) })),
        }),
    ...(safeCause === undefined ? {} : { cause: safeCause }),
  });
}

/** The `/v1/webhooks` calls on the client. */
export function createWebhookCalls(
  http: HttpClient,
  spend: (cost: number, operation: string) => ApiResult<void>,
): PipedriveWebhooks {
  return {
    registerWebhook: (input) =>
      settle('webhooks.register', async () => {
        let password: unknown;
        let rest: unknown = input;
        try {
          const { http_auth_password, ...others } = input as PipedriveWebhookRegistration;
          password = http_auth_password;
          rest = others;
        } catch {
          rest = undefined;
        }
        const read = readJsonInput(rest, 'input', registerSchema);
        if (!read.success) return read;
        let secret: string | undefined;
        if (password !== undefined) {
          try {
            secret = typeof password === 'string' ? password : revealSecret(password as Secret);
          } catch {
            secret = undefined;
          }
          if (typeof secret !== 'string' || secret === '' || /[\r\n]/.test(secret)) {
            return err(
              new IntegrationError(
                'VALIDATION_ERROR',
                'input.http_auth_password must be a non-empty string or Secret',
                {
                  field: 'input.http_auth_password',
                  retryable: false,
                },
              ),
            );
          }
        }
        const spent = spend(PIPEDRIVE_TOKEN_COSTS.v1Create, 'webhooks.register');
        if (!spent.success) return spent;
        const result = await http.post('/v1/webhooks', {
          schema: z.looseObject({ data: webhookSchema }),
          json: { ...read.data, ...(secret ? { http_auth_password: secret } : {}), version: '2.0' },
        });
        if (!result.success) return secret ? err(withoutSecret(result.error, secret)) : result;
        return ok(withoutPassword(result.data.data));
      }),
    listWebhooks: () =>
      settle('webhooks.list', async () => {
        const spent = spend(PIPEDRIVE_TOKEN_COSTS.v1List, 'webhooks.list');
        if (!spent.success) return spent;
        const result = await http.get('/v1/webhooks', {
          schema: z.looseObject({ data: z.nullable(z.array(webhookSchema)) }),
        });
        return result.success ? ok((result.data.data ?? []).map(withoutPassword)) : result;
      }),
    deleteWebhook: (id) =>
      settle('webhooks.delete', async () => {
        const read = readId(id);
        if (!read.success) return read;
        const spent = spend(PIPEDRIVE_TOKEN_COSTS.v1Delete, 'webhooks.delete');
        if (!spent.success) return spent;
        const result = await http.delete(`/v1/webhooks/${read.data}`);
        return result.success ? ok(undefined) : result;
      }),
  };
}
