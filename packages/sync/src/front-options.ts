import { type IntegrationStore, optionsObject, parseOptions } from '@patchbay/core';
import type * as z from 'zod/mini';
import type { SyncLeaseOptions } from './lease.ts';

/** What every connector's sync front takes beside its client's options: where its state lives, how it runs. */
export interface SyncFrontOptions {
  /** Where mappings, the outbox, leases and the run log live (`@patchbay/store-sqlite`, `@patchbay/store-postgres`…). */
  store: IntegrationStore;
  /** TTL of the in-memory lookup tier. Default 300 000 ms. */
  cacheTtlMs?: number;
  /** Records the in-memory tier keeps per type. Default 10 000. */
  cacheMaxEntries?: number;
  /** Chunks in flight at once. Default 2. */
  concurrency?: number;
  /** Lease so two workers never run the same sync at once; `false` to skip. Default ttl 30 s, wait 120 s. */
  lease?: SyncLeaseOptions | false;
  /** Failures a report keeps in full; the others are only counted (`failuresOmitted`). Default 100. */
  maxReportedFailures?: number;
}

/**
 * Splits a connector sync's options in two: the sync's own, validated by `schema` with their defaults filled in
 * (`CONFIG_ERROR` names the field), and the rest, the client's, handed back unread for the client to check.
 * The options object is read once into a plain copy, so a Proxy or a throwing getter is a `CONFIG_ERROR` too.
 * @example const { batchSize, clientOptions } = splitSyncOptions(options, syncOptionsSchema, 'Acme sync options');
 */
export function splitSyncOptions<S extends z.ZodMiniObject>(
  options: unknown,
  schema: S,
  label: string,
): z.output<S> & { clientOptions: Record<string, unknown> } {
  const own = new Set(Object.keys(schema.def.shape));
  const entries = Object.entries(optionsObject(options, { label }));
  const pick = (sync: boolean) => Object.fromEntries(entries.filter(([key]) => own.has(key) === sync));
  return { ...parseOptions(schema, pick(true), { label }), clientOptions: pick(false) };
}
