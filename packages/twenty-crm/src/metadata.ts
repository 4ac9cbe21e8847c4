import {
  type ApiResult,
  err,
  type HttpClient,
  IntegrationError,
  invalidInput,
  isObjectLike,
  ok,
  readOptions,
  readSignal,
  settle,
  validateSchema,
} from '@patchbay/core';
import * as z from 'zod/mini';

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

// A field spec as a caller may pass it: the names Twenty accepts for objects and fields, read once.
const fieldSpecSchema = z.object({
  object: z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(255)),
  name: z
    .string()
    .check(z.regex(/^[a-z][a-zA-Z0-9]{0,62}$/, 'must be a camelCase field name (letters and digits)')),
  type: z.optional(
    z.string().check(z.regex(/^[A-Z][A-Z_]{0,62}$/, 'must be a Twenty field type, e.g. TEXT')),
  ),
  label: z.optional(z.string().check(z.maxLength(255))),
  isUnique: z.optional(z.boolean()),
  description: z.optional(z.string().check(z.maxLength(4096))),
});
const FIELD_SPEC_KEYS = ['object', 'name', 'type', 'label', 'isUnique', 'description'] as const;

/** The spec read once into a plain copy and checked: VALIDATION_ERROR naming the field (`spec.name`). */
async function readFieldSpec(spec: unknown): Promise<ApiResult<FieldSpec>> {
  const read = readOptions(spec, FIELD_SPEC_KEYS, 'spec');
  if (!read.success) return read;
  // Every field is a string or a boolean: an object is refused by its type before zod, which would read it.
  for (const key of FIELD_SPEC_KEYS) {
    const value = read.data[key];
    if (isObjectLike(value) || typeof value === 'symbol' || typeof value === 'bigint') {
      return err(invalidInput(`spec.${key}`, `must be a ${key === 'isUnique' ? 'boolean' : 'string'}`));
    }
  }
  const checked = await validateSchema(fieldSpecSchema, read.data);
  if (checked.success) return ok(checked.value);
  const issues = checked.issues.map((issue) => ({ ...issue, field: `spec.${issue.field}` }));
  return err(
    new IntegrationError('VALIDATION_ERROR', `Invalid field spec: ${checked.summary}`, {
      field: issues[0]?.field,
      issues,
      retryable: false,
    }),
  );
}

/** The `signal` of a call's options, read once. */
function readCallOptions(options: unknown): ApiResult<{ signal?: AbortSignal }> {
  const read = readOptions(options, ['signal']);
  if (!read.success) return read;
  const signal = readSignal(read.data.signal, 'options.signal');
  return signal.success ? ok({ signal: signal.data }) : signal;
}

/** Builds the metadata calls on a configured HTTP client. */
export function createMetadataResource(http: HttpClient): MetadataResource {
  const getObjects = (signal?: AbortSignal) =>
    http.get('/rest/metadata/objects', { schema: objectsResponse, signal });
  const getFields = (signal?: AbortSignal) =>
    http.get('/rest/metadata/fields', { schema: fieldsResponse, signal });
  const objects: MetadataResource['objects'] = (options) =>
    settle('metadata.objects', () => {
      const read = readCallOptions(options);
      return read.success ? getObjects(read.data.signal) : read;
    });
  const fields: MetadataResource['fields'] = (options) =>
    settle('metadata.fields', () => {
      const read = readCallOptions(options);
      return read.success ? getFields(read.data.signal) : read;
    });

  async function findField(spec: FieldSpec, signal?: AbortSignal) {
    const all = await getObjects(signal);
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
      const listed = await getFields(signal);
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
    ensureField: (specValue, optionsValue) =>
      settle('metadata.ensureField', () => ensureField(specValue, optionsValue)),
  };

  async function ensureField(
    specValue: unknown,
    optionsValue: unknown,
  ): Promise<ApiResult<{ field: FieldMetadata; created: boolean }>> {
    const read = await readFieldSpec(specValue);
    if (!read.success) return read;
    const spec = read.data;
    const options = readCallOptions(optionsValue);
    if (!options.success) return options;
    const found = await findField(spec, options.data.signal);
    if (!found.success) return found;
    if (found.data.field) return checkExisting(spec, found.data.field);
    const created = await http.post('/rest/metadata/fields', {
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
      signal: options.data.signal,
    });
    if (created.success) return ok({ field: created.data, created: true });
    // Another process created it between our read and our write: that is success.
    if (created.error.code === 'CONFLICT' || created.error.code === 'VALIDATION_ERROR') {
      const again = await findField(spec, options.data.signal);
      if (again.success && again.data.field) return checkExisting(spec, again.data.field);
    }
    return created;
  }
}
