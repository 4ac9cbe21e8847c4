// The data model the emulator serves: Twenty's standard `person` and `company` objects (the fields a sync touches)
// plus custom fields added through the metadata API. Field names, composite sub-fields and unique indexes follow
// twenty-server's standard objects (`modules/person/standard-objects/person.workspace-entity.ts`, company: `emails`
// and `domainName` carry `@WorkspaceIsUnique()`) and twenty-shared's composite type definitions.

import { badRequest } from './errors.ts';

/** Field metadata types the emulator understands (a subset of twenty-shared's `FieldMetadataType`). */
export type FieldType =
  | 'UUID'
  | 'TEXT'
  | 'NUMBER'
  | 'NUMERIC'
  | 'BOOLEAN'
  | 'DATE_TIME'
  | 'DATE'
  | 'POSITION'
  | 'SELECT'
  | 'MULTI_SELECT'
  | 'RATING'
  | 'RAW_JSON'
  | 'ARRAY'
  | 'FULL_NAME'
  | 'EMAILS'
  | 'PHONES'
  | 'LINKS'
  | 'CURRENCY'
  | 'ADDRESS'
  | 'ACTOR'
  | 'RELATION';

/** Types of composite sub-fields (what filters and validation treat them as). */
export type SubFieldType = 'TEXT' | 'NUMERIC' | 'RAW_JSON' | 'UUID';

export interface SubFieldDef {
  name: string;
  type: SubFieldType;
  /** Part of the unique constraint when the composite field is unique (`isIncludedInUniqueConstraint`). */
  unique: boolean;
  defaultValue: unknown;
}

/** twenty-shared `compositeTypeDefinitions`: sub-fields, in order, with the DB default of each. */
export const COMPOSITE_TYPES: Partial<Record<FieldType, SubFieldDef[]>> = {
  FULL_NAME: [
    { name: 'firstName', type: 'TEXT', unique: true, defaultValue: '' },
    { name: 'lastName', type: 'TEXT', unique: true, defaultValue: '' },
  ],
  EMAILS: [
    { name: 'primaryEmail', type: 'TEXT', unique: true, defaultValue: '' },
    { name: 'additionalEmails', type: 'RAW_JSON', unique: false, defaultValue: null },
  ],
  PHONES: [
    { name: 'primaryPhoneNumber', type: 'TEXT', unique: true, defaultValue: '' },
    { name: 'primaryPhoneCountryCode', type: 'TEXT', unique: false, defaultValue: '' },
    { name: 'primaryPhoneCallingCode', type: 'TEXT', unique: false, defaultValue: '' },
    { name: 'additionalPhones', type: 'RAW_JSON', unique: false, defaultValue: null },
  ],
  LINKS: [
    { name: 'primaryLinkUrl', type: 'TEXT', unique: true, defaultValue: '' },
    { name: 'primaryLinkLabel', type: 'TEXT', unique: false, defaultValue: '' },
    { name: 'secondaryLinks', type: 'RAW_JSON', unique: false, defaultValue: null },
  ],
  CURRENCY: [
    { name: 'amountMicros', type: 'NUMERIC', unique: true, defaultValue: null },
    { name: 'currencyCode', type: 'TEXT', unique: true, defaultValue: '' },
  ],
  ADDRESS: [
    { name: 'addressStreet1', type: 'TEXT', unique: false, defaultValue: '' },
    { name: 'addressStreet2', type: 'TEXT', unique: false, defaultValue: '' },
    { name: 'addressCity', type: 'TEXT', unique: false, defaultValue: '' },
    { name: 'addressPostcode', type: 'TEXT', unique: false, defaultValue: '' },
    { name: 'addressState', type: 'TEXT', unique: false, defaultValue: '' },
    { name: 'addressCountry', type: 'TEXT', unique: false, defaultValue: '' },
    { name: 'addressLat', type: 'NUMERIC', unique: false, defaultValue: null },
    { name: 'addressLng', type: 'NUMERIC', unique: false, defaultValue: null },
  ],
  ACTOR: [
    { name: 'source', type: 'TEXT', unique: false, defaultValue: 'MANUAL' },
    { name: 'workspaceMemberId', type: 'UUID', unique: false, defaultValue: null },
    { name: 'name', type: 'TEXT', unique: false, defaultValue: '' },
    { name: 'context', type: 'RAW_JSON', unique: false, defaultValue: {} },
  ],
};

export function isComposite(type: FieldType): boolean {
  return COMPOSITE_TYPES[type] !== undefined;
}

/** The objects the emulator serves, by plural name. */
export type ObjectName = 'people' | 'companies';

export interface RelationDef {
  kind: 'MANY_TO_ONE' | 'ONE_TO_MANY';
  /** Target object (plural name), or `null` for a target the emulator doesn't model (workspace members). */
  target: ObjectName | null;
  /** MANY_TO_ONE: the join column on this object, e.g. `companyId`. ONE_TO_MANY: the join column on the target. */
  joinColumn: string;
}

export interface SelectOption {
  value: string;
  label: string;
  color?: string;
  position?: number;
  id?: string;
}

export interface FieldDef {
  id: string;
  name: string;
  label: string;
  type: FieldType;
  description: string | null;
  icon: string | null;
  isCustom: boolean;
  isSystem: boolean;
  isNullable: boolean;
  isUnique: boolean;
  /** False for fields a client cannot write (ids of system fields are still writable, as in Twenty). */
  isReadOnly?: boolean;
  /** The value a record gets when the field is omitted on create (composites: filled per sub-field). */
  defaultValue: unknown;
  options: SelectOption[] | null;
  settings: Record<string, unknown> | null;
  relation?: RelationDef;
  createdAt: string;
}

/** A unique constraint: one property path (`emails.primaryEmail`) or several (`name.firstName`+`name.lastName`). */
export interface UniqueGroup {
  /** The field the constraint belongs to. */
  field: string;
  paths: string[];
}

export interface ObjectDef {
  id: string;
  nameSingular: string;
  namePlural: ObjectName;
  labelSingular: string;
  labelPlural: string;
  description: string;
  icon: string;
  createdAt: string;
  fields: FieldDef[];
  fieldsByName: Map<string, FieldDef>;
  /** MANY_TO_ONE join columns (`companyId`) → their relation field. */
  joinColumns: Map<string, FieldDef>;
  /** The id group comes first, then one group per unique field (Twenty's `getConflictingFields`). */
  uniqueGroups: UniqueGroup[];
}

/** What a new custom field may be declared with (`POST /rest/metadata/fields`). */
export interface CustomFieldInput {
  name: string;
  label: string;
  type: FieldType;
  description?: string | null;
  icon?: string | null;
  isNullable?: boolean;
  isUnique?: boolean;
  defaultValue?: unknown;
  options?: SelectOption[] | null;
  settings?: Record<string, unknown> | null;
}

/** Field types a custom field may have in the emulator. */
export const CUSTOM_FIELD_TYPES: ReadonlySet<FieldType> = new Set<FieldType>([
  'TEXT',
  'NUMBER',
  'NUMERIC',
  'BOOLEAN',
  'DATE_TIME',
  'DATE',
  'UUID',
  'SELECT',
  'MULTI_SELECT',
  'RATING',
  'RAW_JSON',
  'ARRAY',
  'FULL_NAME',
  'EMAILS',
  'PHONES',
  'LINKS',
  'CURRENCY',
  'ADDRESS',
]);

/** A deterministic UUID (v4 layout) from a name, so metadata ids are stable across runs. */
export function stableUuid(name: string): string {
  // Four FNV-1a passes with different offsets give 128 bits.
  const words: number[] = [];
  for (let pass = 0; pass < 4; pass++) {
    let hash = (0x811c9dc5 ^ Math.imul(pass + 1, 0x9e3779b1)) >>> 0;
    for (let i = 0; i < name.length; i++) {
      hash ^= name.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    words.push(hash);
  }
  const hex = words.map((word) => word.toString(16).padStart(8, '0')).join('');
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const SCHEMA_CREATED_AT = '2025-01-01T00:00:00.000Z';

type FieldSeed = Partial<FieldDef> & Pick<FieldDef, 'name' | 'label' | 'type'>;

function field(objectName: string, seed: FieldSeed): FieldDef {
  return {
    id: stableUuid(`field:${objectName}.${seed.name}`),
    description: null,
    icon: null,
    isCustom: false,
    isSystem: false,
    isNullable: true,
    isUnique: false,
    defaultValue: null,
    options: null,
    settings: null,
    createdAt: SCHEMA_CREATED_AT,
    ...seed,
  };
}

// System fields every Twenty object has (BaseWorkspaceEntity), plus actor fields.
function baseFields(objectName: string): { head: FieldDef[]; tail: FieldDef[] } {
  return {
    head: [field(objectName, { name: 'id', label: 'Id', type: 'UUID', isSystem: true, isNullable: false })],
    tail: [
      field(objectName, { name: 'position', label: 'Position', type: 'POSITION', isSystem: true }),
      field(objectName, { name: 'createdBy', label: 'Created by', type: 'ACTOR', isNullable: false }),
      field(objectName, { name: 'updatedBy', label: 'Updated by', type: 'ACTOR', isNullable: false }),
      field(objectName, { name: 'createdAt', label: 'Creation date', type: 'DATE_TIME', isNullable: false }),
      field(objectName, { name: 'updatedAt', label: 'Last update', type: 'DATE_TIME', isNullable: false }),
      field(objectName, { name: 'deletedAt', label: 'Deleted at', type: 'DATE_TIME' }),
    ],
  };
}

function buildPerson(): ObjectDef {
  const { head, tail } = baseFields('person');
  const fields = [
    ...head,
    field('person', { name: 'name', label: 'Name', type: 'FULL_NAME' }),
    field('person', { name: 'emails', label: 'Emails', type: 'EMAILS', isUnique: true }),
    field('person', { name: 'linkedinLink', label: 'Linkedin', type: 'LINKS' }),
    field('person', { name: 'xLink', label: 'X', type: 'LINKS' }),
    field('person', {
      name: 'jobTitle',
      label: 'Job Title',
      type: 'TEXT',
      isNullable: false,
      defaultValue: '',
    }),
    field('person', { name: 'phones', label: 'Phones', type: 'PHONES' }),
    field('person', { name: 'city', label: 'City', type: 'TEXT', isNullable: false, defaultValue: '' }),
    field('person', { name: 'avatarUrl', label: 'Avatar', type: 'TEXT', defaultValue: '' }),
    field('person', {
      name: 'company',
      label: 'Company',
      type: 'RELATION',
      relation: { kind: 'MANY_TO_ONE', target: 'companies', joinColumn: 'companyId' },
    }),
    ...tail,
  ];
  return object('person', 'people', 'Person', 'People', 'A person', 'IconUser', fields);
}

function buildCompany(): ObjectDef {
  const { head, tail } = baseFields('company');
  const fields = [
    ...head,
    field('company', { name: 'name', label: 'Name', type: 'TEXT', defaultValue: '' }),
    field('company', { name: 'domainName', label: 'Domain Name', type: 'LINKS', isUnique: true }),
    field('company', { name: 'employees', label: 'Employees', type: 'NUMBER' }),
    field('company', { name: 'linkedinLink', label: 'Linkedin', type: 'LINKS' }),
    field('company', { name: 'xLink', label: 'X', type: 'LINKS' }),
    field('company', { name: 'annualRecurringRevenue', label: 'ARR', type: 'CURRENCY' }),
    field('company', { name: 'address', label: 'Address', type: 'ADDRESS' }),
    field('company', {
      name: 'idealCustomerProfile',
      label: 'ICP',
      type: 'BOOLEAN',
      isNullable: false,
      defaultValue: false,
    }),
    field('company', {
      name: 'accountOwner',
      label: 'Account Owner',
      type: 'RELATION',
      relation: { kind: 'MANY_TO_ONE', target: null, joinColumn: 'accountOwnerId' },
    }),
    field('company', {
      name: 'people',
      label: 'People',
      type: 'RELATION',
      relation: { kind: 'ONE_TO_MANY', target: 'people', joinColumn: 'companyId' },
    }),
    ...tail,
  ];
  return object(
    'company',
    'companies',
    'Company',
    'Companies',
    'A company',
    'IconBuildingSkyscraper',
    fields,
  );
}

function object(
  nameSingular: string,
  namePlural: ObjectName,
  labelSingular: string,
  labelPlural: string,
  description: string,
  icon: string,
  fields: FieldDef[],
): ObjectDef {
  const def: ObjectDef = {
    id: stableUuid(`object:${nameSingular}`),
    nameSingular,
    namePlural,
    labelSingular,
    labelPlural,
    description,
    icon,
    createdAt: SCHEMA_CREATED_AT,
    fields,
    fieldsByName: new Map(),
    joinColumns: new Map(),
    uniqueGroups: [],
  };
  reindex(def);
  return def;
}

function reindex(def: ObjectDef): void {
  def.fieldsByName = new Map(def.fields.map((f) => [f.name, f]));
  def.joinColumns = new Map(
    def.fields
      .filter((f) => f.relation?.kind === 'MANY_TO_ONE')
      .map((f) => [f.relation!.joinColumn, f] as const),
  );
  def.uniqueGroups = [{ field: 'id', paths: ['id'] }];
  for (const f of def.fields) {
    if (!f.isUnique) continue;
    const subFields = COMPOSITE_TYPES[f.type];
    const paths = subFields
      ? subFields.filter((sub) => sub.unique).map((sub) => `${f.name}.${sub.name}`)
      : [f.name];
    def.uniqueGroups.push({ field: f.name, paths });
  }
}

/** Twenty's field-name rule for custom fields: camelCase, starting with a lowercase letter. */
const FIELD_NAME_PATTERN = /^[a-z][a-zA-Z0-9]*$/;

/** The emulator's data model; custom fields can be added while it runs. */
export interface TwentySchema {
  objects: ObjectDef[];
  /** By plural name (`people`). */
  byPlural(name: string): ObjectDef | undefined;
  /** By singular name (`person`). */
  bySingular(name: string): ObjectDef | undefined;
  byId(id: string): ObjectDef | undefined;
  /** Adds a custom field; throws a Twenty 400 when the name is taken or invalid. */
  addField(objectId: string, input: CustomFieldInput, createdAt: string): FieldDef;
  /** Removes a custom field; returns its object, or undefined when no custom field has this id. */
  removeField(fieldId: string): { object: ObjectDef; field: FieldDef } | undefined;
  /** The field with this id and its object. */
  fieldById(fieldId: string): { object: ObjectDef; field: FieldDef } | undefined;
}

export function createSchema(): TwentySchema {
  const objects = [buildPerson(), buildCompany()];
  return {
    objects,
    byPlural: (name) => objects.find((o) => o.namePlural === name),
    bySingular: (name) => objects.find((o) => o.nameSingular === name),
    byId: (id) => objects.find((o) => o.id === id.toLowerCase()),
    addField(objectId, input, createdAt) {
      const def = objects.find((o) => o.id === objectId.toLowerCase());
      if (!def) throw badRequest('Object metadata does not exist', 'OBJECT_METADATA_NOT_FOUND');
      if (!FIELD_NAME_PATTERN.test(input.name)) {
        throw badRequest(`Name "${input.name}" is not in camelCase`, 'INVALID_FIELD_INPUT');
      }
      // field-metadata service: `validateFieldNameAvailabilityOrThrow` also rejects a relation's `{name}Id` column.
      if (def.fieldsByName.has(input.name) || def.joinColumns.has(input.name)) {
        throw badRequest(
          `Name "${input.name}" is not available, check that it is not duplicating another field's name.`,
          'INVALID_FIELD_INPUT',
        );
      }
      if (!CUSTOM_FIELD_TYPES.has(input.type)) {
        throw badRequest(`Field type ${String(input.type)} is not supported`, 'INVALID_FIELD_INPUT');
      }
      const created: FieldDef = {
        id: stableUuid(`field:${def.nameSingular}.${input.name}:${createdAt}:${def.fields.length}`),
        name: input.name,
        label: input.label,
        type: input.type,
        description: input.description ?? null,
        icon: input.icon ?? null,
        isCustom: true,
        isSystem: false,
        isNullable: input.isNullable ?? true,
        isUnique: input.isUnique ?? false,
        defaultValue: input.defaultValue ?? null,
        options: input.options ?? null,
        settings: input.settings ?? null,
        createdAt,
      };
      def.fields.push(created);
      reindex(def);
      return created;
    },
    fieldById(fieldId) {
      const id = fieldId.toLowerCase();
      for (const object of objects) {
        const found = object.fields.find((candidate) => candidate.id === id);
        if (found) return { object, field: found };
      }
      return undefined;
    },
    removeField(fieldId) {
      const found = this.fieldById(fieldId);
      if (!found?.field.isCustom) return undefined;
      found.object.fields = found.object.fields.filter((candidate) => candidate !== found.field);
      reindex(found.object);
      return found;
    },
  };
}

/** Reads a dotted path (`emails.primaryEmail`) from a record. */
export function readPath(record: Record<string, unknown>, path: string): unknown {
  const dot = path.indexOf('.');
  if (dot === -1) return record[path];
  const parent = record[path.slice(0, dot)];
  return parent !== null && typeof parent === 'object'
    ? (parent as Record<string, unknown>)[path.slice(dot + 1)]
    : undefined;
}
