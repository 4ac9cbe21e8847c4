// One entity set of a division: its pages as an async iterator following `d.__next` (same origin only), its
// bulk endpoint (1 000 a page, `$select` required), and one record by its GUID. Every call is checked against the
// error budget first and answers an ApiResult; nothing rejects.
import {
  type ApiResult,
  err,
  type HttpClient,
  IntegrationError,
  nextUrlPagination,
  odataNextLink,
  ok,
  paginate,
  readOptions,
  readSignal,
} from '@patchbay/core';
import type * as z from 'zod/mini';
import type { ExactErrorBudget } from './error-budget.ts';
import { type ExactFilter, isExactFieldName, renderExactFilter } from './filter.ts';
import { ACCEPT_JSON, isGuid, isInt64Text, odataPageSchema } from './odata.ts';

/** What a resource needs of its client. */
export interface ExactContext {
  readonly baseUrl: string;
  /** The division calls go to (the client's, resolved once). */
  division(): Promise<ApiResult<number>>;
  /** The HTTP client of a division (its own rate limiter). */
  http(division: number): HttpClient;
  readonly budget: ExactErrorBudget | undefined;
}

/** Options of a list or bulk read. */
export interface ExactListOptions<F extends string = string> {
  /** Fields to read (`$select`). Default every field this package types; `*` is refused (Exact refuses it on bulk). */
  select?: readonly (F | (string & {}))[];
  /** `$filter`, made with `exactFilter`. */
  filter?: ExactFilter;
  /** `$orderby`: a field, optionally with its direction. */
  orderBy?: { field: F | (string & {}); direction?: 'asc' | 'desc' };
  /** Items at most over all pages (`$top`). */
  top?: number;
  /**
   * Continue a read in key order after this record's key (a GUID), as Exact's own `$skiptoken` does: resumes a read
   * stopped half-way. Not with `orderBy`.
   */
  after?: string;
  signal?: AbortSignal;
}

/** Options of {@link ExactResource.get}. */
export interface ExactGetOptions<F extends string = string> {
  select?: readonly (F | (string & {}))[];
  signal?: AbortSignal;
}

/** An entity set of a division. */
export interface ExactResource<T, F extends string = string> {
  /** The records as pages (60 a page), following `__next`; a failure is the last page yielded. */
  list(options?: ExactListOptions<F>): AsyncIterable<ApiResult<T[]>>;
  /** The records through the bulk endpoint (1 000 a page); `$select` is always sent. */
  bulk(options?: ExactListOptions<F>): AsyncIterable<ApiResult<T[]>>;
  /** One record by its GUID (`NOT_FOUND` when there is none). */
  get(id: string, options?: ExactGetOptions<F>): Promise<ApiResult<T>>;
}

/** Options of a sync read. */
export interface ExactSyncOptions<F extends string = string> {
  /**
   * The row version to read after (an Int64 as text or bigint: the `timestamp` of the last page read). Default `1`:
   * every record.
   */
  since?: string | bigint;
  /** Fields to read; `Timestamp` is always added. Default every field this package types. */
  select?: readonly (F | (string & {}))[];
  signal?: AbortSignal;
}

/** A page of a sync read: the records changed after `since`, and the checkpoint to read after next time. */
export interface ExactSyncPage<T> {
  items: T[];
  /** The highest `Timestamp` read so far (Int64 as text): pass it as `since` to continue. */
  timestamp: string;
}

/** An entity set that Exact's sync API serves (`/api/v1/{division}/sync/…`, 1 000 a page, by row version). */
export interface ExactSyncResource<T, F extends string = string> {
  /**
   * Every record changed after `since`, oldest change first, as pages carrying the checkpoint; Exact's way to read a
   * whole set without mandatory filtering. Deletions are in `sync/Deleted` (not read here).
   */
  sync(options?: ExactSyncOptions<F>): AsyncIterable<ApiResult<ExactSyncPage<T>>>;
}

/** How a resource is read. */
export interface ExactResourceDefinition<S extends z.ZodMiniType> {
  /** Path under `/api/v1/{division}/`, e.g. `crm/Accounts`. */
  path: string;
  /** Bulk path under `/api/v1/{division}/`, e.g. `bulk/CRM/Accounts`. */
  bulkPath?: string;
  schema: S;
  /** The default `$select`. */
  fields: readonly string[];
  /** The GUID key `get` looks a record up by. Default `ID` (a sales invoice's is `InvoiceID`). */
  key?: string;
  /** Sync path under `/api/v1/{division}/`, e.g. `sync/CRM/Accounts`. */
  syncPath?: string;
}

const MAX_TOP = 100_000;

const invalid = (field: string, message: string) =>
  new IntegrationError('VALIDATION_ERROR', `Invalid input: ${field}: ${message}`, {
    field,
    issues: [{ field, message }],
    retryable: false,
  });

/**
 * The query of a read, checked: field names by pattern, the filter rendered by the builder, top bounded; `after`
 * only where `extra.after` allows it (reads in GUID key order).
 */
export function queryOf(
  options: unknown,
  fields: readonly string[],
  extra: { top?: number; after?: boolean } = {},
): ApiResult<{ params: Record<string, string | number>; signal: AbortSignal | undefined }> {
  const names = ['select', 'filter', 'orderBy', 'top', 'signal', ...(extra.after ? ['after'] : [])];
  const read = readOptions(options, names, 'options');
  if (!read.success) return read;
  const { select, filter, orderBy, top, after, signal } = read.data as Record<string, unknown>;
  const params: Record<string, string | number> = {};
  let selected: unknown[] = [...fields];
  if (select !== undefined) {
    try {
      if (!Array.isArray(select)) return err(invalid('options.select', 'must be an array of field names'));
      selected = [...select];
    } catch {
      return err(invalid('options.select', 'could not be read'));
    }
    if (selected.length === 0) return err(invalid('options.select', 'must name at least one field'));
    if (selected.length > 200) return err(invalid('options.select', 'must name at most 200 fields'));
  }
  if (!selected.every(isExactFieldName)) {
    return err(invalid('options.select', 'must hold field names such as Name (no * and no expressions)'));
  }
  params.$select = selected.join(',');
  if (filter !== undefined) {
    const rendered = renderExactFilter(filter);
    if (!rendered.success)
      return err(invalid('options.filter', rendered.error.issues?.[0]?.message ?? 'is invalid'));
    params.$filter = rendered.data;
  }
  if (orderBy !== undefined) {
    let field: unknown;
    let direction: unknown;
    try {
      ({ field, direction } = orderBy as { field?: unknown; direction?: unknown });
    } catch {
      return err(invalid('options.orderBy', 'could not be read'));
    }
    if (!isExactFieldName(field)) return err(invalid('options.orderBy.field', 'must be a field name'));
    if (direction !== undefined && direction !== 'asc' && direction !== 'desc') {
      return err(invalid('options.orderBy.direction', "must be 'asc' or 'desc'"));
    }
    params.$orderby = direction === 'desc' ? `${field} desc` : field;
  }
  if (after !== undefined) {
    if (!isGuid(after)) return err(invalid('options.after', 'must be a GUID (the last key read)'));
    if (orderBy !== undefined) return err(invalid('options.after', 'cannot be used with orderBy'));
    params.$skiptoken = `guid'${after.toLowerCase()}'`;
  }
  const limit = top ?? extra.top;
  if (limit !== undefined) {
    if (!Number.isSafeInteger(limit) || (limit as number) < 1 || (limit as number) > MAX_TOP) {
      return err(invalid('options.top', `must be a whole number from 1 to ${MAX_TOP}`));
    }
    params.$top = limit as number;
  }
  const checked = readSignal(signal, 'options.signal');
  if (!checked.success) return checked;
  return ok({ params, signal: checked.data });
}

/** Pages of `path` (under the division) as an async iterator; shared by every entity set and the division list. */
export async function* readPages<T>(
  context: ExactContext,
  path: string,
  item: z.ZodMiniType<T>,
  query: { params: Record<string, string | number>; signal: AbortSignal | undefined },
): AsyncIterable<ApiResult<T[]>> {
  const division = await context.division();
  if (!division.success) {
    yield division;
    return;
  }
  const http = context.http(division.data);
  const first = `/api/v1/${division.data}/${path}`;
  const page = odataPageSchema(item);
  yield* paginate({
    initial: { url: first, searchParams: query.params },
    ...(query.signal ? { signal: query.signal } : {}),
    fetchPage: async (request, signal) => {
      const url = request.url ?? first;
      const refused = context.budget?.check(url);
      if (refused) return err(refused);
      return http.get(url, {
        schema: page,
        headers: { ...ACCEPT_JSON },
        searchParams: request.searchParams,
        ...(signal ? { signal } : {}),
      });
    },
    // OData's `__metadata` (the record's URI and type) is dropped: nothing a caller reads, and a URI to log.
    items: (body) => body.d.results.map(withoutMetadata) as T[],
    // Followed only on the client's own origin: a link elsewhere ends the walk with INVALID_RESPONSE.
    next: nextUrlPagination({ next: odataNextLink, baseUrl: context.baseUrl }),
  });
}

function withoutMetadata(record: unknown): unknown {
  if (typeof record !== 'object' || record === null || !('__metadata' in record)) return record;
  const { __metadata: _dropped, ...rest } = record as Record<string, unknown>;
  return rest;
}

/** Builds the sync read of an entity set. */
export function createSyncRead<S extends z.ZodMiniType, F extends string = string>(
  context: ExactContext,
  definition: ExactResourceDefinition<S> & { syncPath: string },
): ExactSyncResource<z.output<S>, F> {
  type T = z.output<S>;
  const item = definition.schema as unknown as z.ZodMiniType<T>;
  return {
    async *sync(options) {
      const read = readOptions(options, ['since', 'select', 'signal'], 'options');
      if (!read.success) {
        yield read;
        return;
      }
      const { since, select, signal } = read.data;
      const text = typeof since === 'bigint' ? since.toString() : since === undefined ? '1' : since;
      if (typeof text !== 'string' || !isInt64Text(text) || BigInt(text) < 0n) {
        yield err(invalid('options.since', 'must be a non-negative Int64 row version (text or bigint)'));
        return;
      }
      let checkpoint = BigInt(text).toString();
      const query = queryOf({ select, signal }, definition.fields);
      if (!query.success) {
        yield query;
        return;
      }
      const fields = String(query.data.params.$select).split(',');
      if (!fields.includes('Timestamp')) query.data.params.$select = [...fields, 'Timestamp'].join(',');
      query.data.params.$filter = `Timestamp gt ${checkpoint}L`;
      for await (const page of readPages(context, definition.syncPath, item, query.data)) {
        if (!page.success) {
          yield page;
          return;
        }
        for (const record of page.data) {
          const stamp = (record as { Timestamp?: unknown }).Timestamp;
          if (typeof stamp === 'string' && BigInt(stamp) > BigInt(checkpoint)) checkpoint = stamp;
        }
        yield ok({ items: page.data, timestamp: checkpoint });
      }
    },
  };
}

/** Builds an entity set's calls. */
export function createResource<S extends z.ZodMiniType, F extends string = string>(
  context: ExactContext,
  definition: ExactResourceDefinition<S>,
): ExactResource<z.output<S>, F> {
  type T = z.output<S>;
  const { path, bulkPath, schema, fields } = definition;
  const key = definition.key ?? 'ID';
  const item = schema as unknown as z.ZodMiniType<T>;
  return {
    async *list(options) {
      const query = queryOf(options, fields, { after: true });
      if (!query.success) {
        yield query;
        return;
      }
      yield* readPages(context, path, item, query.data);
    },
    async *bulk(options) {
      const query = queryOf(options, fields, { after: true });
      if (!query.success) {
        yield query;
        return;
      }
      yield* readPages(context, bulkPath ?? path, item, query.data);
    },
    async get(id, options) {
      try {
        if (!isGuid(id)) return err(invalid('id', 'must be a GUID'));
        const query = queryOf(options, fields, { top: 1 });
        if (!query.success) return query;
        query.data.params.$filter = `${key} eq guid'${id.toLowerCase()}'`;
        for await (const page of readPages(context, path, item, query.data)) {
          if (!page.success) return page;
          const [found] = page.data;
          if (found === undefined) break;
          return ok(found);
        }
        return err(
          new IntegrationError('NOT_FOUND', `No record with this ${key} in ${path}`, {
            field: 'id',
            retryable: false,
          }),
        );
      } catch (error) {
        return err(
          new IntegrationError('OPERATION_FAILED', `Reading ${path} failed unexpectedly`, { cause: error }),
        );
      }
    },
  };
}
