// Durable capture: capture() resolves once the event is in the store's outbox (group-committed), and a sender
// moves the outbox to PostHog in gzipped batches, deleting events only after a 2xx. posthog-node keeps its
// queue in memory, so a crash, a SIGKILL, a frozen serverless function or a full queue loses events; here the
// process can die at any instant and what capture() confirmed is still sent, by this process or the next.
import {
  type ApiResult,
  createHttpClient,
  err,
  type HttpHooks,
  IntegrationError,
  type Logger,
  noopLogger,
  ok,
  revealSecret,
  type Secret,
  settle,
  sleep,
} from '@patchbay/core';
import type { QueueStore } from '@patchbay/core/store';
import { openStore } from '@patchbay/runtime';
import { type PostHogCaptureEvent, prepareEvent } from './capture-event.ts';
import { resolveCaptureOptions } from './capture-options.ts';
import { createGroupCommit } from './group-commit.ts';
import { createOutboxSender } from './outbox-sender.ts';
import { uuidV7 } from './uuid-v7.ts';

/** Options of {@link createPostHogCapture}. */
export interface PostHogCaptureOptions {
  /** The project API key (`phc_…`). */
  projectApiKey: string | Secret;
  /** Ingestion host. Default `https://us.i.posthog.com` (EU: `https://eu.i.posthog.com`). */
  host?: string;
  /**
   * Where the outbox lives: a database URL (`sqlite:./events.db`, `postgres://…` for many processes) or an
   * opened Patchbay store. Default `sqlite:./patchbay-posthog.db`.
   */
  store?: string | { readonly queue?: QueueStore; close?(): Promise<void> };
  /** The outbox's queue name in the store; its refused events go to `<queueName>:dead`. Default `posthog-capture`. */
  queueName?: string;
  /** Events per request. Default 1 000. */
  batchSize?: number;
  /** Largest sum of event sizes in one request, in bytes. Default 5 000 000. */
  maxBatchBytes?: number;
  /** How long a partial batch waits before it is sent. Default 1 000 ms. */
  flushIntervalMs?: number;
  /** Largest event; a bigger one is refused by capture(). Default 1 000 000 bytes (PostHog's limit). */
  maxEventBytes?: number;
  /** Most events the outbox holds; past it capture() waits or fails, as `whenFull` says. Default 1 000 000. */
  maxQueueSize?: number;
  /** With a full outbox: wait up to `maxWaitMs` for room (default), or fail at once with `RATE_LIMIT`. */
  whenFull?: 'wait' | 'error';
  /** Longest a capture() waits for room in a full outbox. Default 30 000 ms. */
  maxWaitMs?: number;
  /** Batches in flight at once from this process. Default 2. */
  concurrency?: number;
  /** Most events in one outbox transaction. Default 2 000. */
  maxGroupSize?: number;
  /** How long a claimed batch is this process's alone; longer than a send takes. Default 30 000 ms. */
  leaseMs?: number;
  /** Per-request timeout. Default 10 000 ms. */
  timeoutMs?: number;
  /** Gzip request bodies. Default true. */
  gzip?: boolean;
  /** Backoff of a batch PostHog did not take, when it named no wait. Default 1 s doubling to 60 s. */
  retryDelay?: { initialDelayMs: number; maxDelayMs: number };
  /**
   * Serverless: no background timer (a frozen function runs none); each commit starts a send, handed to
   * `waitUntil` when given. Unsent events stay in the outbox for the next invocation.
   */
  serverless?: boolean | { waitUntil?: (promise: Promise<unknown>) => void };
  fetch?: typeof fetch;
  logger?: Logger;
  hooks?: HttpHooks;
  /** Epoch-milliseconds clock. Default `Date.now`. */
  now?: () => number;
}

/** What a capture instance has done, from this process's view. */
export interface PostHogCaptureStats {
  /** capture() calls that resolved with the event durable. */
  captured: number;
  /** Events PostHog accepted (2xx) from this process. */
  sent: number;
  /** Events PostHog refused one by one, kept in the dead-letter queue. */
  rejected: number;
  /** Requests sent. */
  requests: number;
  /** Batches given back to the outbox to try again. */
  retries: number;
  /** Events waiting for their outbox commit. */
  committing: number;
  /** Events in the outbox as last seen (all processes'). */
  outbox: number;
  /** The last failure to send or store, if the latest attempt failed. */
  lastError: { code: string; message: string } | null;
}

/** A durable PostHog capture client. */
export interface PostHogCapture {
  /** Stores the event durably; resolves with its uuid once it will survive a crash. */
  capture(event: PostHogCaptureEvent): Promise<ApiResult<{ uuid: string }>>;
  /** Sends everything in the outbox; fails with the last error when events remain after `timeoutMs` (default 10 s). */
  flush(options?: { timeoutMs?: number }): Promise<ApiResult<{ sent: number }>>;
  /** Stops accepting events, flushes for up to `timeoutMs` and closes a store it opened. Unsent events stay stored. */
  shutdown(options?: { timeoutMs?: number }): Promise<ApiResult<{ sent: number; pending: number }>>;
  /** Counters of this instance. */
  stats(): PostHogCaptureStats;
}

const LIB = { $lib: '@patchbay/posthog' };

/**
 * Creates a durable capture client: events go to an outbox in `store` (SQLite by default, PostgreSQL shared by
 * many processes) and from there to PostHog's `/batch/` in gzipped batches.
 * @throws IntegrationError `CONFIG_ERROR` naming the field (`projectApiKey`, `host`, …).
 * @example
 * const posthog = createPostHogCapture({ projectApiKey: process.env.POSTHOG_KEY!, store: 'sqlite:./events.db' });
 * await posthog.capture({ event: 'signed_up', distinctId: user.id, properties: { plan: 'pro' } });
 */
export function createPostHogCapture(options: PostHogCaptureOptions): PostHogCapture {
  const settings = resolveCaptureOptions(options);
  const { now, queueName, batchSize } = settings;
  const logger = (settings.logger as Logger | undefined) ?? noopLogger;
  const owner = `posthog-capture-${uuidV7()}`;
  const http = createHttpClient({
    baseUrl: settings.host,
    timeoutMs: settings.timeoutMs,
    // Retries happen through the outbox, so a batch that waits does not hold its lease or the sender.
    retry: false,
    idempotency: false,
    fetch: settings.fetch,
    logger,
    hooks: settings.hooks as HttpHooks | undefined,
  });

  // The store opens once, in the background; every call waits for it and shares its failure.
  const opened: Promise<ApiResult<{ queue: QueueStore; close?: () => Promise<void> }>> = (async () => {
    if (typeof settings.store === 'string') {
      const store = await openStore(settings.store, { field: 'store' });
      if (!store.success) return store;
      if (!store.data.queue) return err(noQueue());
      return ok({ queue: store.data.queue, close: () => store.data.close() });
    }
    const queue = (settings.store as { queue?: QueueStore }).queue;
    return queue ? ok({ queue }) : err(noQueue());
  })();

  let queue: QueueStore | undefined;
  let sender: ReturnType<typeof createOutboxSender> | undefined;
  let captured = 0;
  let outbox = 0;
  let unsent = 0;
  let lastError: IntegrationError | null = null;
  let pausedUntil = 0;
  let closed = false;
  let pumping: Promise<void> | undefined;
  let pumpAgain = false;

  const ready: Promise<ApiResult<QueueStore>> = opened.then(async (store) => {
    if (!store.success) return store;
    queue = store.data.queue;
    sender = createOutboxSender({
      queue,
      queueName,
      deadLetterQueueName: `${queueName}:dead`,
      http,
      projectApiKey: revealSecret(settings.projectApiKey),
      gzip: settings.gzip,
      batchSize,
      maxBatchBytes: settings.maxBatchBytes,
      leaseMs: settings.leaseMs,
      owner,
      retryDelay: settings.retryDelay,
      now,
      logger,
    });
    const stats = await queue.stats(queueName);
    if (stats.success) {
      outbox = stats.data.count;
      unsent = stats.data.count;
    }
    return ok(queue);
  });

  const group = createGroupCommit<{ uuid: string; payload: string }>({
    maxGroupSize: settings.maxGroupSize,
    commit: async (items) => {
      const store = await ready;
      if (!store.success) return store;
      const added = await store.data.enqueue(
        queueName,
        items.map((item) => ({ id: item.uuid, payload: item.payload })),
      );
      if (!added.success) {
        lastError = added.error;
        return added;
      }
      outbox += added.data.added;
      unsent += added.data.added;
      afterCommit();
      return added;
    },
  });

  const serverless = settings.serverless;
  const waitUntil = typeof serverless === 'object' ? serverless.waitUntil : undefined;

  function afterCommit(): void {
    if (serverless !== false) {
      const sending = pump(true);
      waitUntil?.(sending);
    } else if (unsent >= batchSize) {
      void pump(false);
    }
  }

  // Sends rounds until the outbox has no full batch left (or none at all when `all`), pausing after a failure
  // for as long as the failure asks. One pump at a time; a call during one makes it go round again.
  function pump(all: boolean): Promise<void> {
    if (pumping) {
      pumpAgain ||= all;
      return pumping;
    }
    pumping = (async () => {
      let wantAll = all;
      do {
        pumpAgain = false;
        while (sender && now() >= pausedUntil) {
          const batches = wantAll ? Math.ceil(unsent / batchSize) : Math.floor(unsent / batchSize);
          const width = Math.max(1, Math.min(settings.concurrency, batches));
          const rounds = await Promise.all(
            Array.from({ length: width }, () =>
              settle('a capture send', () => sender?.round() ?? ok({ claimed: 0, sent: 0 })),
            ),
          );
          let claimed = 0;
          let failed: IntegrationError | undefined;
          for (const round of rounds) {
            if (round.success) {
              claimed += round.data.claimed;
              unsent = Math.max(0, unsent - round.data.claimed);
              outbox = Math.max(0, outbox - round.data.claimed);
            } else failed ??= round.error;
          }
          if (failed) {
            lastError = failed;
            pausedUntil = now() + (failed.retryAfterMs ?? settings.retryDelay.initialDelayMs);
            break;
          }
          lastError = null;
          if (claimed === 0) break;
          // A partial claim drained what was due: events that came in during the send wait for a full batch or their age.
          if (claimed < width * batchSize) break;
          if (!wantAll && unsent < batchSize) break;
        }
        wantAll = pumpAgain;
      } while (pumpAgain && now() >= pausedUntil);
    })().finally(() => {
      pumping = undefined;
    });
    return pumping;
  }

  // The background timer sends partial batches and leftovers of a crashed predecessor; unref'd, since what it
  // would send is already durable: exiting loses nothing.
  let timer: ReturnType<typeof setInterval> | undefined;
  if (serverless === false) {
    timer = setInterval(() => {
      void (async () => {
        const oldest = await refreshOutbox();
        // A partial batch goes only once its oldest event has waited flushIntervalMs.
        if (oldest !== null && now() - oldest >= settings.flushIntervalMs) void pump(true);
        else if (unsent >= batchSize) void pump(false);
      })();
    }, settings.flushIntervalMs);
    (timer as { unref?: () => void }).unref?.();
  }
  void ready.then((store) => {
    if (store.success) void pump(true);
    else lastError = store.error;
  });

  async function refreshOutbox(): Promise<number | null> {
    if (!queue) return null;
    const stats = await queue.stats(queueName);
    if (!stats.success) return null;
    outbox = stats.data.count;
    return stats.data.oldestEnqueuedAt;
  }

  async function waitForRoom(): Promise<ApiResult<void>> {
    const deadline = now() + settings.maxWaitMs;
    while (outbox + group.pending >= settings.maxQueueSize) {
      if (settings.whenFull === 'error' || now() >= deadline) {
        return err(
          new IntegrationError(
            'RATE_LIMIT',
            `The capture outbox holds ${outbox} events (maxQueueSize ${settings.maxQueueSize}): PostHog is not taking them as fast as they come${lastError ? ` (last failure: ${lastError.message})` : ''}`,
            { retryable: true, retryAfterMs: settings.flushIntervalMs },
          ),
        );
      }
      void pump(true);
      await sleep(Math.min(50, Math.max(1, deadline - now())));
      await refreshOutbox();
    }
    return ok(undefined);
  }

  async function flush(timeoutMs: number): Promise<ApiResult<{ sent: number }>> {
    const store = await ready;
    if (!store.success) return store;
    const before = sender?.counts.sent ?? 0;
    const deadline = now() + timeoutMs;
    await group.idle();
    for (;;) {
      await pump(true);
      const stats = await store.data.stats(queueName);
      if (!stats.success) return stats;
      outbox = stats.data.count;
      const sent = (sender?.counts.sent ?? 0) - before;
      if (stats.data.count === 0) return ok({ sent });
      const left = deadline - now();
      if (left <= 0) {
        const why = lastError ? `: ${lastError.message}` : '';
        return err(
          new IntegrationError(
            lastError?.code ?? 'TIMEOUT',
            `${stats.data.count} events are still in the outbox after ${timeoutMs} ms${why}; they stay stored and will be sent`,
            { retryable: true, cause: lastError ?? undefined },
          ),
        );
      }
      await sleep(Math.min(left, Math.max(10, pausedUntil - now()), 100));
    }
  }

  async function capture(event: PostHogCaptureEvent): Promise<ApiResult<{ uuid: string }>> {
    if (closed) {
      return err(
        new IntegrationError('OPERATION_FAILED', 'This PostHog capture was shut down', { retryable: false }),
      );
    }
    const prepared = prepareEvent(event, { now: now(), maxEventBytes: settings.maxEventBytes, lib: LIB });
    if (!prepared.success) return prepared;
    if (outbox + group.pending >= settings.maxQueueSize) {
      const room = await waitForRoom();
      if (!room.success) return room;
    }
    const stored = await group.add(prepared.data);
    if (!stored.success) return stored;
    captured += 1;
    return ok({ uuid: prepared.data.uuid });
  }

  return {
    capture(event) {
      return settle('capture', () => capture(event));
    },
    flush(flushOptions) {
      return settle('flush', () => flush(readTimeout(flushOptions)));
    },
    async shutdown(shutdownOptions) {
      return settle('shutdown', async () => {
        closed = true;
        const flushed = await flush(readTimeout(shutdownOptions));
        if (timer) clearInterval(timer);
        await pumping;
        const store = await opened;
        const pending = outbox;
        if (store.success) await store.data.close?.();
        if (!flushed.success) return flushed;
        return ok({ sent: flushed.data.sent, pending });
      });
    },
    stats() {
      const counts = sender?.counts ?? { sent: 0, rejected: 0, requests: 0, retries: 0 };
      return {
        captured,
        sent: counts.sent,
        rejected: counts.rejected,
        requests: counts.requests,
        retries: counts.retries,
        committing: group.pending,
        outbox,
        lastError: lastError ? { code: lastError.code, message: lastError.message } : null,
      };
    },
  };
}

const noQueue = () =>
  new IntegrationError(
    'CONFIG_ERROR',
    'store must be a Patchbay store with a queue (SQLite, PostgreSQL or memory)',
    {
      field: 'store',
      retryable: false,
    },
  );

function readTimeout(options: unknown): number {
  try {
    const value = (options as { timeoutMs?: unknown } | undefined)?.timeoutMs;
    return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 10_000;
  } catch {
    return 10_000;
  }
}
