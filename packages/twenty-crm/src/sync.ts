import { type ApiResult, err, IntegrationError, ok, settle } from '@patchbay/core';
import {
  createSyncEngine,
  type SyncProgress as EngineProgress,
  type SyncReport as EngineReport,
  type RecoveryReport,
  type SyncFailure,
  type SyncFrontOptions,
} from '@patchbay/sync';
import { createTwentyClient, type TwentyClient, type TwentyClientOptions } from './client.ts';
import type { TWENTY_SYNC_MODES } from './connector.ts';
import { TWENTY_SYNC_OBJECTS } from './sync/objects.ts';
import { type CompanyRecord, EXTERNAL_ID_FIELD, type PersonRecord } from './sync/records.ts';
import { createTwentyRemote } from './sync/remote.ts';
import { parseSyncOptions } from './sync-options.ts';

export type { SyncFailure };

/** What an `upsertMany…` call did. */
export interface SyncReport extends EngineReport {
  /** Companies created on the fly for people whose company Twenty did not have yet. */
  companiesCreated: number;
}

/** Progress after each chunk. */
export type SyncProgress = EngineProgress & { companiesCreated: number };

/** The outcome of a single upsert. */
export interface UpsertOutcome {
  /** The Twenty id; null when the sync is disabled. */
  id: string | null;
  created: boolean;
  updated: boolean;
  skipped?: 'disabled';
}

/** How the sync runs (seed 001): off, through the platform API (not available here), or straight to Twenty. */
export type TwentySyncMode = (typeof TWENTY_SYNC_MODES)[number];

/** Options of `createTwentySync`. */
export interface TwentySyncOptions extends TwentyClientOptions, SyncFrontOptions {
  /** Records per lookup and per batch write. Default 60 (Twenty's batch limit). */
  batchSize?: number;
  onProgress?: (progress: SyncProgress) => void;
  /** `direct_crm` (default) writes to Twenty; `disabled` does nothing; `platform` is not available here. */
  mode?: TwentySyncMode;
  /** An existing client to use instead of building one from the options. */
  client?: TwentyClient;
}

/** The sync service (seed 001's TwentyCrmSyncService), a front over `@patchbay/sync`'s engine. */
export interface TwentySync {
  /** Makes sure people and companies have the unique `externalId` text field. Idempotent. */
  setup(): Promise<ApiResult<{ createdFields: string[] }>>;
  upsertCompany(record: CompanyRecord): Promise<ApiResult<UpsertOutcome>>;
  upsertPerson(record: PersonRecord): Promise<ApiResult<UpsertOutcome>>;
  /** Streams records (array, iterable or async iterable) in chunks; one bad record never stops the rest. */
  upsertManyCompanies(
    records: Iterable<CompanyRecord> | AsyncIterable<CompanyRecord>,
  ): Promise<ApiResult<SyncReport>>;
  upsertManyPersons(
    records: Iterable<PersonRecord> | AsyncIterable<PersonRecord>,
  ): Promise<ApiResult<SyncReport>>;
  /** Any object type by name: `'person'` or `'company'`. */
  upsertMany(
    type: 'person' | 'company',
    records: Iterable<PersonRecord | CompanyRecord> | AsyncIterable<PersonRecord | CompanyRecord>,
  ): Promise<ApiResult<SyncReport>>;
  /** Resolves writes a crash left in flight (the outbox) by looking them up in Twenty. Runs once on first use. */
  recover(): Promise<ApiResult<RecoveryReport>>;
  readonly client: TwentyClient;
}

const withCompanies = <T extends { parentsCreated: Record<string, number> }>(value: T) => ({
  ...value,
  companiesCreated: value.parentsCreated.company ?? 0,
});

/**
 * Creates the idempotent, batched sync of your people and companies into Twenty.
 * @example
 * const sync = createTwentySync({ baseUrl, apiKey, store: createSqliteStore({ path: 'patchbay.db' }) });
 * await sync.setup();
 * const report = await sync.upsertManyPersons(usersFromYourDatabase());
 */
export function createTwentySync(options: TwentySyncOptions): TwentySync {
  const parsed = parseSyncOptions(options);
  const { mode, batchSize, clientOptions, onProgress } = parsed;
  // Built lazily when disabled: a disabled sync needs no URL or key, and never calls Twenty.
  let client = parsed.client;
  const getClient = () => {
    client ??= createTwentyClient({ ...clientOptions, batchSize });
    return client;
  };
  if (mode !== 'disabled') getClient();
  const engine = createSyncEngine({
    integration: 'twenty-crm',
    store: parsed.store,
    remote: createTwentyRemote({ client: getClient, batchSize }),
    objects: TWENTY_SYNC_OBJECTS,
    batchSize,
    concurrency: parsed.concurrency,
    cache: { ttlMs: parsed.cacheTtlMs, maxEntries: parsed.cacheMaxEntries },
    lease: parsed.lease ?? {},
    mode,
    maxReportedFailures: parsed.maxReportedFailures,
    ...(onProgress && { onProgress: (progress) => onProgress(withCompanies(progress)) }),
  });
  const blocked =
    mode === 'platform'
      ? new IntegrationError(
          'CONFIG_ERROR',
          "Sync mode 'platform' (through the Ever Works Platform API) is not available in @patchbay/twenty-crm; use 'direct_crm'",
          { field: 'syncMode', retryable: false },
        )
      : undefined;

  async function upsertMany(type: 'person' | 'company', records: unknown): Promise<ApiResult<SyncReport>> {
    if (blocked) return err(blocked);
    const report = await engine.upsertMany(type, records as Iterable<PersonRecord>);
    return report.success ? ok(withCompanies(report.data)) : report;
  }

  async function upsertOne(type: 'person' | 'company', record: unknown): Promise<ApiResult<UpsertOutcome>> {
    if (blocked && mode !== 'disabled') return err(blocked);
    const outcome = await engine.upsertOne(type, record as PersonRecord);
    if (!outcome.success) return outcome;
    const { remoteId, created, updated, skipped } = outcome.data;
    return ok({ id: remoteId, created, updated, ...(skipped && { skipped }) });
  }

  async function setup(): Promise<ApiResult<{ createdFields: string[] }>> {
    if (mode === 'disabled') return ok({ createdFields: [] });
    if (blocked) return err(blocked);
    const createdFields: string[] = [];
    for (const object of ['person', 'company']) {
      const ensured = await getClient().metadata.ensureField({
        object,
        name: EXTERNAL_ID_FIELD,
        type: 'TEXT',
        label: 'External ID',
        isUnique: true,
        description: 'Id of this record in the application that syncs it (Patchbay)',
      });
      if (!ensured.success) return ensured;
      if (ensured.data.created) createdFields.push(`${object}.${EXTERNAL_ID_FIELD}`);
    }
    return ok({ createdFields });
  }

  return {
    get client() {
      return getClient();
    },
    setup: () => settle('setup', setup),
    upsertCompany: (record) => settle('upsertCompany', () => upsertOne('company', record)),
    upsertPerson: (record) => settle('upsertPerson', () => upsertOne('person', record)),
    upsertManyCompanies: (records) => settle('upsertManyCompanies', () => upsertMany('company', records)),
    upsertManyPersons: (records) => settle('upsertManyPersons', () => upsertMany('person', records)),
    upsertMany: (type, records) => settle('upsertMany', () => upsertMany(type, records)),
    recover: () => (blocked ? Promise.resolve(err(blocked)) : engine.recover()),
  };
}
