// A durable queue needs little from storage: append a batch at once, hand each message to one consumer at a
// time for a while (a lease, so a consumer that dies gives its messages back by doing nothing), delete what was
// delivered, give back what was not. Adapters implement it on their database (SQLite, PostgreSQL); the memory
// store here serves one process and tests. The contract suite (`@patchbay/core/testing`) holds them to the same
// behaviour, and the checks below make every adapter refuse the same input the same way, before anything is
// written.

import { describeType, isPlainObject, readArray, readOptions, UNREADABLE } from '../input/caller-input.ts';
import { type FieldIssue, IntegrationError, issuesError } from '../result/errors.ts';
import { type ApiResult, err, ok } from '../result/result.ts';
import { MAX_BATCH_ENTRIES } from './store-validation.ts';

/** A message to enqueue: the caller's id (unique within its queue) and its payload text (e.g. JSON). */
export interface QueueMessageInput {
  id: string;
  payload: string;
}

/** A claimed message. */
export interface QueueMessage {
  id: string;
  payload: string;
  /** Epoch milliseconds at which it was enqueued (the store's clock). */
  enqueuedAt: number;
  /** How many times it was claimed, this claim included. */
  attempts: number;
}

/** Options of {@link QueueStore.claim}. */
export interface QueueClaimOptions {
  /** Who claims (e.g. a process id): kept on the claim, so `release({ owner })` gives back only its own. */
  owner: string;
  /** Most messages to claim, 1 to 10 000. */
  limit: number;
  /** How long the claim holds, in milliseconds; after it lapses the messages are available again. */
  leaseMs: number;
  /** Most UTF-8 bytes of payload in all (a single larger message is still returned alone). */
  maxBytes?: number;
}

/** Options of {@link QueueStore.release}. */
export interface QueueReleaseOptions {
  /** Milliseconds before the messages are available again. Default 0. */
  delayMs?: number;
  /** Only messages whose claim this owner made are given back: a consumer whose lease lapsed cannot undo another's claim. */
  owner?: string;
}

/** What a queue holds now. */
export interface QueueStats {
  /** Messages in the queue, claimed or not. */
  count: number;
  /** UTF-8 bytes of their payloads. */
  bytes: number;
  /** Messages under a claim that has not lapsed. */
  claimed: number;
  /** The earliest `enqueuedAt` in the queue, or null when it is empty. */
  oldestEnqueuedAt: number | null;
}

/**
 * A durable message queue (an outbox of events to send, a webhook queue): named queues of messages with ids,
 * claimed for a lease by one consumer at a time, deleted once delivered. Every method returns an ApiResult; bad
 * input is a `VALIDATION_ERROR` naming the field (`messages.3.id`), and nothing is written.
 */
export interface QueueStore {
  /** Appends in ONE transaction (all or none). An id already in the queue is left as it is and not counted. */
  enqueue(queue: string, messages: readonly QueueMessageInput[]): Promise<ApiResult<{ added: number }>>;
  /**
   * Claims up to `limit` available messages (not claimed, or whose claim lapsed, and whose delay passed), oldest
   * enqueue first, for `leaseMs`; attempts +1. Atomic across processes: two concurrent claims never get the same
   * message. `maxBytes` bounds the sum of the payloads' UTF-8 byte lengths (but a single message larger than it
   * is still returned alone, so nothing gets stuck).
   */
  claim(queue: string, options: QueueClaimOptions): Promise<ApiResult<QueueMessage[]>>;
  /** Deletes delivered messages (any owner); `deleted` counts those that existed. */
  ack(queue: string, ids: readonly string[]): Promise<ApiResult<{ deleted: number }>>;
  /**
   * Gives claimed messages back (a live or lapsed claim; one never claimed is left as it is), available again
   * after `delayMs` (default 0); with `owner`, only the claims that owner made.
   */
  release(queue: string, ids: readonly string[], options?: QueueReleaseOptions): Promise<ApiResult<void>>;
  /** What the queue holds now: count, bytes (UTF-8 of payloads), how many are under a live claim, oldest enqueuedAt or null. */
  stats(queue: string): Promise<ApiResult<QueueStats>>;
  /** Which of `ids` the queue holds now (claimed or not), each once in the order given: e.g. one job per id across two queues. */
  has(queue: string, ids: readonly string[]): Promise<ApiResult<string[]>>;
}

/** Longest queue name (and claim owner). */
export const MAX_QUEUE_NAME_LENGTH = 200;
/** Longest message id: room for a namespace and any vendor's event id. */
export const MAX_QUEUE_MESSAGE_ID_LENGTH = 1_024;
/** Most messages one claim takes. */
export const MAX_QUEUE_CLAIM_LIMIT = 10_000;
/** Longest lease or release delay, one year: more is a mistake, and keeps every expiry a safe integer. */
export const MAX_QUEUE_DELAY_MS = 365 * 24 * 60 * 60 * 1_000;

/** Issues kept per failure: enough to fix a batch, bounded however much of it is wrong. */
const MAX_ISSUES = 100;
const TEXT_RULE = 'must be well-formed text without NUL characters';

// Why `value` is not text a queue keeps as given (PostgreSQL refuses NUL; a lone surrogate would be stored as
// U+FFFD, making two ids one), or undefined when it is. `max` undefined: every length, empty included.
function textIssue(value: unknown, max?: number): string | undefined {
  if (typeof value !== 'string') return `must be a string, not ${describeType(value)}`;
  if (max !== undefined && (value.length === 0 || value.length > max)) {
    return `must be 1 to ${max} characters, not ${value.length}`;
  }
  if (value.includes('\u0000') || !value.isWellFormed()) return TEXT_RULE;
  return undefined;
}

const failure = (what: string, issues: FieldIssue[]): ApiResult<never> =>
  err(issuesError('VALIDATION_ERROR', what, issues));

/**
 * Checks a queue name: 1 to 200 characters of well-formed text without NUL. A `VALIDATION_ERROR` names `queue`.
 * @example const name = validateQueueName(queue); if (!name.success) return name;
 */
export function validateQueueName(queue: unknown): ApiResult<string> {
  const issue = textIssue(queue, MAX_QUEUE_NAME_LENGTH);
  return issue === undefined
    ? ok(queue as string)
    : failure('queue name', [{ field: 'queue', message: issue }]);
}

/**
 * Checks an `enqueue` call and returns plain copies: the queue name, and the messages (ids of 1 to 1 024
 * characters, payloads any string; both well-formed text without NUL), the first of each id kept. Issues name
 * the index and field (`messages.3.id`), never a value; at most 1 000 000 messages.
 * @example const checked = validateQueueEnqueue(queue, messages); if (!checked.success) return checked;
 */
export function validateQueueEnqueue(
  queue: unknown,
  messages: unknown,
): ApiResult<{ queue: string; messages: QueueMessageInput[] }> {
  const name = validateQueueName(queue);
  if (!name.success) return name;
  const list = readArray(messages, 'messages', { maxLength: MAX_BATCH_ENTRIES });
  if (!list.success) return list;
  const issues: FieldIssue[] = [];
  const copies: QueueMessageInput[] = [];
  const seen = new Set<string>();
  for (let index = 0; index < list.data.length && issues.length < MAX_ISSUES; index++) {
    const entry = list.data[index];
    if (!isPlainObject(entry)) {
      issues.push({ field: `messages.${index}`, message: `must be an object, not ${describeType(entry)}` });
      continue;
    }
    // Each field read once, without a getter or Proxy trap throwing past it.
    let id: unknown;
    let payload: unknown;
    try {
      id = entry.id;
    } catch {
      issues.push({ field: `messages.${index}.id`, message: UNREADABLE });
      continue;
    }
    try {
      payload = entry.payload;
    } catch {
      issues.push({ field: `messages.${index}.payload`, message: UNREADABLE });
      continue;
    }
    const idIssue = textIssue(id, MAX_QUEUE_MESSAGE_ID_LENGTH);
    if (idIssue !== undefined) issues.push({ field: `messages.${index}.id`, message: idIssue });
    const payloadIssue = textIssue(payload);
    if (payloadIssue !== undefined)
      issues.push({ field: `messages.${index}.payload`, message: payloadIssue });
    if (idIssue !== undefined || payloadIssue !== undefined || seen.has(id as string)) continue;
    seen.add(id as string);
    copies.push({ id: id as string, payload: payload as string });
  }
  return issues.length === 0 ? ok({ queue: name.data, messages: copies }) : failure('queue messages', issues);
}

/** A claim request, checked: `maxBytes` null when unbounded, `leaseMs` whole milliseconds. */
export interface CheckedQueueClaim {
  queue: string;
  owner: string;
  limit: number;
  leaseMs: number;
  maxBytes: number | null;
}

// A duration in whole milliseconds (rounded up), between `min` (0 or 1) and a year; issue otherwise.
function durationIssue(value: unknown, min: 0 | 1): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (min === 1 && value <= 0)) {
    return `must be a ${min === 1 ? 'positive' : 'non-negative'}, finite number of milliseconds`;
  }
  return value > MAX_QUEUE_DELAY_MS ? `must be at most ${MAX_QUEUE_DELAY_MS} (a year)` : undefined;
}

/**
 * Checks a `claim` call and returns plain copies: a queue name, an `owner` of 1 to 200 characters of text, a
 * `limit` from 1 to 10 000, a `leaseMs` that is a positive finite number of at most a year (rounded up to whole
 * milliseconds), and `maxBytes` absent or a positive integer. Issues name the field (`limit`).
 * @example const checked = validateQueueClaim(queue, options); if (!checked.success) return checked;
 */
export function validateQueueClaim(queue: unknown, options: unknown): ApiResult<CheckedQueueClaim> {
  const name = validateQueueName(queue);
  if (!name.success) return name;
  if (options === undefined) return failure('claim options', [{ field: 'options', message: 'are required' }]);
  const read = readOptions(options, ['owner', 'limit', 'leaseMs', 'maxBytes']);
  if (!read.success) return read;
  const { owner, limit, leaseMs, maxBytes } = read.data;
  const issues: FieldIssue[] = [];
  const ownerIssue = textIssue(owner, MAX_QUEUE_NAME_LENGTH);
  if (ownerIssue !== undefined) issues.push({ field: 'owner', message: ownerIssue });
  if (!Number.isSafeInteger(limit) || (limit as number) < 1 || (limit as number) > MAX_QUEUE_CLAIM_LIMIT) {
    issues.push({ field: 'limit', message: `must be an integer from 1 to ${MAX_QUEUE_CLAIM_LIMIT}` });
  }
  const leaseIssue = durationIssue(leaseMs, 1);
  if (leaseIssue !== undefined) issues.push({ field: 'leaseMs', message: leaseIssue });
  if (maxBytes !== undefined && (!Number.isSafeInteger(maxBytes) || (maxBytes as number) < 1)) {
    issues.push({ field: 'maxBytes', message: 'must be a positive integer (bytes)' });
  }
  if (issues.length > 0) return failure('claim options', issues);
  return ok({
    queue: name.data,
    owner: owner as string,
    limit: limit as number,
    leaseMs: Math.ceil(leaseMs as number),
    maxBytes: (maxBytes as number | undefined) ?? null,
  });
}

/**
 * Checks the queue and ids of an `ack` (or a `release`) and returns plain copies, duplicates dropped: ids are
 * 1 to 1 024 characters of well-formed text without NUL, as `enqueue` takes them. Issues name `ids.<index>`.
 * @example const checked = validateQueueIds(queue, ids); if (!checked.success) return checked;
 */
export function validateQueueIds(queue: unknown, ids: unknown): ApiResult<{ queue: string; ids: string[] }> {
  const name = validateQueueName(queue);
  if (!name.success) return name;
  const list = readArray(ids, 'ids', { maxLength: MAX_BATCH_ENTRIES });
  if (!list.success) return list;
  const issues: FieldIssue[] = [];
  for (let index = 0; index < list.data.length && issues.length < MAX_ISSUES; index++) {
    const issue = textIssue(list.data[index], MAX_QUEUE_MESSAGE_ID_LENGTH);
    if (issue !== undefined) issues.push({ field: `ids.${index}`, message: issue });
  }
  if (issues.length > 0) return failure('message ids', issues);
  return ok({ queue: name.data, ids: [...new Set(list.data as string[])] });
}

/**
 * Checks a `release` call: the queue and ids as {@link validateQueueIds}, `delayMs` absent (0) or a non-negative
 * finite number of at most a year (rounded up to whole milliseconds), `owner` absent (null) or as a claim's.
 * @example const checked = validateQueueRelease(queue, ids, options); if (!checked.success) return checked;
 */
export function validateQueueRelease(
  queue: unknown,
  ids: unknown,
  options: unknown,
): ApiResult<{ queue: string; ids: string[]; delayMs: number; owner: string | null }> {
  const checked = validateQueueIds(queue, ids);
  if (!checked.success) return checked;
  const read = readOptions(options, ['delayMs', 'owner']);
  if (!read.success) return read;
  const { delayMs = 0, owner } = read.data;
  const issues: FieldIssue[] = [];
  const delayIssue = durationIssue(delayMs, 0);
  if (delayIssue !== undefined) issues.push({ field: 'delayMs', message: delayIssue });
  const ownerIssue = owner === undefined ? undefined : textIssue(owner, MAX_QUEUE_NAME_LENGTH);
  if (ownerIssue !== undefined) issues.push({ field: 'owner', message: ownerIssue });
  if (issues.length > 0) return failure('release options', issues);
  return ok({
    ...checked.data,
    delayMs: Math.ceil(delayMs as number),
    owner: (owner as string | undefined) ?? null,
  });
}

/** Options of {@link createMemoryQueueStore}. */
export interface MemoryQueueStoreOptions {
  /** Epoch-milliseconds clock for enqueue times, leases and delays; default `Date.now`. Inject one in tests. */
  now?: () => number;
}

// One message as the memory queue holds it. `availableAt` is when it may be claimed: its enqueue time, the end
// of its release delay, or the end of its lease while `owner` is set.
interface HeldMessage {
  id: string;
  payload: string;
  bytes: number;
  enqueuedAt: number;
  availableAt: number;
  owner: string | null;
  attempts: number;
}

/**
 * The memory queue with a hook saying whether its owner (a memory store) is closed; `createMemoryStore` uses it.
 * @internal
 */
export function memoryQueue(now: () => number, closed: () => boolean = () => false): QueueStore {
  // Queue → id → message. A Map iterates in insertion order, so each queue's map is in enqueue order: a claim
  // walks it from the front.
  const queues = new Map<string, Map<string, HeldMessage>>();
  let encoder: TextEncoder | undefined;
  const byteLength = (text: string): number => {
    encoder ??= new TextEncoder();
    return encoder.encode(text).length;
  };

  // The clock once per call, or a typed failure (a store is closed, or the injected clock threw or lied).
  const start = (operation: string): ApiResult<number> => {
    if (closed()) return err(new IntegrationError('OPERATION_FAILED', 'The memory store is closed'));
    let at: unknown;
    try {
      at = now();
    } catch (error) {
      return err(
        new IntegrationError('OPERATION_FAILED', `queue.${operation}: the clock threw`, { cause: error }),
      );
    }
    if (!Number.isSafeInteger(at)) {
      return err(
        new IntegrationError('OPERATION_FAILED', `queue.${operation}: the clock answered no integer`, {
          retryable: false,
        }),
      );
    }
    return ok(at as number);
  };

  return {
    async enqueue(queue, messages) {
      const checked = validateQueueEnqueue(queue, messages);
      if (!checked.success) return checked;
      const at = start('enqueue');
      if (!at.success) return at;
      let held = queues.get(checked.data.queue);
      let added = 0;
      for (const message of checked.data.messages) {
        if (held?.has(message.id)) continue;
        if (!held) {
          held = new Map();
          queues.set(checked.data.queue, held);
        }
        held.set(message.id, {
          id: message.id,
          payload: message.payload,
          bytes: byteLength(message.payload),
          enqueuedAt: at.data,
          availableAt: at.data,
          owner: null,
          attempts: 0,
        });
        added++;
      }
      return ok({ added });
    },

    async claim(queue, options) {
      const checked = validateQueueClaim(queue, options);
      if (!checked.success) return checked;
      const at = start('claim');
      if (!at.success) return at;
      const { owner, limit, leaseMs, maxBytes } = checked.data;
      const claimed: QueueMessage[] = [];
      let bytes = 0;
      for (const message of queues.get(checked.data.queue)?.values() ?? []) {
        if (claimed.length >= limit) break;
        if (message.availableAt > at.data) continue;
        // The oldest available messages, in order, up to the bound; the first one even when it alone exceeds it.
        if (maxBytes !== null && claimed.length > 0 && bytes + message.bytes > maxBytes) break;
        bytes += message.bytes;
        message.owner = owner;
        message.availableAt = at.data + leaseMs;
        message.attempts++;
        claimed.push({
          id: message.id,
          payload: message.payload,
          enqueuedAt: message.enqueuedAt,
          attempts: message.attempts,
        });
      }
      return ok(claimed);
    },

    async ack(queue, ids) {
      const checked = validateQueueIds(queue, ids);
      if (!checked.success) return checked;
      const at = start('ack');
      if (!at.success) return at;
      const held = queues.get(checked.data.queue);
      let deleted = 0;
      for (const id of checked.data.ids) if (held?.delete(id)) deleted++;
      if (held?.size === 0) queues.delete(checked.data.queue);
      return ok({ deleted });
    },

    async release(queue, ids, options) {
      const checked = validateQueueRelease(queue, ids, options);
      if (!checked.success) return checked;
      const at = start('release');
      if (!at.success) return at;
      const { delayMs, owner } = checked.data;
      const held = queues.get(checked.data.queue);
      for (const id of checked.data.ids) {
        const message = held?.get(id);
        if (!message || message.owner === null || (owner !== null && message.owner !== owner)) continue;
        message.owner = null;
        message.availableAt = at.data + delayMs;
      }
      return ok(undefined);
    },

    async has(queue, ids) {
      const checked = validateQueueIds(queue, ids);
      if (!checked.success) return checked;
      const at = start('has');
      if (!at.success) return at;
      const held = queues.get(checked.data.queue);
      return ok(checked.data.ids.filter((id) => held?.has(id) ?? false));
    },

    async stats(queue) {
      const name = validateQueueName(queue);
      if (!name.success) return name;
      const at = start('stats');
      if (!at.success) return at;
      const stats: QueueStats = { count: 0, bytes: 0, claimed: 0, oldestEnqueuedAt: null };
      for (const message of queues.get(name.data)?.values() ?? []) {
        stats.count++;
        stats.bytes += message.bytes;
        if (message.owner !== null && message.availableAt > at.data) stats.claimed++;
        if (stats.oldestEnqueuedAt === null || message.enqueuedAt < stats.oldestEnqueuedAt) {
          stats.oldestEnqueuedAt = message.enqueuedAt;
        }
      }
      return ok(stats);
    },
  };
}

/**
 * A queue store in this process's memory, for tests and single-process tools: nothing survives the process.
 * Every call is atomic because nothing in it awaits. Share a database-backed one (`store.queue` of
 * `@patchbay/store-sqlite` or `@patchbay/store-postgres`) between processes. Throws `CONFIG_ERROR` for a `now`
 * that is not a function.
 * @example const queue = createMemoryQueueStore(); await queue.enqueue('events', [{ id: uuid, payload: json }]);
 */
export function createMemoryQueueStore(options: MemoryQueueStoreOptions = {}): QueueStore {
  const now = options?.now ?? Date.now;
  if (typeof now !== 'function') {
    throw new IntegrationError('CONFIG_ERROR', 'now must be a function', { field: 'now', retryable: false });
  }
  return memoryQueue(now);
}
