import { splitSyncOptions, syncEngineOptionSchemas } from '@patchbay/sync';
import * as z from 'zod/mini';
import { HUBSPOT_BATCH_SIZE } from './batch.ts';
import { HUBSPOT_SYNC_MODES } from './connector.ts';
import { DEFAULT_COMPANY_ID_PROPERTY } from './sync/objects.ts';
import type { HubSpotSyncOptions } from './sync.ts';

// Schemas are built in `/* @__PURE__ */` calls (a bundler keeps an unused top-level call unless told it has no
// side effects): a bundle of this entry without the sync (a client) drops them.
const syncModeSchema = /* @__PURE__ */ (() =>
  z.enum(HUBSPOT_SYNC_MODES, {
    error: (issue) =>
      issue.input === undefined ? undefined : `must be one of ${HUBSPOT_SYNC_MODES.join(', ')}`,
  }))();

// HubSpot's internal property names: lowercase letters, digits and underscores, starting with a letter.
const propertyName = /* @__PURE__ */ (() =>
  z
    .string()
    .check(
      z.regex(/^[a-z][a-z0-9_]*$/, 'must be a HubSpot property name (lowercase letters, digits, _)'),
      z.maxLength(100),
    ))();

const associationTypeSchema = /* @__PURE__ */ (() =>
  z.union([
    z.literal('default'),
    z.object({
      associationCategory: z.enum(['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED']),
      associationTypeId: z.int().check(z.minimum(1)),
    }),
  ]))();

const isClient = (value: unknown): boolean => {
  const client = value as {
    http?: { post?: unknown };
    objects?: unknown;
    associations?: { batchRead?: unknown; batchCreateDefault?: unknown };
  };
  return (
    typeof client?.http?.post === 'function' &&
    typeof client.objects === 'function' &&
    typeof client.associations?.batchRead === 'function' &&
    typeof client.associations.batchCreateDefault === 'function'
  );
};

const syncOptionsSchema = /* @__PURE__ */ (() => {
  const { store, cacheTtlMs, cacheMaxEntries, concurrency, onProgress, maxReportedFailures, lease } =
    syncEngineOptionSchemas;
  return z.object({
    store,
    cacheTtlMs,
    cacheMaxEntries,
    batchSize: z._default(z.int().check(z.minimum(1), z.maximum(HUBSPOT_BATCH_SIZE)), HUBSPOT_BATCH_SIZE),
    concurrency,
    onProgress,
    mode: z._default(syncModeSchema, 'platform'),
    maxReportedFailures,
    lease,
    client: z.optional(
      z.custom(
        isClient,
        'must be a HubSpotClient (from createHubSpotClient): http, objects and associations',
      ),
    ),
    contactIdProperty: z._default(propertyName, 'email'),
    companyIdProperty: z._default(propertyName, DEFAULT_COMPANY_ID_PROPERTY),
    contactCompanyAssociation: z._default(associationTypeSchema, 'default'),
    propertyGroup: z.optional(propertyName),
  });
})();

/**
 * Validates the options only the sync reads and fills in their defaults (`CONFIG_ERROR` names the field); the
 * rest are the client's, which it checks itself when it is built.
 */
export function parseSyncOptions(options: HubSpotSyncOptions) {
  const { clientOptions, ...own } = splitSyncOptions(options, syncOptionsSchema, 'HubSpot sync options');
  return {
    ...own,
    client: own.client as HubSpotSyncOptions['client'],
    clientOptions: clientOptions as Omit<HubSpotSyncOptions, keyof typeof syncOptionsSchema.def.shape>,
  };
}
