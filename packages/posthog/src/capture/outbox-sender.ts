// Moves events from the outbox to PostHog: claim a batch (a lease, so two processes never send the same
// events), send it, and only on a 2xx delete it. Every other answer keeps the events: a retryable failure
// gives them back after a delay, a refused batch is halved until the event PostHog refuses stands alone, and
// that event moves to the dead-letter queue, counted and reported, never dropped silently.
import { type ApiResult, err, type HttpClient, IntegrationError, type Logger, ok } from '@patchbay/core';
import type { QueueMessage, QueueStore } from '@patchbay/core/store';
import { type BatchOutcome, sendBatch } from './send-batch.ts';

/** What one process's sender has done. */
export interface SenderCounts {
  sent: number;
  requests: number;
  retries: number;
  /** Events PostHog refused one by one (moved to the dead-letter queue). */
  rejected: number;
}

/** The settings a sender runs with (already validated by createPostHogCapture). */
export interface OutboxSenderOptions {
  queue: QueueStore;
  queueName: string;
  deadLetterQueueName: string;
  http: HttpClient;
  projectApiKey: string;
  gzip: boolean;
  batchSize: number;
  maxBatchBytes: number;
  leaseMs: number;
  owner: string;
  retryDelay: { initialDelayMs: number; maxDelayMs: number };
  now: () => number;
  logger: Logger;
}

/** The result of one round: how many events were claimed and sent, or why the round stopped. */
export type RoundResult = ApiResult<{ claimed: number; sent: number }>;

/** A sender over one outbox: `round()` claims and sends one batch. */
export interface OutboxSender {
  round(signal?: AbortSignal): Promise<RoundResult>;
  readonly counts: Readonly<SenderCounts>;
}

/** Creates the sender of {@link OutboxSenderOptions}; it holds only counters. */
export function createOutboxSender(options: OutboxSenderOptions): OutboxSender {
  const counts: SenderCounts = { sent: 0, requests: 0, retries: 0, rejected: 0 };
  const { queue, queueName } = options;

  async function send(messages: readonly QueueMessage[], signal?: AbortSignal): Promise<BatchOutcome> {
    counts.requests += 1;
    return sendBatch(options.http, {
      projectApiKey: options.projectApiKey,
      payloads: messages.map((message) => message.payload),
      now: options.now(),
      gzip: options.gzip,
      signal,
    });
  }

  async function deadLetter(message: QueueMessage, error: IntegrationError): Promise<ApiResult<void>> {
    // Into the dead-letter queue first, then out of the outbox: a crash between the two leaves the event in
    // both (a second refusal later), never in neither.
    const moved = await queue.enqueue(options.deadLetterQueueName, [
      {
        id: message.id,
        payload: JSON.stringify({
          error: { status: error.status ?? null, message: error.message },
          event: JSON.parse(message.payload),
        }),
      },
    ]);
    if (!moved.success) return moved;
    const removed = await queue.ack(queueName, [message.id]);
    if (!removed.success) return removed;
    counts.rejected += 1;
    options.logger.error('PostHog refused an event; it was moved to the dead-letter queue', {
      uuid: message.id,
      status: error.status,
      deadLetterQueue: options.deadLetterQueueName,
    });
    return ok(undefined);
  }

  async function giveBack(messages: readonly QueueMessage[], delayMs: number): Promise<ApiResult<void>> {
    return queue.release(
      queueName,
      messages.map((message) => message.id),
      { delayMs, owner: options.owner },
    );
  }

  // Sends the claimed messages, halving a refused batch; resolves how many were sent, or the failure that
  // stopped it (the messages not sent are given back before it answers).
  async function deliver(
    messages: readonly QueueMessage[],
    signal?: AbortSignal,
  ): Promise<ApiResult<number>> {
    const outcome = await send(messages, signal);
    switch (outcome.kind) {
      case 'sent': {
        const acked = await queue.ack(
          queueName,
          messages.map((message) => message.id),
        );
        // Sent but not deleted (the database failed): the lease lapses and they go again; PostHog drops the
        // repeats by uuid. Counted as sent all the same, since they arrived.
        counts.sent += messages.length;
        return acked.success ? ok(messages.length) : acked;
      }
      case 'refused': {
        const [first] = messages;
        if (messages.length === 1 && first) {
          const moved = await deadLetter(first, outcome.error);
          return moved.success ? ok(0) : moved;
        }
        const middle = Math.ceil(messages.length / 2);
        const left = await deliver(messages.slice(0, middle), signal);
        if (!left.success) {
          const back = await giveBack(messages.slice(middle), 0);
          return back.success ? left : back;
        }
        const right = await deliver(messages.slice(middle), signal);
        return right.success ? ok(left.data + right.data) : right;
      }
      case 'auth':
      case 'retry': {
        counts.retries += 1;
        const attempts = Math.max(...messages.map((message) => message.attempts));
        const delayMs =
          outcome.kind === 'retry' && outcome.delayMs !== undefined
            ? outcome.delayMs
            : retryDelayMs(attempts, options.retryDelay);
        const back = await giveBack(messages, delayMs);
        if (!back.success) return back;
        options.logger.warn('PostHog batch not accepted; the events stay in the outbox', {
          events: messages.length,
          status: outcome.error.status,
          code: outcome.error.code,
          retryInMs: delayMs,
        });
        return err(
          new IntegrationError(outcome.error.code, outcome.error.message, {
            status: outcome.error.status,
            retryable: outcome.kind === 'retry',
            retryAfterMs: delayMs,
            cause: outcome.error,
          }),
        );
      }
    }
  }

  return {
    counts,
    async round(signal) {
      const claimed = await queue.claim(queueName, {
        owner: options.owner,
        limit: options.batchSize,
        leaseMs: options.leaseMs,
        maxBytes: options.maxBatchBytes,
      });
      if (!claimed.success) return claimed;
      if (claimed.data.length === 0) return ok({ claimed: 0, sent: 0 });
      const delivered = await deliver(claimed.data, signal);
      if (!delivered.success) return delivered;
      return ok({ claimed: claimed.data.length, sent: delivered.data });
    },
  };
}

// Exponential from the first attempt, "equal jitter": at least half the ceiling, so a refused key or a down
// server is never hammered, yet processes that failed together do not retry together.
function retryDelayMs(attempts: number, delay: { initialDelayMs: number; maxDelayMs: number }): number {
  const ceiling = Math.min(
    delay.maxDelayMs,
    delay.initialDelayMs * 2 ** Math.min(30, Math.max(0, attempts - 1)),
  );
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}
