import {
  type FieldIssue,
  IntegrationError,
  isIntegrationError,
  optionsObject,
  parseOptions,
  settle,
} from '@patchbay/core';
import { guardStore, type IntegrationStore } from '@patchbay/core/store';
import * as z from 'zod/mini';
import type { SyncLeaseOptions } from './lease.ts';
import type { SyncProgress } from './report.ts';
import type { SyncObject } from './sync-object.ts';
import type { SyncRemote } from './sync-remote.ts';

/** Options of `createSyncEngine`. */
export interface SyncEngineOptions<TObjects extends Record<string, SyncObject>> {
  /** The integration's name: the mappings' scope, and the lease's and run log's prefix, e.g. `acme-crm`. */
  integration: string;
  /** Where mappings, the outbox, leases and the run log live (memory, SQLite, PostgreSQL, …). */
  store: IntegrationStore;
  /** The connector's remote: finds and writes records in batches. */
  remote: SyncRemote;
  /** The object types, keyed by name, in the order a recovery settles them (parents first). */
  objects: TObjects;
  /** Records per lookup and per write. Default and ceiling: the remote's `maxBatchSize`. */
  batchSize?: number;
  /** Chunks in flight at once. Default 2. */
  concurrency?: number;
  /** The in-memory lookup tier: `ttlMs` default 300 000, `maxEntries` per type default 10 000; 0 disables. */
  cache?: { ttlMs?: number; maxEntries?: number };
  /** Lease so two workers never run the same sync at once; `false` to skip. */
  lease?: SyncLeaseOptions | false;
  /** `disabled` does nothing (every call answers `skipped`); any other value is reported as is. Default `enabled`. */
  mode?: string;
  onProgress?: (progress: SyncProgress) => void;
  /** Failures a report keeps in full; the others are only counted. Default 100. */
  maxReportedFailures?: number;
  /** The clock of `syncedAt` and outbox times. Default `Date.now`. */
  now?: () => number;
}

// The lease is renewed every ttl/3 but at most once a second: a shorter ttl could lapse between renewals.
const MIN_LEASE_TTL_MS = 3_000;
const MAX_BATCH_SIZE = 10_000;

const isFunction = (value: unknown) => typeof value === 'function';

const isStore = (value: unknown): value is IntegrationStore => {
  const store = value as Partial<IntegrationStore> | null | undefined;
  return (
    typeof store?.mappings?.getMany === 'function' &&
    typeof store.syncState?.acquireLease === 'function' &&
    typeof store.commitMappings === 'function'
  );
};

// Schemas are built in `/* @__PURE__ */` calls (a bundler keeps an unused top-level call unless told it has no
// side effects): a bundle of this entry without the engine (a connector's client) drops them (npm run check:edge).
const remoteSchema = /* @__PURE__ */ (() =>
  z.object({
    maxBatchSize: z.int().check(z.minimum(1), z.maximum(MAX_BATCH_SIZE)),
    find: z.custom(isFunction, 'must be a function'),
    upsert: z.optional(z.custom(isFunction, 'must be a function')),
    create: z.optional(z.custom(isFunction, 'must be a function')),
    update: z.optional(z.custom(isFunction, 'must be a function')),
    isDataError: z.optional(z.custom(isFunction, 'must be a function')),
    stopsRun: z.optional(z.custom(isFunction, 'must be a function')),
  }))();

const objectSchema = /* @__PURE__ */ (() =>
  z.object({
    schema: z.custom(
      (value) => typeof value === 'object' && value !== null && '~standard' in value,
      'must be a Standard Schema',
    ),
    fields: z.array(z.string()).check(z.minLength(1, 'must name at least one field')),
    externalId: z.custom(isFunction, 'must be a function'),
    toInput: z.custom(isFunction, 'must be a function'),
    parents: z.optional(z.custom(isFunction, 'must be a function')),
    comparable: z.optional(z.custom(isFunction, 'must be a function')),
  }))();

const cacheTtlMs = /* @__PURE__ */ (() =>
  z._default(z.int().check(z.minimum(0, 'must be 0 (no cache) or more')), 300_000))();
const cacheMaxEntries = /* @__PURE__ */ (() =>
  z._default(z.int().check(z.minimum(0, 'must be 0 (no cache) or more')), 10_000))();

/**
 * The schemas of the options a connector's front passes through to the engine (zod/mini), so a front that
 * names them its own way (`cacheTtlMs`) checks them exactly as the engine does, with its own field names.
 */
export const syncEngineOptionSchemas = /* @__PURE__ */ (() => ({
  store: z.custom<IntegrationStore>(
    isStore,
    'must be an IntegrationStore (mappings, syncState, commitMappings)',
  ),
  concurrency: z._default(z.int().check(z.minimum(1), z.maximum(32)), 2),
  cacheTtlMs,
  cacheMaxEntries,
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
  onProgress: z.optional(z.custom<(progress: SyncProgress) => void>(isFunction, 'must be a function')),
  maxReportedFailures: z._default(
    z.int().check(z.minimum(0, 'must be 0 or more'), z.maximum(1_000_000, 'must be at most 1000000')),
    100,
  ),
}))();

const optionsSchema = /* @__PURE__ */ (() =>
  z.object({
    integration: z.string().check(z.trim(), z.minLength(1, 'is required'), z.maxLength(200)),
    store: syncEngineOptionSchemas.store,
    remote: remoteSchema.check(
      z.refine(
        (remote) =>
          remote.upsert !== undefined || (remote.create !== undefined && remote.update !== undefined),
        { message: 'must have upsert, or both create and update' },
      ),
    ),
    objects: z
      .record(z.string().check(z.minLength(1)), objectSchema)
      .check(z.refine((objects) => Object.keys(objects).length > 0, 'must declare at least one object type')),
    batchSize: z.optional(z.int().check(z.minimum(1, 'must be at least 1'), z.maximum(MAX_BATCH_SIZE))),
    concurrency: syncEngineOptionSchemas.concurrency,
    cache: z._default(z.object({ ttlMs: cacheTtlMs, maxEntries: cacheMaxEntries }), {
      ttlMs: 300_000,
      maxEntries: 10_000,
    }),
    lease: syncEngineOptionSchemas.lease,
    mode: z._default(z.string().check(z.minLength(1, 'must not be empty')), 'enabled'),
    onProgress: syncEngineOptionSchemas.onProgress,
    maxReportedFailures: syncEngineOptionSchemas.maxReportedFailures,
    now: z._default(z.custom<() => number>(isFunction, 'must be a function'), () => Date.now),
  }))();

/**
 * Validates the engine's options and fills in defaults; throws `CONFIG_ERROR` naming every bad field (never a
 * value). The store and the remote are the caller's: both come back guarded, so a method of theirs that
 * throws is a typed failure the engine can report.
 */
export function parseEngineOptions<TObjects extends Record<string, SyncObject>>(
  options: SyncEngineOptions<TObjects>,
) {
  const label = 'sync engine options';
  const raw = optionsObject(options, { label });
  const parsed = parseEach(raw, label);
  const batchSize = Math.min(parsed.batchSize ?? parsed.remote.maxBatchSize, parsed.remote.maxBatchSize);
  return {
    ...parsed,
    batchSize,
    store: guardStore(parsed.store),
    remote: guardRemote(raw.remote as SyncRemote, parsed.remote as SyncRemote),
    objects: parsed.objects as unknown as TObjects,
    lease: (parsed.lease ?? {}) as SyncLeaseOptions | false,
  };
}

// One option at a time, so a getter or Proxy that throws inside one (`remote.upsert`, a Proxy as `store`) is
// reported under that option rather than `(root)`. Whatever escapes core's parse is an issue of its option too:
// zod formats some issues lazily, reading the value again, and a Proxy's trap can throw from there.
function parseEach(raw: Record<string, unknown>, label: string): z.output<typeof optionsSchema> {
  const out: Record<string, unknown> = {};
  const issues: FieldIssue[] = [];
  for (const [key, schema] of Object.entries(optionsSchema.def.shape)) {
    try {
      out[key] = parseOptions(schema as z.ZodMiniType, raw[key], { label, prefix: `${key}.` });
    } catch (error) {
      const named = isIntegrationError(error) ? error.issues : undefined;
      issues.push(...(named?.length ? named : [{ field: key, message: 'could not be read (it threw)' }]));
    }
  }
  if (issues.length > 0) {
    const listed = issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
    throw new IntegrationError('CONFIG_ERROR', `Invalid ${label}: ${listed}`, {
      field: issues[0]!.field,
      issues,
      retryable: false,
    });
  }
  return out as z.output<typeof optionsSchema>;
}

// Each call resolves: a remote method that throws or rejects is an OPERATION_FAILED the write path handles.
// The methods were read once (by the parse); they run with the caller's remote as `this`.
function guardRemote(remote: SyncRemote, methods: SyncRemote): SyncRemote {
  const { maxBatchSize, find, upsert, create, update, isDataError, stopsRun } = methods;
  return {
    maxBatchSize,
    find: (type, ids) => settle(`remote.find (${type})`, () => find.call(remote, type, ids)),
    ...(upsert && {
      upsert: (type, items) => settle(`remote.upsert (${type})`, () => upsert.call(remote, type, items)),
    }),
    ...(create && {
      create: (type, items) => settle(`remote.create (${type})`, () => create.call(remote, type, items)),
    }),
    ...(update && {
      update: (type, items) => settle(`remote.update (${type})`, () => update.call(remote, type, items)),
    }),
    ...(isDataError && { isDataError: (error) => isDataError.call(remote, error) }),
    ...(stopsRun && { stopsRun: (error) => stopsRun.call(remote, error) }),
  };
}
