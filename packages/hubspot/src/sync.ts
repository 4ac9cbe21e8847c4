import { type ApiResult, ok, settle } from '@patchbay/core';
import {
  createSyncEngine,
  type SyncProgress as EngineProgress,
  type SyncReport as EngineReport,
  type RecoveryReport,
  type SyncFailure,
  type SyncFrontOptions,
} from '@patchbay/sync';
import type { HubSpotAssociationType } from './associations.ts';
import { createHubSpotClient, type HubSpotClient, type HubSpotClientOptions } from './client.ts';
import type { HUBSPOT_SYNC_MODES } from './connector.ts';
import { hubspotSyncTypes } from './sync/objects.ts';
import { ensureUniqueProperty } from './sync/properties.ts';
import type { CompanyRecord, ContactRecord } from './sync/records.ts';
import { createHubSpotRemote } from './sync/remote.ts';
import { parseSyncOptions } from './sync-options.ts';

export type { SyncFailure };

/** What an `upsertMany` call did. */
export interface HubSpotSyncReport extends EngineReport {
  /** Companies created on the fly for contacts whose company HubSpot did not have yet. */
  companiesCreated: number;
  /** Contact → company associations written (each written contact with a company, once per write). */
  associationsCreated: number;
}

/** Progress after each chunk. */
export type HubSpotSyncProgress = EngineProgress & { companiesCreated: number };

/** The sync's object types: `company` (parents) and `contact`. */
export type HubSpotSyncObjectType = 'company' | 'contact';

/** `platform` (default) runs the sync; `disabled` does nothing and never calls HubSpot. */
export type HubSpotSyncMode = (typeof HUBSPOT_SYNC_MODES)[number];

/** Options of `createHubSpotSync`: the client's (token, base URL, limits…) or a client, and the sync's own. */
export interface HubSpotSyncOptions extends HubSpotClientOptions, SyncFrontOptions {
  /** An existing client to use instead of building one from the options. */
  client?: HubSpotClient;
  /** `email` (default: HubSpot's own unique property) or a custom unique property holding your contact ids. */
  contactIdProperty?: string;
  /** The custom unique property holding your company ids (`domain` is not unique). Default `patchbay_external_id`. */
  companyIdProperty?: string;
  /** The contact → company association written: `'default'` (HubSpot's default one) or a labelled type. */
  contactCompanyAssociation?: HubSpotAssociationType | 'default';
  /** The group `setup()` puts the properties it creates in. Default `contactinformation` / `companyinformation`. */
  propertyGroup?: string;
  /** Records per lookup and per batch write, at most HubSpot's 100. Default 100. */
  batchSize?: number;
  onProgress?: (progress: HubSpotSyncProgress) => void;
  mode?: HubSpotSyncMode;
}

/** The HubSpot sync, a front over `@patchbay/sync`'s engine. Every call resolves to an ApiResult. */
export interface HubSpotSync {
  /** Creates the custom unique properties the sync keys records by (companies; contacts when not by email). Idempotent. */
  setup(): Promise<ApiResult<{ createdProperties: string[] }>>;
  /** Streams records (array, iterable or async iterable) in chunks; one bad record never stops the rest. */
  upsertMany(
    type: 'company',
    records: Iterable<CompanyRecord> | AsyncIterable<CompanyRecord>,
  ): Promise<ApiResult<HubSpotSyncReport>>;
  upsertMany(
    type: 'contact',
    records: Iterable<ContactRecord> | AsyncIterable<ContactRecord>,
  ): Promise<ApiResult<HubSpotSyncReport>>;
  upsertMany(
    type: HubSpotSyncObjectType,
    records: Iterable<unknown> | AsyncIterable<unknown>,
  ): Promise<ApiResult<HubSpotSyncReport>>;
  /** Settles writes a crash left in flight (the outbox) by looking them up in HubSpot. Runs once by itself. */
  recover(): Promise<ApiResult<RecoveryReport>>;
  readonly client: HubSpotClient;
}

const withCompanies = <T extends { parentsCreated: Record<string, number> }>(value: T) => ({
  ...value,
  companiesCreated: value.parentsCreated.company ?? 0,
});

/**
 * Creates the idempotent, batched sync of your contacts and companies into HubSpot: records upserted by a unique
 * property (a contact's email or your id; a company's id in a custom property), a contact's company created
 * when missing and associated with it. Throws `CONFIG_ERROR` naming every invalid option.
 * @example
 * const sync = createHubSpotSync({ accessToken: process.env.HUBSPOT_ACCESS_TOKEN!, store: createSqliteStore({ path: 'patchbay.db' }) });
 * await sync.setup();
 * const report = await sync.upsertMany('contact', usersFromYourDatabase());
 */
export function createHubSpotSync(options: HubSpotSyncOptions): HubSpotSync {
  const parsed = parseSyncOptions(options);
  const { mode, batchSize, clientOptions, onProgress, contactIdProperty, companyIdProperty } = parsed;
  // Built lazily when disabled: a disabled sync needs no token and never calls HubSpot.
  let client = parsed.client;
  const getClient = () => {
    client ??= createHubSpotClient(clientOptions);
    return client;
  };
  if (mode !== 'disabled') getClient();
  const { objects, types } = hubspotSyncTypes({
    contactIdProperty,
    companyIdProperty,
    contactCompanyAssociation: parsed.contactCompanyAssociation,
  });
  // Associations are written by the remote after each contact batch; the front counts them per call.
  let associations = 0;
  const engine = createSyncEngine({
    integration: 'hubspot',
    store: parsed.store,
    remote: createHubSpotRemote({
      client: getClient,
      types,
      onAssociated: (_type, count) => {
        associations += count;
      },
    }),
    objects,
    batchSize,
    concurrency: parsed.concurrency,
    cache: { ttlMs: parsed.cacheTtlMs, maxEntries: parsed.cacheMaxEntries },
    lease: parsed.lease ?? {},
    mode,
    maxReportedFailures: parsed.maxReportedFailures,
    ...(onProgress && { onProgress: (progress) => onProgress(withCompanies(progress)) }),
  });

  async function upsertMany(type: string, records: unknown): Promise<ApiResult<HubSpotSyncReport>> {
    // Counted as a difference: two calls running at once on one sync share the count (the lease serialises them).
    const before = associations;
    const report = await engine.upsertMany(type as HubSpotSyncObjectType, records as Iterable<ContactRecord>);
    if (!report.success) return report;
    return ok({ ...withCompanies(report.data), associationsCreated: associations - before });
  }

  async function setup(): Promise<ApiResult<{ createdProperties: string[] }>> {
    if (mode === 'disabled') return ok({ createdProperties: [] });
    const wanted = [
      {
        objectType: 'companies',
        name: companyIdProperty,
        field: 'companyIdProperty',
        group: 'companyinformation',
      },
      ...(contactIdProperty === 'email'
        ? []
        : [
            {
              objectType: 'contacts',
              name: contactIdProperty,
              field: 'contactIdProperty',
              group: 'contactinformation',
            },
          ]),
    ];
    const createdProperties: string[] = [];
    for (const property of wanted) {
      const ensured = await ensureUniqueProperty(getClient(), {
        objectType: property.objectType,
        name: property.name,
        label: 'External ID (Patchbay)',
        groupName: parsed.propertyGroup ?? property.group,
        description: 'Id of this record in the application that syncs it (Patchbay)',
        field: property.field,
      });
      if (!ensured.success) return ensured;
      if (ensured.data.created) createdProperties.push(`${property.objectType}.${property.name}`);
    }
    return ok({ createdProperties });
  }

  return {
    get client() {
      return getClient();
    },
    setup: () => settle('setup', setup),
    upsertMany: ((type: string, records: unknown) =>
      settle('upsertMany', () => upsertMany(type, records))) as HubSpotSync['upsertMany'],
    recover: () => engine.recover(),
  };
}
