import { type ApiResult, err, type HttpClient, IntegrationError, ok } from '@patchbay/core';
import * as z from 'zod/mini';
import { refineTwentyError } from './twenty-errors.ts';

/** A field of a Twenty object, as the metadata API describes it. */
export const fieldMetadataSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  label: z.optional(z.nullable(z.string())),
  isUnique: z.optional(z.nullable(z.boolean())),
  isCustom: z.optional(z.nullable(z.boolean())),
  isActive: z.optional(z.nullable(z.boolean())),
  objectMetadataId: z.optional(z.nullable(z.string())),
});

/** A Twenty field description. */
export type FieldMetadata = z.infer<typeof fieldMetadataSchema>;

/** A Twenty object (people, companies, custom objects), as the metadata API describes it. */
export const objectMetadataSchema = z.looseObject({
  id: z.string(),
  nameSingular: z.string(),
  namePlural: z.string(),
  labelSingular: z.optional(z.nullable(z.string())),
  labelPlural: z.optional(z.nullable(z.string())),
  isCustom: z.optional(z.nullable(z.boolean())),
  isActive: z.optional(z.nullable(z.boolean())),
  fields: z.optional(z.nullable(z.array(fieldMetadataSchema))),
});

/** A Twenty object description. */
export type ObjectMetadata = z.infer<typeof objectMetadataSchema>;

// The list shape changed across Twenty versions: `{ data: { objects: [...] } }` in older servers,
// `{ data: [...], pageInfo, totalCount }` in newer ones. Both are accepted.
const listOf = <T extends z.ZodMiniType>(key: string, item: T) =>
  z.pipe(
    z.looseObject({ data: z.union([z.array(item), z.looseObject({ [key]: z.array(item) })]) }),
    z.transform((body): z.output<T>[] =>
      Array.isArray(body.data) ? body.data : ((body.data as Record<string, unknown>)[key] as z.output<T>[]),
    ),
  );

const objectsResponse = listOf('objects', objectMetadataSchema);
const fieldsResponse = listOf('fields', fieldMetadataSchema);

// A created field comes back bare (current servers) or as `{ data: { createOneField: {...} } }` (legacy).
const createdFieldResponse = z.pipe(
  z.looseObject({}),
  z.transform((body, ctx) => {
    const data = (body as { data?: unknown }).data;
    const legacy =
      typeof data === 'object' && data !== null
        ? Object.values(data).find((v) => typeof v === 'object')
        : undefined;
    const parsed = fieldMetadataSchema.safeParse('id' in body ? body : legacy);
    if (!parsed.success) {
      ctx.issues.push({ code: 'custom', message: 'no created field in the response', input: body, path: [] });
      return z.NEVER;
    }
    return parsed.data;
  }),
);

/** What `ensureField` makes sure exists. */
export interface FieldSpec {
  /** The object's singular name, e.g. `person`, `company`. */
  object: string;
  /** The field's API name, e.g. `externalId`. */
  name: string;
  /** Twenty field type. Default `TEXT`. */
  type?: string;
  label?: string;
  isUnique?: boolean;
  description?: string;
}

/** The metadata calls: objects, fields, and idempotent field creation. */
export interface MetadataResource {
  /** Every object of the workspace (also a cheap authenticated connection test). */
  objects(options?: { signal?: AbortSignal }): Promise<ApiResult<ObjectMetadata[]>>;
  /** Every field of the workspace. */
  fields(options?: { signal?: AbortSignal }): Promise<ApiResult<FieldMetadata[]>>;
  /**
   * Creates a custom field unless it already exists; safe to call on every start and from two processes.
   * An existing field of another type, or not unique when uniqueness was asked for, is a CONFLICT.
   */
  ensureField(
    spec: FieldSpec,
    options?: { signal?: AbortSignal },
  ): Promise<ApiResult<{ field: FieldMetadata; created: boolean }>>;
}

/** Builds the metadata calls on a configured HTTP client. */
export function createMetadataResource(http: HttpClient): MetadataResource {
  const refine = <T>(result: ApiResult<T>): ApiResult<T> =>
    result.success ? result : err(refineTwentyError(result.error));

  const objects: MetadataResource['objects'] = async (options = {}) =>
    refine(await http.get('/rest/metadata/objects', { schema: objectsResponse, signal: options.signal }));
  const fields: MetadataResource['fields'] = async (options = {}) =>
    refine(await http.get('/rest/metadata/fields', { schema: fieldsResponse, signal: options.signal }));

  async function findField(spec: FieldSpec, signal?: AbortSignal) {
    const all = await objects({ signal });
    if (!all.success) return all;
    const object = all.data.find((o) => o.nameSingular === spec.object || o.namePlural === spec.object);
    if (!object) {
      return err(
        new IntegrationError('NOT_FOUND', `Twenty has no object named '${spec.object}'`, {
          field: 'object',
          retryable: false,
        }),
      );
    }
    let objectFields = object.fields ?? undefined;
    if (!objectFields) {
      const listed = await fields({ signal });
      if (!listed.success) return listed;
      objectFields = listed.data.filter((f) => f.objectMetadataId === object.id);
    }
    return ok({ object, field: objectFields.find((f) => f.name === spec.name) });
  }

  function checkExisting(
    spec: FieldSpec,
    field: FieldMetadata,
  ): ApiResult<{ field: FieldMetadata; created: boolean }> {
    const type = spec.type ?? 'TEXT';
    if (field.type !== type || (spec.isUnique && field.isUnique !== true)) {
      return err(
        new IntegrationError(
          'CONFLICT',
          `Field ${spec.object}.${spec.name} exists as ${field.type}${field.isUnique ? ' (unique)' : ''}, expected ${type}${spec.isUnique ? ' (unique)' : ''}`,
          { field: spec.name, retryable: false },
        ),
      );
    }
    return ok({ field, created: false });
  }

  return {
    objects,
    fields,
    async ensureField(spec, options = {}) {
      const found = await findField(spec, options.signal);
      if (!found.success) return found;
      if (found.data.field) return checkExisting(spec, found.data.field);
      const created = refine(
        await http.post('/rest/metadata/fields', {
          json: {
            objectMetadataId: found.data.object.id,
            type: spec.type ?? 'TEXT',
            name: spec.name,
            label: spec.label ?? spec.name,
            description: spec.description,
            isUnique: spec.isUnique ?? false,
            isNullable: true,
          },
          schema: createdFieldResponse,
          signal: options.signal,
        }),
      );
      if (created.success) return ok({ field: created.data, created: true });
      // Another process created it between our read and our write: that is success.
      if (created.error.code === 'CONFLICT' || created.error.code === 'VALIDATION_ERROR') {
        const again = await findField(spec, options.signal);
        if (again.success && again.data.field) return checkExisting(spec, again.data.field);
      }
      return created;
    },
  };
}
