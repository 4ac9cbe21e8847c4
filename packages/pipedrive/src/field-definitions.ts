import { type ApiResult, err, IntegrationError, ok, readJsonInput, settle } from '@patchbay/core';
import * as z from 'zod/mini';
import {
  type CustomFieldsContext,
  HASH_KEY,
  optionSchema,
  PIPEDRIVE_FIELD_PATHS,
  type PipedriveEntity,
  type PipedriveFieldDefinition,
  readFieldDefinitions,
} from './custom-fields.ts';
import { readOptions } from './input.ts';
import { PIPEDRIVE_TOKEN_COSTS } from './token-budget.ts';

// Field definitions are read on v2 (`GET /api/v2/{entity}Fields`, custom-fields.ts) and created on v1: `POST
// /v1/{person,organization,deal}Fields` with `{ name, field_type, options?: [{ label }] }`, answered 200 with
// `{ success, data: { id, key, name, field_type, add_time, …, options } }` (pipedrive/client-nodejs v1
// `person-fields-api.ts` `addPersonField` → `GetFieldResponse`; developers.pipedrive.com "Add a new person field":
// cost 10). v1's `key` is v2's `field_code`, `name` its `field_name`.

/** The field types v1's create takes (client-nodejs v1 `CreateFieldRequest.field_type`, without `visible_to`). */
export const PIPEDRIVE_FIELD_TYPES = [
  'varchar',
  'varchar_auto',
  'text',
  'double',
  'monetary',
  'date',
  'set',
  'enum',
  'user',
  'org',
  'people',
  'phone',
  'time',
  'timerange',
  'daterange',
  'address',
] as const;

/** A field type a custom field can be created with. */
export type PipedriveFieldType = (typeof PIPEDRIVE_FIELD_TYPES)[number];

/** The record types whose custom fields v1 creates (activities have no create). */
export type PipedriveFieldCreateEntity = 'person' | 'organization' | 'deal';

/** A custom field to create: `options` (labels) for `enum` and `set` fields only, and required there. */
export interface PipedriveFieldCreateInput {
  /** The field's name in Pipedrive, 1–255 characters (what `customFields` may name it by). */
  name: string;
  field_type: PipedriveFieldType;
  options?: readonly { label: string }[];
}

/** The calls on field definitions. Every call returns an ApiResult; nothing rejects. */
export interface PipedriveFieldDefinitions {
  /** Every field (standard and custom) of a record type, all pages (10 tokens a page of 500). */
  list(
    entity: PipedriveEntity,
    options?: { signal?: AbortSignal },
  ): Promise<ApiResult<PipedriveFieldDefinition[]>>;
  /**
   * Creates a custom field (v1, 10 tokens) and answers it as {@link list} would. Not idempotent: Pipedrive allows two
   * fields of one name, so look in `list` first. The client's custom-field names for the record type are read again
   * on their next use, so a `customFields` name given as this field's name resolves at once.
   */
  create(
    entity: PipedriveFieldCreateEntity,
    input: PipedriveFieldCreateInput,
    options?: { signal?: AbortSignal },
  ): Promise<ApiResult<PipedriveFieldDefinition>>;
}

/** What {@link createFieldDefinitionCalls} needs: the client, the budget, and the name caches to forget. */
export interface FieldDefinitionsContext extends CustomFieldsContext {
  /** Forgets the resolved custom-field names of a record type. */
  invalidate: (entity: PipedriveEntity) => void;
}

const LIST_ENTITIES = Object.keys(PIPEDRIVE_FIELD_PATHS) as PipedriveEntity[];
const CREATE_ENTITIES: readonly PipedriveFieldCreateEntity[] = ['person', 'organization', 'deal'];
const V1_PATHS: Record<PipedriveFieldCreateEntity, string> = {
  person: '/v1/personFields',
  organization: '/v1/organizationFields',
  deal: '/v1/dealFields',
};

const text = (max: number) =>
  z.string().check(
    z.minLength(1, 'must not be empty'),
    z.maxLength(max, `must be at most ${max} characters`),
    z.refine((value) => value.trim() !== '', 'must not be blank'),
  );
const createInput = z.strictObject({
  name: text(255),
  field_type: z.enum(PIPEDRIVE_FIELD_TYPES, {
    error: `must be one of ${PIPEDRIVE_FIELD_TYPES.join(', ')}`,
  }),
  options: z.optional(
    z
      .array(z.strictObject({ label: text(255) }))
      .check(z.minLength(1, 'must not be empty'), z.maxLength(1000, 'must have at most 1000 options')),
  ),
});

// v1's answer; only what becomes a v2-shaped definition is checked.
const createdSchema = z.looseObject({
  data: z.looseObject({
    key: z.string().check(z.regex(HASH_KEY, 'must be a 40-character hex key')),
    name: z.string(),
    field_type: z.string(),
    options: z.optional(z.nullable(z.array(optionSchema))),
  }),
});

/** The field-definition calls of a client (`client.fields`). */
export function createFieldDefinitionCalls(context: FieldDefinitionsContext): PipedriveFieldDefinitions {
  return {
    list: (entity, options) =>
      settle('fields.list', async () => {
        const which = readEntity(entity, LIST_ENTITIES);
        if (!which.success) return which;
        const opts = readOptions(options, z.object({}));
        if (!opts.success) return opts;
        return readFieldDefinitions(context, which.data, opts.data.signal);
      }),
    create: (entity, input, options) =>
      settle('fields.create', async () => {
        const which = readEntity(entity, CREATE_ENTITIES);
        if (!which.success) return which;
        const read = readJsonInput(input, 'input', createInput);
        if (!read.success) return read;
        const checked = checkOptions(read.data);
        if (!checked.success) return checked;
        const opts = readOptions(options, z.object({}));
        if (!opts.success) return opts;
        const spent = context.spend(PIPEDRIVE_TOKEN_COSTS.v1Create, `${which.data}Fields.create`);
        if (!spent.success) return spent;
        const result = await context.http.post(V1_PATHS[which.data], {
          schema: createdSchema,
          json: read.data,
          ...(opts.data.signal ? { signal: opts.data.signal } : {}),
        });
        // Forgotten on failure too: a create that timed out may still have happened.
        context.invalidate(which.data);
        if (!result.success) return result;
        const { key, name, field_type, options: created } = result.data.data;
        return ok({
          field_code: key,
          field_name: name,
          field_type,
          is_custom_field: true,
          options: created ?? null,
        });
      }),
  };
}

function readEntity<E extends string>(value: unknown, allowed: readonly E[]): ApiResult<E> {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return ok(value as E);
  return err(invalid('entity', `must be ${allowed.join(', ')}`));
}

// Options belong to enum and set fields, which need at least one; labels must differ, as writes name options by label.
function checkOptions(input: z.output<typeof createInput>): ApiResult<void> {
  const withOptions = input.field_type === 'enum' || input.field_type === 'set';
  if (withOptions && input.options === undefined) {
    return err(invalid('input.options', `is required for ${input.field_type} fields`));
  }
  if (!withOptions && input.options !== undefined) {
    return err(invalid('input.options', 'is only for enum and set fields'));
  }
  const seen = new Set<string>();
  for (const [index, option] of (input.options ?? []).entries()) {
    if (seen.has(option.label)) return err(invalid(`input.options.${index}.label`, 'repeats a label'));
    seen.add(option.label);
  }
  return ok(undefined);
}

function invalid(field: string, message: string): IntegrationError {
  return new IntegrationError('VALIDATION_ERROR', `${field}: ${message}`, { field, retryable: false });
}
