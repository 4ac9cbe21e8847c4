// A webhook event as the scheduler carries it: its id (the sender's event id, or the body's hash) turned into a
// job id, so a delivery received again, and the same event found by the reconciliation, are one job.
import { createHash } from 'node:crypto';
import type { JsonValue } from '@patchbay/core';

/** One event of a verified delivery: the sender's id for it, and what the job receives. */
export interface WebhookEvent {
  /** The sender's event id (a delivery id, `<object>.<action>:<id>:<updatedAt>`…): the same event, the same id. */
  id: string;
  /** The event's payload, as the processing job gets it (JSON). */
  data: unknown;
}

/** What a webhook processing job is given: the event's id and payload. */
export interface WebhookJobData {
  eventId: string;
  event: JsonValue;
}

const SAFE_ID = /^[A-Za-z0-9._-]{1,200}$/;

/**
 * The job id of an event: `evt_<id>` when the id is short and plain, else `evh_<sha256 of the id>` (a job id may
 * hold no `:`). The ingestion and the reconciliation use it, so one event is one job.
 */
export function webhookJobId(eventId: string): string {
  return SAFE_ID.test(eventId)
    ? `evt_${eventId}`
    : `evh_${createHash('sha256').update(eventId).digest('hex')}`;
}

/**
 * The default events of a delivery: the payload is one event; its id is the payload's own `id` or `eventId`
 * (a string or a number) when it has one, else the SHA-256 of its JSON, so a byte-identical re-send is the same.
 */
export function defaultWebhookEvents(payload: unknown): WebhookEvent[] {
  if (typeof payload === 'object' && payload !== null) {
    for (const field of ['id', 'eventId']) {
      const value = (payload as Record<string, unknown>)[field];
      if ((typeof value === 'string' && value !== '') || typeof value === 'number') {
        return [{ id: String(value), data: payload }];
      }
    }
  }
  const json = JSON.stringify(payload) ?? 'null';
  return [{ id: `sha256-${createHash('sha256').update(json).digest('hex')}`, data: payload }];
}
