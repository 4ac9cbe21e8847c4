import {
  type ApiResult,
  collectPages,
  cursorPagination,
  describeType,
  encodePathSegment,
  err,
  type FieldIssue,
  type HttpClient,
  IntegrationError,
  invalidInput,
  isArraySafe,
  isIntegrationError,
  type JsonValue,
  type NextPage,
  ok,
  paginate,
  readArray,
  readCallback,
  readOptions,
  readSignal,
  settle,
  toJsonValue,
  unexpectedFailure,
  validateSchema,
} from '@patchbay/core';
import * as z from 'zod/mini';
import { batchEnvelope, listEnvelope, oneEnvelope } from './envelopes.ts';
import { serializeFilter, type TwentyFilter } from './filter.ts';

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
  /** Records per page, a positive integer; Twenty clamps it (at most 200 in current servers). Default 60. */
  pageSize?: number;
  /** Only these fields. */
  fields?: readonly string[];
  /** 0: no relations (default); 1: expand relations one level. */
  depth?: 0 | 1;
  /**
   * Most pages fetched; default 2 000 (core's `DEFAULT_MAX_PAGES`). When Twenty still offers another page
   * after that, the walk ends with `OPERATION_FAILED` (field `maxPages`), not a silent stop. `Infinity` lifts it.
   */
  maxPages?: number;
  /**
   * `listAll` only: most records gathered; default 250 000 (core's `DEFAULT_MAX_ITEMS`). More is
   * `OPERATION_FAILED` (field `maxItems`). `Infinity` lifts it.
   */
  maxItems?: number;
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

// A bound on pages or records: a positive whole number, or Infinity for none.
const bound = z.union([
  z.int().check(z.minimum(1, 'must be a positive integer or Infinity')),
  z.literal(Number.POSITIVE_INFINITY),
]);

const LIST_OPTION_KEYS = [
  'filter',
  'orderBy',
  'pageSize',
  'fields',
  'depth',
  'maxPages',
  'maxItems',
  'signal',
] as const;

// What `list` and `listAll` check before any request (the filter is checked as it is serialized).
const listOptionsSchema = z.looseObject({
  orderBy: z.optional(z.string()),
  pageSize: z.optional(z.int().check(z.minimum(1, 'must be a positive integer'))),
  fields: z.optional(z.array(z.string())),
  depth: z.optional(z.union([z.literal(0), z.literal(1)])),
  maxPages: z.optional(bound),
  maxItems: z.optional(bound),
  signal: z.optional(
    z.custom<AbortSignal>((value) => value instanceof AbortSignal, 'must be an AbortSignal'),
  ),
});

/** Issues a failed input check keeps. */
const MAX_INPUT_ISSUES = 100;

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

  async function checkInput(input: unknown, prefix = ''): Promise<IntegrationError | undefined> {
    const checked = await validateSchema(schemas.input, input);
    if (checked.success) return undefined;
    // Bounded like every other failure: an input of 100 000 bad e-mails gives 100 issues, and a count.
    const issues = checked.issues
      .slice(0, MAX_INPUT_ISSUES)
      .map((issue) => ({ ...issue, field: `${prefix}${issue.field}` }));
    const listed = issues.slice(0, 5).map((i) => `${i.field}: ${i.message}`);
    if (checked.issues.length > 5) listed.push(`and ${checked.issues.length - 5} more`);
    return new IntegrationError('VALIDATION_ERROR', `Invalid ${names.singular}: ${listed.join('; ')}`, {
      field: issues[0]?.field,
      issues,
      retryable: false,
    });
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

  async function* list(input?: ListOptions<F>): AsyncIterable<ApiResult<R[]>> {
    const read = readListOptions(input);
    if (!read.success) {
      yield read;
      return;
    }
    const options = read.data;
    let initial: Record<string, string | number>;
    try {
      initial = listQuery(options);
    } catch (error) {
      yield err(
        isIntegrationError(error)
          ? error
          : new IntegrationError('VALIDATION_ERROR', 'Invalid filter', { field: 'filter', cause: error }),
      );
      return;
    }
    yield* paginate({
      initial: { searchParams: initial },
      signal: options.signal,
      maxPages: options.maxPages,
      fetchPage: (request, signal) =>
        http.get(base, { schema: listSchema, searchParams: request.searchParams, signal }),
      items: (page) => page.data[names.plural] as R[],
      next: twentyNextPage(),
    });
  }

  // Follows pageInfo.endCursor, refusing the answers only a broken or lying server gives: more pages with no
  // cursor to reach them, an empty page that says more follow, the very same records again. The core loop
  // catches repeated cursors and bounds the walk.
  function twentyNextPage(): NextPage<z.output<typeof listSchema>> {
    let previous: string | undefined;
    const follow = cursorPagination<z.output<typeof listSchema>>({
      param: 'starting_after',
      cursor: (page) => page.pageInfo?.endCursor,
    });
    return (page, current, itemCount) => {
      if (!page.pageInfo?.hasNextPage) return undefined;
      const lie = (message: string, field: string) =>
        new IntegrationError('INVALID_RESPONSE', `Twenty ${message}; stopping instead of looping`, {
          field,
          retryable: false,
        });
      if (!page.pageInfo.endCursor) throw lie('said hasNextPage but sent no endCursor', 'pageInfo.endCursor');
      if (itemCount === 0) throw lie('sent an empty page that says more follow', 'pageInfo.hasNextPage');
      const ids = (page.data[names.plural] as { id?: unknown }[]).map((record) => record?.id);
      const key = ids.every((id) => typeof id === 'string') ? ids.join(',') : undefined;
      if (key !== undefined && key === previous) {
        throw lie('sent the same records as on the previous page', 'pageInfo.endCursor');
      }
      previous = key;
      return follow(page, current, itemCount);
    };
  }

  // Bad options are the caller's: VALIDATION_ERROR naming the field, before any request. Each option is read
  // once into a plain copy, so a getter or Proxy that throws is reported instead of breaking the walk.
  function readListOptions(options: unknown): ApiResult<ListOptions<F>> {
    const invalid = (message: string, field: string, issues?: FieldIssue[]) =>
      err(new IntegrationError('VALIDATION_ERROR', message, { field, ...(issues ? { issues } : {}) }));
    if (options === undefined) return ok({});
    if (typeof options !== 'object' || options === null || isArraySafe(options)) {
      return invalid('List options must be an object', 'options');
    }
    const copy: Record<string, unknown> = {};
    try {
      for (const key of LIST_OPTION_KEYS) {
        const value = (options as Record<string, unknown>)[key];
        if (value !== undefined) copy[key] = value;
      }
    } catch {
      return invalid('List options could not be read (a getter or Proxy threw)', 'options');
    }
    let checked: ReturnType<typeof listOptionsSchema.safeParse>;
    try {
      checked = listOptionsSchema.safeParse(copy);
    } catch {
      // An option that is itself a Proxy whose traps throw (zod reads into arrays).
      return invalid('List options could not be read (a getter or Proxy threw)', 'options');
    }
    if (checked.success) return ok(copy as ListOptions<F>);
    const issues = checked.error.issues.map((issue) => ({
      field: issue.path.map(String).join('.') || 'options',
      message: issue.message,
    }));
    const summary = issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
    return invalid(`Invalid list options: ${summary}`, issues[0]?.field ?? 'options', issues);
  }

  /**
   * A caller's record input read once into plain JSON and validated: what is sent is that copy, so no getter,
   * Proxy or later change can make the call throw or send something else than what was checked.
   */
  async function readInput(input: unknown, prefix: string): Promise<ApiResult<JsonValue>> {
    const copy = toJsonValue(input, { field: prefix });
    if (!copy.success) return copy;
    const invalid = await checkInput(copy.data, prefix === '' ? '' : `${prefix}.`);
    return invalid ? err(invalid) : copy;
  }

  /** The options of a write call, each read once: `signal`, plus `depth` for `get`. */
  function readWriteOptions(options: unknown): ApiResult<{ signal?: AbortSignal; depth?: 0 | 1 }> {
    const read = readOptions(options, ['signal', 'depth']);
    if (!read.success) return read;
    const signal = readSignal(read.data.signal, 'options.signal');
    if (!signal.success) return signal;
    const { depth } = read.data;
    if (depth !== undefined && depth !== 0 && depth !== 1) {
      return err(invalidInput('options.depth', `must be 0 or 1, not ${describeType(depth)}`));
    }
    return ok({ signal: signal.data, depth });
  }

  function readBatchOptions(
    options: unknown,
  ): ApiResult<{ signal?: AbortSignal; onChunk?: BatchOptions['onChunk']; validate: boolean }> {
    const read = readOptions(options, ['signal', 'onChunk', 'validate']);
    if (!read.success) return read;
    const signal = readSignal(read.data.signal, 'options.signal');
    if (!signal.success) return signal;
    const onChunk = readCallback<NonNullable<BatchOptions['onChunk']>>(read.data.onChunk, 'options.onChunk');
    if (!onChunk.success) return onChunk;
    const { validate = true } = read.data;
    if (typeof validate !== 'boolean') return err(invalidInput('options.validate', 'must be true or false'));
    return ok({ signal: signal.data, onChunk: onChunk.data, validate });
  }

  async function writeMany(
    inputsValue: unknown,
    upsert: boolean,
    optionsValue: unknown,
  ): Promise<ApiResult<R[]>> {
    const options = readBatchOptions(optionsValue);
    if (!options.success) return options;
    const list = readArray(inputsValue, 'inputs');
    if (!list.success) return list;
    const inputs = list.data;
    if (inputs.length === 0) return ok([]);
    // Validate everything first: a bad record must not leave the batch half-written. Unvalidated inputs (the
    // sync's, built from data it checked) are sent as they are; the HTTP client refuses what JSON cannot carry.
    if (options.data.validate) {
      for (const [index, input] of inputs.entries()) {
        const copy = await readInput(input, `[${index}]`);
        if (!copy.success) return copy;
        inputs[index] = copy.data;
      }
    }
    const { signal, onChunk } = options.data;
    const out: R[] = [];
    for (let start = 0, chunk = 0; start < inputs.length; start += batchSize, chunk++) {
      const slice = inputs.slice(start, start + batchSize);
      const result = await http.post(`/rest/batch/${names.plural}`, {
        json: slice,
        schema: batch,
        searchParams: upsert ? { upsert: 'true' } : undefined,
        idempotent: upsert,
        signal,
      });
      if (!result.success) return result;
      out.push(...result.data);
      try {
        onChunk?.(result.data, chunk);
      } catch (error) {
        // The chunk is in Twenty; stopping here keeps "stops at the first failure" true of the callback too.
        return err(
          new IntegrationError(
            'OPERATION_FAILED',
            `onChunk threw after chunk ${chunk} was written; ${out.length} records were written, the rest not sent`,
            { field: 'options.onChunk', retryable: false, cause: unexpectedFailure('onChunk', error).cause },
          ),
        );
      }
    }
    return ok(out);
  }

  async function writeOne(input: unknown, upsert: boolean, optionsValue: unknown): Promise<ApiResult<R>> {
    const options = readWriteOptions(optionsValue);
    if (!options.success) return options;
    const copy = await readInput(input, '');
    if (!copy.success) return copy;
    const result = await http.post(base, {
      json: copy.data,
      schema: created,
      searchParams: upsert ? { upsert: 'true' } : undefined,
      idempotent: upsert,
      signal: options.data.signal,
    });
    return result.success ? ok(result.data.data[`create${names.singularCapitalized}`] as R) : result;
  }

  // Every call below resolves: whatever escapes the checks above (a bug, a hostile value in an unvalidated
  // batch) becomes a typed failure instead of a rejection.
  const guard = <T>(call: string, work: () => Promise<ApiResult<T>>) =>
    settle(`${names.plural}.${call}`, work);
  // A call on one record: its id and options are checked before `work` runs.
  const onRecord = <T>(
    call: string,
    id: unknown,
    optionsValue: unknown,
    work: (path: string, options: { signal?: AbortSignal; depth?: 0 | 1 }) => Promise<ApiResult<T>>,
  ) =>
    guard(call, async () => {
      const path = recordPath(id);
      if (!path.success) return path;
      const options = readWriteOptions(optionsValue);
      return options.success ? work(path.data, options.data) : options;
    });

  return {
    list,
    async listAll(input) {
      const read = readListOptions(input);
      if (!read.success) return read;
      return collectPages(list(read.data), { maxItems: read.data.maxItems });
    },
    get: (id, optionsValue) =>
      onRecord('get', id, optionsValue, async (path, { depth, signal }) => {
        const result = await http.get(path, {
          schema: findOne,
          searchParams: depth === undefined ? undefined : { depth },
          signal,
        });
        return result.success ? ok(result.data.data[names.singular] as R) : result;
      }),
    create: (input, options) => guard('create', () => writeOne(input, false, options)),
    upsert: (input, options) => guard('upsert', () => writeOne(input, true, options)),
    createMany: (inputs, options) => guard('createMany', () => writeMany(inputs, false, options)),
    upsertMany: (inputs, options) => guard('upsertMany', () => writeMany(inputs, true, options)),
    update: (id, patch, optionsValue) =>
      onRecord('update', id, optionsValue, async (path, { signal }) => {
        const copy = await readInput(patch, '');
        if (!copy.success) return copy;
        const result = await http.patch(path, {
          json: copy.data,
          schema: updated,
          // Setting the same values twice leaves the same record: safe to retry.
          idempotent: true,
          signal,
        });
        return result.success ? ok(result.data.data[`update${names.singularCapitalized}`] as R) : result;
      }),
    delete: (id, optionsValue) =>
      onRecord('delete', id, optionsValue, async (path, { signal }) => {
        const result = await http.delete(path, { schema: deleted, signal });
        return result.success
          ? ok({ id: (result.data.data[`delete${names.singularCapitalized}`] as { id: string }).id })
          : result;
      }),
  };
}
