// The emulated account's records, in memory. Ids are numeric strings handed out in increasing order, as HubSpot's
// are (the objects guide's examples, and `hs_object_id` sorts numerically in search); every write stamps
// `hs_object_id`, `createdate` and the type's "last modified" property (contacts `lastmodifieddate`, others
// `hs_lastmodifieddate`: objects guide, "Retrieve records"). Archiving is a soft delete, visible with
// `archived=true` (objects guide, "Delete records": "archived … can be restored within 90 days").

import type { ObjectTypeDef } from './schema.ts';

/** A stored record. Property values are strings, as on the wire (`additionalProperties: { type: string }`). */
export interface HubSpotRecord {
  id: string;
  objectTypeId: string;
  properties: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt?: number;
}

/** Options of {@link createHubSpotStore}. */
export interface HubSpotStoreOptions {
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
  /** The first id handed out. Default 1001. */
  firstId?: number;
}

/** Records by object type, with an index on each unique property that has been looked up. */
export interface HubSpotStore {
  create(def: ObjectTypeDef, properties: Record<string, string>): HubSpotRecord;
  /** A record by id; archived ones only when asked. */
  get(def: ObjectTypeDef, id: string, options?: { archived?: boolean }): HubSpotRecord | undefined;
  /** The live record whose `property` equals `value` (case-insensitively, as HubSpot compares e-mails). */
  findBy(def: ObjectTypeDef, property: string, value: string): HubSpotRecord | undefined;
  /** Sets properties (an empty string clears one, as HubSpot does) and stamps the modified date. */
  update(def: ObjectTypeDef, record: HubSpotRecord, properties: Record<string, string>): HubSpotRecord;
  /** Archives a live record; false when there is none. */
  archive(def: ObjectTypeDef, id: string): boolean;
  /** Live (or archived) records of a type in id order. */
  list(def: ObjectTypeDef, options?: { archived?: boolean }): HubSpotRecord[];
  count(def: ObjectTypeDef): number;
  clear(): void;
}

const normalize = (value: string) => value.trim().toLowerCase();

/** Creates an empty store. */
export function createHubSpotStore(options: HubSpotStoreOptions = {}): HubSpotStore {
  const now = options.now ?? (() => Date.now());
  const firstId = options.firstId ?? 1001;
  let nextId = firstId;
  let byType = new Map<string, Map<string, HubSpotRecord>>();
  // type id → property → normalized value → record id (live records only).
  let indexes = new Map<string, Map<string, Map<string, string>>>();

  const recordsOf = (def: ObjectTypeDef) => {
    let records = byType.get(def.objectTypeId);
    if (!records) {
      records = new Map();
      byType.set(def.objectTypeId, records);
    }
    return records;
  };
  const indexesOf = (def: ObjectTypeDef) => {
    let own = indexes.get(def.objectTypeId);
    if (!own) {
      own = new Map();
      indexes.set(def.objectTypeId, own);
    }
    return own;
  };
  const unindex = (def: ObjectTypeDef, record: HubSpotRecord) => {
    for (const [property, index] of indexesOf(def)) {
      const value = record.properties[property];
      if (value !== undefined && index.get(normalize(value)) === record.id) index.delete(normalize(value));
    }
  };
  const reindex = (def: ObjectTypeDef, record: HubSpotRecord) => {
    if (record.archived) return;
    for (const [property, index] of indexesOf(def)) {
      const value = record.properties[property];
      if (value !== undefined && !index.has(normalize(value))) index.set(normalize(value), record.id);
    }
  };
  const stamp = (def: ObjectTypeDef, record: HubSpotRecord, at: number) => {
    record.updatedAt = at;
    record.properties[def.modifiedProperty] = new Date(at).toISOString();
  };
  const assign = (record: HubSpotRecord, properties: Record<string, string>) => {
    for (const [name, value] of Object.entries(properties)) {
      if (name === 'hs_object_id') continue;
      if (value === '') delete record.properties[name];
      else record.properties[name] = value;
    }
  };

  return {
    create(def, properties) {
      const at = now();
      const id = String(nextId++);
      const record: HubSpotRecord = {
        id,
        objectTypeId: def.objectTypeId,
        properties: {},
        createdAt: at,
        updatedAt: at,
        archived: false,
      };
      assign(record, properties);
      record.properties.hs_object_id = id;
      record.properties.createdate ??= new Date(at).toISOString();
      if (def.objectTypeId.startsWith('2-')) record.properties.hs_createdate ??= record.properties.createdate;
      stamp(def, record, at);
      recordsOf(def).set(id, record);
      reindex(def, record);
      return record;
    },
    get(def, id, { archived = false } = {}) {
      const record = recordsOf(def).get(id);
      return record && record.archived === archived ? record : undefined;
    },
    findBy(def, property, value) {
      const own = indexesOf(def);
      let index = own.get(property);
      if (!index) {
        index = new Map();
        for (const record of recordsOf(def).values()) {
          const held = record.properties[property];
          if (!record.archived && held !== undefined && !index.has(normalize(held))) {
            index.set(normalize(held), record.id);
          }
        }
        own.set(property, index);
      }
      const id = index.get(normalize(value));
      return id === undefined ? undefined : recordsOf(def).get(id);
    },
    update(def, record, properties) {
      unindex(def, record);
      assign(record, properties);
      stamp(def, record, Math.max(now(), record.updatedAt));
      reindex(def, record);
      return record;
    },
    archive(def, id) {
      const record = recordsOf(def).get(id);
      if (!record || record.archived) return false;
      unindex(def, record);
      record.archived = true;
      record.archivedAt = now();
      return true;
    },
    list(def, { archived = false } = {}) {
      // Map order is insertion order, which is id order: ids only ever grow.
      return [...recordsOf(def).values()].filter((record) => record.archived === archived);
    },
    count(def) {
      let total = 0;
      for (const record of recordsOf(def).values()) if (!record.archived) total += 1;
      return total;
    },
    clear() {
      byType = new Map();
      indexes = new Map();
      nextId = firstId;
    },
  };
}
