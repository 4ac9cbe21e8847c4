import {
  type ApiResult,
  cursorPagination,
  encodePathSegment,
  err,
  type HttpClient,
  IntegrationError,
  ok,
  paginate,
  readArray,
  readJsonInput,
  readSignal,
  settle,
} from '@patchbay/core';
import * as z from 'zod/mini';
import { type HubSpotBatchResult, runBatch } from './batch.ts';
import type { HubSpotPaths } from './paths.ts';
import {
  type HubSpotPropertiesInput,
  type HubSpotPropertiesSchema,
  type HubSpotRecord,
  hubspotPropertiesInputSchema,
  hubspotRecordSchema,
} from './records.ts';

/** One page of records and the cursor of the next, if any. */
export interface HubSpotPage<R> {
  results: R[];
  /** `paging.next.after`, absent on the last page. */
  after?: string;
}

/** An association given with a new record (`associations` of a create input). */
export interface HubSpotAssociationInput {
  to: { id: string };
  types: {
    associationCategory: 'HUBSPOT_DEFINED' | 'USER_DEFINED' | 'INTEGRATOR_DEFINED';
    associationTypeId: number;
  }[];
}

/** A record to create. */
export interface HubSpotCreateInput<P extends HubSpotPropertiesInput = HubSpotPropertiesInput> {
  properties: P;
  associations?: HubSpotAssociationInput[];
}

/** A record to update, by id (or by a unique property's value with `idProperty`). */
export interface HubSpotUpdateInput<P extends HubSpotPropertiesInput = HubSpotPropertiesInput> {
  id: string;
  properties: P;
}

/** A record to create or update by the value of a unique property (`options.idProperty`). */
export interface HubSpotUpsertInput<P extends HubSpotPropertiesInput = HubSpotPropertiesInput> {
  /** The unique property's value, e.g. the email. */
  id: string;
  properties: P;
}

/** Options of `get`. */
export interface HubSpotGetOptions {
  /** Properties to return; HubSpot returns a default few otherwise. */
  properties?: readonly string[];
  /** Read by this unique property's value instead of the record id (e.g. `email`). */
  idProperty?: string;
  /** Read an archived record. */
  archived?: boolean;
  signal?: AbortSignal;
}

/** Options of `list`. */
export interface HubSpotListOptions {
  properties?: readonly string[];
  /** Records per page, 1–100. Default 100. */
  limit?: number;
  archived?: boolean;
  /** Start after this cursor (a saved `after`). */
  after?: string;
  /** Most pages fetched. Default 2 000; more ends the walk with `OPERATION_FAILED`. */
  maxPages?: number;
  signal?: AbortSignal;
}

/** Options of the batch reads and writes. */
export interface HubSpotBatchOptions {
  /** Batch read/update: the unique property the ids are values of. */
  idProperty?: string;
  /** Batch read: properties to return. */
  properties?: readonly string[];
  signal?: AbortSignal;
}

/** Options of `batchUpsert`: the unique property that identifies each input. */
export interface HubSpotUpsertOptions {
  /** A property with unique values (`email` for contacts, `domain` is not unique; a custom unique property). */
  idProperty: string;
  signal?: AbortSignal;
}

/** The CRM calls of one object type. Every call returns an ApiResult; batch calls answer one outcome per input. */
export interface HubSpotObjectResource<
  R extends HubSpotRecord,
  P extends HubSpotPropertiesInput = HubSpotPropertiesInput,
> {
  /** The object type as sent: `contacts`, `0-1`, `2-123456`, `p_my_object`. */
  readonly type: string;
  /** One record by id, or by a unique property's value. */
  get(id: string, options?: HubSpotGetOptions): Promise<ApiResult<R>>;
  /** Every record, page by page (`paging.next.after`). */
  list(options?: HubSpotListOptions): AsyncIterable<ApiResult<HubSpotPage<R>>>;
  /** Records by id, 100 per request; a missing id is that input's `OBJECT_NOT_FOUND`. */
  batchRead(ids: readonly string[], options?: HubSpotBatchOptions): Promise<ApiResult<HubSpotBatchResult<R>>>;
  /** Creates records, 100 per request, each with an objectWriteTraceId so a bad input fails only itself. */
  batchCreate(
    inputs: readonly HubSpotCreateInput<P>[],
    options?: { signal?: AbortSignal },
  ): Promise<ApiResult<HubSpotBatchResult<R>>>;
  /** Updates records by id, 100 per request. */
  batchUpdate(
    inputs: readonly HubSpotUpdateInput<P>[],
    options?: HubSpotBatchOptions,
  ): Promise<ApiResult<HubSpotBatchResult<R>>>;
  /** Creates or updates by a unique property, 100 per request; `created` tells which (HubSpot's `new`). */
  batchUpsert(
    inputs: readonly HubSpotUpsertInput<P>[],
    options: HubSpotUpsertOptions,
  ): Promise<ApiResult<HubSpotBatchResult<R>>>;
  /** Archives one record (HubSpot answers 204 whether or not it existed). */
  archive(id: string, options?: { signal?: AbortSignal }): Promise<ApiResult<void>>;
  /** Archives records by id, 100 per request. */
  batchArchive(
    ids: readonly string[],
    options?: { signal?: AbortSignal },
  ): Promise<ApiResult<HubSpotBatchResult<{ id: string }>>>;
}

/** What a resource needs from the client. */
export interface ObjectResourceContext {
  http: HttpClient;
  paths: HubSpotPaths;
  /** A fresh objectWriteTraceId. */
  traceId: () => string;
  /** Removes the client's credentials from text HubSpot sent back in a 2xx body. */
  scrub: (text: string) => string;
}

const id = z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(1_000));
const propertyName = z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(500));
const properties = z.optional(z.array(propertyName).check(z.maxLength(1_000)));
const getOptionsSchema = z.object({
  properties,
  idProperty: z.optional(propertyName),
  archived: z.optional(z.boolean()),
});
const listOptionsSchema = z.object({
  properties,
  limit: z.optional(z.int().check(z.minimum(1), z.maximum(100))),
  archived: z.optional(z.boolean()),
  after: z.optional(z.string().check(z.minLength(1), z.maxLength(1_000))),
  maxPages: z.optional(z.number().check(z.minimum(1))),
});
const batchOptionsSchema = z.object({ properties, idProperty: z.optional(propertyName) });
const associationInput = z.object({
  to: z.object({ id }),
  types: z.array(
    z.object({
      associationCategory: z.enum(['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED']),
      associationTypeId: z.int().check(z.minimum(1)),
    }),
  ),
});
const createInputs = z.array(
  z.object({ properties: hubspotPropertiesInputSchema, associations: z.optional(z.array(associationInput)) }),
);
const updateInputs = z.array(z.object({ id, properties: hubspotPropertiesInputSchema }));
const ids = z.array(id);
const upsertOptionsSchema = z.object({ idProperty: propertyName });
const MAX_INPUTS = 1_000_000;

const pageSchema = <R>(record: z.ZodMiniType<R>) =>
  z.looseObject({
    results: z.array(record),
    paging: z.optional(z.looseObject({ next: z.optional(z.looseObject({ after: z.optional(z.string()) })) })),
  });

/**
 * The resource of one object type (standard, or custom by type id), its records read with `propertiesSchema`.
 * Arguments are checked before any request: a bad one is a `VALIDATION_ERROR` naming the field.
 */
export function createObjectResource<
  R extends HubSpotRecord,
  P extends HubSpotPropertiesInput = HubSpotPropertiesInput,
>(
  context: ObjectResourceContext,
  type: string,
  propertiesSchema: HubSpotPropertiesSchema,
): HubSpotObjectResource<R, P> {
  const { http, paths, traceId, scrub } = context;
  // Operation names for errors: a type that is no string is refused by the path check, never stringified.
  const label = typeof type === 'string' ? type : 'objects';
  const recordSchema = hubspotRecordSchema(propertiesSchema) as unknown as z.ZodMiniType<R>;
  const base = () => paths.objects(type);
  const signalOf = (options: unknown): ApiResult<AbortSignal | undefined> => {
    if (typeof options !== 'object' || options === null) return ok(undefined);
    try {
      return readSignal((options as { signal?: unknown }).signal, 'options.signal');
    } catch {
      return err(
        new IntegrationError('VALIDATION_ERROR', 'options.signal could not be read', {
          field: 'options.signal',
          retryable: false,
        }),
      );
    }
  };
  const optionsOf = <S extends z.ZodMiniType>(options: unknown, schema: S, optional = true) => {
    const signal = signalOf(options);
    if (!signal.success) return signal;
    // The signal is no JSON value: read apart, the rest checked as JSON.
    let rest: unknown = options;
    if (typeof options === 'object' && options !== null && signal.data !== undefined) {
      try {
        const { signal: _, ...others } = options as Record<string, unknown>;
        rest = others;
      } catch {
        return err(
          new IntegrationError('VALIDATION_ERROR', 'options could not be read', {
            field: 'options',
            retryable: false,
          }),
        );
      }
    }
    const read = readJsonInput(rest, 'options', schema, { optional });
    return read.success
      ? ok({ ...(read.data as object), signal: signal.data } as z.output<S> & { signal?: AbortSignal })
      : read;
  };
  // Read once through core's array reader (a Proxy or a throwing element is refused by field), then checked.
  const listOf = <S extends z.ZodMiniType>(value: unknown, field: string, schema: S) => {
    const copy = readArray(value, field, { maxLength: MAX_INPUTS });
    return copy.success ? readJsonInput(copy.data, field, schema) : copy;
  };
  const propertiesParam = (names: readonly string[] | undefined) =>
    names && names.length > 0 ? names.join(',') : undefined;

  return {
    type,
    get: (recordId, options) =>
      settle(`${label}.get`, async () => {
        const path = base();
        if (!path.success) return path;
        const segment = encodePathSegment(recordId, { field: 'id' });
        if (!segment.success) return segment;
        const read = optionsOf(options, getOptionsSchema);
        if (!read.success) return read;
        const { properties: names, idProperty, archived, signal } = read.data;
        const searchParams: Record<string, string> = {};
        const joined = propertiesParam(names);
        if (joined) searchParams.properties = joined;
        if (idProperty) searchParams.idProperty = idProperty;
        if (archived !== undefined) searchParams.archived = String(archived);
        return http.get(`${path.data}/${segment.data}`, {
          schema: recordSchema,
          searchParams,
          ...(signal ? { signal } : {}),
        }) as Promise<ApiResult<R>>;
      }),

    list: (options) => listRecords(options),
    batchRead: (input, options) =>
      settle(`${label}.batchRead`, async () => {
        const path = base();
        if (!path.success) return path;
        const read = listOf(input, 'ids', ids);
        if (!read.success) return read;
        const opts = optionsOf(options, batchOptionsSchema);
        if (!opts.success) return opts;
        const { idProperty, properties: names, signal } = opts.data;
        // With idProperty the answer names records by id: the unique property must come back to match them.
        const wanted = idProperty && names && !names.includes(idProperty) ? [...names, idProperty] : names;
        return runBatch(
          http,
          read.data,
          {
            path: `${path.data}/batch/read`,
            body: (chunk) => ({
              inputs: chunk.map((value) => ({ id: value })),
              properties: wanted ?? (idProperty ? [idProperty] : []),
              propertiesWithHistory: [],
              ...(idProperty ? { idProperty } : {}),
            }),
            inputKeys: (value) => [idProperty ? normalise(value) : value],
            resultKeys: (record) => [idProperty ? normalise(record.properties[idProperty] ?? '') : record.id],
            idempotent: true,
            scrub,
            ...(signal ? { signal } : {}),
          },
          recordSchema,
        );
      }),

    batchCreate: (inputs, options) =>
      settle(`${label}.batchCreate`, async () => {
        const path = base();
        if (!path.success) return path;
        const read = listOf(inputs, 'inputs', createInputs);
        if (!read.success) return read;
        const opts = optionsOf(options, z.object({}));
        if (!opts.success) return opts;
        // Every input carries a trace id: HubSpot then answers 207 per input instead of failing the batch,
        // and results (which come back in any order) name their input by it.
        const traced = read.data.map((input) => ({ ...input, objectWriteTraceId: traceId() }));
        return runBatch(
          http,
          traced,
          {
            path: `${path.data}/batch/create`,
            body: (chunk) => ({
              inputs: chunk.map((input) => ({ ...input, properties: asStrings(input.properties) })),
            }),
            inputKeys: (input) => [input.objectWriteTraceId],
            resultKeys: (record) => (record.objectWriteTraceId ? [record.objectWriteTraceId] : []),
            idempotent: false,
            scrub,
            ...(opts.data.signal ? { signal: opts.data.signal } : {}),
          },
          recordSchema,
        );
      }),

    batchUpdate: (inputs, options) =>
      settle(`${label}.batchUpdate`, async () => {
        const path = base();
        if (!path.success) return path;
        const read = listOf(inputs, 'inputs', updateInputs);
        if (!read.success) return read;
        const opts = optionsOf(options, batchOptionsSchema);
        if (!opts.success) return opts;
        const { idProperty, signal } = opts.data;
        const traced = read.data.map((input) => ({ ...input, objectWriteTraceId: traceId() }));
        return runBatch(
          http,
          traced,
          {
            path: `${path.data}/batch/update`,
            body: (chunk) => ({
              inputs: chunk.map((input) => ({
                id: input.id,
                properties: asStrings(input.properties),
                objectWriteTraceId: input.objectWriteTraceId,
                ...(idProperty ? { idProperty } : {}),
              })),
            }),
            inputKeys: (input) => [input.objectWriteTraceId, idProperty ? normalise(input.id) : input.id],
            resultKeys: (record) => [
              ...(record.objectWriteTraceId ? [record.objectWriteTraceId] : []),
              idProperty ? normalise(record.properties[idProperty] ?? '') : record.id,
            ],
            idempotent: true,
            scrub,
            ...(signal ? { signal } : {}),
          },
          recordSchema,
        );
      }),

    batchUpsert: (inputs, options) =>
      settle(`${label}.batchUpsert`, async () => {
        const path = base();
        if (!path.success) return path;
        const read = listOf(inputs, 'inputs', updateInputs);
        if (!read.success) return read;
        const opts = optionsOf(options, upsertOptionsSchema);
        if (!opts.success) return opts;
        const { idProperty, signal } = opts.data;
        const traced = read.data.map((input) => ({ ...input, objectWriteTraceId: traceId() }));
        return runBatch(
          http,
          traced,
          {
            path: `${path.data}/batch/upsert`,
            body: (chunk) => ({
              inputs: chunk.map((input) => ({
                id: input.id,
                idProperty,
                objectWriteTraceId: input.objectWriteTraceId,
                // The unique value is the record's too: an upsert that creates it must set it.
                properties: asStrings({ [idProperty]: input.id, ...input.properties }),
              })),
            }),
            inputKeys: (input) => [input.objectWriteTraceId, normalise(input.id)],
            resultKeys: (record) => [
              ...(record.objectWriteTraceId ? [record.objectWriteTraceId] : []),
              normalise(record.properties[idProperty] ?? ''),
            ],
            createdOf: (record) => record.new,
            idempotent: true,
            scrub,
            ...(signal ? { signal } : {}),
          },
          recordSchema,
        );
      }),

    archive: (recordId, options) =>
      settle(`${label}.archive`, async () => {
        const path = base();
        if (!path.success) return path;
        const segment = encodePathSegment(recordId, { field: 'id' });
        if (!segment.success) return segment;
        const opts = optionsOf(options, z.object({}));
        if (!opts.success) return opts;
        const result = await http.delete(
          `${path.data}/${segment.data}`,
          opts.data.signal ? { signal: opts.data.signal } : {},
        );
        return result.success ? ok(undefined) : result;
      }),

    batchArchive: (input, options) =>
      settle(`${label}.batchArchive`, async () => {
        const path = base();
        if (!path.success) return path;
        const read = listOf(input, 'ids', ids);
        if (!read.success) return read;
        const opts = optionsOf(options, z.object({}));
        if (!opts.success) return opts;
        const outcomes: HubSpotBatchResult<{ id: string }>['outcomes'] = [];
        const requestErrors: IntegrationError[] = [];
        for (let start = 0; start < read.data.length; start += 100) {
          const chunk = read.data.slice(start, start + 100);
          const sent = await http.post(`${path.data}/batch/archive`, {
            json: { inputs: chunk.map((value) => ({ id: value })) },
            idempotent: true,
            ...(opts.data.signal ? { signal: opts.data.signal } : {}),
          });
          // Archive answers 204 with no per-input detail: the whole chunk shares the answer.
          if (!sent.success) requestErrors.push(sent.error);
          chunk.forEach((value, offset) => {
            const index = start + offset;
            outcomes.push(
              sent.success
                ? { ok: true, index, record: { id: value } }
                : {
                    ok: false,
                    index,
                    error: {
                      category: sent.error.code,
                      message: sent.error.message,
                      ...(sent.error.status === undefined ? {} : { status: sent.error.status }),
                      retryable: sent.error.retryable,
                    },
                  },
            );
          });
        }
        const succeeded = outcomes.filter((outcome) => outcome.ok).length;
        return ok({ outcomes, succeeded, failed: outcomes.length - succeeded, requestErrors });
      }),
  };

  async function* listRecords(options: unknown): AsyncGenerator<ApiResult<HubSpotPage<R>>> {
    const path = base();
    if (!path.success) return yield path;
    const read = optionsOf(options, listOptionsSchema);
    if (!read.success) return yield read;
    const { properties: names, limit, archived, after, maxPages, signal } = read.data;
    const searchParams: Record<string, string | number> = { limit: limit ?? 100 };
    const joined = propertiesParam(names);
    if (joined) searchParams.properties = joined;
    if (archived !== undefined) searchParams.archived = String(archived);
    if (after) searchParams.after = after;
    const schema = pageSchema(recordSchema);
    let cursor: string | undefined;
    const pages = paginate({
      fetchPage: (request, pageSignal) =>
        http.get(path.data, {
          schema,
          searchParams: request.searchParams,
          ...(pageSignal ? { signal: pageSignal } : {}),
        }),
      // The walk yields items only: the cursor is kept as each page goes by, for the caller to save.
      items: (page) => {
        cursor = page.paging?.next?.after;
        return page.results;
      },
      next: cursorPagination({ param: 'after', cursor: (page) => page.paging?.next?.after }),
      initial: { searchParams },
      ...(signal ? { signal } : {}),
      ...(maxPages === undefined ? {} : { maxPages }),
    });
    for await (const page of pages) {
      if (!page.success) return yield page;
      yield ok(cursor === undefined ? { results: page.data } : { results: page.data, after: cursor });
    }
  }
}

/** The value of a unique property as HubSpot compares it: emails are stored in lower case. */
function normalise(value: string): string {
  return value.trim().toLowerCase();
}

// HubSpot stores every property value as a string; numbers and booleans are sent as their text, null as ''.
function asStrings(properties: Record<string, string | number | boolean | null>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(properties).map(([name, value]) => [name, value === null ? '' : String(value)]),
  );
}
