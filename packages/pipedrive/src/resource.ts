import {
  type ApiResult,
  err,
  type HttpClient,
  IntegrationError,
  ok,
  paginate,
  readJsonInput,
  settle,
} from '@patchbay/core';
import * as z from 'zod/mini';
import type { CustomFields } from './custom-fields.ts';
import { readId, readOptions } from './input.ts';
import { PIPEDRIVE_TOKEN_COSTS } from './token-budget.ts';

/** One page of a v2 list and the cursor of the next, if any (save it to resume). */
export interface PipedrivePage<R> {
  items: R[];
  /** `additional_data.next_cursor`, absent on the last page. */
  nextCursor?: string;
}

/** Options of a v2 `list`. */
export interface PipedriveListOptions {
  /** Records per page, 1–500. Default 100. */
  limit?: number;
  /** Start at this cursor (a saved `nextCursor`). */
  cursor?: string;
  /** Only records updated at or after this time (RFC 3339, inclusive): incremental reads. */
  updated_since?: string;
  /** Only records updated before this time (RFC 3339). */
  updated_until?: string;
  sort_by?: 'id' | 'update_time' | 'add_time';
  sort_direction?: 'asc' | 'desc';
  /** Only these ids (at most 100). */
  ids?: readonly number[];
  /** Most pages fetched. Default 2 000. */
  maxPages?: number;
  signal?: AbortSignal;
}

/** Options of a `search` (v2 `/{type}/search`, its own 10-per-2-s limit and 20 tokens a page). */
export interface PipedriveSearchOptions {
  /** Fields to search: e.g. `['custom_fields']`, `['email']`, `['name']`. */
  fields?: readonly string[];
  /** Only exact matches (case-insensitive). */
  exact_match?: boolean;
  /** Results per page, 1–500. Default 100. */
  limit?: number;
  maxPages?: number;
  signal?: AbortSignal;
}

/** The calls of one v2 record type. Every call returns an ApiResult; nothing rejects. */
export interface PipedriveResource<R, I> {
  /** One record by id (1 token). */
  get(id: number | string, options?: { signal?: AbortSignal }): Promise<ApiResult<R>>;
  /** Every record, page by page over `next_cursor` (10 tokens a page). */
  list(options?: PipedriveListOptions): AsyncIterable<ApiResult<PipedrivePage<R>>>;
  /** Creates one record (`POST`); `custom` by the caller's names. */
  create(input: I, options?: { signal?: AbortSignal }): Promise<ApiResult<R>>;
  /** Changes the fields given (`PATCH`); safe to repeat, so retried like a read. */
  update(id: number | string, input: Partial<I>, options?: { signal?: AbortSignal }): Promise<ApiResult<R>>;
  /** Deletes one record; answers its id. */
  delete(id: number | string, options?: { signal?: AbortSignal }): Promise<ApiResult<{ id: number }>>;
}

/** A v2 resource that also searches (persons, organizations, deals). */
export interface PipedriveSearchableResource<R, I> extends PipedriveResource<R, I> {
  /** Searches by `term` (at least 2 characters, 1 with `exact_match`), page by page. */
  search(
    term: string,
    options?: PipedriveSearchOptions,
  ): AsyncIterable<ApiResult<PipedrivePage<{ score: number; item: Record<string, unknown> }>>>;
}

/** What a resource needs from the client. */
export interface ResourceContext {
  http: HttpClient;
  /** The client behind search's own limiter as well. */
  searchHttp: HttpClient;
  /** Takes a call's token cost from the daily budget before it is sent. */
  spend: (cost: number, operation: string) => ApiResult<void>;
}

/** What makes one resource: its path, schemas and custom fields. */
export interface ResourceSpec {
  path: 'persons' | 'organizations' | 'deals' | 'activities';
  schema: z.ZodMiniType;
  createSchema: z.ZodMiniObject;
  fields: CustomFields;
}

const listOptionsSchema = z.object({
  limit: z.optional(z.int().check(z.minimum(1), z.maximum(500))),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2_000))),
  updated_since: z.optional(z.iso.datetime({ offset: true, error: 'must be an RFC 3339 time' })),
  updated_until: z.optional(z.iso.datetime({ offset: true, error: 'must be an RFC 3339 time' })),
  sort_by: z.optional(z.enum(['id', 'update_time', 'add_time'])),
  sort_direction: z.optional(z.enum(['asc', 'desc'])),
  ids: z.optional(z.array(z.int().check(z.minimum(1))).check(z.minLength(1), z.maxLength(100))),
  maxPages: z.optional(z.number().check(z.minimum(1))),
});
const searchOptionsSchema = z.object({
  fields: z.optional(
    z.array(z.string().check(z.regex(/^[a-z_]{1,40}$/, 'must be a field name'))).check(z.maxLength(20)),
  ),
  exact_match: z.optional(z.boolean()),
  limit: z.optional(z.int().check(z.minimum(1), z.maximum(500))),
  maxPages: z.optional(z.number().check(z.minimum(1))),
});
const signalOnly = z.object({});
const nextCursor = z.optional(z.nullable(z.looseObject({ next_cursor: z.optional(z.nullable(z.string())) })));
const deletedSchema = z.looseObject({ data: z.looseObject({ id: z.int() }) });
const searchPageSchema = z.looseObject({
  data: z.looseObject({
    items: z.array(
      z.looseObject({ result_score: z.optional(z.number()), item: z.record(z.string(), z.unknown()) }),
    ),
  }),
  additional_data: nextCursor,
});

/** Builds the v2 calls of one record type. Arguments are checked before any request. */
export function createResource<R, I>(
  context: ResourceContext,
  spec: ResourceSpec,
): PipedriveSearchableResource<R, I> {
  const { http, searchHttp, spend } = context;
  const { path, fields } = spec;
  const base = `/api/v2/${path}`;
  const one = z.looseObject({ data: spec.schema });
  const page = z.looseObject({ data: z.array(spec.schema), additional_data: nextCursor });
  const updateSchema = z.partial(spec.createSchema);

  // The record as the caller reads it: `custom` by its names, decoded by field type.
  const withCustom = async (record: unknown, operation: string): Promise<ApiResult<R>> => {
    const custom = await fields.decode((record as { custom_fields?: unknown }).custom_fields, operation);
    if (!custom.success) return custom;
    return ok({ ...(record as object), custom: custom.data } as R);
  };
  // The caller's input as the wire's body: `custom` encoded into `custom_fields`.
  const body = async (
    input: Record<string, unknown>,
    field: string,
  ): Promise<ApiResult<Record<string, unknown>>> => {
    const { custom, ...rest } = input as { custom?: Record<string, unknown> };
    const encoded = await fields.encode(custom, `${field}.custom`);
    if (!encoded.success) return encoded;
    return ok(Object.keys(encoded.data).length > 0 ? { ...rest, custom_fields: encoded.data } : rest);
  };

  async function* walk<P>(
    operation: string,
    client: HttpClient,
    url: string,
    cost: number,
    searchParams: Record<string, string | number>,
    schema: z.ZodMiniType<P>,
    toPage: (page: P) => Promise<ApiResult<PipedrivePage<never>>>,
    cursor: (page: P) => string | undefined,
    signal: AbortSignal | undefined,
    maxPages: number | undefined,
  ): AsyncIterable<ApiResult<PipedrivePage<never>>> {
    const pages = paginate<P, P>({
      fetchPage: async (request, pageSignal) => {
        const spent = spend(cost, operation);
        if (!spent.success) return spent;
        return client.get(url, {
          schema,
          searchParams: request.searchParams,
          ...(pageSignal ? { signal: pageSignal } : {}),
        }) as Promise<ApiResult<P>>;
      },
      items: (fetched) => [fetched],
      next: (fetched, current) => {
        const next = cursor(fetched);
        return next ? { ...current, searchParams: { ...current.searchParams, cursor: next } } : undefined;
      },
      initial: { searchParams },
      ...(signal ? { signal } : {}),
      ...(maxPages !== undefined ? { maxPages } : {}),
    });
    for await (const result of pages) {
      if (!result.success) {
        yield result;
        return;
      }
      const converted = await toPage(result.data[0]!);
      yield converted;
      if (!converted.success) return;
    }
  }

  return {
    get: (id, options) =>
      settle(`${path}.get`, async () => {
        const recordId = readId(id);
        if (!recordId.success) return recordId;
        const read = readOptions(options, signalOnly);
        if (!read.success) return read;
        const spent = spend(PIPEDRIVE_TOKEN_COSTS.get, `${path}.get`);
        if (!spent.success) return spent;
        const result = await http.get(`${base}/${recordId.data}`, {
          schema: one,
          ...(read.data.signal ? { signal: read.data.signal } : {}),
        });
        return result.success ? withCustom(result.data.data, `${path}.get`) : result;
      }),

    list: (options) =>
      (async function* () {
        const read = readOptions(options, listOptionsSchema);
        if (!read.success) {
          yield read;
          return;
        }
        const { maxPages, signal, ids, ...query } = read.data;
        const searchParams: Record<string, string | number> = { limit: query.limit ?? 100 };
        for (const [key, value] of Object.entries(query)) if (value !== undefined) searchParams[key] = value;
        if (ids) searchParams.ids = ids.join(',');
        yield* walk(
          `${path}.list`,
          http,
          base,
          PIPEDRIVE_TOKEN_COSTS.list,
          searchParams,
          page,
          async (fetched) => {
            const items: R[] = [];
            for (const record of fetched.data) {
              const converted = await withCustom(record, `${path}.list`);
              if (!converted.success) return converted;
              items.push(converted.data);
            }
            const next = fetched.additional_data?.next_cursor;
            return ok({ items, ...(next ? { nextCursor: next } : {}) } as PipedrivePage<never>);
          },
          (fetched) => fetched.additional_data?.next_cursor ?? undefined,
          signal,
          maxPages,
        ) as AsyncIterable<ApiResult<PipedrivePage<R>>>;
      })() as AsyncIterable<ApiResult<PipedrivePage<R>>>,

    search: (term, options) =>
      (async function* () {
        if (typeof term !== 'string' || term.trim() === '' || term.length > 500) {
          yield err(
            new IntegrationError('VALIDATION_ERROR', 'term must be text of 1 to 500 characters', {
              field: 'term',
              retryable: false,
            }),
          );
          return;
        }
        const read = readOptions(options, searchOptionsSchema);
        if (!read.success) {
          yield read;
          return;
        }
        const { maxPages, signal, fields: searched, exact_match, limit } = read.data;
        const searchParams: Record<string, string | number> = { term, limit: limit ?? 100 };
        if (searched) searchParams.fields = searched.join(',');
        if (exact_match !== undefined) searchParams.exact_match = String(exact_match);
        yield* walk(
          `${path}.search`,
          searchHttp,
          `${base}/search`,
          PIPEDRIVE_TOKEN_COSTS.search,
          searchParams,
          searchPageSchema,
          async (fetched) => {
            const next = fetched.additional_data?.next_cursor;
            const items = fetched.data.items.map((entry) => ({
              score: entry.result_score ?? 0,
              item: entry.item,
            }));
            return ok({ items, ...(next ? { nextCursor: next } : {}) } as PipedrivePage<never>);
          },
          (fetched) => fetched.additional_data?.next_cursor ?? undefined,
          signal,
          maxPages,
        );
      })() as AsyncIterable<ApiResult<PipedrivePage<{ score: number; item: Record<string, unknown> }>>>,

    create: (input, options) =>
      settle(`${path}.create`, async () => {
        const read = readJsonInput(input, 'input', spec.createSchema);
        if (!read.success) return read;
        const opts = readOptions(options, signalOnly);
        if (!opts.success) return opts;
        const json = await body(read.data as Record<string, unknown>, 'input');
        if (!json.success) return json;
        const spent = spend(PIPEDRIVE_TOKEN_COSTS.create, `${path}.create`);
        if (!spent.success) return spent;
        const result = await http.post(base, {
          schema: one,
          json: json.data,
          ...(opts.data.signal ? { signal: opts.data.signal } : {}),
        });
        return result.success ? withCustom(result.data.data, `${path}.create`) : result;
      }),

    update: (id, input, options) =>
      settle(`${path}.update`, async () => {
        const recordId = readId(id);
        if (!recordId.success) return recordId;
        const read = readJsonInput(input, 'input', updateSchema);
        if (!read.success) return read;
        const opts = readOptions(options, signalOnly);
        if (!opts.success) return opts;
        const json = await body(read.data as Record<string, unknown>, 'input');
        if (!json.success) return json;
        const spent = spend(PIPEDRIVE_TOKEN_COSTS.update, `${path}.update`);
        if (!spent.success) return spent;
        const result = await http.patch(`${base}/${recordId.data}`, {
          schema: one,
          json: json.data,
          // A PATCH sets the values given: sending it twice leaves the same record.
          idempotent: true,
          ...(opts.data.signal ? { signal: opts.data.signal } : {}),
        });
        return result.success ? withCustom(result.data.data, `${path}.update`) : result;
      }),

    delete: (id, options) =>
      settle(`${path}.delete`, async () => {
        const recordId = readId(id);
        if (!recordId.success) return recordId;
        const opts = readOptions(options, signalOnly);
        if (!opts.success) return opts;
        const spent = spend(PIPEDRIVE_TOKEN_COSTS.delete, `${path}.delete`);
        if (!spent.success) return spent;
        const result = await http.delete(`${base}/${recordId.data}`, {
          schema: deletedSchema,
          ...(opts.data.signal ? { signal: opts.data.signal } : {}),
        });
        return result.success ? ok({ id: result.data.data.id }) : result;
      }),
  };
}
