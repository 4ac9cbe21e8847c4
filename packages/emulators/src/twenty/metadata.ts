// The metadata REST API the emulator covers: `GET /rest/metadata/objects[/{id}]`, `GET /rest/metadata/fields[/{id}]`
// and `POST /rest/metadata/fields` (custom fields, `isUnique` included).
// Lists answer the unified page envelope `{ data: [...], pageInfo, totalCount }` with id cursors
// (test/integration/rest/suites/metadata-list-contract.integration-spec.ts, api/rest/metadata/utils/
// parse-metadata-rest-pagination.util.ts); the legacy shape `{ data: { objects } }`, `{ data: { object } }`,
// `{ data: { createOneField } }` is still served behind a workspace flag (field-metadata.integration-spec.ts), here
// the `metadataFormat: 'legacy'` option.

import { badRequest, TwentyError } from './errors.ts';
import { parseLimit, queryString, queryValue } from './params.ts';
import type { CustomFieldInput, FieldDef, FieldType, ObjectDef, SelectOption } from './schema.ts';
import type { TwentyStore } from './store.ts';
import { isUuid } from './values.ts';

/** `current`: `{ data: [...] }` lists and bare items; `legacy`: `{ data: { objects } }`, `{ data: { object } }`. */
export type MetadataFormat = 'current' | 'legacy';

export interface MetadataContext {
  store: TwentyStore;
  format: MetadataFormat;
}

export interface MetadataRequest {
  method: string;
  /** Path segments after `/rest/metadata`, e.g. `['fields', '<id>']`. */
  segments: string[];
  path: string;
  params: URLSearchParams;
  body: unknown;
}

/** Metadata lists default to and cap at 1000 items. */
const METADATA_LIMIT = { defaultLimit: 1000, maxLimit: 1000 };

function presentField(object: ObjectDef, field: FieldDef, store: TwentyStore): Record<string, unknown> {
  const target = field.relation?.target ? store.schema.byPlural(field.relation.target) : undefined;
  return {
    id: field.id,
    universalIdentifier: field.id,
    type: field.type,
    name: field.name,
    label: field.label,
    description: field.description,
    icon: field.icon,
    isCustom: field.isCustom,
    isActive: true,
    isSystem: field.isSystem,
    isUIReadOnly: false,
    isNullable: field.isNullable,
    isUnique: field.isUnique,
    isLabelSyncedWithName: false,
    defaultValue: field.defaultValue ?? null,
    options: field.options,
    settings: field.relation
      ? { relationType: field.relation.kind, joinColumnName: field.relation.joinColumn, ...field.settings }
      : field.settings,
    objectMetadataId: object.id,
    relation: field.relation
      ? {
          type: field.relation.kind,
          targetObjectMetadata: target
            ? { id: target.id, nameSingular: target.nameSingular, namePlural: target.namePlural }
            : null,
        }
      : null,
    createdAt: field.createdAt,
    updatedAt: field.createdAt,
  };
}

function presentObject(object: ObjectDef, store: TwentyStore): Record<string, unknown> {
  return {
    id: object.id,
    universalIdentifier: object.id,
    nameSingular: object.nameSingular,
    namePlural: object.namePlural,
    labelSingular: object.labelSingular,
    labelPlural: object.labelPlural,
    description: object.description,
    icon: object.icon,
    isCustom: false,
    isRemote: false,
    isActive: true,
    isSystem: false,
    isSearchable: true,
    isLabelSyncedWithName: false,
    shortcut: null,
    labelIdentifierFieldMetadataId: object.fieldsByName.get('name')?.id ?? null,
    imageIdentifierFieldMetadataId: null,
    createdAt: object.createdAt,
    updatedAt: object.createdAt,
    fields: object.fields.map((field) => presentField(object, field, store)),
  };
}

// parse-metadata-rest-pagination.util.ts + paginate-by-id-cursor.util.ts: id cursors, id order.
function pageOf<T extends { id: string }>(items: T[], params: URLSearchParams) {
  const startingAfter = queryString(params, 'starting_after');
  const endingBefore = queryString(params, 'ending_before');
  if (startingAfter !== undefined && endingBefore !== undefined) {
    throw badRequest(`'starting_after' and 'ending_before' cannot be used together.`);
  }
  const invalid = [startingAfter, endingBefore].find((cursor) => cursor !== undefined && !isUuid(cursor));
  if (invalid !== undefined) throw badRequest(`Invalid cursor: ${invalid}`);
  const limit = parseLimit(queryValue(params, 'limit'), METADATA_LIMIT);
  const sorted = [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let page: T[];
  let hasNextPage: boolean;
  let hasPreviousPage: boolean;
  if (endingBefore !== undefined) {
    const cursor = endingBefore.toLowerCase();
    const before = sorted.filter((item) => item.id < cursor);
    page = before.slice(Math.max(0, before.length - limit));
    hasPreviousPage = before.length > limit;
    hasNextPage = true;
  } else {
    const cursor = startingAfter?.toLowerCase();
    const after = cursor === undefined ? sorted : sorted.filter((item) => item.id > cursor);
    page = after.slice(0, limit);
    hasNextPage = after.length > limit;
    hasPreviousPage = cursor !== undefined;
  }
  return {
    items: page,
    totalCount: items.length,
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: page[0]?.id ?? null,
      endCursor: page[page.length - 1]?.id ?? null,
    },
  };
}

function list(ctx: MetadataContext, items: Record<string, unknown>[], key: string, params: URLSearchParams) {
  const {
    items: page,
    pageInfo,
    totalCount,
  } = pageOf(items as (Record<string, unknown> & { id: string })[], params);
  const data = ctx.format === 'legacy' ? { [key]: page } : page;
  return Response.json({ data, pageInfo, totalCount });
}

function item(
  ctx: MetadataContext,
  body: Record<string, unknown>,
  legacyKey: string,
  status = 200,
): Response {
  return Response.json(ctx.format === 'legacy' ? { data: { [legacyKey]: body } } : body, { status });
}

function notFound(kind: 'Object' | 'Field'): TwentyError {
  return new TwentyError(404, `${kind} metadata not found`, {
    code: `${kind.toUpperCase()}_METADATA_NOT_FOUND`,
  });
}

function invalidPath(path: string): TwentyError {
  return badRequest(
    `Query path '${path}' invalid. Valid examples: /rest/metadata/objects or /rest/metadata/objects/id or /rest/metadata/fields`,
  );
}

function allFields(store: TwentyStore): Record<string, unknown>[] {
  return store.schema.objects.flatMap((object) =>
    object.fields.map((field) => presentField(object, field, store)),
  );
}

const FIELD_INPUT = 'INVALID_FIELD_INPUT';

function readFieldInput(body: unknown): { objectMetadataId: string; input: CustomFieldInput } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('Field metadata input must be an object', FIELD_INPUT);
  }
  const raw = body as Record<string, unknown>;
  for (const key of ['objectMetadataId', 'type', 'name', 'label'] as const) {
    if (typeof raw[key] !== 'string' || raw[key] === '') {
      throw badRequest(`${key} must be a non-empty string`, FIELD_INPUT);
    }
  }
  if (raw.isUnique !== undefined && typeof raw.isUnique !== 'boolean') {
    throw badRequest('isUnique must be a boolean', FIELD_INPUT);
  }
  if (raw.isNullable !== undefined && typeof raw.isNullable !== 'boolean') {
    throw badRequest('isNullable must be a boolean', FIELD_INPUT);
  }
  const type = raw.type as FieldType;
  if ((type === 'SELECT' || type === 'MULTI_SELECT') && !Array.isArray(raw.options)) {
    throw badRequest('Options are required for select fields', FIELD_INPUT);
  }
  return {
    objectMetadataId: raw.objectMetadataId as string,
    input: {
      name: raw.name as string,
      label: raw.label as string,
      type,
      description: (raw.description as string | undefined) ?? null,
      icon: (raw.icon as string | undefined) ?? null,
      isNullable: raw.isNullable as boolean | undefined,
      isUnique: raw.isUnique as boolean | undefined,
      defaultValue: raw.defaultValue,
      options: (raw.options as SelectOption[] | undefined) ?? null,
      settings: (raw.settings as Record<string, unknown> | undefined) ?? null,
    },
  };
}

/** Answers a `/rest/metadata/...` request. */
export function handleMetadata(ctx: MetadataContext, request: MetadataRequest): Response {
  const { store } = ctx;
  const [resource, id, ...rest] = request.segments;
  if (rest.length > 0 || (resource !== 'objects' && resource !== 'fields')) throw invalidPath(request.path);
  if (id !== undefined && !isUuid(id)) throw badRequest(`'${id}' is not a valid UUID`);

  if (request.method === 'GET' && resource === 'objects') {
    if (id === undefined) {
      return list(
        ctx,
        store.schema.objects.map((object) => presentObject(object, store)),
        'objects',
        request.params,
      );
    }
    const object = store.schema.byId(id);
    if (!object) throw notFound('Object');
    return item(ctx, presentObject(object, store), 'object');
  }

  if (request.method === 'GET' && resource === 'fields') {
    const fields = allFields(store);
    if (id === undefined) return list(ctx, fields, 'fields', request.params);
    const field = fields.find((candidate) => candidate.id === id.toLowerCase());
    if (!field) throw notFound('Field');
    return item(ctx, field, 'field');
  }

  if (request.method === 'POST' && resource === 'fields' && id === undefined) {
    const { objectMetadataId, input } = readFieldInput(request.body);
    const created = store.addField(objectMetadataId, input);
    const object = store.schema.byId(objectMetadataId)!;
    return item(ctx, presentField(object, created, store), 'createOneField', 201);
  }

  if ((request.method === 'PATCH' || request.method === 'PUT') && resource === 'fields' && id !== undefined) {
    const found = store.schema.fieldById(id);
    if (!found) throw notFound('Field');
    const patch = (request.body ?? {}) as Record<string, unknown>;
    for (const key of ['label', 'description', 'icon'] as const) {
      if (typeof patch[key] === 'string') found.field[key] = patch[key];
    }
    return item(ctx, presentField(found.object, found.field, store), 'updateOneField');
  }

  if (request.method === 'DELETE' && resource === 'fields' && id !== undefined) {
    const found = store.schema.fieldById(id);
    if (!found) throw notFound('Field');
    if (!found.field.isCustom) throw badRequest('Standard field metadata cannot be deleted', FIELD_INPUT);
    const presented = presentField(found.object, found.field, store);
    store.removeField(id);
    return item(ctx, presented, 'deleteOneField');
  }

  throw new TwentyError(501, `${request.method} ${request.path} is not emulated`);
}
