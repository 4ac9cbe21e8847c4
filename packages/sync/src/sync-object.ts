import type { StandardSchemaV1 } from '@standard-schema/spec';

/** A record another one points at (a person's company): synced first, created from `seed` when missing. */
export interface SyncParent {
  /** The parent's object type, one of the engine's `objects`. */
  type: string;
  externalId: string;
  /** A record of the parent's type to create it from when the remote does not have it yet. */
  seed: unknown;
  /** The caller's field that named the parent, for the error when it cannot be created. */
  field: string;
}

/** Finds the remote id of a parent resolved for this chunk. */
export type ParentIdOf = (type: string, externalId: string) => string | undefined;

/**
 * How one object type maps: the connector's half of a sync. The engine reads `fields` off the caller's object
 * into a plain copy, validates it with `schema`, and sends `toInput(record)`; the hash of that input decides
 * whether anything changed.
 */
export interface SyncObject<TCaller = unknown, TRecord = unknown, TInput = unknown> {
  /** Validates the caller's record (a Standard Schema: zod, valibot, …). */
  schema: StandardSchemaV1<TCaller, TRecord>;
  /** The fields read from the caller's object; nothing else of it is touched. */
  fields: readonly string[];
  /** The caller's id of the record, kept in the remote's external-id field. */
  externalId(record: TRecord): string;
  /** The records this one points at, resolved (and created when missing) before it is written. */
  parents?(record: TRecord): readonly SyncParent[];
  /** What is sent to the remote, with the parents' remote ids at hand. */
  toInput(record: TRecord, parentIdOf: ParentIdOf): TInput;
  /** The same shape as `toInput` built from a record the remote returned, so an unchanged one is not resent. */
  comparable?(remote: unknown): unknown;
}

/** The caller's record type of a sync object. */
export type SyncRecordOf<O> = O extends SyncObject<infer TCaller, unknown, unknown> ? TCaller : never;
