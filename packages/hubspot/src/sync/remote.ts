import { type ApiResult, ERROR_CODES, type ErrorCode, err, IntegrationError, ok } from '@patchbay/core';
import type { RemoteMatch, SyncRemote, SyncWriteItem, SyncWriteResult } from '@patchbay/sync';
import { HUBSPOT_BATCH_SIZE, type HubSpotBatchError, type HubSpotBatchResult } from '../batch.ts';
import type { HubSpotClient } from '../client.ts';
import type { HubSpotSyncType } from './objects.ts';
import type { HubSpotFoundRecord, HubSpotSyncInput } from './records.ts';

/** Options of {@link createHubSpotRemote}. */
export interface HubSpotRemoteOptions {
  /** The client, built on first use (a disabled sync never builds one). */
  client: () => HubSpotClient;
  /** How each sync type maps onto HubSpot. */
  types: Record<string, HubSpotSyncType>;
  /** Told how many associations each write created (the report counts them). */
  onAssociated?: (type: string, count: number) => void;
}

// HubSpot's per-input categories, as core's codes: what isDataError and the report see.
const CATEGORY_CODE: Record<string, ErrorCode> = {
  OBJECT_NOT_FOUND: 'NOT_FOUND',
  INVALID_EMAIL: 'VALIDATION_ERROR',
  RATE_LIMITS: 'RATE_LIMIT',
  MISSING_SCOPES: 'AUTH_ERROR',
};
const CORE_CODES: ReadonlySet<string> = new Set(ERROR_CODES);
// Refusals: HubSpot wrote nothing of the batch (a 400 for one bad input fails them all, a 409 names a unique
// value another record holds, a 404 an unknown object). Everything else may have landed.
const DATA_ERRORS: ReadonlySet<string> = new Set(['VALIDATION_ERROR', 'CONFLICT', 'NOT_FOUND']);

/** One input's batch error as core's error, its category mapped to a code. */
export function batchErrorToIntegrationError(error: HubSpotBatchError): IntegrationError {
  const code =
    CATEGORY_CODE[error.category] ??
    (CORE_CODES.has(error.category) ? (error.category as ErrorCode) : 'OPERATION_FAILED');
  const message = code === error.category ? error.message : `${error.category}: ${error.message}`;
  return new IntegrationError(code, message, {
    retryable: error.retryable,
    ...(error.status === undefined ? {} : { status: error.status }),
  });
}

/**
 * The request's own failure when the batch (one chunk: the engine never sends more than 100) failed as a whole, so
 * the engine halves it; undefined when HubSpot answered, a 207 naming each input's error included.
 */
export function requestFailure(result: HubSpotBatchResult<unknown>): IntegrationError | undefined {
  return result.succeeded === 0 ? result.requestErrors[0] : undefined;
}

/**
 * The sync engine's remote for HubSpot: lookups by batch read on the type's unique property (with the records'
 * associations when the type has one), writes by batch upsert on it (`new` tells a create), then the
 * associations of what was written. A per-input error (a 207) is that record's `{ error }`; a batch refused as a
 * whole is a failed result the engine halves.
 */
export function createHubSpotRemote(options: HubSpotRemoteOptions): SyncRemote<HubSpotSyncInput> {
  const typeOf = (type: string): ApiResult<HubSpotSyncType> => {
    const spec = Object.hasOwn(options.types, type) ? options.types[type] : undefined;
    return spec
      ? ok(spec)
      : err(new IntegrationError('VALIDATION_ERROR', `Unknown sync type ${type}`, { field: 'type' }));
  };

  async function associationsOf(
    spec: HubSpotSyncType,
    ids: readonly string[],
  ): Promise<ApiResult<Map<string, string[]>>> {
    const out = new Map<string, string[]>();
    if (!spec.association || ids.length === 0) return ok(out);
    const read = await options
      .client()
      .associations.batchRead(spec.objectType, spec.association.toObjectType, ids);
    if (!read.success) return read;
    for (const outcome of read.data.outcomes) {
      // A record whose associations cannot be read is not compared blindly: the lookup fails and is retried.
      if (!outcome.ok) return err(batchErrorToIntegrationError(outcome.error));
      const targets = outcome.record.to.map((to) => to.toObjectId);
      out.set(ids[outcome.index]!, [...new Set(targets)].sort());
    }
    return ok(out);
  }

  async function associate(
    type: string,
    spec: HubSpotSyncType,
    pairs: { externalId: string; from: string; to: string }[],
    outcomes: SyncWriteResult,
  ): Promise<ApiResult<void>> {
    const association = spec.association;
    if (!association || pairs.length === 0) return ok(undefined);
    const associations = options.client().associations;
    const inputs = pairs.map((pair) => ({ from: { id: pair.from }, to: { id: pair.to } }));
    const made =
      association.type === 'default'
        ? await associations.batchCreateDefault(spec.objectType, association.toObjectType, inputs)
        : await associations.batchCreate(
            spec.objectType,
            association.toObjectType,
            inputs.map((input) => ({
              ...input,
              types: [association.type as Exclude<typeof association.type, 'default'>],
            })),
          );
    if (!made.success) return made;
    const failed = requestFailure(made.data);
    // The records were written, their associations not: a retryable failure keeps them in the outbox, so the next
    // run looks them up (association included) and writes what is missing.
    if (failed) return err(failed);
    let count = 0;
    for (const outcome of made.data.outcomes) {
      const pair = pairs[outcome.index]!;
      if (outcome.ok) count++;
      else outcomes.set(pair.externalId, { error: batchErrorToIntegrationError(outcome.error) });
    }
    if (count > 0) options.onAssociated?.(type, count);
    return ok(undefined);
  }

  return {
    maxBatchSize: HUBSPOT_BATCH_SIZE,
    async find(type, externalIds): Promise<ApiResult<Map<string, RemoteMatch>>> {
      const spec = typeOf(type);
      if (!spec.success) return spec;
      const found = new Map<string, RemoteMatch>();
      if (externalIds.length === 0) return ok(found);
      const read = await options.client().objects(spec.data.objectType).batchRead(externalIds, {
        idProperty: spec.data.idProperty,
        properties: spec.data.properties,
      });
      if (!read.success) return read;
      const records = new Map<string, HubSpotFoundRecord>();
      for (const outcome of read.data.outcomes) {
        if (outcome.ok) {
          const { id, properties } = outcome.record;
          records.set(externalIds[outcome.index]!, { id, properties });
        } else if (outcome.error.category !== 'OBJECT_NOT_FOUND') {
          // Only "not found" means absent; anything else leaves the lookup unanswered.
          return err(batchErrorToIntegrationError(outcome.error));
        }
      }
      const associated = await associationsOf(
        spec.data,
        [...records.values()].map((record) => record.id),
      );
      if (!associated.success) return associated;
      for (const [externalId, record] of records) {
        const targets = associated.data.get(record.id);
        found.set(externalId, {
          remoteId: record.id,
          record: targets ? { ...record, associated: targets } : record,
        });
      }
      return ok(found);
    },

    async upsert(type, items: readonly SyncWriteItem<HubSpotSyncInput>[]) {
      const spec = typeOf(type);
      if (!spec.success) return spec;
      const written = await options
        .client()
        .objects(spec.data.objectType)
        .batchUpsert(
          items.map((item) => ({ id: item.externalId, properties: item.input.properties })),
          { idProperty: spec.data.idProperty },
        );
      if (!written.success) return written;
      const failed = requestFailure(written.data);
      if (failed) return err(failed);
      const outcomes: SyncWriteResult = new Map();
      const pairs: { externalId: string; from: string; to: string }[] = [];
      for (const outcome of written.data.outcomes) {
        const item = items[outcome.index]!;
        if (!outcome.ok) {
          outcomes.set(item.externalId, { error: batchErrorToIntegrationError(outcome.error) });
          continue;
        }
        const remoteId = outcome.record.id;
        outcomes.set(item.externalId, {
          remoteId,
          ...(outcome.created === undefined ? {} : { created: outcome.created }),
        });
        const to = item.input.associate;
        if (typeof to === 'string' && to !== '')
          pairs.push({ externalId: item.externalId, from: remoteId, to });
      }
      const associated = await associate(type, spec.data, pairs, outcomes);
      return associated.success ? ok(outcomes) : associated;
    },

    isDataError: (error) => DATA_ERRORS.has(error.code),
  };
}
