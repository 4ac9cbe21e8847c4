// Webhooks get lost (a sender gives up, an endpoint was down past its retries): a periodic job lists the events
// the sender has since a checkpoint and enqueues each under the job id its delivery would have had. An event
// waiting or running already is deduplicated by the queue; one processed already is skipped by webhookEventJob.
import type { ApiResult } from '@patchbay/core';
import type { SyncStateStore } from '@patchbay/core/store';
import { retryableFailure } from '../jobs/job-failure.ts';
import { type PullPage, type PullSyncResult, pullSyncJob } from '../jobs/pull-sync-job.ts';
import type { JobContext, Scheduler } from '../scheduler.ts';
import { type WebhookEvent, webhookJobId } from './webhook-event.ts';

/** One page of a sender's events, and the checkpoint that resumes after it. */
export interface WebhookEventPage {
  events: readonly WebhookEvent[];
  checkpoint: string;
}

/** Options of {@link webhookReconcileJob}. */
export interface WebhookReconcileJobOptions {
  /** The checkpoint's name, e.g. `'twenty-webhooks-reconcile'`. */
  name: string;
  /** Where the checkpoint is kept: any Patchbay store. */
  store: { readonly syncState: Pick<SyncStateStore, 'getCheckpoint' | 'setCheckpoint'> };
  /** Where the events go (only `enqueue` is used). */
  scheduler: Pick<Scheduler, 'enqueue'>;
  /** The job kind that processes one event: the ingestion's `jobName`. */
  jobName: string;
  /**
   * The sender's events after `checkpoint` (null: as far back as wanted), page by page, with the ids the
   * ingestion's `eventsOf` gives them. Let the checkpoint trail the newest event by the senders' retry window,
   * so an event still being retried is not passed for good; listing one twice is harmless.
   */
  listEvents: (
    checkpoint: string | null,
    signal: AbortSignal,
  ) => Iterable<WebhookEventPage> | AsyncIterable<WebhookEventPage>;
}

/**
 * A job handler that enqueues the events `listEvents` gives under their webhook job ids, saving the checkpoint
 * after each page is enqueued (a failure enqueues that page again next run). Its result counts pages and events.
 * @example scheduler.define('twenty-webhooks-reconcile', webhookReconcileJob({ name, store, scheduler, jobName, listEvents }));
 */
export function webhookReconcileJob(
  options: WebhookReconcileJobOptions,
): (job: JobContext<unknown>) => Promise<ApiResult<PullSyncResult>> {
  const { scheduler, jobName, listEvents } = options;
  return pullSyncJob<WebhookEvent, unknown>({
    name: options.name,
    store: options.store,
    pull: async function* (checkpoint, signal): AsyncIterable<PullPage<WebhookEvent>> {
      for await (const page of listEvents(checkpoint, signal))
        yield { changes: page.events, checkpoint: page.checkpoint };
    },
    handle: async (events) => {
      for (const event of events) {
        const added = await scheduler.enqueue(
          jobName,
          { eventId: event.id, event: event.data ?? null },
          { jobId: webhookJobId(event.id) },
        );
        if (!added.success)
          return retryableFailure(`Enqueueing the missed event ${event.id} failed`, added.error);
      }
      return undefined;
    },
  });
}
