import {
  type ApiResult,
  err,
  type IntegrationError,
  IntegrationError as IntegrationErrorClass,
  type IntegrationStore,
  type Lease,
  type Mapping,
  type MappingScope,
  ok,
  type SyncMode,
  type SyncRun,
  settle,
  stableHash,
  unexpectedFailure,
  withRetry,
} from '@patchbay/core';
import { createTwentyClient, type TwentyClient, type TwentyClientOptions } from './client.ts';
import { companyInputSchema } from './company.ts';
import { type CachedMapping, createLookupCache, type LookupCache } from './lookup-cache.ts';
import { personInputSchema } from './person.ts';
import { COMPANIES, createRecordResource, PEOPLE, type RecordResource } from './records.ts';
import { parseSyncOptions } from './sync-options.ts';
import {
  type CompanyRecord,
  companyInput,
  comparableFromRemote,
  EXTERNAL_ID_FIELD,
  type PersonRecord,
  personInput,
  readSyncRecord,
  remoteCompanySchema,
  remotePersonSchema,
} from './sync-records.ts';
import { openRecordSource, type RecordSource, UnreadableRecord } from './sync-source.ts';

type Kind = 'person' | 'company';

/** One record the sync could not write, with why. */
export interface SyncFailure {
  externalId: string;
  error: IntegrationError;
}

/** What an `upsertMany…` call did. */
export interface SyncReport {
  objectType: Kind;
  mode: SyncMode;
  created: number;
  updated: number;
  unchanged: number;
  /** Every record that failed, counted exactly. */
  failed: number;
  /** The first `maxReportedFailures` failures, in full; the rest are counted in `failuresOmitted`. */
  failures: SyncFailure[];
  /** Failures counted in `failed` but not kept in `failures` (the report's size stays bounded). */
  failuresOmitted: number;
  /** Companies created on the fly for people whose company Twenty did not have yet. */
  companiesCreated: number;
  /** Set when the sync is disabled and nothing was done. */
  skipped?: 'disabled';
}

/** Progress after each chunk. */
export type SyncProgress = Omit<SyncReport, 'failures' | 'failuresOmitted' | 'mode' | 'skipped'> & {
  processed: number;
};

/** The outcome of a single upsert. */
export interface UpsertOutcome {
  /** The Twenty id; null when the sync is disabled. */
  id: string | null;
  created: boolean;
  updated: boolean;
  skipped?: 'disabled';
}

/** Options of `createTwentySync`. */
export interface TwentySyncOptions extends TwentyClientOptions {
  /** Where mappings, sync state and config live (`@patchbay/store-sqlite`, `@patchbay/store-postgres`, …). */
  store: IntegrationStore;
  /** TTL of the in-memory lookup tier. Default 300 000 ms. */
  cacheTtlMs?: number;
  /** Records the in-memory tier keeps per object type; the oldest go first (the store still has them). Default 10 000. */
  cacheMaxEntries?: number;
  /** Records per lookup and per batch write. Default 60 (Twenty's batch limit). */
  batchSize?: number;
  /** Chunks in flight at once. Default 2. */
  concurrency?: number;
  onProgress?: (progress: SyncProgress) => void;
  /** `direct_crm` (default) writes to Twenty; `disabled` does nothing; `platform` is not available here. */
  mode?: SyncMode;
  /** Lease so two workers never run the same sync at once; `false` to skip. Default ttl 30 s, wait 120 s. */
  lease?: { ttlMs?: number; waitMs?: number; owner?: string } | false;
  /** An existing client to use instead of building one from the options. */
  client?: TwentyClient;
  /**
   * Failures a report keeps in full; the others are only counted (`failuresOmitted`), so a stream of 100 000
   * bad records yields a small report. Counts stay exact. Default 100; 0 keeps none.
   */
  maxReportedFailures?: number;
}

/** The sync service (seed 001's TwentyCrmSyncService). */
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
  /** Resolves writes a crash left in flight (the outbox) by looking them up in Twenty. Runs once on first use. */
  recover(): Promise<ApiResult<{ recovered: number; discarded: number }>>;
  readonly client: TwentyClient;
}

const INTEGRATION = 'twenty-crm';
const scopeOf = (kind: Kind): MappingScope => ({ integration: INTEGRATION, objectType: kind });
const SAFE_IN_VALUE = /^[^,()[\]"']+$/;
const LOOKUP_MAX_PAGES = 2;

/**
 * Creates the idempotent, batched sync of your people and companies into Twenty.
 * @example
 * const sync = createTwentySync({ baseUrl, apiKey, store: createSqliteStore({ path: 'patchbay.db' }) });
 * await sync.setup();
 * const report = await sync.upsertManyPersons(usersFromYourDatabase());
 */
export function createTwentySync(options: TwentySyncOptions): TwentySync {
  const {
    store,
    onProgress,
    cacheTtlMs,
    cacheMaxEntries,
    batchSize,
    concurrency,
    mode,
    lease,
    client,
    clientOptions,
    maxReportedFailures,
  } = parseSyncOptions(options);
  // Built lazily when disabled: a disabled sync needs no URL or key, and never calls Twenty.
  let clientInstance = client;
  const getClient = () => {
    clientInstance ??= createTwentyClient({ ...clientOptions, batchSize });
    return clientInstance;
  };
  if (mode !== 'disabled') getClient();
  // One cache per kind, so the externalId alone is the key and a long stream of people cannot push out the
  // companies every chunk looks up.
  const cacheOptions = { ttlMs: cacheTtlMs, maxEntries: cacheMaxEntries };
  const caches: Record<Kind, LookupCache> = {
    person: createLookupCache(cacheOptions),
    company: createLookupCache(cacheOptions),
  };
  // People and companies differ only in their record types; the sync handles both as plain records.
  type AnyRecord = Record<string, unknown>;
  // The client's calls, reading back only the fields the sync uses (see remotePersonSchema).
  let resources: Record<Kind, RecordResource<AnyRecord, AnyRecord>> | undefined;
  const resourceOf = (kind: Kind) => {
    resources ??= {
      person: createRecordResource({ http: getClient().http, batchSize }, PEOPLE, {
        record: remotePersonSchema,
        input: personInputSchema,
      }),
      company: createRecordResource({ http: getClient().http, batchSize }, COMPANIES, {
        record: remoteCompanySchema,
        input: companyInputSchema,
      }),
    };
    return resources[kind];
  };
  const upsertBatch = (kind: Kind, inputs: AnyRecord[]): Promise<ApiResult<AnyRecord[]>> =>
    resourceOf(kind).upsertMany(inputs, { validate: false });
  // One lookup asks for at most 200 ids of a unique field, so all its matches fit in one page of 200: a server
  // that still says another page follows after the second is broken, and the lookup stops there (maxPages)
  // instead of walking core's default 2 000 pages for every chunk.
  const findByExternalIds = (kind: Kind, ids: string[]): Promise<ApiResult<AnyRecord[]>> =>
    resourceOf(kind).listAll({
      filter: { [EXTERNAL_ID_FIELD]: { in: ids } },
      pageSize: 200,
      maxPages: LOOKUP_MAX_PAGES,
    });
  let recovered: Promise<ApiResult<{ recovered: number; discarded: number }>> | undefined;

  /** Finds remote records by externalId, one `[in]` query per chunk. */
  async function lookupRemote(
    kind: Kind,
    ids: readonly string[],
  ): Promise<ApiResult<Map<string, Record<string, unknown>>>> {
    const found = new Map<string, Record<string, unknown>>();
    // Ids Twenty's filter parser would split or misread are not looked up: the upsert still matches them.
    const safe = ids.filter((id) => SAFE_IN_VALUE.test(id));
    for (let i = 0; i < safe.length; i += batchSize) {
      const group = safe.slice(i, i + batchSize);
      const result = await findByExternalIds(kind, group);
      if (!result.success) return result;
      // Only the records asked for, with a remote id: whatever else a faulty server lists must never become a
      // mapping (it would point a later record at someone else's remote record, or at "undefined").
      const asked = new Set(group);
      for (const record of result.data) {
        const id = record[EXTERNAL_ID_FIELD];
        if (typeof id === 'string' && asked.has(id) && typeof record.id === 'string' && record.id !== '') {
          found.set(id, record);
        }
      }
    }
    return ok(found);
  }

  /** Three tiers: memory cache, then the mapping store, then Twenty (batched). */
  async function resolve(kind: Kind, ids: readonly string[]): Promise<ApiResult<Map<string, CachedMapping>>> {
    const out = new Map<string, CachedMapping>();
    let misses: string[] = [];
    for (const id of ids) {
      const hit = caches[kind].get(id);
      if (hit) out.set(id, hit);
      else misses.push(id);
    }
    if (misses.length === 0) return ok(out);

    const stored = await store.mappings.getMany(scopeOf(kind), misses);
    if (!stored.success) return stored;
    for (const [id, mapping] of stored.data) {
      out.set(id, mapping);
      caches[kind].set(id, mapping);
    }
    misses = misses.filter((id) => !stored.data.has(id));
    if (misses.length === 0) return ok(out);

    const remote = await lookupRemote(kind, misses);
    if (!remote.success) return remote;
    const learned: Mapping[] = [];
    for (const [id, record] of remote.data) {
      const value = {
        remoteId: String(record.id),
        contentHash: await stableHash(comparableFromRemote(kind, record)),
      };
      out.set(id, value);
      caches[kind].set(id, value);
      learned.push({ externalId: id, ...value, syncedAt: Date.now() });
    }
    if (learned.length > 0) {
      // commitMappings also clears outbox entries of records a crash left in flight and Twenty has.
      const saved = await store.commitMappings(scopeOf(kind), learned);
      if (!saved.success) return saved;
    }
    return ok(out);
  }

  interface Prepared {
    externalId: string;
    input: Record<string, unknown>;
    hash: string;
    existing: boolean;
  }

  /**
   * Writes through the batch upsert, which matches on the unique externalId: re-sending a record that a
   * crash or a lost response already wrote updates it instead of duplicating it. A data error in a batch
   * is isolated by halving the batch until the bad records stand alone.
   */
  async function write(kind: Kind, items: Prepared[], report: SyncReport): Promise<Map<string, string>> {
    const ids = items.map((item) => item.externalId);
    const written = new Map<string, string>();
    const outbox = await store.syncState.outboxPut(
      scopeOf(kind),
      items.map((item) => ({
        externalId: item.externalId,
        operation: item.existing ? 'update' : 'create',
        contentHash: item.hash,
        createdAt: Date.now(),
      })),
    );
    if (!outbox.success) {
      fail(report, ids, outbox.error);
      return written;
    }
    const result = await withRetry(
      async (attempt) => {
        if (attempt > 1) for (const id of ids) caches[kind].delete(id);
        return upsertBatch(
          kind,
          items.map((item) => item.input),
        );
      },
      // Seed 001's conflict handling: the record we knew was deleted, or another writer created it first;
      // the upsert matches on externalId, so trying again updates the record that now exists.
      {
        retries: 3,
        minDelayMs: 100,
        shouldRetry: (error) => error.code === 'CONFLICT' && items.length === 1,
      },
    );
    if (!result.success) {
      const dataError = ['VALIDATION_ERROR', 'CONFLICT', 'NOT_FOUND'].includes(result.error.code);
      if (dataError && items.length > 1) {
        const middle = Math.ceil(items.length / 2);
        for (const [id, remoteId] of await write(kind, items.slice(0, middle), report))
          written.set(id, remoteId);
        for (const [id, remoteId] of await write(kind, items.slice(middle), report))
          written.set(id, remoteId);
        return written;
      }
      // A data error means nothing was written; a transport failure may have been committed: keep the
      // outbox entries then, so the next run looks those records up before writing again.
      if (dataError) await store.syncState.outboxDelete(scopeOf(kind), ids);
      fail(report, ids, result.error);
      return written;
    }
    const byExternalId = new Map<string, string>();
    for (const record of result.data) {
      const id = record[EXTERNAL_ID_FIELD];
      if (typeof id === 'string') byExternalId.set(id, String(record.id));
    }
    const mappings: Mapping[] = [];
    const kept: Prepared[] = [];
    for (const item of items) {
      const remoteId = byExternalId.get(item.externalId);
      if (!remoteId) {
        fail(
          report,
          [item.externalId],
          new IntegrationErrorClass('INVALID_RESPONSE', 'Twenty did not return the record'),
        );
        continue;
      }
      mappings.push({ externalId: item.externalId, remoteId, contentHash: item.hash, syncedAt: Date.now() });
      kept.push(item);
    }
    const committed = await store.commitMappings(scopeOf(kind), mappings);
    if (!committed.success) {
      // Twenty has the records; only our bookkeeping failed. The outbox entries stay for recovery.
      fail(
        report,
        mappings.map((m) => m.externalId),
        committed.error,
      );
      return written;
    }
    for (const [index, mapping] of mappings.entries()) {
      caches[kind].set(mapping.externalId, mapping);
      written.set(mapping.externalId, mapping.remoteId);
      if (kept[index]?.existing) report.updated++;
      else report.created++;
    }
    return written;
  }

  // How many failures each report keeps, and the code of its last failure (kept or not) for the run log.
  const reportState = new WeakMap<SyncReport, { keep: number; lastErrorCode?: string }>();

  function fail(report: SyncReport, ids: readonly string[], error: IntegrationError) {
    const state = reportState.get(report);
    const keep = state?.keep ?? maxReportedFailures;
    for (const externalId of ids) {
      if (report.failures.length < keep) report.failures.push({ externalId, error });
      else report.failuresOmitted++;
    }
    report.failed += ids.length;
    if (state && ids.length > 0) state.lastErrorCode = error.code;
  }

  // Companies being created right now by another chunk of this process: wait for those instead of
  // sending a second create for the same company.
  const creatingCompanies = new Map<string, Promise<string | undefined>>();

  /** Resolves (and creates when missing) the companies people point at; returns externalId → Twenty id. */
  async function ensureCompanies(
    wanted: Map<string, string>,
    report: SyncReport,
  ): Promise<ApiResult<Map<string, string>>> {
    const out = new Map<string, string>();
    const waiting: [string, Promise<string | undefined>][] = [];
    const mine = new Map<string, (remoteId: string | undefined) => void>();
    // Claim the ids before the first await, so a concurrent chunk waits for us instead of creating them too.
    for (const id of wanted.keys()) {
      const pending = creatingCompanies.get(id);
      if (pending) {
        waiting.push([id, pending]);
        continue;
      }
      const { promise, resolve: settle } = Promise.withResolvers<string | undefined>();
      creatingCompanies.set(id, promise);
      mine.set(id, settle);
    }
    try {
      const ids = [...mine.keys()];
      const resolved = await resolve('company', ids);
      if (!resolved.success) return resolved;
      const missing: Prepared[] = [];
      for (const id of ids) {
        const known = resolved.data.get(id);
        if (known) {
          out.set(id, known.remoteId);
          continue;
        }
        const input = companyInput({ externalId: id, name: wanted.get(id) ?? id });
        missing.push({ externalId: id, input, hash: await stableHash(input), existing: false });
      }
      if (missing.length > 0) {
        const companyReport = emptyReport('company');
        const created = await write('company', missing, companyReport);
        report.companiesCreated += companyReport.created;
        for (const [id, remoteId] of created) out.set(id, remoteId);
      }
    } finally {
      for (const [id, settle] of mine) {
        settle(out.get(id));
        creatingCompanies.delete(id);
      }
    }
    for (const [id, pending] of waiting) {
      const remoteId = await pending;
      if (remoteId) out.set(id, remoteId);
    }
    return ok(out);
  }

  async function prepare(
    kind: Kind,
    raw: readonly unknown[],
    firstPosition: number,
    report: SyncReport,
  ): Promise<Prepared[]> {
    const valid: { externalId: string; record: Record<string, unknown> }[] = [];
    for (const [index, candidate] of raw.entries()) {
      if (UnreadableRecord.is(candidate)) {
        fail(report, [`#${firstPosition + index}`], candidate.error);
        continue;
      }
      // Each record is read once into a validated copy: nothing below touches the caller's object again.
      const read = await readSyncRecord(kind, candidate, firstPosition + index);
      if (read.ok) valid.push({ externalId: read.externalId, record: read.record });
      else fail(report, [read.label], read.error);
    }
    // The last occurrence of an id in a chunk wins, as it would had the records come one by one.
    const unique = [...new Map(valid.map((v) => [v.externalId, v])).values()];
    let companies = new Map<string, string>();
    if (kind === 'person') {
      const wanted = new Map<string, string>();
      for (const { record } of unique) {
        const companyId = record.companyExternalId as string | null | undefined;
        if (companyId) wanted.set(companyId, (record.companyName as string | null | undefined) || companyId);
      }
      if (wanted.size > 0) {
        const ensured = await ensureCompanies(wanted, report);
        if (!ensured.success) {
          fail(
            report,
            unique.map((u) => u.externalId),
            ensured.error,
          );
          return [];
        }
        companies = ensured.data;
      }
    }
    const prepared: Prepared[] = [];
    for (const { externalId, record } of unique) {
      let input: Record<string, unknown>;
      if (kind === 'person') {
        const companyExternalId = record.companyExternalId as string | null | undefined;
        const companyId = companyExternalId ? companies.get(companyExternalId) : null;
        if (companyExternalId && !companyId) {
          fail(
            report,
            [externalId],
            new IntegrationErrorClass(
              'OPERATION_FAILED',
              `Company ${companyExternalId} could not be created`,
              { field: 'companyExternalId' },
            ),
          );
          continue;
        }
        input = personInput(record as Parameters<typeof personInput>[0], companyId ?? null);
      } else {
        input = companyInput(record as Parameters<typeof companyInput>[0]);
      }
      prepared.push({ externalId, input, hash: await stableHash(input), existing: false });
    }
    return prepared;
  }

  /** Writes one chunk; never rejects: whatever escapes (a store that throws) fails the chunk's records. */
  async function processChunk(
    kind: Kind,
    raw: readonly unknown[],
    firstPosition: number,
    report: SyncReport,
  ): Promise<void> {
    const before = accounted(report);
    try {
      await writeChunk(kind, raw, firstPosition, report);
    } catch (error) {
      // Only through a bug: what the chunk did not account for yet fails, so the counts still add up (as far
      // as another chunk in flight lets this tell them apart).
      const missing = Math.max(0, raw.length - (accounted(report) - before));
      const labels = Array.from(
        { length: missing },
        (_, index) => `#${firstPosition + raw.length - missing + index}`,
      );
      fail(report, labels, unexpectedFailure(`Syncing ${kind} records`, error));
    }
  }

  const accounted = (report: SyncReport) =>
    report.created + report.updated + report.unchanged + report.failed;

  async function writeChunk(
    kind: Kind,
    raw: readonly unknown[],
    firstPosition: number,
    report: SyncReport,
  ): Promise<void> {
    const prepared = await prepare(kind, raw, firstPosition, report);
    if (prepared.length === 0) return;
    const resolved = await resolve(
      kind,
      prepared.map((p) => p.externalId),
    );
    if (!resolved.success) {
      fail(
        report,
        prepared.map((p) => p.externalId),
        resolved.error,
      );
      return;
    }
    const changed: Prepared[] = [];
    for (const item of prepared) {
      const known = resolved.data.get(item.externalId);
      if (known && known.contentHash === item.hash) report.unchanged++;
      else changed.push({ ...item, existing: known !== undefined });
    }
    if (changed.length > 0) await write(kind, changed, report);
  }

  function emptyReport(kind: Kind, keep = maxReportedFailures): SyncReport {
    const report: SyncReport = {
      objectType: kind,
      mode,
      created: 0,
      updated: 0,
      unchanged: 0,
      failed: 0,
      failures: [],
      failuresOmitted: 0,
      companiesCreated: 0,
    };
    reportState.set(report, { keep });
    return report;
  }

  function modeError(): IntegrationError | undefined {
    if (mode === 'platform') {
      return new IntegrationErrorClass(
        'CONFIG_ERROR',
        "Sync mode 'platform' (through the Ever Works Platform API) is not available in @patchbay/twenty-crm; use 'direct_crm'",
        { field: 'syncMode', retryable: false },
      );
    }
    return undefined;
  }

  async function withLease<T>(
    run: (leaseLost: () => boolean) => Promise<ApiResult<T>>,
  ): Promise<ApiResult<T>> {
    if (lease === false) return run(() => false);
    const ttlMs = lease?.ttlMs ?? 30_000;
    const owner = lease?.owner ?? crypto.randomUUID();
    const deadline = Date.now() + (lease?.waitMs ?? 120_000);
    let held = await store.syncState.acquireLease(`${INTEGRATION}:sync`, { owner, ttlMs });
    while (held.success && held.data === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      held = await store.syncState.acquireLease(`${INTEGRATION}:sync`, { owner, ttlMs });
    }
    if (!held.success) return held;
    if (held.data === null) {
      return err(
        new IntegrationErrorClass('CONFLICT', 'Another worker holds the sync lease', { retryable: true }),
      );
    }
    let current: Lease = held.data;
    let lost = false;
    // The store is guarded (sync-options.ts): a renewal that fails resolves to a failure, never an unhandled
    // rejection from this timer.
    const renew = setInterval(
      async () => {
        const renewed = await store.syncState.renewLease(current, { ttlMs });
        if (renewed.success && renewed.data) current = renewed.data;
        // Another worker took the lapsed lease: stop starting new chunks.
        else if (renewed.success) lost = true;
      },
      Math.max(1_000, ttlMs / 3),
    );
    try {
      return await run(() => lost);
    } finally {
      clearInterval(renew);
      await store.syncState.releaseLease(current);
    }
  }

  function progressOf(kind: Kind, report: SyncReport, processed: number): SyncProgress {
    return {
      objectType: kind,
      processed,
      created: report.created,
      updated: report.updated,
      unchanged: report.unchanged,
      failed: report.failed,
      companiesCreated: report.companiesCreated,
    };
  }

  async function upsertMany(
    kind: Kind,
    records: unknown,
    keep = maxReportedFailures,
  ): Promise<ApiResult<SyncReport>> {
    const report = emptyReport(kind, keep);
    if (mode === 'disabled') return ok({ ...report, skipped: 'disabled' });
    const blocked = modeError();
    if (blocked) return err(blocked);
    const opened = openRecordSource(records, 'records');
    if (!opened.success) return opened;
    const source = opened.data;
    const result = await withLease(async (leaseLost) => {
      // A recovery that cannot reach Twenty now is not fatal: its entries stay for the next run, and the
      // upserts match on externalId anyway.
      const recovery = await recoverOutbox();
      if (!recovery.success && !recovery.error.retryable) return recovery;
      const run = await store.syncState.startRun(`${INTEGRATION}:${kind}`);
      let outcome: ApiResult<SyncReport>;
      try {
        outcome = await stream(kind, source, report, leaseLost);
      } catch (error) {
        // Not reachable through the checks above; should it be, the run still ends `failed`, not `running`.
        outcome = err(unexpectedFailure(`upsertMany (${kind})`, error));
      }
      if (run.success) await finishRun(run.data, report, outcome);
      return outcome;
    });
    // Stopped early (lease lost, or the lease never held): the caller's iterator gets its return().
    await source.close();
    return result;
  }

  /** Pulls chunks from the source and writes them, `concurrency` at a time; never rejects. */
  async function stream(
    kind: Kind,
    source: RecordSource,
    report: SyncReport,
    leaseLost: () => boolean,
  ): Promise<ApiResult<SyncReport>> {
    const inFlight = new Set<Promise<void>>();
    let read = 0;
    let processed = 0;
    let sourceError: IntegrationError | undefined;
    for (;;) {
      if (leaseLost()) break;
      const chunk = await source.nextChunk(batchSize);
      sourceError = chunk.error;
      if (chunk.items.length > 0) {
        // Records read before a source failed are written all the same: nothing read is dropped.
        const task = processChunk(kind, chunk.items, read, report).then(() => {
          processed += chunk.items.length;
          try {
            onProgress?.(progressOf(kind, report, processed));
          } catch {
            // A progress callback that throws must not stop or fail the sync: the records are written.
          }
        });
        read += chunk.items.length;
        inFlight.add(task);
        void task.finally(() => inFlight.delete(task));
        if (inFlight.size >= concurrency) await Promise.race(inFlight);
      }
      if (chunk.done) break;
    }
    await Promise.all(inFlight);
    if (leaseLost()) {
      return err(
        new IntegrationErrorClass(
          'CONFLICT',
          'The sync lease was lost to another worker; the run stopped early',
          {
            retryable: true,
          },
        ),
      );
    }
    if (sourceError) {
      const counts = `${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.failed} failed`;
      return err(
        new IntegrationErrorClass(
          sourceError.code,
          `${sourceError.message}. The ${read} records read before were synced (${counts}); run it again to sync the rest`,
          {
            field: sourceError.field,
            issues: sourceError.issues,
            retryable: sourceError.retryable,
            cause: sourceError.cause,
          },
        ),
      );
    }
    return ok(report);
  }

  async function finishRun(run: SyncRun, report: SyncReport, outcome: ApiResult<SyncReport>): Promise<void> {
    const failed = !outcome.success || report.failed > 0;
    await store.syncState.finishRun(run.id, {
      status: failed ? 'failed' : 'succeeded',
      counts: {
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged,
        failed: report.failed,
      },
      lastErrorCode: !outcome.success ? outcome.error.code : (reportState.get(report)?.lastErrorCode ?? null),
    });
  }

  async function upsertOne(kind: Kind, record: unknown): Promise<ApiResult<UpsertOutcome>> {
    if (mode === 'disabled') return ok({ id: null, created: false, updated: false, skipped: 'disabled' });
    // Read once: the copy is what is synced and what the Twenty id is looked up by afterwards.
    const read = await readSyncRecord(kind, record, 0);
    if (!read.ok) return err(read.error);
    // One record: its failure, if any, is kept whatever maxReportedFailures says.
    const report = await upsertMany(kind, [read.record], 1);
    if (!report.success) return report;
    const failure = report.data.failures[0];
    if (failure) return err(failure.error);
    const { externalId } = read;
    const known = caches[kind].get(externalId);
    const stored = known ? undefined : await store.mappings.getMany(scopeOf(kind), [externalId]);
    const remoteId = known?.remoteId ?? (stored?.success ? stored.data.get(externalId)?.remoteId : undefined);
    if (!remoteId)
      return err(new IntegrationErrorClass('OPERATION_FAILED', `No Twenty id recorded for ${externalId}`));
    return ok({ id: remoteId, created: report.data.created > 0, updated: report.data.updated > 0 });
  }

  async function recoverOutbox(): Promise<ApiResult<{ recovered: number; discarded: number }>> {
    recovered ??= (async () => {
      let recoveredCount = 0;
      let discarded = 0;
      for (const kind of ['company', 'person'] as const) {
        // Each round clears what it listed; a store that lists the same entries again would loop forever.
        const seen = new Set<string>();
        for (;;) {
          const pending = await store.syncState.outboxList(scopeOf(kind), { limit: 1_000 });
          if (!pending.success) return pending;
          if (pending.data.length === 0) break;
          const ids = pending.data.map((entry) => entry.externalId);
          if (ids.some((id) => seen.has(id))) {
            return err(
              new IntegrationErrorClass(
                'OPERATION_FAILED',
                'The store listed outbox entries again after they were cleared; recovery stopped',
                // Retryable: a sync still runs (its upserts match on externalId), and a later recovery may pass.
                { retryable: true },
              ),
            );
          }
          for (const id of ids) seen.add(id);
          const remote = await lookupRemote(kind, ids);
          if (!remote.success) return remote;
          const mappings: Mapping[] = [];
          for (const [id, record] of remote.data) {
            mappings.push({
              externalId: id,
              remoteId: String(record.id),
              contentHash: await stableHash(comparableFromRemote(kind, record)),
              syncedAt: Date.now(),
            });
          }
          const committed = await store.commitMappings(scopeOf(kind), mappings);
          if (!committed.success) return committed;
          const unwritten = ids.filter((id) => !remote.data.has(id));
          const cleared = await store.syncState.outboxDelete(scopeOf(kind), unwritten);
          if (!cleared.success) return cleared;
          recoveredCount += mappings.length;
          discarded += unwritten.length;
        }
      }
      return ok({ recovered: recoveredCount, discarded });
    })();
    const result = await recovered;
    if (!result.success) recovered = undefined;
    return result;
  }

  return {
    get client() {
      return getClient();
    },
    setup: () => settle('setup', setup),
    // Every call resolves: a value no check foresaw, or a bug, is a typed failure instead of a rejection.
    upsertCompany: (record) => settle('upsertCompany', () => upsertOne('company', record)),
    upsertPerson: (record) => settle('upsertPerson', () => upsertOne('person', record)),
    upsertManyCompanies: (records) => settle('upsertManyCompanies', () => upsertMany('company', records)),
    upsertManyPersons: (records) => settle('upsertManyPersons', () => upsertMany('person', records)),
    // Under the lease: another worker's in-flight entries are not ours to resolve.
    recover: () => settle('recover', () => withLease(() => recoverOutbox())),
  };

  async function setup(): Promise<ApiResult<{ createdFields: string[] }>> {
    if (mode === 'disabled') return ok({ createdFields: [] });
    const blocked = modeError();
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
}
