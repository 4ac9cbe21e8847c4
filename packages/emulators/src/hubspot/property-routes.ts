// The properties API, as far as a sync's setup needs it: create a custom property (unique or not), read one, list a
// type's properties. Shapes from HubSpot's 2026-03 properties spec (HubSpot-public-api-spec-collection
// `PublicApiSpecs/CRM/Properties/Rollouts/145899/2026-03/properties.json`): `POST /crm/properties/2026-03/{objectType}`
// (and `/crm/v3/properties/{objectType}`) takes a `PropertyCreate` (`name`, `label`, `type`, `fieldType`, `groupName`
// required; `hasUniqueValue`, `description`, `options`…) and answers 201 with a `Property`; `GET …/{objectType}`
// answers `{ results: Property[] }`, `GET …/{objectType}/{propertyName}` one `Property`. A name already taken answers
// 409; its category (`OBJECT_ALREADY_EXISTS`) and wording are from memory of live answers, not from the spec.

import type { HubSpotAccount } from './account.ts';
import { requireScopes } from './auth.ts';
import { HubSpotError, noRoute, validationError } from './errors.ts';
import { HUBSPOT_DATE_VERSIONS } from './paths.ts';
import type { ObjectTypeDef } from './schema.ts';

/** A parsed properties path: the object type and, for a single property, its name. */
export interface PropertyPath {
  type: string;
  name?: string;
}

/** A property as the API answers it (the spec's `Property`, the fields a client reads). */
export interface EmulatedProperty {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  groupName: string;
  description: string;
  options: { label: string; value: string; hidden: boolean; displayOrder?: number }[];
  displayOrder: number;
  hasUniqueValue: boolean;
  hidden: boolean;
  formField: boolean;
  hubspotDefined: boolean;
  calculated: boolean;
  externalOptions: boolean;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
  modificationMetadata: { archivable: boolean; readOnlyDefinition: boolean; readOnlyValue: boolean };
}

// The property types of the spec's PropertyCreate.type enum.
const TYPES = new Set(['bool', 'date', 'datetime', 'enumeration', 'number', 'phone_number', 'string']);
const FIELD_TYPES = new Set([
  'booleancheckbox',
  'calculation_equation',
  'checkbox',
  'date',
  'file',
  'html',
  'number',
  'phonenumber',
  'radio',
  'select',
  'text',
  'textarea',
]);
const NAME = /^[a-z][a-z0-9_]*$/;

// Definitions created through the API, per account schema (standard properties are described on the fly).
const created = new WeakMap<object, Map<string, EmulatedProperty>>();

/** Parses `/crm/v3/properties/{type}[/{name}]` or `/crm/properties/{date}/{type}[/{name}]`. */
export function parsePropertyPath(pathname: string): PropertyPath | undefined {
  const parts = pathname.replace(/\/+$/, '').split('/').slice(1);
  let rest: string[];
  if (parts[0] !== 'crm') return undefined;
  if (parts[1] === 'v3' && parts[2] === 'properties') rest = parts.slice(3);
  else if (parts[1] === 'properties' && HUBSPOT_DATE_VERSIONS.includes(parts[2] ?? '')) rest = parts.slice(3);
  else return undefined;
  if (rest.length < 1 || rest.length > 2 || rest.some((part) => part === '')) return undefined;
  try {
    const [type, name] = rest.map((part) => decodeURIComponent(part));
    return name === undefined ? { type: type! } : { type: type!, name };
  } catch {
    return undefined;
  }
}

function createdOf(account: HubSpotAccount): Map<string, EmulatedProperty> {
  let byKey = created.get(account.schema);
  if (!byKey) {
    byKey = new Map();
    created.set(account.schema, byKey);
  }
  return byKey;
}

const keyOf = (def: ObjectTypeDef, name: string) => `${def.objectTypeId}\0${name}`;

function describe(account: HubSpotAccount, def: ObjectTypeDef, name: string): EmulatedProperty {
  const own = createdOf(account).get(keyOf(def, name));
  if (own) return own;
  // A property the emulator was started with: described as HubSpot describes its own text properties.
  const stamp = new Date(0).toISOString();
  return {
    name,
    label: name,
    type: 'string',
    fieldType: 'text',
    groupName: `${def.label.toLowerCase()}information`,
    description: '',
    options: [],
    displayOrder: -1,
    hasUniqueValue: def.uniqueProperties.has(name),
    hidden: false,
    formField: false,
    hubspotDefined: true,
    calculated: false,
    externalOptions: false,
    archived: false,
    createdAt: stamp,
    updatedAt: stamp,
    modificationMetadata: { archivable: false, readOnlyDefinition: true, readOnlyValue: false },
  };
}

function text(body: Record<string, unknown>, field: string, allowed?: Set<string>): string {
  const value = body[field];
  if (typeof value !== 'string' || value.trim() === '') {
    throw validationError(`Invalid input JSON: ${field} is required`, {
      errors: [{ message: `${field} is required`, in: field, code: 'REQUIRED_FIELD' }],
    });
  }
  if (allowed && !allowed.has(value)) {
    throw validationError(`${field} must be one of ${[...allowed].join(', ')}, not ${value}`, {
      errors: [{ message: `invalid ${field}`, in: field, code: 'INVALID_ENUM' }],
    });
  }
  return value;
}

function createProperty(account: HubSpotAccount, def: ObjectTypeDef, body: unknown): Response {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw validationError('Invalid input JSON: expected a PropertyCreate object');
  }
  const input = body as Record<string, unknown>;
  const name = text(input, 'name');
  const label = text(input, 'label');
  const type = text(input, 'type', TYPES);
  const fieldType = text(input, 'fieldType', FIELD_TYPES);
  const groupName = text(input, 'groupName');
  if (!NAME.test(name)) {
    throw validationError(
      `Property name ${name} is invalid: use lowercase letters, digits and underscores, starting with a letter`,
    );
  }
  const unique = input.hasUniqueValue === true;
  if (input.hasUniqueValue !== undefined && typeof input.hasUniqueValue !== 'boolean') {
    throw validationError('hasUniqueValue must be a boolean');
  }
  if (unique && type !== 'string' && type !== 'number') {
    throw validationError(`A property with unique values must be of type string or number, not ${type}`);
  }
  if (def.properties.has(name)) {
    throw new HubSpotError(409, 'OBJECT_ALREADY_EXISTS', `Property named '${name}' already exists.`);
  }
  const stamp = new Date(account.now()).toISOString();
  const property: EmulatedProperty = {
    name,
    label,
    type,
    fieldType,
    groupName,
    description: typeof input.description === 'string' ? input.description : '',
    options: [],
    displayOrder: typeof input.displayOrder === 'number' ? input.displayOrder : -1,
    hasUniqueValue: unique,
    hidden: input.hidden === true,
    formField: input.formField === true,
    hubspotDefined: false,
    calculated: false,
    externalOptions: false,
    archived: false,
    createdAt: stamp,
    updatedAt: stamp,
    modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
  };
  account.schema.defineProperty(def.name, name, { unique });
  createdOf(account).set(keyOf(def, name), property);
  return Response.json(property, { status: 201 });
}

/**
 * Answers a properties request: `GET` a type's list or one property, `POST` a new one. The scopes are the
 * schema scopes of the type (`crm.schemas.contacts.read`/`.write`), checked when the emulator was given scopes.
 */
export function propertyRoute(
  account: HubSpotAccount,
  path: PropertyPath,
  method: string,
  pathname: string,
  body: unknown,
  scopes: ReadonlySet<string> | undefined,
): Response {
  const def = account.schema.resolve(path.type);
  const schemaName = def.objectTypeId.startsWith('2-') ? 'custom' : def.name;
  if (path.name === undefined) {
    if (method === 'GET') {
      requireScopes(scopes, [`crm.schemas.${schemaName}.read`]);
      return Response.json({ results: [...def.properties].map((name) => describe(account, def, name)) });
    }
    if (method === 'POST') {
      requireScopes(scopes, [`crm.schemas.${schemaName}.write`]);
      return createProperty(account, def, body);
    }
    throw noRoute(method, pathname);
  }
  if (method !== 'GET') throw noRoute(method, pathname);
  requireScopes(scopes, [`crm.schemas.${schemaName}.read`]);
  if (!def.properties.has(path.name)) {
    throw new HubSpotError(404, 'OBJECT_NOT_FOUND', `Unable to find property ${path.name}`);
  }
  return Response.json(describe(account, def, path.name));
}
