import { type ApiResult, err, type HttpClient, IntegrationError, ok } from '@patchbay/core';
import * as z from 'zod/mini';
import type { PipedriveCustomValue, PipedriveCustomValues } from './records.ts';

/** The record types that carry custom fields, and their v2 field-definition paths. */
export const PIPEDRIVE_FIELD_PATHS = {
  person: '/api/v2/personFields',
  organization: '/api/v2/organizationFields',
  deal: '/api/v2/dealFields',
  activity: '/api/v2/activityFields',
} as const;

/** A record type with field definitions. */
export type PipedriveEntity = keyof typeof PIPEDRIVE_FIELD_PATHS;

/**
 * The caller's names for custom fields, per record type: each a field's 40-character key (`field_code`) or its
 * name in Pipedrive (`field_name`). Reads then carry `custom.<name>`, writes take it.
 * @example { person: { externalId: 'a1b2…(40 hex)', tier: 'Customer tier' } }
 */
export type PipedriveCustomFieldsOption = {
  readonly [E in PipedriveEntity]?: Readonly<Record<string, string>>;
};

// `GET /api/v2/personFields` (client-nodejs `GetPersonFields200ResponseDataInner`): field_name, field_code,
// field_type, is_custom_field, options [{ id, label }]; paged by cursor like every v2 list.
/** An option of an enum or set field. */
export const optionSchema = z.looseObject({ id: z.union([z.int(), z.string()]), label: z.string() });
/** One field definition as API v2 answers it. */
export const fieldDefinitionSchema = z.looseObject({
  field_code: z.string(),
  field_name: z.string(),
  field_type: z.string(),
  is_custom_field: z.optional(z.nullable(z.boolean())),
  options: z.optional(z.nullable(z.array(optionSchema))),
});
/** A field definition. */
export type PipedriveFieldDefinition = z.output<typeof fieldDefinitionSchema>;

const fieldsPageSchema = z.looseObject({
  data: z.array(fieldDefinitionSchema),
  additional_data: z.optional(z.nullable(z.looseObject({ next_cursor: z.optional(z.nullable(z.string())) }))),
});

/** A custom field's key: a 40-character hex hash. */
export const HASH_KEY = /^[0-9a-f]{40}$/;
const MAX_FIELD_PAGES = 20;

/** The caller's names resolved against the account's definitions. */
export interface ResolvedFields {
  /** Name → definition. */
  byName: Map<string, PipedriveFieldDefinition>;
}

/** Reads, resolves and converts one record type's custom fields; definitions are read once, on first need. */
export interface CustomFields {
  readonly names: readonly string[];
  /** The raw `custom_fields` of a record as `custom` by the caller's names (enum ids as labels). */
  decode(raw: unknown, operation: string): Promise<ApiResult<PipedriveCustomValues>>;
  /** The caller's `custom` as the wire's `custom_fields` (labels as option ids), each value checked by type. */
  encode(
    custom: Record<string, unknown> | undefined,
    field: string,
  ): Promise<ApiResult<Record<string, unknown>>>;
}

/** {@link CustomFields} whose definitions cache can be dropped (the client's own, by {@link createCustomFields}). */
export interface CachedCustomFields extends CustomFields {
  /** Forgets the definitions read, so the next call reads them again (a field was created or changed). */
  invalidate(): void;
}

/** What {@link createCustomFields} needs: the client, spending a token budget before each page of definitions. */
export interface CustomFieldsContext {
  http: HttpClient;
  /** Runs before each request with its token cost: an error stops the read. */
  spend: (cost: number, operation: string) => ApiResult<void>;
}

/** A list's token cost on API v2 (the definitions list is one). */
const FIELDS_LIST_COST = 10;

/**
 * The custom fields of one record type under the caller's names. The account's definitions are read once (one
 * request per 500 fields) when first needed; a failed read is not remembered, so the next call tries again.
 */
export function createCustomFields(
  context: CustomFieldsContext,
  entity: PipedriveEntity,
  mapping: Readonly<Record<string, string>> | undefined,
): CachedCustomFields {
  const names = Object.keys(mapping ?? {});
  let loaded: Promise<ApiResult<ResolvedFields>> | undefined;
  const resolve = (): Promise<ApiResult<ResolvedFields>> => {
    if (loaded) return loaded;
    const attempt: Promise<ApiResult<ResolvedFields>> = load(context, entity, mapping ?? {}).then(
      (result) => {
        // Only this attempt is forgotten: a read started after an invalidate() stays.
        if (!result.success && loaded === attempt) loaded = undefined;
        return result;
      },
    );
    loaded = attempt;
    return attempt;
  };
  return {
    names,
    invalidate() {
      loaded = undefined;
    },
    async decode(raw, operation) {
      if (names.length === 0) return ok({});
      const resolved = await resolve();
      if (!resolved.success) return resolved;
      const values = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
      const out: PipedriveCustomValues = {};
      for (const [name, definition] of resolved.data.byName) {
        if (!Object.hasOwn(values, definition.field_code)) continue;
        const decoded = decodeValue(definition, values[definition.field_code]);
        if (!decoded.success) {
          return err(
            new IntegrationError(
              'INVALID_RESPONSE',
              `${operation}: custom field ${name} (${definition.field_type}) ${decoded.error}`,
              { field: `custom.${name}`, retryable: false },
            ),
          );
        }
        out[name] = decoded.data;
      }
      return ok(out);
    },
    async encode(custom, field) {
      const entries = Object.entries(custom ?? {});
      if (entries.length === 0) return ok({});
      for (const [name] of entries) {
        if (!names.includes(name)) {
          return err(invalid(`${field}.${name}`, `is not a name given in customFields.${entity}`));
        }
      }
      const resolved = await resolve();
      if (!resolved.success) return resolved;
      const out: Record<string, unknown> = {};
      for (const [name, value] of entries) {
        const definition = resolved.data.byName.get(name)!;
        const encoded = encodeValue(definition, value);
        if (!encoded.success) return err(invalid(`${field}.${name}`, encoded.error));
        out[definition.field_code] = encoded.data;
      }
      return ok(out);
    },
  };
}

/**
 * Every field definition of one record type (v2 `GET /api/v2/{entity}Fields`), 500 a page over `next_cursor`, the
 * list's token cost spent before each page; at most 20 pages (10 000 fields).
 */
export async function readFieldDefinitions(
  context: CustomFieldsContext,
  entity: PipedriveEntity,
  signal?: AbortSignal,
): Promise<ApiResult<PipedriveFieldDefinition[]>> {
  const definitions: PipedriveFieldDefinition[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_FIELD_PAGES; page++) {
    const operation = `${entity}Fields.list`;
    const spent = context.spend(FIELDS_LIST_COST, operation);
    if (!spent.success) return spent;
    const result = await context.http.get(PIPEDRIVE_FIELD_PATHS[entity], {
      schema: fieldsPageSchema,
      searchParams: { limit: 500, ...(cursor ? { cursor } : {}) },
      ...(signal ? { signal } : {}),
    });
    if (!result.success) return result;
    definitions.push(...result.data.data);
    cursor = result.data.additional_data?.next_cursor ?? undefined;
    if (!cursor) break;
  }
  return ok(definitions);
}

async function load(
  context: CustomFieldsContext,
  entity: PipedriveEntity,
  mapping: Readonly<Record<string, string>>,
): Promise<ApiResult<ResolvedFields>> {
  const read = await readFieldDefinitions(context, entity);
  if (!read.success) return read;
  const definitions = read.data;
  const byName = new Map<string, PipedriveFieldDefinition>();
  for (const [name, wanted] of Object.entries(mapping)) {
    const found = HASH_KEY.test(wanted)
      ? definitions.find((definition) => definition.field_code === wanted)
      : (definitions.find((definition) => definition.field_name === wanted) ??
        unique(definitions.filter((d) => d.field_name.toLowerCase() === wanted.toLowerCase())));
    if (!found) {
      // The key or name is the caller's configuration, not a secret: saying which one is missing is the help.
      return err(
        new IntegrationError(
          'CONFIG_ERROR',
          `customFields.${entity}.${name}: no ${entity} field has the ${HASH_KEY.test(wanted) ? 'key' : 'name'} "${wanted}"`,
          { field: `customFields.${entity}.${name}`, retryable: false },
        ),
      );
    }
    byName.set(name, found);
  }
  return ok({ byName });
}

function unique<T>(items: T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}

type Converted = { success: true; data: PipedriveCustomValue } | { success: false; error: string };
const yes = (data: PipedriveCustomValue): Converted => ({ success: true, data });
const no = (error: string): Converted => ({ success: false, error });

const TEXT_TYPES = new Set(['varchar', 'varchar_auto', 'varchar_options', 'text', 'phone']);
const ID_TYPES = new Set(['user', 'org', 'people', 'deal', 'stage', 'project', 'activity']);
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}(:\d{2})?$/;
const MAX_TEXT = 65_535;

/** A caller's value for a field of this type, as the wire wants it; a message saying why not otherwise. */
export function encodeValue(definition: PipedriveFieldDefinition, value: unknown): Converted {
  if (value === null) return yes(null);
  const type = definition.field_type;
  if (TEXT_TYPES.has(type)) {
    if (typeof value !== 'string') return no('must be a string');
    return value.length <= (type === 'varchar' ? 255 : MAX_TEXT) ? yes(value) : no('is too long');
  }
  if (type === 'double' || type === 'int') {
    if (typeof value !== 'number' || !Number.isFinite(value)) return no('must be a finite number');
    return type === 'int' && !Number.isInteger(value) ? no('must be a whole number') : yes(value);
  }
  if (type === 'boolean') return typeof value === 'boolean' ? yes(value) : no('must be true or false');
  if (type === 'date') {
    return typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(value))
      ? yes(value)
      : no('must be a date YYYY-MM-DD');
  }
  if (type === 'time')
    return typeof value === 'string' && TIME.test(value) ? yes(value) : no('must be HH:MM');
  if (type === 'enum') {
    if (typeof value !== 'string') return no('must be one option label');
    const option = definition.options?.find((candidate) => candidate.label === value);
    return option ? yes(Number(option.id)) : no(`is not an option (${optionLabels(definition)})`);
  }
  if (type === 'set') {
    if (!Array.isArray(value) || !value.every((label) => typeof label === 'string')) {
      return no('must be a list of option labels');
    }
    const ids: number[] = [];
    for (const label of value as string[]) {
      const option = definition.options?.find((candidate) => candidate.label === label);
      if (!option) return no(`has a label that is not an option (${optionLabels(definition)})`);
      ids.push(Number(option.id));
    }
    return yes(ids as unknown as PipedriveCustomValue);
  }
  if (type === 'monetary') {
    const money = value as { value?: unknown; currency?: unknown };
    return typeof value === 'object' &&
      typeof money.value === 'number' &&
      Number.isFinite(money.value) &&
      typeof money.currency === 'string' &&
      /^[A-Z]{3}$/.test(money.currency)
      ? yes({ value: money.value, currency: money.currency })
      : no('must be { value: number, currency: "EUR" }');
  }
  if (ID_TYPES.has(type)) {
    return typeof value === 'number' && Number.isSafeInteger(value) && value > 0
      ? yes(value)
      : no('must be a record id');
  }
  // address, daterange, timerange and types this package does not know: a JSON object goes through as given.
  return typeof value === 'object' && !Array.isArray(value)
    ? yes(value as PipedriveCustomValue)
    : no('must be an object');
}

/** A wire value of a field of this type, as the caller reads it (enum and set ids as labels). */
export function decodeValue(definition: PipedriveFieldDefinition, value: unknown): Converted {
  if (value === null || value === undefined) return yes(null);
  const type = definition.field_type;
  if (TEXT_TYPES.has(type) || type === 'date' || type === 'time') {
    return typeof value === 'string' ? yes(value) : no('is not a string');
  }
  if (type === 'double' || type === 'int') {
    const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    return typeof number === 'number' && Number.isFinite(number) ? yes(number) : no('is not a number');
  }
  if (type === 'boolean') return typeof value === 'boolean' ? yes(value) : no('is not a boolean');
  if (type === 'enum') {
    const option = definition.options?.find((candidate) => String(candidate.id) === String(value));
    return option ? yes(option.label) : no('names an option the field definitions do not have');
  }
  if (type === 'set') {
    // v2 answers a list of ids; v1 a comma-separated text of them.
    const ids = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
    if (!ids) return no('is not a list');
    const labels: string[] = [];
    for (const item of ids) {
      const option = definition.options?.find((candidate) => String(candidate.id) === String(item).trim());
      if (!option) return no('names an option the field definitions do not have');
      labels.push(option.label);
    }
    return yes(labels);
  }
  if (type === 'monetary') {
    const money = value as { value?: unknown; currency?: unknown };
    return typeof value === 'object' && typeof money.value === 'number' && typeof money.currency === 'string'
      ? yes({ value: money.value, currency: money.currency })
      : no('is not { value, currency }');
  }
  if (ID_TYPES.has(type)) {
    // v2 answers an id; older shapes an object with `value` (the id).
    const id = typeof value === 'object' ? (value as { value?: unknown }).value : value;
    return typeof id === 'number' && Number.isSafeInteger(id) ? yes(id) : no('is not a record id');
  }
  return typeof value === 'object' ? yes(value as PipedriveCustomValue) : yes(String(value));
}

function optionLabels(definition: PipedriveFieldDefinition): string {
  const labels = (definition.options ?? []).slice(0, 10).map((option) => JSON.stringify(option.label));
  return labels.length > 0 ? labels.join(', ') : 'the field has none';
}

function invalid(field: string, message: string): IntegrationError {
  return new IntegrationError('VALIDATION_ERROR', `${field}: ${message}`, { field, retryable: false });
}
