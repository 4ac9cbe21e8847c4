// What every route of the emulator works on: one HubSpot account (portal) with its schema, records and
// associations, plus the record-level rules several routes share (lookups by id or unique property, unique
// values on writes, the `idProperty` check).

import type { HubSpotAssociations } from './associations.ts';
import { conflict, type HubSpotError, objectNotFound, validationError } from './errors.ts';
import type { HubSpotSchema, ObjectTypeDef } from './schema.ts';
import type { HubSpotRecord, HubSpotStore } from './store.ts';

/** One emulated account. */
export interface HubSpotAccount {
  schema: HubSpotSchema;
  store: HubSpotStore;
  associations: HubSpotAssociations;
  /** The portal (hub) id HubSpot names in some messages. */
  portalId: number;
  /** Largest batch of records (100: wire notes, "at most 100 inputs"). */
  batchLimit: number;
  /** Largest batch of association reads (1 000: wire notes). */
  associationReadLimit: number;
  /** How long a new record stays out of search results (search lags writes: wire notes). Default 0. */
  searchLagMs?: number;
  now(): number;
}

/**
 * The 400 for an `idProperty` that is not unique: "Unable to perform update/upsert by non-unique 0-2 property
 * hs_object_id in portal ID 21939747" (segment action-destinations #3957; without the portal in
 * hubspot-api-nodejs #548).
 */
export function nonUniqueProperty(
  account: HubSpotAccount,
  def: ObjectTypeDef,
  property: string,
): HubSpotError {
  return validationError(
    `Unable to perform update/upsert by non-unique ${def.objectTypeId} property ${property} in portal ID ${account.portalId}`,
  );
}

/** Checks an `idProperty` names a unique property of the type (a 400 otherwise). */
export function checkIdProperty(account: HubSpotAccount, def: ObjectTypeDef, idProperty: unknown): string {
  if (typeof idProperty !== 'string' || !def.uniqueProperties.has(idProperty)) {
    throw nonUniqueProperty(account, def, String(idProperty));
  }
  return idProperty;
}

/** The live record an id names: a record id, or a unique property's value when `idProperty` is given. */
export function findRecord(
  account: HubSpotAccount,
  def: ObjectTypeDef,
  id: string,
  idProperty?: string,
  options: { archived?: boolean } = {},
): HubSpotRecord | undefined {
  if (idProperty !== undefined && idProperty !== 'hs_object_id') {
    checkIdProperty(account, def, idProperty);
    const found = account.store.findBy(def, idProperty, id);
    return found && found.archived === Boolean(options.archived) ? found : undefined;
  }
  return /^\d+$/.test(id) ? account.store.get(def, id, options) : undefined;
}

/** Like {@link findRecord}, or the 404. */
export function requireRecord(
  account: HubSpotAccount,
  def: ObjectTypeDef,
  id: string,
  idProperty?: string,
): HubSpotRecord {
  const record = findRecord(account, def, id, idProperty);
  if (!record) throw objectNotFound();
  return record;
}

const TITLE: Record<string, string> = { '0-1': 'Contact', '0-2': 'Company', '0-3': 'Deal', '0-5': 'Ticket' };

/**
 * The 409 for a write that would give a unique property a value another live record holds: `Contact already
 * exists. Existing ID: 51` (hubspot-api-nodejs #545, hubspot-api-python #51); other types are worded alike.
 * `pending` holds values claimed earlier in the same batch (value → id, '' for a record not created yet).
 */
export function uniqueConflict(
  account: HubSpotAccount,
  def: ObjectTypeDef,
  properties: Record<string, string>,
  selfId?: string,
  pending?: Map<string, string>,
): HubSpotError | undefined {
  for (const property of def.uniqueProperties) {
    const value = properties[property];
    if (value === undefined || value === '') continue;
    const held = account.store.findBy(def, property, value);
    const claimed = pending?.get(`${property}\0${value.trim().toLowerCase()}`);
    const holder = held && held.id !== selfId ? held.id : claimed;
    if (holder !== undefined) {
      return conflict(`${TITLE[def.objectTypeId] ?? def.name} already exists. Existing ID: ${holder}`);
    }
  }
  return undefined;
}

/** Records a batch's unique values so later inputs of the same batch see them. */
export function claimUnique(
  def: ObjectTypeDef,
  properties: Record<string, string>,
  id: string,
  pending: Map<string, string>,
): void {
  for (const property of def.uniqueProperties) {
    const value = properties[property];
    if (value) pending.set(`${property}\0${value.trim().toLowerCase()}`, id);
  }
}
