// Field definitions of an account, as `GET /api/v2/personFields` (and organizationFields, dealFields,
// activityFields) answers them: `{ field_name, field_code, field_type, is_custom_field, is_optional_response_field,
// options }`, options `{ id, label }` for enum/set fields and null otherwise (pipedrive/client-nodejs
// `src/versions/v2/models/get-person-fields200-response-data-inner.ts` and
// `get-activity-fields200-response-data-inner-options-inner.ts`; field types from its `FieldTypeConst`). Custom
// fields are keyed by "randomly generated 40-character hashes" (`add-person-request.ts`, `custom_fields`). Values
// are checked by type on writes; the exact rules per type are this emulator's reading of the type names (guessed).
// v1 creates fields with `POST /v1/{person,organization,deal}Fields`, body `{ name, field_type, options?: [{ label }],
// add_visible_flag? }`, and answers 200 with `{ id, key, name, order_nr, field_type, add_time, update_time, *_flag…,
// options }` (client-nodejs v1 `person-fields-api.ts` `addPersonField`, `GetFieldResponse`; developers.pipedrive.com
// "Add a new person field": "Response 200", cost 10). v1's field types are its own list (no int, boolean, deal).

import { badRequest } from './errors.ts';

/** The entities with v2 routes. */
export type PipedriveEntity = 'person' | 'organization' | 'deal' | 'activity';

/** A field type of the v2 fields API. */
export type PipedriveFieldType =
  | 'varchar'
  | 'varchar_auto'
  | 'text'
  | 'phone'
  | 'int'
  | 'double'
  | 'monetary'
  | 'boolean'
  | 'date'
  | 'time'
  | 'daterange'
  | 'timerange'
  | 'enum'
  | 'set'
  | 'address'
  | 'user'
  | 'org'
  | 'people'
  | 'deal';

/** One field definition, as the fields API answers it. */
export interface PipedriveField {
  field_name: string;
  field_code: string;
  field_type: PipedriveFieldType;
  is_custom_field: boolean;
  is_optional_response_field: boolean;
  options: { id: number; label: string }[] | null;
}

/** A custom field to define. */
export interface FieldInput {
  name: string;
  type: PipedriveFieldType;
  /** Labels of an enum or set field's options. */
  options?: string[];
  /** The 40-hex key; generated when absent. */
  key?: string;
}

const FIELD_TYPES: ReadonlySet<string> = new Set([
  'varchar',
  'varchar_auto',
  'text',
  'phone',
  'int',
  'double',
  'monetary',
  'boolean',
  'date',
  'time',
  'daterange',
  'timerange',
  'enum',
  'set',
  'address',
  'user',
  'org',
  'people',
  'deal',
]);

const STANDARD: Record<PipedriveEntity, [string, string, PipedriveFieldType][]> = {
  person: [
    ['name', 'Name', 'varchar'],
    ['emails', 'Email', 'varchar'],
    ['phones', 'Phone', 'phone'],
    ['org_id', 'Organization', 'org'],
    ['owner_id', 'Owner', 'user'],
  ],
  organization: [
    ['name', 'Name', 'varchar'],
    ['owner_id', 'Owner', 'user'],
    ['address', 'Address', 'address'],
  ],
  deal: [
    ['title', 'Title', 'varchar'],
    ['value', 'Value', 'monetary'],
    ['person_id', 'Contact person', 'people'],
    ['org_id', 'Organization', 'org'],
    ['owner_id', 'Owner', 'user'],
  ],
  activity: [
    ['subject', 'Subject', 'varchar'],
    ['type', 'Type', 'varchar'],
    ['due_date', 'Due date', 'date'],
    ['done', 'Done', 'boolean'],
    ['owner_id', 'Assigned to user', 'user'],
  ],
};

/** The field definitions of every entity, with custom fields added by key. */
export interface FieldRegistry {
  list(entity: PipedriveEntity): PipedriveField[];
  /** Custom fields of an entity by key. */
  custom(entity: PipedriveEntity): Map<string, PipedriveField>;
  define(entity: PipedriveEntity, input: FieldInput): PipedriveField;
  /** The numeric id v1 answers for a custom field (v2 lists carry none), or undefined for an unknown key. */
  idOf(entity: PipedriveEntity, key: string): number | undefined;
  /** Checks `custom_fields` of a write: a known key and a value of its type, else a 400 naming the key. */
  checkValues(entity: PipedriveEntity, values: unknown): Record<string, unknown>;
}

/** Creates the registry; `hash()` makes the 40-hex keys of new fields. */
export function createFieldRegistry(hash: () => string): FieldRegistry {
  const custom = new Map<PipedriveEntity, Map<string, PipedriveField>>(
    (Object.keys(STANDARD) as PipedriveEntity[]).map((entity) => [entity, new Map()]),
  );
  let optionId = 1;
  // v1 field ids: one sequence over every entity, as ids are account-wide; the start is arbitrary (guessed).
  const ids = new Map<string, number>();
  let nextFieldId = 9001;
  const registry: FieldRegistry = {
    list(entity) {
      const standard = STANDARD[entity].map(([code, name, type]) => ({
        field_name: name,
        field_code: code,
        field_type: type,
        is_custom_field: false,
        is_optional_response_field: false,
        options: null,
      }));
      return [...standard, ...[...custom.get(entity)!.values()].map((f) => structuredClone(f))];
    },
    custom: (entity) => custom.get(entity)!,
    idOf: (entity, key) => (custom.get(entity)!.has(key) ? ids.get(`${entity}:${key}`) : undefined),
    define(entity, input) {
      if (typeof input?.name !== 'string' || input.name.trim() === '')
        throw badRequest('field_name is required');
      if (!FIELD_TYPES.has(input.type))
        throw badRequest(`field_type must be one of ${[...FIELD_TYPES].join(', ')}`);
      const key = input.key ?? hash();
      if (!/^[0-9a-f]{40}$/.test(key)) throw badRequest('a custom field key is a 40-character hex hash');
      const withOptions = input.type === 'enum' || input.type === 'set';
      if (withOptions && (!Array.isArray(input.options) || input.options.length === 0)) {
        throw badRequest('options are required for enum and set fields');
      }
      const field: PipedriveField = {
        field_name: input.name,
        field_code: key,
        field_type: input.type,
        is_custom_field: true,
        is_optional_response_field: false,
        options: withOptions
          ? input.options!.map((label) => ({ id: optionId++, label: String(label) }))
          : null,
      };
      custom.get(entity)!.set(key, field);
      if (!ids.has(`${entity}:${key}`)) ids.set(`${entity}:${key}`, nextFieldId++);
      return structuredClone(field);
    },
    checkValues(entity, values) {
      if (values === undefined) return {};
      if (typeof values !== 'object' || values === null || Array.isArray(values)) {
        throw badRequest('custom_fields must be an object');
      }
      const known = custom.get(entity)!;
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(values)) {
        const field = known.get(key);
        if (!field) throw badRequest(`custom_fields: unknown field key ${key}`);
        if (value !== null && !valueFits(field, value)) {
          throw badRequest(`custom_fields.${key}: not a valid ${field.field_type} value`);
        }
        out[key] = value;
      }
      return out;
    },
  };
  return registry;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}(:\d{2})?$/;
const isId = (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value > 0;

/** Whether a (non-null) value fits a field's type. */
export function valueFits(field: PipedriveField, value: unknown): boolean {
  const optionIds = new Set(field.options?.map((o) => o.id));
  switch (field.field_type) {
    case 'varchar':
    case 'varchar_auto':
    case 'text':
    case 'phone':
      return typeof value === 'string';
    case 'int':
      return typeof value === 'number' && Number.isInteger(value);
    case 'double':
      return typeof value === 'number' && Number.isFinite(value);
    case 'monetary':
      return (
        (typeof value === 'number' && Number.isFinite(value)) ||
        (typeof value === 'object' &&
          value !== null &&
          typeof (value as { value?: unknown }).value === 'number')
      );
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
      return typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(value));
    case 'time':
      return typeof value === 'string' && TIME.test(value);
    case 'enum':
      return typeof value === 'number' && optionIds.has(value);
    case 'set':
      return Array.isArray(value) && value.every((item) => typeof item === 'number' && optionIds.has(item));
    case 'daterange':
    case 'timerange':
      // The wire shape of ranges is not documented for v2 custom_fields: every JSON object is taken (guessed).
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'address':
      return (
        typeof value === 'string' || (typeof value === 'object' && value !== null && !Array.isArray(value))
      );
    default:
      return isId(value);
  }
}

/** The field types v1's create accepts (`CreateFieldRequest.field_type`, without the system type `visible_to`). */
export const V1_FIELD_TYPES: readonly PipedriveFieldType[] = [
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
];

/** A v1 create body read into a {@link FieldInput}, or a 400 naming the parameter. */
export function readV1FieldInput(body: unknown): FieldInput & { addVisible: boolean } {
  const input = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Record<
    string,
    unknown
  >;
  if (typeof input.name !== 'string' || input.name.trim() === '') throw badRequest('name is required');
  if (input.name.length > 255) throw badRequest('name must be at most 255 characters');
  const type = input.field_type;
  if (typeof type !== 'string' || !(V1_FIELD_TYPES as readonly string[]).includes(type)) {
    throw badRequest(`field_type must be one of ${V1_FIELD_TYPES.join(', ')}`);
  }
  if (input.add_visible_flag !== undefined && typeof input.add_visible_flag !== 'boolean') {
    throw badRequest('add_visible_flag must be a boolean');
  }
  let options: string[] | undefined;
  if (input.options !== undefined && input.options !== null) {
    if (!Array.isArray(input.options)) throw badRequest('options must be an array of { label }');
    options = input.options.map((option: unknown, index) => {
      const label = (option as { label?: unknown } | null)?.label;
      if (typeof label !== 'string' || label.trim() === '') {
        throw badRequest(`options[${index}].label must be a non-empty string`);
      }
      return label;
    });
  }
  return {
    name: input.name,
    type: type as PipedriveFieldType,
    // Options only mean something on enum and set fields; v1 ignores them elsewhere (guessed).
    ...(options && (type === 'enum' || type === 'set') ? { options } : {}),
    addVisible: input.add_visible_flag !== false,
  };
}

/** A field as v1 answers it; `addTime` in v1's `YYYY-MM-DD HH:MM:SS` (UTC). */
export function v1FieldView(
  field: PipedriveField,
  details: { id: number; orderNr: number; addTime: string; addVisible: boolean },
): Record<string, unknown> {
  return {
    id: details.id,
    key: field.field_code,
    name: field.field_name,
    order_nr: details.orderNr,
    field_type: field.field_type,
    add_time: details.addTime,
    update_time: details.addTime,
    active_flag: true,
    edit_flag: true,
    index_visible_flag: true,
    details_visible_flag: true,
    add_visible_flag: details.addVisible,
    important_flag: false,
    bulk_edit_allowed: true,
    searchable_flag: false,
    filtering_allowed: true,
    sortable_flag: true,
    mandatory_flag: false,
    options: field.options,
  };
}
