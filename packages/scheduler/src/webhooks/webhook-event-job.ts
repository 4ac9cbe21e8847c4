// Processing one webhook event, once. The queue deduplicates an event only while its job waits or runs; a
// delivery sent again later, or the reconciliation finding an event already delivered, enqueues it anew. So the
// job remembers the events it finished, in the store's checkpoints, and skips one it has done.
import { type ApiResult, ok } from '@patchbay/core';
import type { SyncStateStore } from '@patchbay/core/store';
import { permanentFailure, retryableFailure } from '../jobs/job-failure.ts';
import type { JobContext } from '../scheduler.ts';
import { type WebhookJobData, webhookJobId } from './webhook-event.ts';

/** Options of {@link webhookEventJob}. */
export interface WebhookEventJobOptions {
  /** Namespace of the done-markers, e.g. `'twenty-webhooks'`. */
  name: string;
  /**
   * Where finished events are remembered: any Patchbay store (`store.syncState`), one checkpoint per event
   * (`webhook-done:<name>:<job id>`). They are kept: a store's checkpoints grow by one per event.
   */
  store: { readonly syncState: Pick<SyncStateStore, 'getCheckpoint' | 'setCheckpoint'> };
  /**
   * The app's handler of one event. A crash between its success and the done-marker runs it again, so it must
   * be idempotent (an upsert by the event's record id). It fails by throwing, rejecting or returning a failed
   * `ApiResult`; the scheduler then retries the job with backoff.
   */
  handle: (event: WebhookJobData, job: JobContext<WebhookJobData>) => unknown;
}

/** What a webhook processing run returns. */
export interface WebhookEventResult {
  eventId: string;
  /** False when the event had been processed before (a duplicate delivery or a reconciled event). */
  processed: boolean;
}

/**
 * A job handler for the events `createWebhookIngestion` and `webhookReconcileJob` enqueue: runs `handle` for an
 * event not processed yet, then marks it done; an event marked done is skipped (`processed: false`).
 * @example scheduler.define('twenty-event', webhookEventJob({ name: 'twenty', store, handle }), { attempts: 5 });
 */
export function webhookEventJob(
  options: WebhookEventJobOptions,
): (job: JobContext<WebhookJobData>) => Promise<ApiResult<WebhookEventResult>> {
  const { name, store, handle } = options;
  return async (job) => {
    const eventId = job.data?.eventId;
    if (typeof eventId !== 'string' || eventId === '') {
      // Data no run can fix: a dead letter at once, for an admin to look at.
      return permanentFailure('VALIDATION_ERROR', 'The webhook job has no eventId');
    }
    const marker = `webhook-done:${name}:${webhookJobId(eventId)}`;
    const done = await call(() => store.syncState.getCheckpoint(marker));
    if (!done.success) return retryableFailure('Reading the webhook done-marker failed', done.error);
    if (done.data !== null && done.data !== undefined) return ok({ eventId, processed: false });
    const handled = await call(() => handle(job.data, job));
    if (!handled.success)
      return retryableFailure(`Processing the webhook event ${eventId} failed`, handled.error);
    const marked = await call(() => store.syncState.setCheckpoint(marker, new Date().toISOString()));
    // The event was processed: a failed marker only risks running the idempotent handler once more.
    if (!marked.success) return retryableFailure('Saving the webhook done-marker failed', marked.error);
    return ok({ eventId, processed: true });
  };
}

type Outcome = { success: true; data: unknown } | { success: false; error: unknown };

async function call(run: () => unknown): Promise<Outcome> {
  try {
    const value = await run();
    if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { success?: unknown }).success === 'boolean'
    ) {
      const result = value as { success: boolean; data?: unknown; error?: unknown };
      return result.success ? { success: true, data: result.data } : { success: false, error: result.error };
    }
    return { success: true, data: value };
  } catch (error) {
    return { success: false, error };
  }
}
