import { IntegrationError } from '../result/errors.ts';
import { type ApiResult, err, ok } from '../result/result.ts';

/** A token bucket's shape: it holds up to `capacity` tokens and refills at `refillPerMs` (limit / intervalMs). */
export interface RateLimitBucket {
  capacity: number;
  refillPerMs: number;
}

/**
 * Where rate-limit state lives. The default keeps it in memory; a Redis or Postgres store shares one bucket
 * across processes. Every method may answer synchronously or with a promise.
 */
export interface RateLimitStore {
  /**
   * Atomically takes `cost` (default 1) tokens for `key` from a bucket refilling at `refillPerMs` up to
   * `capacity`; returns 0 when granted, else the ms to wait before trying again (also honouring any block).
   */
  take(key: string, bucket: RateLimitBucket, now: number, cost?: number): Promise<number> | number;
  /** Server feedback: clamps tokens down to `remaining`, and/or blocks until `blockedUntil` (epoch ms). */
  update(
    key: string,
    feedback: { remaining?: number; blockedUntil?: number },
    now: number,
  ): Promise<void> | void;
  /** Reads the tokens available at `now` and any block still running, without taking anything. */
  peek(
    key: string,
    bucket: RateLimitBucket,
    now: number,
  ): Promise<{ tokens: number; blockedUntil?: number }> | { tokens: number; blockedUntil?: number };
}

interface Entry {
  tokens: number;
  updatedAt: number;
  blockedUntil?: number;
  // The last bucket seen by take/peek: update() gets none, yet must refill up to `now` before clamping.
  bucket?: RateLimitBucket;
}

// Refill arithmetic is floating point: 0.1 + 0.2 style drift must not turn a full token into "wait 1 ms".
const EPSILON = 1e-9;

/**
 * The default store: one process, a Map of buckets. Its methods answer synchronously and throw only
 * IntegrationErrors: arguments of the wrong kind (a key that is not a string, a bucket whose capacity or refill
 * rate is not a positive finite number, a clock reading that is not finite, a cost outside 1..capacity, feedback
 * that is not an object of finite numbers) are a `VALIDATION_ERROR` naming the argument, and no state changes.
 * @example const limiter = createRateLimiter({ limit: 100, intervalMs: 60_000, store: createMemoryRateLimitStore() });
 */
export function createMemoryRateLimitStore(): RateLimitStore {
  const entries = new Map<string, Entry>();

  // Brings the entry's tokens up to `now`. A clock stepping back refills nothing rather than draining.
  const refill = (entry: Entry, bucket: RateLimitBucket | undefined, now: number): void => {
    if (bucket) {
      const elapsed = Math.max(0, now - entry.updatedAt);
      entry.tokens = Math.min(bucket.capacity, entry.tokens + elapsed * bucket.refillPerMs);
      entry.bucket = bucket;
    }
    entry.updatedAt = Math.max(entry.updatedAt, now);
    if (entry.blockedUntil !== undefined && entry.blockedUntil <= now) delete entry.blockedUntil;
  };

  const entryFor = (key: string, bucket: RateLimitBucket, now: number): Entry => {
    let entry = entries.get(key);
    if (!entry) {
      // A new bucket starts full: the first burst goes out at once.
      entry = { tokens: bucket.capacity, updatedAt: now, bucket };
      entries.set(key, entry);
    }
    refill(entry, bucket, now);
    return entry;
  };

  return {
    take(key, raw, now, cost = 1) {
      const checked = validateRateLimitTake(key, raw, now, cost);
      if (!checked.success) throw checked.error;
      const bucket = checked.data.bucket;
      const entry = entryFor(key, bucket, now);
      const blockWait = entry.blockedUntil === undefined ? 0 : entry.blockedUntil - now;
      const missing = cost - entry.tokens;
      if (blockWait <= 0 && missing <= EPSILON) {
        entry.tokens = Math.max(0, entry.tokens - cost);
        return 0;
      }
      // Tokens keep refilling during a block, so the wait is whichever condition clears last.
      const tokenWait = missing > EPSILON ? missing / bucket.refillPerMs : 0;
      return Math.max(1, Math.ceil(Math.max(blockWait, tokenWait)));
    },

    update(key, raw, now) {
      const checked = validateRateLimitUpdate(key, raw, now);
      if (!checked.success) throw checked.error;
      const { feedback } = checked.data;
      let entry = entries.get(key);
      if (!entry) {
        if (feedback.remaining === undefined && feedback.blockedUntil === undefined) return;
        // Capacity is unknown until the first take; that take clamps the tokens to it.
        entry = { tokens: feedback.remaining ?? Number.POSITIVE_INFINITY, updatedAt: now };
        entries.set(key, entry);
      }
      refill(entry, entry.bucket, now);
      // Feedback only ever lowers the tokens: the server may count calls we did not make, never fewer.
      if (feedback.remaining !== undefined && feedback.remaining >= 0) {
        entry.tokens = Math.min(entry.tokens, feedback.remaining);
      }
      // Responses arrive out of order; the longest block is the safe one to keep.
      if (feedback.blockedUntil !== undefined && feedback.blockedUntil > now) {
        entry.blockedUntil = Math.max(entry.blockedUntil ?? 0, feedback.blockedUntil);
      }
    },

    peek(key, raw, now) {
      const checked = validateRateLimitPeek(key, raw, now);
      if (!checked.success) throw checked.error;
      const { bucket } = checked.data;
      const entry = entries.get(key);
      if (!entry) return { tokens: bucket.capacity };
      refill(entry, bucket, now);
      return entry.blockedUntil === undefined
        ? { tokens: entry.tokens }
        : { tokens: entry.tokens, blockedUntil: entry.blockedUntil };
    },
  };
}

/**
 * Checks `take`'s arguments as the memory store does, for adapters to share: `VALIDATION_ERROR` naming `key`,
 * `bucket.capacity`, `bucket.refillPerMs` or `now`, and `CONFIG_ERROR` naming `cost` (outside 0 < cost ≤ capacity).
 * Returns plain copies, read once.
 * @example const checked = validateRateLimitTake(key, bucket, now, cost); if (!checked.success) throw checked.error;
 */
export function validateRateLimitTake(
  key: unknown,
  bucket: unknown,
  now: unknown,
  cost: unknown = 1,
): ApiResult<{ key: string; bucket: RateLimitBucket; now: number; cost: number }> {
  return asResult(() => {
    checkKey(key);
    const copy = checkBucket(bucket);
    checkNow(now);
    if (typeof cost !== 'number' || !(cost > 0) || cost > copy.capacity) {
      throw new IntegrationError('CONFIG_ERROR', `cost must be > 0 and ≤ the capacity (${copy.capacity})`, {
        field: 'cost',
      });
    }
    return { key, bucket: copy, now, cost };
  });
}

/**
 * Checks `update`'s arguments as the memory store does: `VALIDATION_ERROR` naming `key`, `feedback…` or `now`.
 * @example const checked = validateRateLimitUpdate(key, feedback, now); if (!checked.success) throw checked.error;
 */
export function validateRateLimitUpdate(
  key: unknown,
  feedback: unknown,
  now: unknown,
): ApiResult<{ key: string; feedback: { remaining?: number; blockedUntil?: number }; now: number }> {
  return asResult(() => {
    checkKey(key);
    const copy = checkFeedback(feedback);
    checkNow(now);
    return { key, feedback: copy, now };
  });
}

/**
 * Checks `peek`'s arguments as the memory store does: `VALIDATION_ERROR` naming `key`, `bucket…` or `now`.
 * @example const checked = validateRateLimitPeek(key, bucket, now); if (!checked.success) throw checked.error;
 */
export function validateRateLimitPeek(
  key: unknown,
  bucket: unknown,
  now: unknown,
): ApiResult<{ key: string; bucket: RateLimitBucket; now: number }> {
  return asResult(() => {
    checkKey(key);
    const copy = checkBucket(bucket);
    checkNow(now);
    return { key, bucket: copy, now };
  });
}

// The checks below throw (the memory store's methods throw); adapters get them as results.
function asResult<T>(run: () => T): ApiResult<T> {
  try {
    return ok(run());
  } catch (error) {
    if (error instanceof IntegrationError) return err(error);
    throw error;
  }
}

const invalid = (field: string, message: string): IntegrationError =>
  new IntegrationError('VALIDATION_ERROR', `Invalid input: ${field}: ${message}`, {
    field,
    issues: [{ field, message }],
    retryable: false,
  });

const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

// Read a caller's object once: a getter or Proxy trap that throws is a VALIDATION_ERROR naming it.
function readFields<K extends string>(value: unknown, field: string, keys: readonly K[]): Record<K, unknown> {
  if (typeof value !== 'object' || value === null) throw invalid(field, 'must be an object');
  const out = {} as Record<K, unknown>;
  for (const key of keys) {
    try {
      out[key] = (value as Record<K, unknown>)[key];
    } catch {
      throw invalid(`${field}.${key}`, 'could not be read (its getter or Proxy threw)');
    }
  }
  return out;
}

function checkKey(key: unknown): asserts key is string {
  if (typeof key !== 'string') throw invalid('key', 'must be a string');
}

function checkNow(now: unknown): asserts now is number {
  if (!isFiniteNumber(now)) throw invalid('now', 'must be a finite number (epoch ms)');
}

// A plain copy of the bucket: a NaN or infinite rate would poison the entry for good.
function checkBucket(bucket: unknown): RateLimitBucket {
  const { capacity, refillPerMs } = readFields(bucket, 'bucket', ['capacity', 'refillPerMs']);
  if (!isFiniteNumber(capacity) || capacity <= 0)
    throw invalid('bucket.capacity', 'must be a positive finite number');
  if (!isFiniteNumber(refillPerMs) || refillPerMs <= 0) {
    throw invalid('bucket.refillPerMs', 'must be a positive finite number');
  }
  return { capacity, refillPerMs };
}

function checkFeedback(feedback: unknown): { remaining?: number; blockedUntil?: number } {
  const { remaining, blockedUntil } = readFields(feedback, 'feedback', ['remaining', 'blockedUntil']);
  const checked: { remaining?: number; blockedUntil?: number } = {};
  if (remaining !== undefined) {
    if (typeof remaining !== 'number' || Number.isNaN(remaining)) {
      throw invalid('feedback.remaining', 'must be a number');
    }
    checked.remaining = remaining;
  }
  if (blockedUntil !== undefined) {
    if (typeof blockedUntil !== 'number' || Number.isNaN(blockedUntil)) {
      throw invalid('feedback.blockedUntil', 'must be a number (epoch ms)');
    }
    checked.blockedUntil = blockedUntil;
  }
  return checked;
}
