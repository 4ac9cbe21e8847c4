import { type ApiResult, err, IntegrationError, ok, settle } from '@patchbay/core';
import {
  createSyncEngine,
  type SyncProgress as EngineProgress,
  type SyncReport as EngineReport,
  type RecoveryReport,
  type SyncFailure,
  type SyncFrontOptions,
} from '@patchbay/sync';
import { createPipedriveClient, type PipedriveClient, type PipedriveClientOptions } from './client.ts';
import type { PIPEDRIVE_SYNC_MODES } from './connector.ts';
import type { PipedriveCustomFieldsOption } from './custom-fields.ts';
import { organizationObject, type PipedriveSyncType, personObject } from './sync/objects.ts';
import { EXTERNAL_ID_NAME, type OrganizationRecord, type PersonRecord } from './sync/records.ts';
import { createPipedriveRemote } from './sync/remote.ts';
import { parseSyncOptions } from './sync-options.ts';

export type { SyncFailure };

/** What an `upsertMany` call did. */
export interface PipedriveSyncReport extends EngineReport {
  /** Organizations created on the fly for persons whose organization Pipedrive did not have yet. */
  organizationsCreated: number;
}

/** Progress after each chunk. */
export type PipedriveSyncProgress = EngineProgress & { organizationsCreated: number };

/** The sync's object types: `organization` (parents) and `person`. */
export type PipedriveSyncObjectType = PipedriveSyncType;

/** `platform` (default) runs the sync; `disabled` does nothing and never calls Pipedrive. */
export type PipedriveSyncMode = (typeof PIPEDRIVE_SYNC_MODES)[number];

/** Options of `createPipedriveSync`: the client's (token, domain, limits…) and the sync's own. */
export interface PipedriveSyncOptions extends PipedriveClientOptions, SyncFrontOptions {
  /** The person custom field holding your ids: its name or 40-character key. Default `Patchbay external ID`. */
  personIdField?: string;
  /** The organization custom field holding your ids: its name or key. Default `Patchbay external ID`. */
  organizationIdField?: string;
  /** Records per chunk (looked up together, then written one request each), at most 100. Default 100. */
  batchSize?: number;
  /** Write requests each chunk keeps in flight (the burst limiter paces them). Default 4. */
  writeConcurrency?: number;
  onProgress?: (progress: PipedriveSyncProgress) => void;
  mode?: PipedriveSyncMode;
}

/** The Pipedrive sync, a front over `@patchbay/sync`'s engine. Every call resolves to an ApiResult. */
export interface PipedriveSync {
  /** Creates the external-id custom fields (text) the sync keys records by, when missing. Idempotent. */
  setup(): Promise<ApiResult<{ createdFields: string[] }>>;
  /** Streams records (array, iterable or async iterable) in chunks; one bad record never stops the rest. */
  upsertMany(
    type: 'organization',
    records: Iterable<OrganizationRecord> | AsyncIterable<OrganizationRecord>,
  ): Promise<ApiResult<PipedriveSyncReport>>;
  upsertMany(
    type: 'person',
    records: Iterable<PersonRecord> | AsyncIterable<PersonRecord>,
  ): Promise<ApiResult<PipedriveSyncReport>>;
  upsertMany(
    type: PipedriveSyncObjectType,
    records: Iterable<unknown> | AsyncIterable<unknown>,
  ): Promise<ApiResult<PipedriveSyncReport>>;
  /** Settles writes a crash left in flight (the outbox) by looking them up in Pipedrive. Runs once by itself. */
  recover(): Promise<ApiResult<RecoveryReport>>;
  readonly client: PipedriveClient;
}

const withOrganizations = <T extends { parentsCreated: Record<string, number> }>(value: T) => ({
  ...value,
  organizationsCreated: value.parentsCreated.organization ?? 0,
});

const FIELD_ENTITIES = [
  { entity: 'organization', option: 'organizationIdField' },
  { entity: 'person', option: 'personIdField' },
] as const;
const TEXT_TYPES: ReadonlySet<string> = new Set(['varchar', 'varchar_auto', 'text']);
const HASH_KEY = /^[0-9a-f]{40}$/;

/**
 * Creates the idempotent sync of your persons and organizations into Pipedrive, which has no upsert: each record
 * is keyed by your id in a custom field, found in an index of the account (one full read, then only what
 * changed), then created or updated; the outbox keeps a crash from creating it twice. A person's organization is
 * created first when missing. A spent daily token budget stops the run with a `RATE_LIMIT` saying when it resets;
 * the next run goes on from there. Throws `CONFIG_ERROR` naming every invalid option.
 * @example
 * const sync = createPipedriveSync({ companyDomain: 'acme', apiToken: process.env.PIPEDRIVE_TOKEN!, store: createSqliteStore({ path: 'patchbay.db' }) });
 * await sync.setup();
 * const report = await sync.upsertMany('person', usersFromYourDatabase());
 */
export function createPipedriveSync(options: PipedriveSyncOptions): PipedriveSync {
  const parsed = parseSyncOptions(options);
  const { mode, clientOptions, onProgress, personIdField, organizationIdField } = parsed;
  const given = (clientOptions.customFields ?? {}) as PipedriveCustomFieldsOption;
  // The external-id field under the sync's own name, beside whatever names the caller gave.
  const customFields: PipedriveCustomFieldsOption = {
    ...given,
    person: { ...given.person, [EXTERNAL_ID_NAME]: personIdField },
    organization: { ...given.organization, [EXTERNAL_ID_NAME]: organizationIdField },
  };
  // Built lazily when disabled: a disabled sync needs no token and never calls Pipedrive.
  let client: PipedriveClient | undefined;
  const getClient = () => {
    client ??= createPipedriveClient({ ...clientOptions, customFields }) as PipedriveClient;
    return client;
  };
  if (mode !== 'disabled') getClient();
  const engine = createSyncEngine({
    integration: 'pipedrive',
    store: parsed.store,
    remote: createPipedriveRemote({ client: getClient, writeConcurrency: parsed.writeConcurrency }),
    objects: { organization: organizationObject, person: personObject },
    batchSize: parsed.batchSize,
    concurrency: parsed.concurrency,
    cache: { ttlMs: parsed.cacheTtlMs, maxEntries: parsed.cacheMaxEntries },
    lease: parsed.lease ?? {},
    mode,
    maxReportedFailures: parsed.maxReportedFailures,
    ...(onProgress && { onProgress: (progress) => onProgress(withOrganizations(progress)) }),
  });

  async function upsertMany(type: string, records: unknown): Promise<ApiResult<PipedriveSyncReport>> {
    const report = await engine.upsertMany(type as PipedriveSyncType, records as Iterable<PersonRecord>);
    return report.success ? ok(withOrganizations(report.data)) : report;
  }

  async function setup(): Promise<ApiResult<{ createdFields: string[] }>> {
    if (mode === 'disabled') return ok({ createdFields: [] });
    const createdFields: string[] = [];
    for (const { entity, option } of FIELD_ENTITIES) {
      const wanted = option === 'personIdField' ? personIdField : organizationIdField;
      const listed = await getClient().fields.list(entity);
      if (!listed.success) return listed;
      const existing = listed.data.find(
        (field) => field.field_code === wanted || field.field_name === wanted,
      );
      if (existing) {
        if (!TEXT_TYPES.has(existing.field_type)) {
          return err(
            new IntegrationError(
              'CONFIG_ERROR',
              `${option}: the ${entity} field "${wanted}" is of type ${existing.field_type}; the external id needs a text field (varchar)`,
              { field: option, retryable: false },
            ),
          );
        }
        continue;
      }
      if (HASH_KEY.test(wanted)) {
        return err(
          new IntegrationError(
            'CONFIG_ERROR',
            `${option}: no ${entity} field has the key ${wanted}; give a name to have setup() create it`,
            { field: option, retryable: false },
          ),
        );
      }
      const created = await getClient().fields.create(entity, { name: wanted, field_type: 'varchar' });
      if (!created.success) return created;
      createdFields.push(`${entity}.${wanted}`);
    }
    return ok({ createdFields });
  }

  return {
    get client() {
      return getClient();
    },
    setup: () => settle('setup', setup),
    upsertMany: ((type: string, records: unknown) =>
      settle('upsertMany', () => upsertMany(type, records))) as PipedriveSync['upsertMany'],
    recover: () => engine.recover(),
  };
}
