import type { ApiResult, IntegrationError } from '@patchbay/core';

/** A record the remote holds, found by its external id. */
export interface RemoteMatch {
  remoteId: string;
  /** The record as the remote returned it; the object's `comparable` turns it into a hashable value. */
  record: unknown;
}

/** One record to write. */
export interface SyncWriteItem<TInput = unknown> {
  externalId: string;
  input: TInput;
}

/** The outcome of one record of a batch write: its remote id, or the error the remote gave for it alone. */
export type SyncWriteOutcome =
  | {
      remoteId: string;
      /** Whether the write created the record; when the remote cannot tell, the engine's own knowledge decides. */
      created?: boolean;
    }
  | { error: IntegrationError };

/** The outcomes of a batch, keyed by external id; a record missing from it failed with `INVALID_RESPONSE`. */
export type SyncWriteResult = Map<string, SyncWriteOutcome>;

/**
 * The remote half of a sync, by capability: `upsert` where the API matches on the external id (no lookup
 * needed before writing), else `create` and `update` by remote id (the outbox then keeps a crash from
 * duplicating). `find` is always needed: recovery after a crash and parent records use it.
 */
export interface SyncRemote<TInput = unknown> {
  /** The most records one call takes; the engine's batch size never exceeds it. */
  maxBatchSize: number;
  /** The records holding these external ids, keyed by external id (missing ones are simply absent). */
  find(type: string, externalIds: readonly string[]): Promise<ApiResult<Map<string, RemoteMatch>>>;
  upsert?(type: string, items: readonly SyncWriteItem<TInput>[]): Promise<ApiResult<SyncWriteResult>>;
  create?(type: string, items: readonly SyncWriteItem<TInput>[]): Promise<ApiResult<SyncWriteResult>>;
  update?(
    type: string,
    items: readonly (SyncWriteItem<TInput> & { remoteId: string })[],
  ): Promise<ApiResult<SyncWriteResult>>;
  /**
   * Whether a failed batch call means its records were refused (nothing written, so the batch is halved to
   * isolate the bad ones) rather than lost on the way. Default: VALIDATION_ERROR, CONFLICT or NOT_FOUND.
   */
  isDataError?(error: IntegrationError): boolean;
  /**
   * Whether a failure means every later call would fail the same way until some time passes (a daily quota
   * spent): the run then stops reading records, lets the chunks in flight finish, and answers this error.
   * Default: never; each record fails on its own and the run goes on.
   */
  stopsRun?(error: IntegrationError): boolean;
}
