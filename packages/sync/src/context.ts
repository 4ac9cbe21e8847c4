import type { IntegrationStore, MappingScope } from '@patchbay/core/store';
import type { LookupCache } from './lookup-cache.ts';
import type { SyncObject } from './sync-object.ts';
import type { SyncRemote } from './sync-remote.ts';

/** What every module of one engine shares: its options, once validated, and its in-process state. */
export interface EngineContext {
  integration: string;
  /** Guarded: a store method that throws resolves to a typed failure. */
  store: IntegrationStore;
  remote: SyncRemote;
  objects: ReadonlyMap<string, SyncObject>;
  batchSize: number;
  concurrency: number;
  mode: string;
  maxReportedFailures: number;
  /** One lookup cache per object type, so a long stream of one type cannot push out another's entries. */
  caches: ReadonlyMap<string, LookupCache>;
  /** Parent records being created by a chunk of this process right now, keyed by `scopeKey`. */
  creating: Map<string, Promise<string | undefined>>;
  now: () => number;
}

/** The mapping scope of an object type. */
export const scopeOf = (context: EngineContext, type: string): MappingScope => ({
  integration: context.integration,
  objectType: type,
});

/** The lookup cache of an object type (one exists for every declared type). */
export const cacheOf = (context: EngineContext, type: string): LookupCache => context.caches.get(type)!;

/** A key naming one record of one type, unambiguous whatever the ids hold. */
export const recordKey = (type: string, externalId: string): string => `${type}\u0000${externalId}`;
