// The core REST record endpoints (`/rest/{plural}`, `/rest/{plural}/{id}`, `/rest/batch/{plural}`), in the order
// Twenty's handlers work: parse the query parameters, resolve the object, count the request against the rate limit
// (common-base-query-runner.service.ts throttles before validating), validate and normalize the input, then run.
// Handlers: twenty-server `engine/api/rest/core/handlers/rest-api-*.handler.ts`; envelopes are
// `{ data: { people }, totalCount, pageInfo }`, `{ data: { person } }`, `{ data: { createPerson } }` (201),
// `{ data: { createPeople: [...] } }` (201), `{ data: { updatePerson } }`, `{ data: { deletePerson: { id } } }`.

import {
  comparatorOf,
  decodeCursor,
  type OrderLeaf,
  paginate,
  parseOrderBy,
  resolveOrderBy,
} from './cursor.ts';
import { badRequest, recordNotFound } from './errors.ts';
import {
  type CompiledFilter,
  type Condition,
  compileFilter,
  indexableConditions,
  matches,
  mentionsDeletedAt,
  parseFilterQuery,
  type RelatedLookup,
} from './filter.ts';
import {
  type LimitBounds,
  parseDepth,
  parseFields,
  parseLimit,
  parseUpsert,
  queryString,
  queryValue,
} from './params.ts';
import { presentRecord } from './present.ts';
import { type ObjectDef, type ObjectName, readPath } from './schema.ts';
import type { Actor, TwentyStore } from './store.ts';
import { normalizeRecordInput, type TwentyRecord } from './values.ts';

/** What the record handlers need from the emulator. */
export interface RecordsContext {
  store: TwentyStore;
  bounds: LimitBounds;
  /** Most records a batch create accepts. */
  batchLimit: number;
  /** Who writes through the API key (`createdBy`/`updatedBy`). */
  actor: Actor;
  /** Counts one query against the rate limit; throws the 429 when the quota is spent. */
  throttle(): void;
}

/** A parsed core request: `/rest/{object}[/{id}]` or `/rest/batch/{object}`. */
export interface CoreRequest {
  object: string;
  id?: string;
  params: URLSearchParams;
  body: unknown;
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * rest-api-base.handler.ts `getObjectMetadata`: the plural name; a singular one gets a hint.
 * @throws TwentyError 400 `object 'person' not found. Did you mean 'people'?` / `object 'x' not found. eg: companies`.
 */
export function resolveObject(store: TwentyStore, name: string): ObjectDef {
  const object = store.schema.byPlural(name);
  if (object) return object;
  const singular = store.schema.bySingular(name);
  const hint = singular ? `Did you mean '${singular.namePlural}'?` : 'eg: companies';
  throw badRequest(`object '${name}' not found. ${hint}`);
}

function relatedLookup(store: TwentyStore): RelatedLookup {
  return (target, id) => store.peek(target.namePlural, id);
}

// The records an index can narrow an `eq`/`in` condition to, or undefined when no index covers its path.
function candidatesFor(store: TwentyStore, object: ObjectDef, condition: Condition): Set<string> | undefined {
  const values = Array.isArray(condition.value) ? condition.value : [condition.value];
  const name = object.namePlural;
  if (condition.path === 'id') {
    return new Set(
      values.filter((id): id is string => typeof id === 'string' && store.peek(name, id) !== undefined),
    );
  }
  if (object.joinColumns.has(condition.path)) {
    const ids = new Set<string>();
    for (const value of values) {
      if (typeof value === 'string')
        for (const id of store.lookupJoin(name, condition.path, value) ?? []) ids.add(id);
    }
    return ids;
  }
  const group = object.uniqueGroups.find((g) => g.paths.length === 1 && g.paths[0] === condition.path);
  if (!group) return undefined;
  const ids = new Set<string>();
  for (const value of values) for (const id of store.lookupUnique(name, group, [value]) ?? []) ids.add(id);
  return ids;
}

const liveByIdCache = new WeakMap<
  TwentyStore,
  Map<ObjectName, { version: number; records: TwentyRecord[] }>
>();

// Live records in id order, cached until the next write (the common unfiltered listing of a sync).
function liveInIdOrder(store: TwentyStore, object: ObjectName): TwentyRecord[] {
  let perObject = liveByIdCache.get(store);
  if (!perObject) {
    perObject = new Map();
    liveByIdCache.set(store, perObject);
  }
  const cached = perObject.get(object);
  if (cached && cached.version === store.version) return cached.records;
  const records: TwentyRecord[] = [];
  for (const id of store.sortedIds(object)) {
    const record = store.peek(object, id)!;
    if (record.deletedAt === null) records.push(record);
  }
  perObject.set(object, { version: store.version, records });
  return records;
}

const isDefaultOrder = (leaves: OrderLeaf[]) =>
  leaves.length === 1 && leaves[0]!.path === 'id' && leaves[0]!.direction === 'AscNullsFirst';

/**
 * Filters and orders an object's records: through an index when an `eq`/`in` condition on `id`, a unique field or a
 * join column constrains the whole filter, else by a scan. Soft-deleted records only appear when the filter
 * mentions `deletedAt`.
 */
export function selectRecords(
  store: TwentyStore,
  object: ObjectDef,
  filter: CompiledFilter | undefined,
  leaves: OrderLeaf[],
): TwentyRecord[] {
  const name = object.namePlural;
  if (!filter && isDefaultOrder(leaves)) return liveInIdOrder(store, name);
  const withDeleted = filter ? mentionsDeletedAt(filter) : false;
  const related = relatedLookup(store);
  const keep = (record: TwentyRecord) =>
    (withDeleted || record.deletedAt === null) && (!filter || matches(filter, record, related));

  let candidates: Set<string> | undefined;
  for (const condition of filter ? indexableConditions(filter) : []) {
    const found = candidatesFor(store, object, condition);
    if (found && (!candidates || found.size < candidates.size)) candidates = found;
  }
  const compareIds = (a: TwentyRecord, b: TwentyRecord) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  let selected: TwentyRecord[];
  if (candidates) {
    selected = [...candidates].map((id) => store.peek(name, id)!).filter(keep);
    selected.sort(compareIds);
  } else {
    selected = [];
    for (const id of store.sortedIds(name)) {
      const record = store.peek(name, id)!;
      if (keep(record)) selected.push(record);
    }
  }
  if (!isDefaultOrder(leaves)) {
    selected.sort(comparatorOf(leaves));
  }
  return selected;
}

function json(body: unknown, status = 200): Response {
  return Response.json(body, { status });
}

/** `GET /rest/{plural}`: a page of records with `totalCount` and `pageInfo`. */
export function findMany(ctx: RecordsContext, request: CoreRequest): Response {
  const { params } = request;
  const depth = parseDepth(queryValue(params, 'depth'));
  const limit = parseLimit(queryValue(params, 'limit'), ctx.bounds);
  const orderBy = parseOrderBy(queryString(params, 'order_by'));
  const filterQuery = queryString(params, 'filter');
  const parsedFilter = filterQuery === undefined ? undefined : parseFilterQuery(filterQuery);
  const endingBefore = queryString(params, 'ending_before');
  const startingAfter = queryString(params, 'starting_after');
  const object = resolveObject(ctx.store, request.object);
  const fields = parseFields(queryValue(params, 'fields'), object);

  ctx.throttle();
  // common-find-many-query-runner.service.ts validate().
  if (endingBefore && startingAfter) {
    throw badRequest('Cannot provide both before and after', 'ARGS_CONFLICT');
  }
  const filter = parsedFilter
    ? compileFilter(object, parsedFilter, { objectByPlural: (name) => ctx.store.schema.byPlural(name) })
    : undefined;
  const leaves = resolveOrderBy(object, orderBy);
  const before: Record<string, unknown> | undefined = endingBefore ? decodeCursor(endingBefore) : undefined;
  const after: Record<string, unknown> | undefined =
    startingAfter && !endingBefore ? decodeCursor(startingAfter) : undefined;

  const selected = selectRecords(ctx.store, object, filter, leaves);
  const { items, pageInfo } = paginate(selected, leaves, {
    limit,
    after,
    before,
  });
  return json({
    data: {
      [object.namePlural]: items.map((record) => presentRecord(ctx.store, object, record, { depth, fields })),
    },
    totalCount: selected.length,
    pageInfo,
  });
}

/** `GET /rest/{plural}/{id}`. */
export function findOne(ctx: RecordsContext, request: CoreRequest & { id: string }): Response {
  const depth = parseDepth(queryValue(request.params, 'depth'));
  const object = resolveObject(ctx.store, request.object);
  const fields = parseFields(queryValue(request.params, 'fields'), object);
  ctx.throttle();
  const record = ctx.store.peek(object.namePlural, request.id);
  if (!record || record.deletedAt !== null) throw recordNotFound();
  return json({
    data: { [object.nameSingular]: presentRecord(ctx.store, object, record, { depth, fields }) },
  });
}

function asInputObject(value: unknown): Record<string, unknown> {
  // Express hands the parsed JSON through; Object.entries of an array reads its indexes as keys, as in Twenty.
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

interface UpsertResult {
  records: TwentyRecord[];
}

function describeConflict(object: ObjectDef, input: Record<string, unknown>): string {
  return object.uniqueGroups
    .map((group) => {
      const values = group.paths
        .map((path) => {
          const value = readPath(input, path);
          return value === null || value === undefined ? undefined : `${path}: ${String(value)}`;
        })
        .filter((value): value is string => value !== undefined);
      return values.length === 0 ? undefined : `${group.field} (${values.join(', ')})`;
    })
    .filter((text): text is string => text !== undefined)
    .join('; ');
}

/**
 * `?upsert=true` (common-create-many-query-runner.service.ts): each input is matched on `id` and on every unique
 * constraint among all records, soft-deleted ones included; a match is updated (and restored), the rest inserted.
 * Inputs matching two different records are a 400. Twenty returns the updated records first, then the inserted.
 */
function upsert(ctx: RecordsContext, object: ObjectDef, inputs: Record<string, unknown>[]): UpsertResult {
  const { store } = ctx;
  const name = object.namePlural;
  const toUpdate: { id: string; patch: Record<string, unknown> }[] = [];
  const toInsert: Record<string, unknown>[] = [];
  for (const input of inputs) {
    const matched = new Set<string>();
    for (const group of object.uniqueGroups) {
      const values = group.paths.map((path) => readPath(input, path));
      if (values.some((value) => value === null || value === undefined)) continue;
      if (group.field === 'id') {
        if (store.peek(name, values[0] as string)) matched.add(values[0] as string);
        continue;
      }
      const holders = store.lookupUnique(name, group, values);
      const first = holders ? holders.values().next() : undefined;
      if (first && !first.done) matched.add(first.value);
    }
    if (matched.size > 1) {
      throw badRequest(
        `Multiple records found with the same unique field values for ${describeConflict(object, input)}. Cannot determine which record to update.`,
        'UPSERT_MULTIPLE_MATCHING_RECORDS_CONFLICT',
      );
    }
    const [id] = matched;
    if (id === undefined) {
      toInsert.push(input);
    } else {
      // The update never rewrites createdBy or the primary key (getRecordWithoutCreatedBy).
      const { createdBy: _createdBy, id: _id, ...patch } = input;
      toUpdate.push({ id, patch });
    }
  }

  const previous: TwentyRecord[] = [];
  const updated: TwentyRecord[] = [];
  try {
    for (const { id, patch } of toUpdate) {
      previous.push(store.peek(name, id)!);
      updated.push(store.update(name, id, patch, ctx.actor, { allowDeleted: true }));
    }
    const inserted = toInsert.length > 0 ? store.insert(name, toInsert, ctx.actor) : [];
    // Several inputs may update one record: answer each record once, in Twenty's order.
    const seen = new Set<string>();
    const records = [...updated.map((record) => store.peek(name, record.id)!), ...inserted].filter(
      (record) => {
        if (seen.has(record.id)) return false;
        seen.add(record.id);
        return true;
      },
    );
    return { records };
  } catch (error) {
    for (const record of previous.reverse()) store.overwrite(name, record);
    throw error;
  }
}

/** `POST /rest/{plural}` (201), `?upsert=true` to update a record matching on id or a unique field. */
export function createOne(ctx: RecordsContext, request: CoreRequest): Response {
  const depth = parseDepth(queryValue(request.params, 'depth'));
  const isUpsert = parseUpsert(queryValue(request.params, 'upsert'));
  const object = resolveObject(ctx.store, request.object);
  const fields = parseFields(queryValue(request.params, 'fields'), object);
  ctx.throttle();
  const input = normalizeRecordInput(object, asInputObject(request.body));
  const [record] = isUpsert
    ? upsert(ctx, object, [input]).records
    : ctx.store.insert(object.namePlural, [input], ctx.actor);
  return json(
    {
      data: {
        [`create${capitalize(object.nameSingular)}`]: presentRecord(ctx.store, object, record!, {
          depth,
          fields,
        }),
      },
    },
    201,
  );
}

/** `POST /rest/batch/{plural}` (201): an array of at most `batchLimit` records, all or none created. */
export function createMany(ctx: RecordsContext, request: CoreRequest): Response {
  const depth = parseDepth(queryValue(request.params, 'depth'));
  const isUpsert = parseUpsert(queryValue(request.params, 'upsert'));
  const object = resolveObject(ctx.store, request.object);
  const fields = parseFields(queryValue(request.params, 'fields'), object);
  // rest-api-create-many.handler.ts (before the common query runner took over these checks).
  if (!Array.isArray(request.body)) throw badRequest('Body must be an array');
  if (request.body.length === 0) throw badRequest('Input must not be empty');
  ctx.throttle();
  const inputs = request.body.map((item) => normalizeRecordInput(object, asInputObject(item)));
  if (inputs.length > ctx.batchLimit) {
    // common-create-many-query-runner.service.ts run(): the cap is checked after input validation.
    throw badRequest(
      `Maximum number of records to upsert is ${ctx.batchLimit}.`,
      'TOO_MANY_RECORDS_TO_UPDATE',
    );
  }
  const records = isUpsert
    ? upsert(ctx, object, inputs).records
    : ctx.store.insert(object.namePlural, inputs, ctx.actor);
  return json(
    {
      data: {
        [`create${capitalize(object.namePlural)}`]: records.map((record) =>
          presentRecord(ctx.store, object, record, { depth, fields }),
        ),
      },
    },
    201,
  );
}

/** `PATCH /rest/{plural}/{id}` (and the legacy `PUT`). */
export function updateOne(ctx: RecordsContext, request: CoreRequest & { id: string }): Response {
  const depth = parseDepth(queryValue(request.params, 'depth'));
  const object = resolveObject(ctx.store, request.object);
  const fields = parseFields(queryValue(request.params, 'fields'), object);
  ctx.throttle();
  const { id: _ignored, ...patch } = normalizeRecordInput(object, asInputObject(request.body));
  const record = ctx.store.update(object.namePlural, request.id, patch, ctx.actor);
  return json({
    data: {
      [`update${capitalize(object.nameSingular)}`]: presentRecord(ctx.store, object, record, {
        depth,
        fields,
      }),
    },
  });
}

/** `DELETE /rest/{plural}/{id}`: a soft delete; answers only the id. */
export function deleteOne(ctx: RecordsContext, request: CoreRequest & { id: string }): Response {
  const object = resolveObject(ctx.store, request.object);
  ctx.throttle();
  const record = ctx.store.softDelete(object.namePlural, request.id);
  return json({ data: { [`delete${capitalize(object.nameSingular)}`]: { id: record.id } } });
}
