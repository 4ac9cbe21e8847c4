import {
  type ApiResult,
  type HttpClient,
  ok,
  readJsonInput,
  readOptions,
  readSignal,
  settle,
} from '@patchbay/core';
import * as z from 'zod/mini';
import { type HubSpotBatchResult, runBatch } from './batch.ts';
import type { HubSpotPaths } from './paths.ts';

/** At most 1 000 inputs per association batch read. */
export const HUBSPOT_ASSOCIATION_READ_BATCH_SIZE = 1_000;
// Writes are sent 100 at a time, the CRM's common batch size.
const WRITE_BATCH_SIZE = 100;

/** An association type: HubSpot-defined (e.g. contact → company primary is 1) or a label of your own. */
export interface HubSpotAssociationType {
  associationCategory: 'HUBSPOT_DEFINED' | 'USER_DEFINED' | 'INTEGRATOR_DEFINED';
  associationTypeId: number;
}

/** One association to create: from a record to another, with its types. */
export interface HubSpotAssociationCreateInput {
  from: { id: string };
  to: { id: string };
  types: HubSpotAssociationType[];
}

/** One association read: the other record's id (always a string here) and its types. */
export interface HubSpotAssociatedRecord {
  toObjectId: string;
  associationTypes: { category: string; typeId: number; label?: string | null }[];
}

/** The associations of one record. */
export interface HubSpotAssociationReadResult {
  from: { id: string };
  to: HubSpotAssociatedRecord[];
  /** More associations of this record: read again from this cursor. */
  after?: string;
}

/** What a created association answers. */
export interface HubSpotAssociationCreated {
  fromObjectId: string;
  toObjectId: string;
  labels: string[];
}

/** Association calls between two object types (dated or v4 paths). Each answers one outcome per input. */
export interface HubSpotAssociations {
  /** Creates labelled associations, 100 per request. */
  batchCreate(
    fromType: string,
    toType: string,
    inputs: readonly HubSpotAssociationCreateInput[],
    options?: { signal?: AbortSignal },
  ): Promise<ApiResult<HubSpotBatchResult<HubSpotAssociationCreated>>>;
  /** Creates the default (unlabelled) association of each pair, 100 per request. */
  batchCreateDefault(
    fromType: string,
    toType: string,
    inputs: readonly { from: { id: string }; to: { id: string } }[],
    options?: { signal?: AbortSignal },
  ): Promise<ApiResult<HubSpotBatchResult<{ fromObjectId: string; toObjectId: string }>>>;
  /** Reads the associations of records by id, 1 000 per request; a record with none reads as an empty `to`. */
  batchRead(
    fromType: string,
    toType: string,
    ids: readonly string[],
    options?: { signal?: AbortSignal },
  ): Promise<ApiResult<HubSpotBatchResult<HubSpotAssociationReadResult>>>;
}

const id = z.string().check(z.minLength(1), z.maxLength(1_000));
// v4 reads answer ids as numbers although the spec says strings: both are read, as strings.
const anyId = z.pipe(
  z.union([z.string(), z.number()]),
  z.transform((value) => String(value)),
);
const typeSchema = z.object({
  associationCategory: z.enum(['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED']),
  associationTypeId: z.int().check(z.minimum(1)),
});
const createInputs = z.array(
  z.object({
    from: z.object({ id }),
    to: z.object({ id }),
    types: z.array(typeSchema).check(z.minLength(1)),
  }),
);
const pairInputs = z.array(z.object({ from: z.object({ id }), to: z.object({ id }) }));
const createdSchema = z.pipe(
  z.looseObject({
    fromObjectId: anyId,
    toObjectId: anyId,
    labels: z._default(z.array(z.nullable(z.string())), []),
  }),
  z.transform((value) => ({
    fromObjectId: value.fromObjectId,
    toObjectId: value.toObjectId,
    labels: value.labels.filter((label): label is string => label !== null),
  })),
);
const defaultSchema = z.pipe(
  z.looseObject({ from: z.looseObject({ id: anyId }), to: z.looseObject({ id: anyId }) }),
  z.transform((value) => ({ fromObjectId: value.from.id, toObjectId: value.to.id })),
);
const readSchema = z.pipe(
  z.looseObject({
    from: z.looseObject({ id: anyId }),
    to: z.array(
      z.looseObject({
        toObjectId: anyId,
        associationTypes: z._default(
          z.array(
            z.looseObject({
              category: z.string(),
              typeId: z.number(),
              label: z.optional(z.nullable(z.string())),
            }),
          ),
          [],
        ),
      }),
    ),
    paging: z.optional(z.looseObject({ next: z.optional(z.looseObject({ after: z.optional(z.string()) })) })),
  }),
  z.transform((value): HubSpotAssociationReadResult => {
    const after = value.paging?.next?.after;
    return {
      from: { id: value.from.id },
      to: value.to.map((item) => ({ toObjectId: item.toObjectId, associationTypes: item.associationTypes })),
      ...(after === undefined ? {} : { after }),
    };
  }),
);

const pair = (from: string, to: string) => `${from}\u0000${to}`;

/** The association calls on a client's HTTP client and API version. */
export function createAssociations(
  http: HttpClient,
  paths: HubSpotPaths,
  scrub: (text: string) => string = (text) => text,
): HubSpotAssociations {
  // `{ signal }` when the options carry one; a signal that is not one is refused like any bad argument.
  const signalOf = (options: unknown): ApiResult<{ signal?: AbortSignal }> => {
    const read = readOptions(options, ['signal']);
    if (!read.success) return read;
    const signal = readSignal(read.data.signal, 'options.signal');
    if (!signal.success) return signal;
    return ok(signal.data ? { signal: signal.data } : {});
  };
  return {
    batchCreate: (fromType, toType, inputs, options) =>
      settle('associations.batchCreate', async () => {
        const path = paths.associations(fromType, toType);
        if (!path.success) return path;
        const read = readJsonInput(inputs, 'inputs', createInputs);
        if (!read.success) return read;
        const signal = signalOf(options);
        if (!signal.success) return signal;
        return runBatch(
          http,
          read.data,
          {
            path: `${path.data}/batch/create`,
            body: (chunk) => ({ inputs: chunk }),
            inputKeys: (input) => [pair(input.from.id, input.to.id), input.from.id],
            resultKeys: (record) => [pair(record.fromObjectId, record.toObjectId)],
            // Creating an association that exists leaves it as it is.
            idempotent: true,
            scrub,
            ...signal.data,
          },
          createdSchema,
          WRITE_BATCH_SIZE,
        );
      }),
    batchCreateDefault: (fromType, toType, inputs, options) =>
      settle('associations.batchCreateDefault', async () => {
        const path = paths.associations(fromType, toType);
        if (!path.success) return path;
        const read = readJsonInput(inputs, 'inputs', pairInputs);
        if (!read.success) return read;
        const signal = signalOf(options);
        if (!signal.success) return signal;
        return runBatch(
          http,
          read.data,
          {
            path: `${path.data}/batch/associate/default`,
            body: (chunk) => ({ inputs: chunk }),
            inputKeys: (input) => [pair(input.from.id, input.to.id), input.from.id],
            resultKeys: (record) => [pair(record.fromObjectId, record.toObjectId)],
            idempotent: true,
            scrub,
            ...signal.data,
          },
          defaultSchema,
          WRITE_BATCH_SIZE,
        );
      }),
    batchRead: (fromType, toType, ids, options) =>
      settle('associations.batchRead', async () => {
        const path = paths.associations(fromType, toType);
        if (!path.success) return path;
        const read = readJsonInput(ids, 'ids', z.array(id));
        if (!read.success) return read;
        const signal = signalOf(options);
        if (!signal.success) return signal;
        const answered = await runBatch(
          http,
          read.data,
          {
            path: `${path.data}/batch/read`,
            body: (chunk) => ({ inputs: chunk.map((value) => ({ id: value })) }),
            inputKeys: (value) => [value],
            resultKeys: (record) => [record.from.id],
            idempotent: true,
            scrub,
            ...signal.data,
          },
          readSchema,
          HUBSPOT_ASSOCIATION_READ_BATCH_SIZE,
        );
        return answered.success ? ok(withEmptyForNone(answered.data, read.data)) : answered;
      }),
  };
}

const NO_ASSOCIATIONS = 'crm.associations.NO_ASSOCIATIONS_FOUND';

// HubSpot answers a record without associations as an error (`OBJECT_NOT_FOUND`, subCategory
// NO_ASSOCIATIONS_FOUND); for a reader that is an empty list, not a failure to count.
function withEmptyForNone(
  result: HubSpotBatchResult<HubSpotAssociationReadResult>,
  ids: readonly string[],
): HubSpotBatchResult<HubSpotAssociationReadResult> {
  const outcomes = result.outcomes.map((outcome) =>
    !outcome.ok && outcome.error.subCategory === NO_ASSOCIATIONS
      ? { ok: true as const, index: outcome.index, record: { from: { id: ids[outcome.index]! }, to: [] } }
      : outcome,
  );
  const succeeded = outcomes.filter((outcome) => outcome.ok).length;
  return { outcomes, succeeded, failed: outcomes.length - succeeded, requestErrors: result.requestErrors };
}
