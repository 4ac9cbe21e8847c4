import type { ApiResult } from '../result/result.ts';
import type { QueueStore } from './queue-store.ts';

// The persistence contract every sync depends on. Adapters (@patchbay/store-sqlite, @patchbay/store-postgres)
// implement it; the reusable contract suite (`@patchbay/core/testing`) proves each one behaves the same.
// Every method returns an ApiResult: a database failure is a typed error, never a throw. Input goes through the
// shared checks of store-validation.ts first: an invalid entry is a VALIDATION_ERROR naming it, and nothing of
// its batch is written. Timestamps are integer epoch milliseconds.

/** The (integration, object type) a mapping belongs to, e.g. `{ integration: 'acme-crm', objectType: 'person' }`. */
export interface MappingScope {
  integration: string;
  objectType: string;
}

/** One external id ↔ remote id pair, with the hash of the content last written. */
export interface Mapping {
  externalId: string;
  remoteId: string;
  /** Hash of the record as last synced; an unchanged hash means nothing to send. */
  contentHash: string | null;
  /** Epoch milliseconds of the last successful write. */
  syncedAt: number;
}

/** External id ↔ remote id mappings. Batch calls are the normal path: thousands of ids per call. */
export interface MappingStore {
  /** The mappings of the given external ids that exist, keyed by external id. */
  getMany(scope: MappingScope, externalIds: readonly string[]): Promise<ApiResult<Map<string, Mapping>>>;
  /**
   * Inserts or replaces every entry in ONE transaction: after a crash, all of them or none are stored.
   * When an external id appears twice, the last entry wins; `written` counts distinct external ids.
   */
  putMany(scope: MappingScope, entries: readonly Mapping[]): Promise<ApiResult<{ written: number }>>;
  /** Removes mappings (e.g. the remote record was deleted). */
  deleteMany(scope: MappingScope, externalIds: readonly string[]): Promise<ApiResult<{ deleted: number }>>;
  /** Every mapping of a scope in external-id order, in pages of `pageSize` (default 1 000). */
  iterate(scope: MappingScope, options?: { pageSize?: number }): AsyncIterable<ApiResult<Mapping[]>>;
  /** How many mappings a scope holds. */
  count(scope: MappingScope): Promise<ApiResult<number>>;
}

/**
 * How an integration syncs: a mode its connector declares (e.g. `'platform'`). Core and the sync engine give
 * meaning to one value only, `'disabled'`: skip everything.
 */
export type SyncMode = string;

/** The stored, single-row-per-integration configuration as the adapter persists it (secrets encrypted). */
export interface StoredIntegrationConfig {
  integration: string;
  baseUrl: string | null;
  /**
   * Credential name → its value encrypted by the core's cipher (`v1.<iv>.<ciphertext>`, base64url), each one
   * separately; never plain text. Empty when none is set.
   */
  secrets: Record<string, string>;
  enabled: boolean;
  syncMode: SyncMode;
  /** Other, non-secret settings, as JSON. */
  settings: Record<string, unknown>;
  createdBy: string | null;
  updatedBy: string | null;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
}

/**
 * The fields a create or update may set on a stored configuration. `secrets` is merged name by name into what
 * the row holds, in the same statement: a ciphertext sets that name, `null` removes it, names not given stay.
 */
export interface StoredIntegrationConfigInput {
  baseUrl?: string | null;
  secrets?: Record<string, string | null>;
  enabled?: boolean;
  syncMode?: SyncMode;
  settings?: Record<string, unknown>;
}

/** Raw configuration rows; `createConfigStore` (core) adds encryption and validation on top. */
export interface ConfigRowStore {
  get(integration: string): Promise<ApiResult<StoredIntegrationConfig | null>>;
  /** `CONFLICT` when the integration already has a row. */
  create(
    integration: string,
    input: StoredIntegrationConfigInput,
    userId: string | null,
  ): Promise<ApiResult<StoredIntegrationConfig>>;
  /** `NOT_FOUND` when the integration has no row. Merges `secrets` per name, atomically. */
  update(
    integration: string,
    input: StoredIntegrationConfigInput,
    userId: string | null,
  ): Promise<ApiResult<StoredIntegrationConfig>>;
  exists(integration: string): Promise<ApiResult<boolean>>;
}

/** Counts of one sync run. */
export interface RunCounts {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
}

/** One entry of the run log. */
export interface SyncRun {
  id: string;
  name: string;
  status: 'running' | 'succeeded' | 'failed';
  startedAt: number;
  finishedAt: number | null;
  counts: RunCounts;
  lastErrorCode: string | null;
}

/** A held lease: only its holder (matching `token`) can renew or release it. */
export interface Lease {
  name: string;
  owner: string;
  /** Fencing token: changes every time the lease changes hands. */
  token: string;
  /** Epoch milliseconds at which the lease lapses unless renewed. */
  expiresAt: number;
}

/** A record whose write is in flight: sent (or about to be) but its mapping not yet saved. */
export interface OutboxEntry {
  externalId: string;
  /** What was sent: e.g. 'create' or 'update'. */
  operation: string;
  contentHash: string | null;
  /** Epoch milliseconds. */
  createdAt: number;
}

/** Checkpoints, the run log, leases and the outbox. */
export interface SyncStateStore {
  getCheckpoint(name: string): Promise<ApiResult<string | null>>;
  setCheckpoint(name: string, value: string): Promise<ApiResult<void>>;

  startRun(name: string): Promise<ApiResult<SyncRun>>;
  /** `NOT_FOUND` for an unknown id, `CONFLICT` for a run that has already finished. */
  finishRun(
    id: string,
    outcome: { status: 'succeeded' | 'failed'; counts: RunCounts; lastErrorCode?: string | null },
  ): Promise<ApiResult<SyncRun>>;
  /** Newest first (by start, then by order of starting); `limit` defaults to 20. */
  listRuns(name: string, options?: { limit?: number }): Promise<ApiResult<SyncRun[]>>;

  /**
   * Takes the lease when it is free, lapsed, or held by the same `owner` (a restarted worker); `null` data
   * when another owner holds it. Every acquisition issues a new token.
   */
  acquireLease(name: string, options: { owner: string; ttlMs: number }): Promise<ApiResult<Lease | null>>;
  /**
   * Extends a lease still held by `lease.token` to now + `ttlMs`; `null` data when it was lost (taken over,
   * or released). A lapsed lease nobody took yet can still be renewed.
   */
  renewLease(lease: Lease, options: { ttlMs: number }): Promise<ApiResult<Lease | null>>;
  /** Gives the lease up if still held by `lease.token`. */
  releaseLease(lease: Lease): Promise<ApiResult<void>>;

  /** Records in-flight writes, in one transaction; an entry for an external id already there replaces it. */
  outboxPut(scope: MappingScope, entries: readonly OutboxEntry[]): Promise<ApiResult<void>>;
  /** In-flight writes left behind (e.g. by a crash), oldest `createdAt` first; `limit` defaults to 1 000. */
  outboxList(scope: MappingScope, options?: { limit?: number }): Promise<ApiResult<OutboxEntry[]>>;
  outboxDelete(scope: MappingScope, externalIds: readonly string[]): Promise<ApiResult<void>>;
}

/** Everything a sync persists, from one database. */
export interface IntegrationStore {
  mappings: MappingStore;
  configs: ConfigRowStore;
  syncState: SyncStateStore;
  /**
   * Saves mappings and clears their outbox entries in ONE transaction, so a crash can never leave a
   * record both mapped and "in flight", or neither.
   */
  commitMappings(scope: MappingScope, entries: readonly Mapping[]): Promise<ApiResult<{ written: number }>>;
  /**
   * Durable message queues on the same database (an outbox of events to send, webhook queues). Optional, so a
   * store written before it still is an IntegrationStore; every store Patchbay ships has one.
   */
  readonly queue?: QueueStore;
  close(): Promise<void>;
}
