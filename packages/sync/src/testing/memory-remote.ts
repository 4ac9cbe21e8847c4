import { type ApiResult, err, IntegrationError, ok } from '@patchbay/core';
import type { RemoteMatch, SyncRemote, SyncWriteItem, SyncWriteResult } from '../sync-remote.ts';

/** A record the memory remote holds. */
export interface MemoryRemoteRecord {
  remoteId: string;
  externalId: string;
  input: unknown;
  /** How many writes reached it (1 after its create). */
  writes: number;
}

/** What a scripted fault does to one call. */
export type MemoryRemoteFault =
  /** The call fails with this error; nothing is written. */
  | { kind: 'error'; error: IntegrationError }
  /** The call writes, then fails as if its answer were lost on the way back. */
  | { kind: 'commit-then-fail' }
  /** The call throws (a remote with a bug): the engine must turn it into a typed failure. */
  | { kind: 'throw' };

/** Options of {@link createMemoryRemote}. */
export interface MemoryRemoteOptions {
  /** `upsert` matches on the external id (an API with a unique property); `create-update` needs remote ids. */
  capability?: 'upsert' | 'create-update';
  /** Default 50. */
  maxBatchSize?: number;
  /**
   * Refuses an input: the whole call fails with this error (as many APIs answer a batch with one bad record),
   * or, with `partialFailures`, only that record does (a 207 multi-status).
   */
  reject?: (type: string, input: unknown) => IntegrationError | undefined;
  partialFailures?: boolean;
  /** Where each input keeps its external id. Default `externalId`. */
  externalIdField?: string;
}

/** The remote, its records and its scripted faults. */
export interface MemoryRemote extends SyncRemote {
  /** Every record of a type, in creation order. */
  records(type: string): MemoryRemoteRecord[];
  /** Calls so far, by operation (`find`, `upsert`, `create`, `update`). */
  readonly calls: Record<string, number>;
  /** Makes the next calls of `operation` fail as scripted, in order. */
  failNext(operation: 'find' | 'upsert' | 'create' | 'update', ...faults: MemoryRemoteFault[]): void;
  /** Forgets every record (a remote wiped clean). */
  clear(): void;
}

/**
 * An in-memory remote with the behaviour the engine relies on (matching by external id, remote ids, batch
 * limits, data errors, lost answers), for unit tests of the engine and of code built on it.
 * @example const remote = createMemoryRemote({ capability: 'create-update' });
 */
export function createMemoryRemote(options: MemoryRemoteOptions = {}): MemoryRemote {
  const capability = options.capability ?? 'upsert';
  const maxBatchSize = options.maxBatchSize ?? 50;
  const idField = options.externalIdField ?? 'externalId';
  const tables = new Map<string, Map<string, MemoryRemoteRecord>>();
  const calls: Record<string, number> = { find: 0, upsert: 0, create: 0, update: 0 };
  const faults = new Map<string, MemoryRemoteFault[]>();
  let nextId = 1;

  const table = (type: string) => {
    const existing = tables.get(type);
    if (existing) return existing;
    const created = new Map<string, MemoryRemoteRecord>();
    tables.set(type, created);
    return created;
  };
  const externalIdOf = (item: SyncWriteItem) => {
    const input = item.input as Record<string, unknown> | null;
    const id = input && typeof input === 'object' ? input[idField] : undefined;
    return typeof id === 'string' ? id : item.externalId;
  };

  async function call<T>(operation: string, count: number, run: () => ApiResult<T>): Promise<ApiResult<T>> {
    calls[operation] = (calls[operation] ?? 0) + 1;
    // Yields, as a network call would: chunks in flight interleave here.
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (count > maxBatchSize) {
      return err(new IntegrationError('VALIDATION_ERROR', `At most ${maxBatchSize} records per call`));
    }
    const fault = faults.get(operation)?.shift();
    if (fault?.kind === 'throw') throw new Error(`memory remote: ${operation} threw`);
    if (fault?.kind === 'error') return err(fault.error);
    const result = run();
    if (fault?.kind === 'commit-then-fail' && result.success) {
      return err(
        new IntegrationError('NETWORK_ERROR', 'The answer was lost after the write', { retryable: true }),
      );
    }
    return result;
  }

  function write(
    type: string,
    items: readonly (SyncWriteItem & { remoteId?: string })[],
    mode: 'upsert' | 'create' | 'update',
  ): ApiResult<SyncWriteResult> {
    const rows = table(type);
    const refused = new Map<string, IntegrationError>();
    for (const item of items) {
      const error = options.reject?.(type, item.input);
      if (error) refused.set(item.externalId, error);
    }
    if (refused.size > 0 && !options.partialFailures) return err([...refused.values()][0]!);
    if (mode === 'update') {
      const missing = items.find((item) => ![...rows.values()].some((row) => row.remoteId === item.remoteId));
      if (missing) return err(new IntegrationError('NOT_FOUND', `No record ${missing.remoteId}`));
    }
    const out: SyncWriteResult = new Map();
    for (const item of items) {
      const refusal = refused.get(item.externalId);
      if (refusal) {
        out.set(item.externalId, { error: refusal });
        continue;
      }
      const externalId = externalIdOf(item);
      const existing =
        mode === 'update'
          ? [...rows.values()].find((row) => row.remoteId === item.remoteId)
          : mode === 'upsert'
            ? rows.get(externalId)
            : undefined;
      if (mode === 'create' && rows.has(externalId)) {
        // No unique constraint on the external id: a second create makes a duplicate, as an API without upsert would.
        const duplicate = { remoteId: `r${nextId++}`, externalId, input: item.input, writes: 1 };
        rows.set(`${externalId}\u0000${duplicate.remoteId}`, duplicate);
        out.set(item.externalId, { remoteId: duplicate.remoteId, created: true });
        continue;
      }
      if (existing) {
        existing.input = item.input;
        existing.writes++;
        out.set(item.externalId, { remoteId: existing.remoteId, created: false });
      } else {
        const record = { remoteId: `r${nextId++}`, externalId, input: item.input, writes: 1 };
        rows.set(externalId, record);
        out.set(item.externalId, { remoteId: record.remoteId, created: true });
      }
    }
    return ok(out);
  }

  const remote: MemoryRemote = {
    maxBatchSize,
    calls,
    find: (type, externalIds) =>
      call('find', externalIds.length, () => {
        const found = new Map<string, RemoteMatch>();
        const rows = table(type);
        for (const id of externalIds) {
          const row = rows.get(id);
          if (row) found.set(id, { remoteId: row.remoteId, record: row.input });
        }
        return ok(found);
      }),
    records: (type) => [...table(type).values()],
    failNext(operation, ...scripted) {
      faults.set(operation, [...(faults.get(operation) ?? []), ...scripted]);
    },
    clear() {
      tables.clear();
    },
  };
  if (capability === 'upsert') {
    remote.upsert = (type, items) => call('upsert', items.length, () => write(type, items, 'upsert'));
  } else {
    remote.create = (type, items) => call('create', items.length, () => write(type, items, 'create'));
    remote.update = (type, items) => call('update', items.length, () => write(type, items, 'update'));
  }
  return remote;
}
