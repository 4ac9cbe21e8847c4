// A record as HubSpot answers it: `SimplePublicObject` (`id`, `properties`, `createdAt`, `updatedAt`, `archived`,
// `archivedAt` when archived) from the 2026-03 objects spec. Without `properties` a read returns the type's default
// properties; with them, each one asked for that exists (null when it has no value) plus `hs_object_id`,
// `createdate` and the modified date, which HubSpot always adds (objects guide, "Retrieve records": "properties …
// that don't exist will be ignored"; null values in the guide's example responses).

import type { ObjectTypeDef } from './schema.ts';
import type { HubSpotRecord } from './store.ts';

/** The wire shape of one record. */
export interface PresentedRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
  [extra: string]: unknown;
}

/** The `properties` asked for in a query string: comma-separated, repeated, or both. Undefined when none. */
export function propertiesParam(params: URLSearchParams, name = 'properties'): string[] | undefined {
  const values = params.getAll(name).flatMap((value) => value.split(','));
  const names = values.map((value) => value.trim()).filter((value) => value !== '');
  return names.length > 0 ? names : undefined;
}

/** Presents a record with the asked properties (or the type's defaults). */
export function presentRecord(
  def: ObjectTypeDef,
  record: HubSpotRecord,
  requested?: readonly string[],
): PresentedRecord {
  const names = requested && requested.length > 0 ? requested : def.defaultProperties;
  const properties: Record<string, string | null> = {};
  const always =
    requested && requested.length > 0 ? ['createdate', 'hs_object_id', def.modifiedProperty] : [];
  for (const name of [...always, ...names]) {
    if (!def.properties.has(name)) continue;
    properties[name] = record.properties[name] ?? null;
  }
  const presented: PresentedRecord = {
    id: record.id,
    properties,
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
    archived: record.archived,
  };
  if (record.archivedAt !== undefined) presented.archivedAt = new Date(record.archivedAt).toISOString();
  return presented;
}
