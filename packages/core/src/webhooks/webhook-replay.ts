// A verifier's timestamp window stops old deliveries; within the window, the same signed delivery could still be
// sent again. With a seen-id store, a verifier records each delivery it accepts and refuses it the second time.

import { describeType, UNREADABLE } from '../input/caller-input.ts';
import { IntegrationError } from '../result/errors.ts';
import { type ApiResult, err, ok } from '../result/result.ts';
import type { SeenIdStore } from '../store/seen-id-store.ts';
import { verifierConfigError as config } from './webhook-input.ts';

/** The `replay` option of the webhook verifiers: each delivery verifies once. */
export interface WebhookReplayOptions {
  /** Where accepted deliveries are remembered: `createMemorySeenIdStore()`, or a database-backed store. */
  store: SeenIdStore;
  /**
   * How long a delivery is remembered, in ms. Never less than twice the timestamp tolerance (a delivery is
   * acceptable that long), which is also the default, plus a minute for clocks that disagree.
   */
  ttlMs?: number;
  /** Prefix of the stored keys, to keep senders apart in a shared store. Each verifier has its own default. */
  namespace?: string;
}

/** Records a verified delivery: ok when it was new, `CONFLICT` when it was seen already. */
export type MarkWebhookDelivery = (key: string, field: string) => Promise<ApiResult<void>>;

// Room for clocks that disagree: the verifier's `now` and a database's own clock.
const CLOCK_MARGIN_MS = 60_000;

/**
 * Reads a verifier's `replay` option: undefined when there is none, else the function that records a verified
 * delivery. Bad options are a `CONFIG_ERROR` naming `replay`, `replay.store`, `replay.ttlMs` or
 * `replay.namespace`, reported on every delivery like a bad secret. `windowMs` is how long a delivery stays
 * acceptable (twice the tolerance); the key is remembered at least that long.
 * @example
 * const replay = readWebhookReplay(options.replay, { namespace: 'acme', windowMs: 2 * toleranceMs });
 * if (!replay.success) return replay;
 * // …after the signature verified:
 * if (replay.data) { const fresh = await replay.data(deliveryId, 'x-acme-id'); if (!fresh.success) return fresh; }
 */
export function readWebhookReplay(
  value: unknown,
  defaults: { namespace: string; windowMs: number },
): ApiResult<MarkWebhookDelivery | undefined> {
  if (value === undefined) return ok(undefined);
  if (typeof value !== 'object' || value === null) {
    return err(config('replay', `must be { store, ttlMs?, namespace? }, not ${describeType(value)}`));
  }
  let store: unknown;
  let ttlMs: unknown;
  let namespace: unknown;
  let markSeen: unknown;
  try {
    ({ store, ttlMs, namespace } = value as Record<string, unknown>);
    markSeen = (store as { markSeen?: unknown } | null | undefined)?.markSeen;
  } catch {
    return err(config('replay', UNREADABLE));
  }
  if (typeof markSeen !== 'function')
    return err(config('replay.store', 'must be a SeenIdStore (with markSeen)'));
  if (ttlMs !== undefined && (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0)) {
    return err(config('replay.ttlMs', 'must be a positive, finite number of milliseconds'));
  }
  if (namespace !== undefined && (typeof namespace !== 'string' || namespace.length === 0)) {
    return err(config('replay.namespace', 'must be a non-empty string'));
  }
  const prefix = (namespace as string | undefined) ?? defaults.namespace;
  const remember = Math.max((ttlMs as number | undefined) ?? 0, defaults.windowMs + CLOCK_MARGIN_MS);

  return ok(async (key, field) => {
    let marked: unknown;
    try {
      marked = await (markSeen as SeenIdStore['markSeen']).call(store, `${prefix}:${key}`, {
        ttlMs: remember,
      });
    } catch (error) {
      return err(storeFailure(error));
    }
    if (
      typeof marked !== 'object' ||
      marked === null ||
      typeof (marked as { success?: unknown }).success !== 'boolean'
    ) {
      return err(storeFailure(undefined));
    }
    const result = marked as ApiResult<unknown>;
    // A store that cannot say whether the delivery is new must not let it through.
    if (!result.success) return err(storeFailure(result.error));
    if (result.data === true) return ok(undefined);
    if (result.data !== false) return err(storeFailure(undefined));
    return err(
      new IntegrationError('CONFLICT', 'This webhook delivery was already verified (a replay); refused.', {
        field,
        retryable: false,
      }),
    );
  });
}

// Retryable: the sender will deliver again, and the store may be back by then.
const storeFailure = (cause: unknown): IntegrationError =>
  new IntegrationError(
    'OPERATION_FAILED',
    'The seen-id store could not record the delivery, so it was refused (replay protection fails closed).',
    {
      field: 'replay.store',
      retryable: true,
      ...(cause === undefined ? {} : { cause }),
    },
  );
