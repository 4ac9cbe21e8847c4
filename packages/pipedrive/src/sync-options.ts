import { splitSyncOptions, syncEngineOptionSchemas } from '@patchbay/sync';
import * as z from 'zod/mini';
import { PIPEDRIVE_SYNC_MODES } from './connector.ts';
import { PIPEDRIVE_SYNC_BATCH_SIZE } from './sync/remote.ts';
import type { PipedriveSyncOptions } from './sync.ts';

/** The external-id field the sync uses (and `setup()` creates) unless told otherwise. */
export const DEFAULT_EXTERNAL_ID_FIELD = 'Patchbay external ID';

// Schemas are built in `/* @__PURE__ */` calls (a bundler keeps an unused top-level call unless told it has no
// side effects): a bundle of this entry without the sync (a client) drops them.
const syncModeSchema = /* @__PURE__ */ (() =>
  z.enum(PIPEDRIVE_SYNC_MODES, {
    error: (issue) =>
      issue.input === undefined ? undefined : `must be one of ${PIPEDRIVE_SYNC_MODES.join(', ')}`,
  }))();

// A custom field's name in Pipedrive, or its 40-character key.
const fieldName = /* @__PURE__ */ (() =>
  z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(255)))();

const syncOptionsSchema = /* @__PURE__ */ (() => {
  const { store, cacheTtlMs, cacheMaxEntries, concurrency, onProgress, maxReportedFailures, lease } =
    syncEngineOptionSchemas;
  return z.object({
    store,
    cacheTtlMs,
    cacheMaxEntries,
    batchSize: z._default(
      z.int().check(z.minimum(1), z.maximum(PIPEDRIVE_SYNC_BATCH_SIZE)),
      PIPEDRIVE_SYNC_BATCH_SIZE,
    ),
    concurrency,
    writeConcurrency: z._default(z.int().check(z.minimum(1), z.maximum(32)), 4),
    onProgress,
    mode: z._default(syncModeSchema, 'platform'),
    maxReportedFailures,
    lease,
    personIdField: z._default(fieldName, DEFAULT_EXTERNAL_ID_FIELD),
    organizationIdField: z._default(fieldName, DEFAULT_EXTERNAL_ID_FIELD),
  });
})();

/**
 * Validates the options only the sync reads and fills in their defaults (`CONFIG_ERROR` names the field); the
 * rest are the client's, which it checks itself when it is built.
 */
export function parseSyncOptions(options: PipedriveSyncOptions) {
  const { clientOptions, ...own } = splitSyncOptions(options, syncOptionsSchema, 'Pipedrive sync options');
  return {
    ...own,
    clientOptions: clientOptions as Omit<PipedriveSyncOptions, keyof typeof syncOptionsSchema.def.shape>,
  };
}
