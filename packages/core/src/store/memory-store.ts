import * as z from 'zod/mini';
import { optionsObject, parseOptions } from '../input/options.ts';
import { IntegrationError } from '../result/errors.ts';
import { type ApiResult, err, ok } from '../result/result.ts';
import { memoryQueue, type QueueStore } from './queue-store.ts';
import type {
  ConfigRowStore,
  IntegrationStore,
  Lease,
  Mapping,
  MappingScope,
  MappingStore,
  OutboxEntry,
  StoredIntegrationConfig,
  SyncRun,
  SyncStateStore,
} from './store.ts';
import {
  validateCheckpoint,
  validateConfigRowInput,
  validateExternalIds,
  validateLease,
  validateLeaseRequest,
  validateLimitOption,
  validateMappingBatch,
  validateName,
  validateOutboxBatch,
  validateRunFinish,
  validateScope,
} from './store-validation.ts';

/** The memory store: a complete IntegrationStore with its message queues. */
export interface MemoryStore extends IntegrationStore {
  /** Message queues in memory, answering like the other parts once the store is closed. */
  readonly queue: QueueStore;
}

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Epoch-milliseconds clock for timestamps and lease expiry. Default `Date.now`; inject one in tests. */
  now?: () => number;
}

// Built in a `/* @__PURE__ */` call: a bundle that imports this entry without the memory store drops it.
const optionsSchema = /* @__PURE__ */ (() =>
  z.object({
    now: z.optional(z.custom<() => number>((value) => typeof value === 'function', 'must be a function')),
  }))();

// The defaults documented on the contract (store.ts).
const DEFAULT_PAGE_SIZE = 1_000;
const DEFAULT_RUN_LIMIT = 20;
const DEFAULT_OUTBOX_LIMIT = 1_000;

// Scope keys join with a character no sane integration or object-type name contains, so 'a/b'+'c' and
// 'a'+'b/c' stay apart.
const scopeKey = (scope: MappingScope): string => `${scope.integration}\u0000${scope.objectType}`;

// The external-id order of `iterate`: code-unit order, which matches SQL BINARY collation for ASCII ids.
const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const copyMapping = (mapping: Mapping): Mapping => ({
  externalId: mapping.externalId,
  remoteId: mapping.remoteId,
  contentHash: mapping.contentHash ?? null,
  syncedAt: mapping.syncedAt,
});

// A row's secrets with a write's merged in: a ciphertext sets its name, null removes it, the rest stays.
function mergeSecrets(
  current: Record<string, string>,
  patch: Record<string, string | null> | undefined,
): Record<string, string> {
  const merged = { ...current };
  for (const [name, ciphertext] of Object.entries(patch ?? {})) {
    if (ciphertext === null) delete merged[name];
    else merged[name] = ciphertext;
  }
  return merged;
}

/**
 * A complete `IntegrationStore` in memory, for tests, demos and single-process tools. Nothing survives the
 * process; every call is atomic because nothing in it awaits.
 * @example const store = createMemoryStore(); await store.mappings.putMany(scope, mappings);
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const label = 'memory store options';
  const { now = Date.now } = parseOptions(optionsSchema, optionsObject(options, { label, optional: true }), {
    label,
  });
  const mappingsByScope = new Map<string, Map<string, Mapping>>();
  const outboxByScope = new Map<string, Map<string, OutboxEntry>>();
  const configs = new Map<string, StoredIntegrationConfig>();
  const checkpoints = new Map<string, string>();
  const runs: SyncRun[] = [];
  const leases = new Map<string, Lease>();
  let closed = false;

  const scoped = <T>(maps: Map<string, Map<string, T>>, scope: MappingScope): Map<string, T> => {
    const key = scopeKey(scope);
    let map = maps.get(key);
    if (!map) {
      map = new Map();
      maps.set(key, map);
    }
    return map;
  };

  // A closed store answers like a closed database connection would, so tests of shutdown paths are honest.
  const guard = (): ApiResult<never> | undefined =>
    closed ? err(new IntegrationError('OPERATION_FAILED', 'The memory store is closed')) : undefined;

  // Checks everything before touching anything: a bad entry anywhere writes nothing.
  const putMappings = (
    scope: MappingScope,
    entries: readonly Mapping[],
  ): ApiResult<{ written: number; scope: MappingScope; externalIds: string[] }> => {
    const closedResult = guard();
    if (closedResult) return closedResult;
    const checkedScope = validateScope(scope);
    if (!checkedScope.success) return checkedScope;
    const batch = validateMappingBatch(entries);
    if (!batch.success) return batch;
    const map = scoped(mappingsByScope, checkedScope.data);
    for (const entry of batch.data) map.set(entry.externalId, entry);
    return ok({
      written: batch.data.length,
      scope: checkedScope.data,
      externalIds: batch.data.map((entry) => entry.externalId),
    });
  };

  // Scope and ids of a read or delete, checked the same way as writes; the scope's map key from the checked copy.
  const checkIds = (
    scope: MappingScope,
    externalIds: readonly string[],
  ): ApiResult<{ key: string; ids: string[] }> => {
    const closedResult = guard();
    if (closedResult) return closedResult;
    const checkedScope = validateScope(scope);
    if (!checkedScope.success) return checkedScope;
    const ids = validateExternalIds(externalIds);
    return ids.success ? ok({ key: scopeKey(checkedScope.data), ids: ids.data }) : ids;
  };

  // A scope of a read, checked, as its map key.
  const checkScope = (scope: MappingScope): ApiResult<string> => {
    const closedResult = guard();
    if (closedResult) return closedResult;
    const checkedScope = validateScope(scope);
    return checkedScope.success ? ok(scopeKey(checkedScope.data)) : checkedScope;
  };

  const mappings: MappingStore = {
    async getMany(scope, externalIds) {
      const checked = checkIds(scope, externalIds);
      if (!checked.success) return checked;
      const map = mappingsByScope.get(checked.data.key);
      const found = new Map<string, Mapping>();
      for (const id of checked.data.ids) {
        const mapping = map?.get(id);
        if (mapping) found.set(id, copyMapping(mapping));
      }
      return ok(found);
    },

    async putMany(scope, entries) {
      const written = putMappings(scope, entries);
      return written.success ? ok({ written: written.data.written }) : written;
    },

    async deleteMany(scope, externalIds) {
      const checked = checkIds(scope, externalIds);
      if (!checked.success) return checked;
      const map = mappingsByScope.get(checked.data.key);
      let deleted = 0;
      for (const id of checked.data.ids) if (map?.delete(id)) deleted++;
      return ok({ deleted });
    },

    async *iterate(scope, iterateOptions) {
      const pageSizeOption = validateLimitOption(iterateOptions, 'pageSize', DEFAULT_PAGE_SIZE);
      if (!pageSizeOption.success) {
        yield pageSizeOption;
        return;
      }
      const pageSize = pageSizeOption.data;
      const key = checkScope(scope);
      if (!key.success) {
        yield key;
        return;
      }
      // Ids are sorted once up front; values are read live, so a mapping deleted mid-iteration is skipped.
      const map = mappingsByScope.get(key.data);
      const ids = [...(map?.keys() ?? [])].sort(compareIds);
      let page: Mapping[] = [];
      for (const id of ids) {
        const closedResult = guard();
        if (closedResult) {
          yield closedResult;
          return;
        }
        const mapping = map!.get(id);
        if (mapping) page.push(copyMapping(mapping));
        if (page.length === pageSize) {
          yield ok(page);
          page = [];
        }
      }
      if (page.length > 0) yield ok(page);
    },

    async count(scope) {
      const key = checkScope(scope);
      return key.success ? ok(mappingsByScope.get(key.data)?.size ?? 0) : key;
    },
  };

  const configRows: ConfigRowStore = {
    async get(integration) {
      const closedResult = guard();
      if (closedResult) return closedResult;
      const name = validateName(integration, 'integration');
      if (!name.success) return name;
      const row = configs.get(name.data);
      return ok(row ? structuredClone(row) : null);
    },

    async create(integrationName, inputValue, userIdValue) {
      const closedResult = guard();
      if (closedResult) return closedResult;
      const checked = validateConfigRowInput(integrationName, inputValue, userIdValue);
      if (!checked.success) return checked;
      const { integration, input, userId } = checked.data;
      if (configs.has(integration)) {
        return err(
          new IntegrationError('CONFLICT', `Integration ${integration} already has a configuration`),
        );
      }
      const at = now();
      const row: StoredIntegrationConfig = {
        integration,
        baseUrl: input.baseUrl ?? null,
        secrets: mergeSecrets({}, input.secrets),
        enabled: input.enabled ?? false,
        syncMode: input.syncMode ?? 'disabled',
        settings: structuredClone(input.settings ?? {}),
        createdBy: userId,
        updatedBy: userId,
        createdAt: at,
        updatedAt: at,
      };
      configs.set(integration, row);
      return ok(structuredClone(row));
    },

    async update(integrationName, inputValue, userIdValue) {
      const closedResult = guard();
      if (closedResult) return closedResult;
      const checked = validateConfigRowInput(integrationName, inputValue, userIdValue);
      if (!checked.success) return checked;
      const { integration, input, userId } = checked.data;
      const current = configs.get(integration);
      if (!current) {
        return err(new IntegrationError('NOT_FOUND', `Integration ${integration} has no configuration`));
      }
      const row: StoredIntegrationConfig = {
        ...current,
        ...(input.baseUrl !== undefined && { baseUrl: input.baseUrl }),
        secrets: mergeSecrets(current.secrets, input.secrets),
        ...(input.enabled !== undefined && { enabled: input.enabled }),
        ...(input.syncMode !== undefined && { syncMode: input.syncMode }),
        ...(input.settings !== undefined && { settings: structuredClone(input.settings) }),
        updatedBy: userId,
        updatedAt: now(),
      };
      configs.set(integration, row);
      return ok(structuredClone(row));
    },

    async exists(integration) {
      const closedResult = guard();
      if (closedResult) return closedResult;
      const name = validateName(integration, 'integration');
      return name.success ? ok(configs.has(name.data)) : name;
    },
  };

  const copyRun = (run: SyncRun): SyncRun => ({ ...run, counts: { ...run.counts } });

  const syncState: SyncStateStore = {
    async getCheckpoint(name) {
      const closedResult = guard();
      if (closedResult) return closedResult;
      const checked = validateName(name, 'name');
      return checked.success ? ok(checkpoints.get(checked.data) ?? null) : checked;
    },

    async setCheckpoint(name, value) {
      const closedResult = guard();
      if (closedResult) return closedResult;
      const checked = validateCheckpoint(name, value);
      if (!checked.success) return checked;
      checkpoints.set(checked.data.name, checked.data.value);
      return ok(undefined);
    },

    async startRun(name) {
      const closedResult = guard();
      if (closedResult) return closedResult;
      const checked = validateName(name, 'name');
      if (!checked.success) return checked;
      const run: SyncRun = {
        id: crypto.randomUUID(),
        name: checked.data,
        status: 'running',
        startedAt: now(),
        finishedAt: null,
        counts: { created: 0, updated: 0, unchanged: 0, failed: 0 },
        lastErrorCode: null,
      };
      runs.push(run);
      return ok(copyRun(run));
    },

    async finishRun(id, outcomeValue) {
      const closedResult = guard();
      if (closedResult) return closedResult;
      const checked = validateRunFinish(id, outcomeValue);
      if (!checked.success) return checked;
      const { outcome } = checked.data;
      const run = runs.find((candidate) => candidate.id === id);
      if (!run) return err(new IntegrationError('NOT_FOUND', `No sync run ${id}`));
      if (run.status !== 'running') {
        return err(new IntegrationError('CONFLICT', `Sync run ${id} has already finished (${run.status})`));
      }
      run.status = outcome.status;
      run.finishedAt = now();
      run.counts = { ...outcome.counts };
      run.lastErrorCode = outcome.lastErrorCode;
      return ok(copyRun(run));
    },

    async listRuns(name, listOptions) {
      const closedResult = guard();
      if (closedResult) return closedResult;
      const checked = validateName(name, 'name');
      if (!checked.success) return checked;
      const limitOption = validateLimitOption(listOptions, 'limit', DEFAULT_RUN_LIMIT);
      if (!limitOption.success) return limitOption;
      const limit = limitOption.data;
      // Latest start first; among equal starts, the one started last. Reversing first makes the stable
      // sort keep that second order.
      const newestFirst = runs.filter((run) => run.name === name).reverse();
      newestFirst.sort((a, b) => b.startedAt - a.startedAt);
      return ok(newestFirst.slice(0, limit).map(copyRun));
    },

    async acquireLease(leaseName, leaseOptions) {
      const closedResult = guard();
      if (closedResult) return closedResult;
      const checked = validateLeaseRequest(leaseName, leaseOptions, { requireOwner: true });
      if (!checked.success) return checked;
      const { name, ttlMs } = checked.data;
      const owner = checked.data.owner as string;
      const at = now();
      const current = leases.get(name);
      // The holder itself may take its lease again (e.g. after a restart under the same owner id); it gets
      // a new token, so any stale copy of the old lease can no longer renew or release it.
      if (current && current.expiresAt > at && current.owner !== owner) return ok(null);
      const lease: Lease = { name, owner, token: crypto.randomUUID(), expiresAt: at + ttlMs };
      leases.set(name, lease);
      return ok({ ...lease });
    },

    async renewLease(leaseValue, renewOptions) {
      const closedResult = guard();
      if (closedResult) return closedResult;
      const lease = validateLease(leaseValue);
      if (!lease.success) return lease;
      const checked = validateLimitOption(renewOptions, 'ttlMs', Number.NaN);
      if (!checked.success) return checked;
      const current = leases.get(lease.data.name);
      if (!current || current.token !== lease.data.token) return ok(null);
      current.expiresAt = now() + checked.data;
      return ok({ ...current });
    },

    async releaseLease(leaseValue) {
      const closedResult = guard();
      if (closedResult) return closedResult;
      const lease = validateLease(leaseValue);
      if (!lease.success) return lease;
      if (leases.get(lease.data.name)?.token === lease.data.token) leases.delete(lease.data.name);
      return ok(undefined);
    },

    async outboxPut(scope, entries) {
      const closedResult = guard();
      if (closedResult) return closedResult;
      const checkedScope = validateScope(scope);
      if (!checkedScope.success) return checkedScope;
      const batch = validateOutboxBatch(entries);
      if (!batch.success) return batch;
      const map = scoped(outboxByScope, checkedScope.data);
      for (const entry of batch.data) {
        // Re-recording an entry moves it to the back, like a fresh insert: it is the newest in flight.
        map.delete(entry.externalId);
        map.set(entry.externalId, entry);
      }
      return ok(undefined);
    },

    async outboxList(scope, listOptions) {
      const key = checkScope(scope);
      if (!key.success) return key;
      const limitOption = validateLimitOption(listOptions, 'limit', DEFAULT_OUTBOX_LIMIT);
      if (!limitOption.success) return limitOption;
      const limit = limitOption.data;
      const entries = [...(outboxByScope.get(key.data)?.values() ?? [])];
      // Stable sort: entries with the same createdAt keep their insertion order.
      entries.sort((a, b) => a.createdAt - b.createdAt);
      return ok(entries.slice(0, limit).map((entry) => ({ ...entry })));
    },

    async outboxDelete(scope, externalIds) {
      const checked = checkIds(scope, externalIds);
      if (!checked.success) return checked;
      const map = outboxByScope.get(checked.data.key);
      for (const id of checked.data.ids) map?.delete(id);
      return ok(undefined);
    },
  };

  return {
    mappings,
    configs: configRows,
    syncState,
    queue: memoryQueue(now, () => closed),
    async commitMappings(scope, entries) {
      const written = putMappings(scope, entries);
      if (!written.success) return written;
      const outbox = outboxByScope.get(scopeKey(written.data.scope));
      for (const externalId of written.data.externalIds) outbox?.delete(externalId);
      return ok({ written: written.data.written });
    },
    async close() {
      closed = true;
    },
  };
}
