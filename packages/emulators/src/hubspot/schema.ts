// The object types and properties the emulated account knows. Standard object type ids (`0-1` contacts, `0-2`
// companies, `0-3` deals, `0-5` tickets) and custom ones (`2-<n>`) are from HubSpot's "Understanding the CRM"
// guide (developers.hubspot.com/docs/guides/crm/understanding-the-crm, "Object type IDs"). Default properties are the
// ones a GET without `properties` returns (objects guide, "Retrieve records"). Uniqueness: `email` is unique for
// contacts, a company's `domain` is NOT (companies guide: "domain … used for deduplication" but upserts by it fail
// with "Unable to perform update/upsert by non-unique 0-2 property"), and custom properties can be declared unique
// (properties guide, `hasUniqueValue`). `hs_object_id` is the record id, never an `idProperty` (segment
// action-destinations #3957: "non-unique 0-2 property hs_object_id").

import { validationError } from './errors.ts';

/** One object type of the account: standard or custom. */
export interface ObjectTypeDef {
  /** `0-1`, `2-12345`… */
  objectTypeId: string;
  /** The plural path name: `contacts`, or a custom object's name. */
  name: string;
  /** What HubSpot calls it in messages: `CONTACT`, `COMPANY`… */
  label: string;
  /** Properties a record may hold (writes of others are refused). */
  properties: Set<string>;
  /** Properties whose values are unique, usable as `idProperty`. */
  uniqueProperties: Set<string>;
  /** Returned when a request names no `properties`. */
  defaultProperties: string[];
  /** Searched by a search request's `query` (search guide, "Search default searchable properties"). */
  searchableProperties: string[];
  /** The "last modified" property: `lastmodifieddate` for contacts, `hs_lastmodifieddate` elsewhere. */
  modifiedProperty: string;
}

/** What {@link HubSpotSchema.defineObjectType} takes for a custom object. */
export interface CustomObjectInput {
  /** `2-` followed by digits, e.g. `2-12345`. */
  objectTypeId: string;
  /** The name used in paths (`/crm/v3/objects/{name}`), e.g. `cars`. */
  name: string;
  properties?: string[];
  uniqueProperties?: string[];
  /** Default `properties` of answers; default the first property (the primary display property). */
  defaultProperties?: string[];
}

const COMMON = ['hs_object_id', 'createdate', 'hubspot_owner_id', 'hs_createdate'];

const STANDARD: Omit<ObjectTypeDef, 'properties' | 'uniqueProperties'>[] = [
  {
    objectTypeId: '0-1',
    name: 'contacts',
    label: 'CONTACT',
    defaultProperties: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
    searchableProperties: ['firstname', 'lastname', 'email', 'phone', 'hs_additional_emails', 'company'],
    modifiedProperty: 'lastmodifieddate',
  },
  {
    objectTypeId: '0-2',
    name: 'companies',
    label: 'COMPANY',
    defaultProperties: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
    searchableProperties: ['name', 'domain', 'website', 'phone'],
    modifiedProperty: 'hs_lastmodifieddate',
  },
  {
    objectTypeId: '0-3',
    name: 'deals',
    label: 'DEAL',
    defaultProperties: [
      'amount',
      'closedate',
      'createdate',
      'dealname',
      'dealstage',
      'hs_lastmodifieddate',
      'hs_object_id',
      'pipeline',
    ],
    searchableProperties: ['dealname', 'pipeline', 'dealstage', 'description', 'dealtype'],
    modifiedProperty: 'hs_lastmodifieddate',
  },
  {
    objectTypeId: '0-5',
    name: 'tickets',
    label: 'TICKET',
    defaultProperties: [
      'content',
      'createdate',
      'hs_lastmodifieddate',
      'hs_object_id',
      'hs_pipeline',
      'hs_pipeline_stage',
      'hs_ticket_category',
      'hs_ticket_priority',
      'subject',
    ],
    searchableProperties: ['subject', 'content', 'hs_pipeline_stage', 'hs_ticket_category'],
    modifiedProperty: 'hs_lastmodifieddate',
  },
];

// Writable standard properties per type (a working subset of each object's default property set).
const STANDARD_PROPERTIES: Record<string, string[]> = {
  contacts: [
    'email',
    'firstname',
    'lastname',
    'phone',
    'mobilephone',
    'company',
    'website',
    'jobtitle',
    'lifecyclestage',
    'hs_lead_status',
    'address',
    'city',
    'state',
    'zip',
    'country',
    'hs_additional_emails',
    'lastmodifieddate',
  ],
  companies: [
    'name',
    'domain',
    'website',
    'phone',
    'industry',
    'city',
    'state',
    'country',
    'numberofemployees',
    'annualrevenue',
    'description',
    'lifecyclestage',
    'hs_lastmodifieddate',
  ],
  deals: [
    'dealname',
    'amount',
    'dealstage',
    'pipeline',
    'closedate',
    'dealtype',
    'description',
    'hs_priority',
    'hs_lastmodifieddate',
  ],
  tickets: [
    'subject',
    'content',
    'hs_pipeline',
    'hs_pipeline_stage',
    'hs_ticket_priority',
    'hs_ticket_category',
    'source_type',
    'hs_lastmodifieddate',
  ],
};

/** Singular names HubSpot also accepts in paths (`/crm/v3/objects/contact`). */
const SINGULAR: Record<string, string> = {
  contact: 'contacts',
  company: 'companies',
  deal: 'deals',
  ticket: 'tickets',
};

/** The object types and properties of one emulated account. */
export interface HubSpotSchema {
  /** The type a path names (plural or singular name, or type id), or a 400 `Unable to infer object type from: x`. */
  resolve(pathName: string): ObjectTypeDef;
  /** Every type, standard first. */
  types(): ObjectTypeDef[];
  /** Registers a custom object type (`2-12345`); refuses an id or name already taken. */
  defineObjectType(input: CustomObjectInput): ObjectTypeDef;
  /** Adds a property to a type, unique or not. */
  defineProperty(type: string, name: string, options?: { unique?: boolean }): void;
}

/** Creates the schema with the four standard objects. */
export function createHubSpotSchema(): HubSpotSchema {
  const byKey = new Map<string, ObjectTypeDef>();
  const ordered: ObjectTypeDef[] = [];

  const add = (def: ObjectTypeDef) => {
    ordered.push(def);
    byKey.set(def.objectTypeId, def);
    byKey.set(def.name.toLowerCase(), def);
  };
  for (const base of STANDARD) {
    const properties = new Set([...COMMON, ...(STANDARD_PROPERTIES[base.name] ?? [])]);
    add({ ...base, properties, uniqueProperties: new Set(base.name === 'contacts' ? ['email'] : []) });
  }

  const schema: HubSpotSchema = {
    resolve(pathName) {
      const key = pathName.toLowerCase();
      const def = byKey.get(key) ?? byKey.get(SINGULAR[key] ?? '');
      if (!def) throw validationError(`Unable to infer object type from: ${pathName}`);
      return def;
    },
    types: () => [...ordered],
    defineObjectType(input) {
      if (!/^2-\d+$/.test(input.objectTypeId)) {
        throw new RangeError(`objectTypeId must look like 2-12345, not ${input.objectTypeId}`);
      }
      if (!/^[a-z][a-z0-9_]*$/i.test(input.name)) throw new RangeError('name must be a plain identifier');
      if (byKey.has(input.objectTypeId) || byKey.has(input.name.toLowerCase())) {
        throw new RangeError(`object type ${input.objectTypeId} (${input.name}) is already defined`);
      }
      const own = input.properties ?? [];
      const unique = input.uniqueProperties ?? [];
      const def: ObjectTypeDef = {
        objectTypeId: input.objectTypeId,
        name: input.name,
        label: input.name.toUpperCase(),
        properties: new Set([...COMMON, 'hs_lastmodifieddate', ...own, ...unique]),
        uniqueProperties: new Set(unique),
        defaultProperties: [
          'hs_createdate',
          'hs_lastmodifieddate',
          'hs_object_id',
          ...(input.defaultProperties ?? own.slice(0, 1)),
        ],
        searchableProperties: input.defaultProperties ?? own.slice(0, 1),
        modifiedProperty: 'hs_lastmodifieddate',
      };
      add(def);
      return def;
    },
    defineProperty(type, name, options = {}) {
      const def = schema.resolve(type);
      if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new RangeError('a property name is lowercase a-z, 0-9, _');
      def.properties.add(name);
      if (options.unique) def.uniqueProperties.add(name);
    },
  };
  return schema;
}
