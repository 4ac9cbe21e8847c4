import { splitSyncOptions, syncEngineOptionSchemas } from '@patchbay/sync';
import * as z from 'zod/mini';
import { TWENTY_SYNC_MODES } from './connector.ts';
import { batchSizeSchema } from './records.ts';
import type { TwentySyncOptions } from './sync.ts';

// Schemas are built in `/* @__PURE__ */` calls (a bundler keeps an unused top-level call unless told it has no
// side effects): a bundle of this entry without the sync (a client) drops them (npm run check:edge).
const syncModeSchema = /* @__PURE__ */ (() =>
  z.enum(TWENTY_SYNC_MODES, {
    error: (issue) =>
      issue.input === undefined ? undefined : `must be one of ${TWENTY_SYNC_MODES.join(', ')}`,
  }))();

const isClient = (value: unknown): boolean => {
  const client = value as { http?: { post?: unknown; get?: unknown }; metadata?: { ensureField?: unknown } };
  return (
    typeof client?.http?.post === 'function' &&
    typeof client.http.get === 'function' &&
    typeof client.metadata?.ensureField === 'function'
  );
};

const syncOptionsSchema = /* @__PURE__ */ (() => {
  const { store, cacheTtlMs, cacheMaxEntries, concurrency, onProgress, maxReportedFailures, lease } =
    syncEngineOptionSchemas;

  return z.object({
    store,
    cacheTtlMs,
    cacheMaxEntries,
    batchSize: z._default(batchSizeSchema, 60),
    concurrency,
    onProgress,
    mode: z._default(syncModeSchema, 'direct_crm'),
    maxReportedFailures,
    client: z.optional(
      z.custom(isClient, 'must be a TwentyClient (from createTwentyClient): http and metadata calls'),
    ),
    lease,
  });
})();

/**
 * Validates the options only the sync reads and fills in their defaults (`CONFIG_ERROR` names the field); the
 * rest are the client's, which it checks itself when it is built.
 */
export function parseSyncOptions(options: TwentySyncOptions) {
  const { clientOptions, ...own } = splitSyncOptions(options, syncOptionsSchema, 'Twenty sync options');
  return {
    ...own,
    client: own.client as TwentySyncOptions['client'],
    clientOptions: clientOptions as Omit<TwentySyncOptions, keyof typeof syncOptionsSchema.def.shape>,
  };
}
