import {
  type ApiResult,
  encodePathSegment,
  type HttpClient,
  ok,
  paginate,
  readJsonInput,
  settle,
} from '@patchbay/core';
import * as z from 'zod/mini';
import { readId, readOptions } from './input.ts';
import type { PipedrivePage } from './resource.ts';
import { PIPEDRIVE_TOKEN_COSTS } from './token-budget.ts';

// v1 remains for what v2 lacks (wire notes: notes, leads): `{ success, data, additional_data: { pagination:
// { start, limit, more_items_in_collection, next_start } } }`, paged by `start`/`limit` (limit ≤ 500).
const time = z.optional(z.nullable(z.string()));
const ref = z.optional(z.nullable(z.int()));

/** A note (v1 `/v1/notes`). */
export const pipedriveNoteSchema = z.looseObject({
  id: z.int(),
  content: z.optional(z.nullable(z.string())),
  person_id: ref,
  org_id: ref,
  deal_id: ref,
  lead_id: z.optional(z.nullable(z.string())),
  user_id: ref,
  pinned_to_deal_flag: z.optional(z.nullable(z.boolean())),
  add_time: time,
  update_time: time,
});
/** A note. */
export type PipedriveNote = z.output<typeof pipedriveNoteSchema>;

/** A lead (v1 `/v1/leads`; its id is a UUID). */
export const pipedriveLeadSchema = z.looseObject({
  id: z.string(),
  title: z.optional(z.nullable(z.string())),
  owner_id: ref,
  person_id: ref,
  organization_id: ref,
  value: z.optional(z.nullable(z.looseObject({ amount: z.number(), currency: z.string() }))),
  expected_close_date: time,
  is_archived: z.optional(z.nullable(z.boolean())),
  label_ids: z.optional(z.nullable(z.array(z.string()))),
  add_time: time,
  update_time: time,
});
/** A lead. */
export type PipedriveLead = z.output<typeof pipedriveLeadSchema>;

const noteInput = z.object({
  content: z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(100_000)),
  person_id: z.optional(z.int().check(z.minimum(1))),
  org_id: z.optional(z.int().check(z.minimum(1))),
  deal_id: z.optional(z.int().check(z.minimum(1))),
  lead_id: z.optional(z.uuid()),
});
const leadInput = z.object({
  title: z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(500)),
  owner_id: z.optional(z.int().check(z.minimum(1))),
  person_id: z.optional(z.int().check(z.minimum(1))),
  organization_id: z.optional(z.int().check(z.minimum(1))),
  value: z.optional(
    z.nullable(z.object({ amount: z.number(), currency: z.string().check(z.regex(/^[A-Z]{3}$/)) })),
  ),
  expected_close_date: z.optional(z.nullable(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)))),
  label_ids: z.optional(z.array(z.uuid())),
});
/** A note to create. */
export type PipedriveNoteInput = z.input<typeof noteInput>;
/** A lead to create. */
export type PipedriveLeadInput = z.input<typeof leadInput>;

/** Options of a v1 list. */
export interface PipedriveV1ListOptions {
  /** Records per page, 1–500. Default 100. */
  limit?: number;
  /** Start at this offset (a saved `nextStart`). */
  start?: number;
  maxPages?: number;
  signal?: AbortSignal;
}

/** The calls of a v1 record type. */
export interface PipedriveV1Resource<R, I, Id> {
  get(id: Id, options?: { signal?: AbortSignal }): Promise<ApiResult<R>>;
  /** Every record, page by page over `start` (20 tokens a page); `nextCursor` is the next `start`. */
  list(options?: PipedriveV1ListOptions): AsyncIterable<ApiResult<PipedrivePage<R>>>;
  create(input: I, options?: { signal?: AbortSignal }): Promise<ApiResult<R>>;
  update(id: Id, input: Partial<I>, options?: { signal?: AbortSignal }): Promise<ApiResult<R>>;
  delete(id: Id, options?: { signal?: AbortSignal }): Promise<ApiResult<void>>;
}

const listOptions = z.object({
  limit: z.optional(z.int().check(z.minimum(1), z.maximum(500))),
  start: z.optional(z.int().check(z.minimum(0))),
  maxPages: z.optional(z.number().check(z.minimum(1))),
});
const pagination = z.optional(
  z.nullable(
    z.looseObject({
      pagination: z.optional(
        z.looseObject({
          more_items_in_collection: z.optional(z.boolean()),
          next_start: z.optional(z.nullable(z.int())),
        }),
      ),
    }),
  ),
);

/** The v1 calls of notes (`/v1/notes`, numeric ids; update is `PUT`) and leads (`/v1/leads`, UUIDs; `PATCH`). */
export function createV1Resource<R, I, Id extends number | string>(
  http: HttpClient,
  spend: (cost: number, operation: string) => ApiResult<void>,
  kind: 'notes' | 'leads',
): PipedriveV1Resource<R, I, Id> {
  const schema = kind === 'notes' ? pipedriveNoteSchema : pipedriveLeadSchema;
  const create = kind === 'notes' ? noteInput : leadInput;
  const one = z.looseObject({ data: schema });
  const page = z.looseObject({ data: z.nullable(z.array(schema)), additional_data: pagination });
  const base = `/v1/${kind}`;
  const idOf = (id: unknown): ApiResult<string> =>
    kind === 'notes'
      ? readId(id)
      : typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id)
        ? encodePathSegment(id, { field: 'id' })
        : readId(undefined);
  const signalOf = (signal: AbortSignal | undefined) => (signal ? { signal } : {});
  return {
    get: (id, options) =>
      settle(`${kind}.get`, async () => {
        const read = idOf(id);
        if (!read.success) return read;
        const opts = readOptions(options, z.object({}));
        if (!opts.success) return opts;
        const spent = spend(PIPEDRIVE_TOKEN_COSTS.v1Get, `${kind}.get`);
        if (!spent.success) return spent;
        const result = await http.get(`${base}/${read.data}`, { schema: one, ...signalOf(opts.data.signal) });
        return result.success ? ok(result.data.data as R) : result;
      }),
    list: (options) =>
      (async function* () {
        const read = readOptions(options, listOptions);
        if (!read.success) {
          yield read;
          return;
        }
        const { limit, start, maxPages, signal } = read.data;
        const pages = paginate({
          fetchPage: async (request, pageSignal) => {
            const spent = spend(PIPEDRIVE_TOKEN_COSTS.v1List, `${kind}.list`);
            if (!spent.success) return spent;
            return http.get(base, {
              schema: page,
              searchParams: request.searchParams,
              ...signalOf(pageSignal),
            });
          },
          items: (fetched) => [fetched],
          next: (fetched, current) => {
            const paging = fetched.additional_data?.pagination;
            const nextStart = paging?.more_items_in_collection ? paging.next_start : undefined;
            return typeof nextStart === 'number'
              ? { ...current, searchParams: { ...current.searchParams, start: nextStart } }
              : undefined;
          },
          initial: { searchParams: { limit: limit ?? 100, start: start ?? 0 } },
          ...signalOf(signal),
          ...(maxPages !== undefined ? { maxPages } : {}),
        });
        for await (const result of pages) {
          if (!result.success) {
            yield result;
            return;
          }
          const fetched = result.data[0]!;
          const paging = fetched.additional_data?.pagination;
          const next = paging?.more_items_in_collection ? paging.next_start : undefined;
          yield ok({
            items: (fetched.data ?? []) as R[],
            ...(typeof next === 'number' ? { nextCursor: String(next) } : {}),
          });
        }
      })(),
    create: (input, options) =>
      settle(`${kind}.create`, async () => {
        const read = readJsonInput(input, 'input', create);
        if (!read.success) return read;
        const opts = readOptions(options, z.object({}));
        if (!opts.success) return opts;
        const spent = spend(PIPEDRIVE_TOKEN_COSTS.v1Create, `${kind}.create`);
        if (!spent.success) return spent;
        const result = await http.post(base, { schema: one, json: read.data, ...signalOf(opts.data.signal) });
        return result.success ? ok(result.data.data as R) : result;
      }),
    update: (id, input, options) =>
      settle(`${kind}.update`, async () => {
        const read = idOf(id);
        if (!read.success) return read;
        const body = readJsonInput(input, 'input', z.partial(create));
        if (!body.success) return body;
        const opts = readOptions(options, z.object({}));
        if (!opts.success) return opts;
        const spent = spend(PIPEDRIVE_TOKEN_COSTS.v1Update, `${kind}.update`);
        if (!spent.success) return spent;
        const call = kind === 'notes' ? http.put : http.patch;
        const result = await call(`${base}/${read.data}`, {
          schema: one,
          json: body.data,
          idempotent: true,
          ...signalOf(opts.data.signal),
        });
        return result.success ? ok(result.data.data as R) : result;
      }),
    delete: (id, options) =>
      settle(`${kind}.delete`, async () => {
        const read = idOf(id);
        if (!read.success) return read;
        const opts = readOptions(options, z.object({}));
        if (!opts.success) return opts;
        const spent = spend(PIPEDRIVE_TOKEN_COSTS.v1Delete, `${kind}.delete`);
        if (!spent.success) return spent;
        const result = await http.delete(`${base}/${read.data}`, signalOf(opts.data.signal));
        return result.success ? ok(undefined) : result;
      }),
  };
}
