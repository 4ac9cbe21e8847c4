// Shared pieces of the sync package's own unit tests: two object types (a company, and a person pointing at
// its company), records of each, and an engine or a bare EngineContext over the memory remote and store.
import type { ApiResult } from '@patchbay/core';
import { createMemoryStore, type IntegrationStore, type Mapping } from '@patchbay/core/store';
import * as z from 'zod';
import type { EngineContext } from '../src/context.ts';
import { createSyncEngine } from '../src/engine.ts';
import { createLookupCache, type LookupCache } from '../src/lookup-cache.ts';
import { parseEngineOptions, type SyncEngineOptions } from '../src/options.ts';
import type { SyncObject } from '../src/sync-object.ts';
import { createMemoryRemote, type MemoryRemote } from '../src/testing/memory-remote.ts';

export const INTEGRATION = 'acme-crm';

const companySchema = z.object({
  externalId: z.string().min(1),
  name: z.string().min(1),
  website: z.string().optional(),
});
const personSchema = z.object({
  externalId: z.string().min(1),
  name: z.string().min(1),
  companyExternalId: z.string().optional(),
  companyName: z.string().optional(),
});

export type Company = z.input<typeof companySchema>;
export type Person = z.input<typeof personSchema>;

/** A company: sent as it is; the memory remote hands the input back, so `comparable` is the identity. */
export const companyObject: SyncObject<Company, z.output<typeof companySchema>, Record<string, unknown>> = {
  schema: companySchema,
  fields: ['externalId', 'name', 'website'],
  externalId: (record) => record.externalId,
  toInput: (record) => ({
    externalId: record.externalId,
    name: record.name,
    website: record.website ?? null,
  }),
  comparable: (remote) => remote,
};

/** A person: linked to its company, created from a seed named `companyName` when the remote lacks it. */
export const personObject: SyncObject<Person, z.output<typeof personSchema>, Record<string, unknown>> = {
  schema: personSchema,
  fields: ['externalId', 'name', 'companyExternalId', 'companyName'],
  externalId: (record) => record.externalId,
  parents: (record) =>
    record.companyExternalId
      ? [
          {
            type: 'company',
            externalId: record.companyExternalId,
            seed: { externalId: record.companyExternalId, name: record.companyName ?? '' },
            field: 'companyExternalId',
          },
        ]
      : [],
  toInput: (record, parentIdOf) => ({
    externalId: record.externalId,
    name: record.name,
    companyId: record.companyExternalId ? (parentIdOf('company', record.companyExternalId) ?? null) : null,
  }),
  comparable: (remote) => remote,
};

export const OBJECTS = { company: companyObject, person: personObject };
export type Objects = typeof OBJECTS;

/** `count` companies `c0`, `c1`, … named `Company <i><suffix>`. */
export const companies = (count: number, suffix = '', from = 0): Company[] =>
  Array.from({ length: count }, (_, index) => ({
    externalId: `c${from + index}`,
    name: `Company ${from + index}${suffix}`,
  }));

/** `count` people `p0`, `p1`, … without a company. */
export const people = (count: number, suffix = ''): Person[] =>
  Array.from({ length: count }, (_, index) => ({
    externalId: `p${index}`,
    name: `Person ${index}${suffix}`,
  }));

export const scope = (objectType: string) => ({ integration: INTEGRATION, objectType });

type EngineOverrides = Partial<SyncEngineOptions<Objects>>;

/** An engine over a memory store and a memory remote (an upsert one unless given), with its parts. */
export function setup(overrides: EngineOverrides = {}) {
  const store = overrides.store ?? createMemoryStore();
  const remote = (overrides.remote as MemoryRemote | undefined) ?? createMemoryRemote();
  const engine = createSyncEngine({
    integration: INTEGRATION,
    objects: OBJECTS,
    ...overrides,
    store,
    remote,
  });
  return { store, remote, engine };
}

/** An EngineContext as `createSyncEngine` builds it, for tests of one module. */
export function testContext(overrides: EngineOverrides = {}) {
  const store = overrides.store ?? createMemoryStore();
  const remote = (overrides.remote as MemoryRemote | undefined) ?? createMemoryRemote();
  const parsed = parseEngineOptions<Objects>({
    integration: INTEGRATION,
    objects: OBJECTS,
    ...overrides,
    store,
    remote,
  });
  const caches = new Map<string, LookupCache>(
    Object.keys(parsed.objects).map((type) => [
      type,
      createLookupCache({ ...parsed.cache, now: parsed.now }),
    ]),
  );
  const context: EngineContext = {
    integration: parsed.integration,
    store: parsed.store,
    remote: parsed.remote,
    objects: new Map(Object.entries(parsed.objects)),
    batchSize: parsed.batchSize,
    concurrency: parsed.concurrency,
    mode: parsed.mode,
    maxReportedFailures: parsed.maxReportedFailures,
    caches,
    creating: new Map(),
    now: parsed.now,
  };
  return { context, store, remote };
}

/** The data of a successful result; a failure fails the test with its error. */
export function unwrap<T>(result: ApiResult<T>): T {
  if (!result.success) throw result.error;
  return result.data;
}

/** Every mapping of a type, keyed by external id. */
export async function mappingsOf(store: IntegrationStore, type: string): Promise<Map<string, Mapping>> {
  const all = new Map<string, Mapping>();
  for await (const page of store.mappings.iterate(scope(type))) {
    for (const mapping of unwrap(page)) all.set(mapping.externalId, mapping);
  }
  return all;
}

/** The external ids the outbox of a type holds, sorted. */
export async function outboxOf(store: IntegrationStore, type: string): Promise<string[]> {
  return unwrap(await store.syncState.outboxList(scope(type)))
    .map((entry) => entry.externalId)
    .sort();
}

/** The remote's records of a type as externalId → remoteId, failing on a duplicate. */
export function remoteIds(remote: MemoryRemote, type: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const record of remote.records(type)) {
    if (out.has(record.externalId))
      throw new Error(`${type} ${record.externalId} is duplicated in the remote`);
    out.set(record.externalId, record.remoteId);
  }
  return out;
}

/** Zeroes the memory remote's call counters. */
export function resetCalls(remote: MemoryRemote): void {
  for (const key of Object.keys(remote.calls)) remote.calls[key] = 0;
}
