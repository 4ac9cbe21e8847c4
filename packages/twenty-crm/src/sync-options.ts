import { type IntegrationStore, optionsObject, parseOptions } from '@patchbay/core';
import * as z from 'zod/mini';
import { batchSizeSchema } from './records.ts';
import type { TwentySyncOptions } from './sync.ts';

/** The sync modes of seed 001: off, through the platform API, or straight to Twenty. */
export const TWENTY_SYNC_MODES = ['disabled', 'platform', 'direct_crm'] as const;

const syncModeSchema = z.enum(TWENTY_SYNC_MODES, {
  error: (issue) =>
    issue.input === undefined ? undefined : `must be one of ${TWENTY_SYNC_MODES.join(', ')}`,
});

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

const isClient = (value: unknown): boolean => {
  const client = value as { http?: { post?: unknown; get?: unknown }; metadata?: { ensureField?: unknown } };
  return (
    typeof client?.http?.post === 'function' &&
    typeof client.http.get === 'function' &&
    typeof client.metadata?.ensureField === 'function'
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
  maxReportedFailures: z._default(
    z.int().check(z.minimum(0, 'must be 0 or more'), z.maximum(1_000_000, 'must be at most 1000000')),
    100,
  ),
  client: z.optional(
    z.custom(isClient, 'must be a TwentyClient (from createTwentyClient): http and metadata calls'),
  ),
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

// The options the sync reads itself; every other one is the client's.
const SYNC_KEYS: readonly string[] = Object.keys(syncOptionsSchema.def.shape);

/**
 * Validates the options only the sync reads and fills in their defaults (`CONFIG_ERROR` names the field);
 * the rest are the client's, which it checks itself.
 */
export function parseSyncOptions(options: TwentySyncOptions) {
  const label = 'Twenty sync options';
  // A plain copy read once: a Proxy or a throwing getter must be a CONFIG_ERROR, not a TypeError.
  const entries = Object.entries(optionsObject(options, { label }));
  const pick = (sync: boolean) =>
    Object.fromEntries(entries.filter(([key]) => SYNC_KEYS.includes(key) === sync));
  const own = parseOptions(syncOptionsSchema, pick(true), { label });
  return {
    ...own,
    onProgress: own.onProgress as TwentySyncOptions['onProgress'],
    client: own.client as TwentySyncOptions['client'],
    clientOptions: pick(false) as Omit<TwentySyncOptions, keyof typeof syncOptionsSchema.def.shape>,
  };
}
