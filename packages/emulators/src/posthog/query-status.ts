// Async queries as PostHog runs them (PostHog/posthog `posthog/clickhouse/client/execute_async.py`):
// `enqueue_process_query_task` stores a `QueryStatus { id, team_id, start_time }` and queues a task; the worker sets
// `pickup_time`, runs the query (taking one of the team's concurrency slots), then stores `complete: true` with the
// whole response in `results`, or `error: true` with `error_message` when the error may be shown (an
// `ExposedHogQLError`, an `APIException`), else none. Statuses live `STATUS_TTL_SECONDS` (20 minutes) after their last
// store. `cancel_query` answers "Query already complete" for a finished query and keeps it, else revokes the task,
// cancels it on ClickHouse ("Cancelled query on clickhouse", or with `dequeue_only` "Only tried to dequeue, not
// cancelling query on clickhouse") and deletes the status, so a later poll is `QueryNotFoundError` (404).
// The `QueryStatus` fields are `posthog/schema.py` `QueryStatus`'s, in its order.
import type { ConcurrencySlots } from './query-throttle.ts';

/** When an async query finishes: after some time running, or on the Nth poll (whichever comes first). */
export interface AsyncCompletion {
  /** Finished once it has run this long (from its pickup), by the emulator's clock. */
  completeAfterMs?: number;
  /** Finished when polled this many times (the Nth poll sees the result). */
  completeAfterPolls?: number;
}

/** What a query run gives: the whole response, or the error a poll reports (`message` null when not shown). */
export type QueryOutcome = { ok: true; body: unknown } | { ok: false; message: string | null };

/** `QueryStatus` as PostHog serialises it. */
export interface QueryStatusJson {
  complete: boolean;
  dashboard_id: null;
  end_time: string | null;
  error: boolean;
  error_message: string | null;
  expiration_time: string | null;
  id: string;
  insight_id: null;
  labels: null;
  pickup_time: string | null;
  query_async: true;
  query_progress: QueryProgressJson | null;
  results: unknown;
  start_time: string;
  task_id: string | null;
  team_id: number;
}

/** `ClickhouseQueryProgress`, all zero in the emulator. */
export interface QueryProgressJson {
  bytes_read: number;
  rows_read: number;
  estimated_rows_total: number;
  time_elapsed: number;
  active_cpu_time: number;
}

/** How dates are written: DRF's encoder (microseconds, for the POST) or Django's `JsonResponse` (milliseconds, polls). */
export type DateStyle = 'drf' | 'django';

interface QueryRecord {
  id: string;
  teamId: number;
  startTime: number;
  pickupTime: number | undefined;
  endTime: number | undefined;
  storedAt: number;
  taskId: string | undefined;
  complete: boolean;
  error: boolean;
  errorMessage: string | null;
  results: unknown;
  polls: number;
  run: () => QueryOutcome;
  outcome: QueryOutcome | undefined;
}

/** Options of {@link createQueryStatusRegistry}. */
export interface QueryStatusRegistryOptions {
  teamId: number;
  slots: ConcurrencySlots;
  completion: AsyncCompletion;
  /** How long a queued query waits for a slot before it fails (by the emulator's clock). */
  queueWaitMs: number;
  clock: () => number;
  newTaskId: () => string;
}

/** The async queries of one team. */
export interface QueryStatusRegistry {
  /** Whether a status is stored under `id` now. */
  has(id: string): boolean;
  /**
   * Stores a new status for `id` (replacing one already there) and queues `run`; returns the status as enqueued (not
   * yet picked up), which is what the POST answers.
   */
  enqueue(id: string, run: () => QueryOutcome): QueryStatusJson;
  /** The stored status, without counting a poll. */
  peek(id: string, style?: DateStyle): QueryStatusJson | undefined;
  /** Counts a poll of `id` and answers it as `GET /query/{id}/` does: 202 running, 200 done, 400/500 failed, 404. */
  poll(id: string, options?: { showProgress?: boolean }): Response;
  /** `DELETE /query/{id}/`: the message `cancel_query` returns. */
  cancel(id: string, options?: { dequeueOnly?: boolean }): string;
  /** Picks up queued queries that find a slot, finishes those whose time has come, drops expired statuses. */
  advance(): void;
  /** Queries picked up and not finished (each holds a slot). */
  running(): number;
  reset(): void;
}

// execute_async.py QueryStatusManager.STATUS_TTL_SECONDS.
const STATUS_TTL_MS = 20 * 60 * 1000;

/**
 * Creates the async-query registry of a team, sharing its concurrency `slots` with blocking queries.
 * @example const registry = createQueryStatusRegistry({ teamId: 1, slots, completion: { completeAfterPolls: 1 }, queueWaitMs: 30_000, clock: Date.now, newTaskId: randomUUID });
 */
export function createQueryStatusRegistry(options: QueryStatusRegistryOptions): QueryStatusRegistry {
  const { teamId, slots, completion, queueWaitMs, clock, newTaskId } = options;
  let records = new Map<string, QueryRecord>();

  function store(record: QueryRecord, at: number) {
    record.storedAt = at;
  }

  function finish(record: QueryRecord, at: number) {
    const outcome = record.outcome ?? { ok: false, message: null };
    record.complete = true;
    if (outcome.ok) {
      record.error = false;
      record.results = outcome.body;
    } else {
      record.error = true;
      record.errorMessage = outcome.message;
      record.results = null;
    }
    record.endTime = at;
    store(record, at);
    slots.release(record.id);
  }

  function pickUp(record: QueryRecord, at: number) {
    record.pickupTime = at;
    record.taskId ??= newTaskId();
    try {
      record.outcome = record.run();
    } catch {
      // An error nothing may show (execute_process_query: only known-safe errors keep their message).
      record.outcome = { ok: false, message: null };
    }
    store(record, at);
  }

  function advanceRecord(record: QueryRecord, at: number) {
    if (record.complete) return;
    if (record.pickupTime === undefined) {
      if (slots.tryAcquire(record.id)) pickUp(record, at);
      else if (at - record.startTime >= queueWaitMs) {
        // The worker gave up waiting for a slot: ConcurrencyLimitExceeded, not a shown error (poll: 500).
        record.outcome = { ok: false, message: null };
        record.taskId ??= newTaskId();
        finish(record, at);
        return;
      }
    }
    if (
      record.pickupTime !== undefined &&
      completion.completeAfterMs !== undefined &&
      at - record.pickupTime >= completion.completeAfterMs
    ) {
      finish(record, at);
    }
  }

  function advance() {
    const at = clock();
    for (const [id, record] of records) {
      if (at > record.storedAt + STATUS_TTL_MS) {
        records.delete(id);
        slots.release(id);
        continue;
      }
      advanceRecord(record, at);
    }
  }

  function json(record: QueryRecord, style: DateStyle, showProgress = false): QueryStatusJson {
    const date = (ms: number | undefined) => (ms === undefined ? null : formatDate(ms, style));
    return {
      complete: record.complete,
      dashboard_id: null,
      end_time: date(record.endTime),
      error: record.error,
      error_message: record.errorMessage,
      expiration_time: date(record.storedAt + STATUS_TTL_MS),
      id: record.id,
      insight_id: null,
      labels: null,
      pickup_time: date(record.pickupTime),
      query_async: true,
      query_progress:
        showProgress && !record.complete
          ? { bytes_read: 0, rows_read: 0, estimated_rows_total: 0, time_elapsed: 0, active_cpu_time: 0 }
          : null,
      results: record.results,
      start_time: formatDate(record.startTime, style),
      task_id: record.taskId ?? null,
      team_id: record.teamId,
    };
  }

  return {
    has(id) {
      advance();
      return records.has(id);
    },
    enqueue(id, run) {
      advance();
      const previous = records.get(id);
      if (previous) slots.release(id);
      const at = clock();
      const record: QueryRecord = {
        id,
        teamId,
        startTime: at,
        pickupTime: undefined,
        endTime: undefined,
        storedAt: at,
        taskId: undefined,
        complete: false,
        error: false,
        errorMessage: null,
        results: null,
        polls: 0,
        run,
        outcome: undefined,
      };
      records.set(id, record);
      const enqueued = json(record, 'drf');
      advanceRecord(record, at);
      return enqueued;
    },
    peek(id, style = 'django') {
      advance();
      const record = records.get(id);
      return record ? json(record, style) : undefined;
    },
    poll(id, options = {}) {
      advance();
      const record = records.get(id);
      if (!record) {
        return Response.json(
          {
            type: 'invalid_request',
            code: 'not_found',
            detail: `Query ${id} not found for team ${teamId}`,
            attr: null,
          },
          { status: 404 },
        );
      }
      record.polls += 1;
      if (
        !record.complete &&
        record.pickupTime !== undefined &&
        completion.completeAfterPolls !== undefined &&
        record.polls >= completion.completeAfterPolls
      ) {
        finish(record, clock());
        // The freed slot goes to the next queued query at once, as a waiting worker's retry would take it.
        advance();
      }
      // query.py retrieve: 400 when the error can be shown, 500 when not, 200 done, 202 running.
      const status = record.error ? (record.errorMessage ? 400 : 500) : record.complete ? 200 : 202;
      return Response.json({ query_status: json(record, 'django', options.showProgress) }, { status });
    },
    cancel(id, options = {}) {
      advance();
      const record = records.get(id);
      if (record?.complete) return 'Query already complete';
      records.delete(id);
      slots.release(id);
      advance();
      return options.dequeueOnly
        ? 'Only tried to dequeue, not cancelling query on clickhouse'
        : 'Cancelled query on clickhouse';
    },
    advance,
    running() {
      advance();
      let count = 0;
      for (const record of records.values())
        if (record.pickupTime !== undefined && !record.complete) count += 1;
      return count;
    },
    reset() {
      for (const id of records.keys()) slots.release(id);
      records = new Map();
    },
  };
}

/**
 * A date as PostHog's encoders write a UTC datetime: DRF keeps microseconds (`2026-01-15T10:00:00.123000Z`), Django's
 * `DjangoJSONEncoder` cuts them to milliseconds and drops a zero fraction (`2026-01-15T10:00:00.123Z`,
 * `2026-01-15T10:00:00Z`).
 */
export function formatDate(ms: number, style: DateStyle): string {
  const iso = new Date(ms).toISOString();
  const seconds = iso.slice(0, 19);
  const millis = iso.slice(20, 23);
  if (style === 'drf') return millis === '000' ? `${seconds}Z` : `${seconds}.${millis}000Z`;
  return millis === '000' ? `${seconds}Z` : `${seconds}.${millis}Z`;
}
