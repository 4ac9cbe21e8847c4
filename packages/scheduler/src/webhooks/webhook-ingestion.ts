// The receiving end of a connector's webhooks, as a fetch handler: verify the signature with the connector's
// verifier, enqueue each event as a job whose id is the event's (so a delivery sent again adds nothing), and
// answer 202 at once; the work happens in the scheduler's workers, with retries, not in the request.
import { type ApiResult, IntegrationError, type Logger, noopLogger } from '@patchbay/core';
import type { Scheduler } from '../scheduler.ts';
import { defaultWebhookEvents, type WebhookEvent, webhookJobId } from './webhook-event.ts';

/** Options of {@link createWebhookIngestion}. */
export interface WebhookIngestionOptions<Payload> {
  /** Where the events go: a scheduler (only `enqueue` is used). */
  scheduler: Pick<Scheduler, 'enqueue'>;
  /** The job kind that processes one event (see `webhookEventJob`). */
  jobName: string;
  /**
   * The connector's verifier: reads the request, checks its signature and returns the payload. Fails with
   * `AUTH_ERROR` (bad signature, stale timestamp), `VALIDATION_ERROR` (a malformed body or header), `CONFLICT`
   * (a delivery its replay store saw already). E.g.
   * `(request) => verifyTwentyWebhook({ secret, headers: request.headers, body: await request.text() })`.
   */
  verify: (request: Request) => Promise<ApiResult<Payload>>;
  /**
   * The events of a payload, each with its id; the request's headers are there for a delivery id sent as a header
   * (Standard Webhooks' `webhook-id`). Default: the payload is one event (see `defaultWebhookEvents`).
   */
  eventsOf?: (payload: Payload, request: Request) => readonly WebhookEvent[];
  logger?: Logger;
}

/** The status a verifier's failure answers: the sender retries a 5xx, not a 4xx. */
const STATUS_OF: Record<string, number> = {
  VALIDATION_ERROR: 400,
  AUTH_ERROR: 401,
  CONFIG_ERROR: 500,
};

/**
 * Creates a fetch handler for a connector's webhooks: 202 once every event of a verified delivery is enqueued
 * (a duplicate adds nothing), 401 for a bad signature and 400 for a malformed body (nothing enqueued), 200 for a
 * delivery the verifier's replay store refused as seen, 405 for a method other than POST, 503 when the queue or
 * the verifier's store is down (the sender retries), 500 for a verifier misconfigured. It never throws.
 * @throws IntegrationError `CONFIG_ERROR` when an option is missing (at creation, not per request).
 * @example export const POST = createWebhookIngestion({ scheduler, jobName: 'twenty-event', verify });
 */
export function createWebhookIngestion<Payload>(
  options: WebhookIngestionOptions<Payload>,
): (request: Request) => Promise<Response> {
  const { scheduler, jobName, verify, logger = noopLogger } = options;
  const eventsOf = options.eventsOf ?? (defaultWebhookEvents as (payload: Payload) => WebhookEvent[]);
  if (
    typeof scheduler?.enqueue !== 'function' ||
    typeof verify !== 'function' ||
    typeof jobName !== 'string'
  ) {
    throw new IntegrationError(
      'CONFIG_ERROR',
      'createWebhookIngestion needs a scheduler, a jobName and verify',
      {
        retryable: false,
      },
    );
  }
  return async (request) => {
    try {
      if (request.method !== 'POST') return json(405, { error: 'METHOD_NOT_ALLOWED' }, { allow: 'POST' });
      const verified = await verify(request);
      if (!verified.success) {
        const code = verified.error.code;
        if (code === 'CONFLICT') return json(200, { accepted: 0, duplicate: true });
        const status = STATUS_OF[code] ?? 503;
        if (status >= 500) logger.warn('webhook verification could not run', { code, jobName });
        return json(status, { error: code }, status === 503 ? { 'retry-after': '5' } : undefined);
      }
      let events: readonly WebhookEvent[];
      try {
        events = eventsOf(verified.data, request);
      } catch {
        return json(400, { error: 'VALIDATION_ERROR' });
      }
      if (
        !Array.isArray(events) ||
        !events.every((event) => typeof event?.id === 'string' && event.id !== '')
      ) {
        return json(400, { error: 'VALIDATION_ERROR' });
      }
      let accepted = 0;
      let duplicates = 0;
      for (const event of events) {
        const added = await scheduler.enqueue(
          jobName,
          { eventId: event.id, event: event.data ?? null },
          { jobId: webhookJobId(event.id) },
        );
        if (!added.success) {
          logger.warn('a webhook event could not be enqueued', { code: added.error.code, jobName });
          // The sender retries; the events enqueued already are deduplicated by their ids then.
          return json(503, { error: added.error.code }, { 'retry-after': '5' });
        }
        if (added.data.added) accepted += 1;
        else duplicates += 1;
      }
      return json(202, { accepted, duplicates });
    } catch {
      return json(500, { error: 'INTERNAL_ERROR' });
    }
  };
}

const json = (status: number, body: unknown, headers?: Record<string, string>): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  });
