// Replay protection needs one thing from storage: "record this key unless it is already recorded", atomically,
// for a while. Adapters implement it on their database (SQLite, PostgreSQL, later Redis's SET NX PX); the
// memory store here serves one process and tests. The contract suite (`@patchbay/core/testing`) holds them to
// the same behaviour.

import { describeType } from '../input/caller-input.ts';
import { IntegrationError } from '../result/errors.ts';
import { type ApiResult, err, ok } from '../result/result.ts';

/** Where verified webhook ids are remembered, so the same delivery verifies once. */
export interface SeenIdStore {
  /**
   * Records `key` for `ttlMs` milliseconds. `true` when it was new (never recorded, or its record expired),
   * `false` when it is already recorded. Atomic: of concurrent calls with one key, exactly one gets `true`.
   * An empty or over-long key, one with NUL or a lone surrogate, or a `ttlMs` that is not a positive finite
   * number, is a `VALIDATION_ERROR`.
   */
  markSeen(key: string, options: { ttlMs: number }): Promise<ApiResult<boolean>>;
}

/** Longest key a store accepts: room for a namespace and any vendor's delivery id or signature. */
export const MAX_SEEN_ID_KEY_LENGTH = 1_024;

/**
 * Checks the arguments of `markSeen`, as every adapter must: a key of 1 to 1 024 characters of well-formed text
 * without NUL, a `ttlMs` that
 * is a positive finite number (rounded up to whole milliseconds). A `VALIDATION_ERROR` names `key` or `ttlMs`.
 * @example const checked = validateSeenIdRequest(key, options); if (!checked.success) return checked;
 */
export function validateSeenIdRequest(
  key: unknown,
  options: unknown,
): ApiResult<{ key: string; ttlMs: number }> {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_SEEN_ID_KEY_LENGTH) {
    return err(
      new IntegrationError(
        'VALIDATION_ERROR',
        `A seen-id key must be a string of 1 to ${MAX_SEEN_ID_KEY_LENGTH} characters, not ${describeType(key)}` +
          (typeof key === 'string' ? ` of ${key.length}` : ''),
        { field: 'key', retryable: false },
      ),
    );
  }
  // Text every database stores as given: PostgreSQL refuses NUL, and a lone surrogate would be stored as
  // U+FFFD, making two different keys one.
  if (key.includes('\u0000') || !key.isWellFormed()) {
    return err(
      new IntegrationError(
        'VALIDATION_ERROR',
        'A seen-id key must be well-formed text without NUL characters',
        {
          field: 'key',
          retryable: false,
        },
      ),
    );
  }
  let ttlMs: unknown;
  try {
    ttlMs = (options as { ttlMs?: unknown } | null | undefined)?.ttlMs;
  } catch {
    ttlMs = undefined;
  }
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
    return err(
      new IntegrationError('VALIDATION_ERROR', 'ttlMs must be a positive, finite number of milliseconds', {
        field: 'ttlMs',
        retryable: false,
      }),
    );
  }
  return ok({ key, ttlMs: Math.ceil(ttlMs) });
}

/** The memory seen-id store: a SeenIdStore that also says how many keys it holds. */
export interface MemorySeenIdStore extends SeenIdStore {
  /** Keys held now, expired ones not yet pruned included. */
  readonly size: number;
}

// How often the memory store looks at every key for lapsed ones, at most.
const SWEEP_INTERVAL_MS = 60_000;

/** Options of {@link createMemorySeenIdStore}. */
export interface MemorySeenIdStoreOptions {
  /** Most keys held; past it the oldest is forgotten (bounded memory). Default 100 000. */
  maxEntries?: number;
  /** Epoch-milliseconds clock; default `Date.now`. Inject one in tests. */
  now?: () => number;
}

/**
 * A seen-id store in this process's memory: bounded (`maxEntries`, oldest forgotten first) and expiring.
 * Enough for one process; share a database-backed one (`@patchbay/store-sqlite`, `@patchbay/store-postgres`)
 * between processes. Throws `CONFIG_ERROR` for invalid options.
 * @example const result = await verifyStandardWebhook({ secret, headers, body, replay: { store: createMemorySeenIdStore() } });
 */
export function createMemorySeenIdStore(options: MemorySeenIdStoreOptions = {}): MemorySeenIdStore {
  const maxEntries = options?.maxEntries ?? 100_000;
  const now = options?.now ?? Date.now;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw new IntegrationError('CONFIG_ERROR', 'maxEntries must be a positive integer', {
      field: 'maxEntries',
      retryable: false,
    });
  }
  if (typeof now !== 'function') {
    throw new IntegrationError('CONFIG_ERROR', 'now must be a function', { field: 'now', retryable: false });
  }
  // Key → expiry. A Map iterates in insertion order, and a re-marked key is re-inserted, so the first
  // entries are the oldest: pruning and eviction both start there.
  const expiries = new Map<string, number>();
  let lastSweep = Number.NEGATIVE_INFINITY;

  return {
    get size() {
      return expiries.size;
    },
    async markSeen(key, markOptions) {
      const checked = validateSeenIdRequest(key, markOptions);
      if (!checked.success) return checked;
      let at: number;
      try {
        at = now();
      } catch (error) {
        return err(
          new IntegrationError('OPERATION_FAILED', 'The seen-id store clock threw', { cause: error }),
        );
      }
      // The oldest entries lapse first when every key has the same TTL (one verifier's): prune from the front.
      // With mixed TTLs a long-lived key can shield later lapsed ones, so sweep everything now and then too.
      const sweep = at - lastSweep >= SWEEP_INTERVAL_MS;
      if (sweep) lastSweep = at;
      for (const [oldest, expiresAt] of expiries) {
        if (expiresAt > at) {
          if (!sweep) break;
          continue;
        }
        expiries.delete(oldest);
      }
      const existing = expiries.get(checked.data.key);
      if (existing !== undefined && existing > at) return ok(false);
      expiries.delete(checked.data.key);
      while (expiries.size >= maxEntries) {
        const oldest = expiries.keys().next().value;
        if (oldest === undefined) break;
        expiries.delete(oldest);
      }
      expiries.set(checked.data.key, at + checked.data.ttlMs);
      return ok(true);
    },
  };
}
