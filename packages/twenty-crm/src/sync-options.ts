import { type IntegrationStore, parseOptions, syncModeSchema } from '@patchbay/core';
import * as z from 'zod/mini';
import { batchSizeSchema } from './records.ts';
import type { TwentySyncOptions } from './sync.ts';

// The lease is renewed every ttl/3 but at most once a second: a shorter ttl could lapse between renewals.
const MIN_LEASE_TTL_MS = 3_000;

const isStore = (value: unknown): value is IntegrationStore => {
  const store = value as Partial<IntegrationStore> | null | undefined;
  return (
    typeof store?.mappings?.getMany === 'function' &&
    typeof store.syncState?.acquireLease === 'function' &&
    typeof store.commitMappings === 'function'
  );
};

const syncOptionsSchema = z.object({
  store: z.custom<IntegrationStore>(
    isStore,
    'must be an IntegrationStore (mappings, syncState, commitMappings)',
  ),
  cacheTtlMs: z._default(z.int().check(z.minimum(0, 'must be 0 (no cache) or more')), 300_000),
  cacheMaxEntries: z._default(z.int().check(z.minimum(0, 'must be 0 (no cache) or more')), 10_000),
  batchSize: z._default(batchSizeSchema, 60),
  concurrency: z._default(z.int().check(z.minimum(1), z.maximum(32)), 2),
  onProgress: z.optional(z.custom((value) => typeof value === 'function', 'must be a function')),
  mode: z._default(syncModeSchema, 'direct_crm'),
  lease: z.optional(
    z.union([
      z.literal(false),
      z.object({
        ttlMs: z.optional(z.int().check(z.minimum(MIN_LEASE_TTL_MS, `must be at least ${MIN_LEASE_TTL_MS}`))),
        waitMs: z.optional(z.int().check(z.minimum(0))),
        owner: z.optional(z.string().check(z.trim(), z.minLength(1, 'must not be empty'))),
      }),
    ]),
  ),
});

/**
 * Validates the options only the sync reads and fills in their defaults (`CONFIG_ERROR` names the field);
 * the rest are the client's, which it checks itself.
 */
export function parseSyncOptions(options: TwentySyncOptions) {
  const {
    store,
    cacheTtlMs,
    cacheMaxEntries,
    batchSize,
    concurrency,
    onProgress,
    mode,
    lease,
    client,
    ...rest
  } = options;
  const own = parseOptions(
    syncOptionsSchema,
    { store, cacheTtlMs, cacheMaxEntries, batchSize, concurrency, onProgress, mode, lease },
    { label: 'Twenty sync options' },
  );
  return { ...own, onProgress, client, clientOptions: rest };
}
