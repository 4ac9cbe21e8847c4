import {
  type ApiResult,
  collectPages,
  cursorPagination,
  encodePathSegment,
  err,
  type HttpClient,
  IntegrationError,
  isIntegrationError,
  ok,
  paginate,
  validateSchema,
} from '@patchbay/core';
import * as z from 'zod/mini';
import { batchEnvelope, listEnvelope, oneEnvelope } from './envelopes.ts';
import { serializeFilter, type TwentyFilter } from './filter.ts';
import { refineTwentyError } from './twenty-errors.ts';

/** Twenty's names for one object, e.g. people / person / People / Person. */
export interface RecordNames {
  plural: string;
  singular: string;
  pluralCapitalized: string;
  singularCapitalized: string;
}

/** Twenty's names for people. */
export const PEOPLE: RecordNames = {
  plural: 'people',
  singular: 'person',
  pluralCapitalized: 'People',
  singularCapitalized: 'Person',
};

/** Twenty's names for companies. */
export const COMPANIES: RecordNames = {
  plural: 'companies',
  singular: 'company',
  pluralCapitalized: 'Companies',
  singularCapitalized: 'Company',
};

/** Options of `list` and `listAll`. */
export interface ListOptions<F extends string = string> {
  /** A typed filter or a raw Twenty filter string. */
  filter?: TwentyFilter<F> | string;
  /** Twenty's `order_by`, e.g. `createdAt[DescNullsLast]`. */
  orderBy?: string;
  /** Records per page; Twenty clamps it (at most 200 in current servers). Default 60. */
  pageSize?: number;
  /** Only these fields. */
  fields?: readonly string[];
  /** 0: no relations (default); 1: expand relations one level. */
  depth?: 0 | 1;
  /** Stop after this many pages. */
  maxPages?: number;
  signal?: AbortSignal;
}

/** Options of the write calls. */
export interface WriteOptions {
  signal?: AbortSignal;
}

/** Options of `createMany` / `upsertMany`. */
export interface BatchOptions extends WriteOptions {
  /** Called after each chunk is written, with the chunk's records (progress, partial-failure bookkeeping). */
  onChunk?: (records: readonly unknown[], chunkIndex: number) => void;
  /**
   * Validate every input before the first request (default true). Turn it off only for inputs built from data
   * you validated already, as the sync does: it halves the allocation of large syncs.
   */
  validate?: boolean;
}

/** The calls on one Twenty object (`people`, `companies`). Every call returns an ApiResult. */
export interface RecordResource<R, I, F extends string = string> {
  /** Every page of records, as an async iterator of per-page results (stops after a failed page). */
  list(options?: ListOptions<F>): AsyncIterable<ApiResult<R[]>>;
  /** Every record, all pages gathered. */
  listAll(options?: ListOptions<F>): Promise<ApiResult<R[]>>;
  /** One record by id. */
  get(id: string, options?: WriteOptions & { depth?: 0 | 1 }): Promise<ApiResult<R>>;
  /** Creates one record (never retried: Twenty has no idempotency keys). */
  create(input: I, options?: WriteOptions): Promise<ApiResult<R>>;
  /** Creates or updates one record matched on id or a unique field (`?upsert=true`; safe to retry). */
  upsert(input: I, options?: WriteOptions): Promise<ApiResult<R>>;
  /** Creates records through the batch endpoint in chunks of the batch size; stops at the first failed chunk. */
  createMany(inputs: readonly I[], options?: BatchOptions): Promise<ApiResult<R[]>>;
  /** Like createMany with `?upsert=true`: matched records are updated, the rest created; safe to retry. */
  upsertMany(inputs: readonly I[], options?: BatchOptions): Promise<ApiResult<R[]>>;
  /** Updates the given fields of one record. */
  update(id: string, patch: I, options?: WriteOptions): Promise<ApiResult<R>>;
  /** Deletes one record (Twenty soft-deletes). */
  delete(id: string, options?: WriteOptions): Promise<ApiResult<{ id: string }>>;
}

/** Records per batch call: Twenty documents 60; self-hosted instances can be configured higher. */
export const batchSizeSchema = z.int().check(z.minimum(1), z.maximum(200));

/** Shared settings of every resource of a client. */
export interface ResourceContext {
  http: HttpClient;
  /** Records per batch call. Twenty's docs allow 60. */
  batchSize: number;
}

/** Builds the calls for one Twenty object from its names and schemas. */
export function createRecordResource<R, I, F extends string = string>(
  context: ResourceContext,
  names: RecordNames,
  schemas: { record: z.ZodMiniType<R>; input: z.ZodMiniType<unknown, I> },
): RecordResource<R, I, F> {
  const { http, batchSize } = context;
  const base = `/rest/${names.plural}`;
  const listSchema = listEnvelope(names.plural, schemas.record);
  const findOne = oneEnvelope(names.singular, schemas.record);
  const created = oneEnvelope(`create${names.singularCapitalized}`, schemas.record);
  const updated = oneEnvelope(`update${names.singularCapitalized}`, schemas.record);
  const deleted = oneEnvelope(`delete${names.singularCapitalized}`, z.looseObject({ id: z.string() }));
  const batch = batchEnvelope(names.plural, names.pluralCapitalized, schemas.record);

  const refine = <T>(result: ApiResult<T>): ApiResult<T> =>
    result.success ? result : err(refineTwentyError(result.error));

  async function checkInput(input: unknown, prefix = ''): Promise<IntegrationError | undefined> {
    const checked = await validateSchema(schemas.input, input);
    if (checked.success) return undefined;
    const issues = checked.issues.map((issue) => ({ ...issue, field: `${prefix}${issue.field}` }));
    return new IntegrationError(
      'VALIDATION_ERROR',
      `Invalid ${names.singular}: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
      {
        field: issues[0]?.field,
        issues,
      },
    );
  }

  /** The record's path: the id validated and encoded, so no id can reach another route. */
  const recordPath = (id: unknown): ApiResult<string> => {
    const segment = encodePathSegment(id, { field: 'id' });
    return segment.success ? ok(`${base}/${segment.data}`) : segment;
  };

  function listQuery(options: ListOptions<F>): Record<string, string | number> {
    const query: Record<string, string | number> = { limit: options.pageSize ?? 60 };
    if (options.filter !== undefined) query.filter = serializeFilter(options.filter as TwentyFilter | string);
    if (options.orderBy) query.order_by = options.orderBy;
    if (options.fields?.length) query.fields = options.fields.join(',');
    if (options.depth !== undefined) query.depth = options.depth;
    return query;
  }

  async function* list(options: ListOptions<F> = {}): AsyncIterable<ApiResult<R[]>> {
    let initial: Record<string, string | number>;
    try {
      initial = listQuery(options);
    } catch (error) {
      if (isIntegrationError(error)) {
        yield err(error);
        return;
      }
      throw error;
    }
    yield* paginate({
      initial: { searchParams: initial },
      signal: options.signal,
      maxPages: options.maxPages,
      fetchPage: async (request, signal) =>
        refine(await http.get(base, { schema: listSchema, searchParams: request.searchParams, signal })),
      items: (page) => page.data[names.plural] as R[],
      next: cursorPagination({
        param: 'starting_after',
        cursor: (page) => (page.pageInfo?.hasNextPage ? page.pageInfo.endCursor : undefined),
      }),
    });
  }

  async function writeMany(
    inputs: readonly I[],
    upsert: boolean,
    options: BatchOptions = {},
  ): Promise<ApiResult<R[]>> {
    if (inputs.length === 0) return ok([]);
    // Validate everything first: a bad record must not leave the batch half-written.
    for (const [index, input] of options.validate === false ? [] : inputs.entries()) {
      const invalid = await checkInput(input, `[${index}].`);
      if (invalid) return err(invalid);
    }
    const out: R[] = [];
    for (let start = 0, chunk = 0; start < inputs.length; start += batchSize, chunk++) {
      const slice = inputs.slice(start, start + batchSize);
      const result = refine(
        await http.post(`/rest/batch/${names.plural}`, {
          json: slice,
          schema: batch,
          searchParams: upsert ? { upsert: 'true' } : undefined,
          idempotent: upsert,
          signal: options.signal,
        }),
      );
      if (!result.success) return result;
      options.onChunk?.(result.data, chunk);
      out.push(...result.data);
    }
    return ok(out);
  }

  async function writeOne(input: I, upsert: boolean, options: WriteOptions = {}): Promise<ApiResult<R>> {
    const invalid = await checkInput(input);
    if (invalid) return err(invalid);
    const result = refine(
      await http.post(base, {
        json: input,
        schema: created,
        searchParams: upsert ? { upsert: 'true' } : undefined,
        idempotent: upsert,
        signal: options.signal,
      }),
    );
    return result.success ? ok(result.data.data[`create${names.singularCapitalized}`] as R) : result;
  }

  return {
    list,
    listAll: (options) => collectPages(list(options)),
    async get(id, options = {}) {
      const path = recordPath(id);
      if (!path.success) return path;
      const result = refine(
        await http.get(path.data, {
          schema: findOne,
          searchParams: options.depth === undefined ? undefined : { depth: options.depth },
          signal: options.signal,
        }),
      );
      return result.success ? ok(result.data.data[names.singular] as R) : result;
    },
    create: (input, options) => writeOne(input, false, options),
    upsert: (input, options) => writeOne(input, true, options),
    createMany: (inputs, options) => writeMany(inputs, false, options),
    upsertMany: (inputs, options) => writeMany(inputs, true, options),
    async update(id, patch, options = {}) {
      const path = recordPath(id);
      if (!path.success) return path;
      const invalid = await checkInput(patch);
      if (invalid) return err(invalid);
      const result = refine(
        await http.patch(path.data, {
          json: patch,
          schema: updated,
          // Setting the same values twice leaves the same record: safe to retry.
          idempotent: true,
          signal: options.signal,
        }),
      );
      return result.success ? ok(result.data.data[`update${names.singularCapitalized}`] as R) : result;
    },
    async delete(id, options = {}) {
      const path = recordPath(id);
      if (!path.success) return path;
      const result = refine(await http.delete(path.data, { schema: deleted, signal: options.signal }));
      return result.success
        ? ok({ id: (result.data.data[`delete${names.singularCapitalized}`] as { id: string }).id })
        : result;
    },
  };
}
