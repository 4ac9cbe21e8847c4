// Single-record routes of the objects API: GET one, list, POST create, PATCH update, DELETE archive, on both
// `/crm/objects/2026-03/{objectType}` and `/crm/v3/objects/{objectType}` (2026-03 objects spec, paths
// `/{objectType}` get/post and `/{objectType}/{objectId}` get/patch/delete). List pages hold at most 100 records
// (`limit`, default 10) and continue with `paging.next.after`; a create answers 201, an update 200, an archive 204
// (also for a record that is already gone: archiving is idempotent). A create may carry `associations`
// (`PublicAssociationsForObject`: `{ to: { id }, types: [{ associationCategory, associationTypeId }] }`).

import { type HubSpotAccount, requireRecord, uniqueConflict } from './account.ts';
import { type HubSpotError, objectNotFound, validationError } from './errors.ts';
import { type PresentedRecord, presentRecord, propertiesParam } from './present.ts';
import { checkProperties } from './properties.ts';
import type { ObjectTypeDef } from './schema.ts';
import type { HubSpotRecord } from './store.ts';

const LIST_DEFAULT_LIMIT = 10;
const LIST_MAX_LIMIT = 100;

const SINGULAR: Record<string, string> = {
  contacts: 'contact',
  companies: 'company',
  deals: 'deal',
  tickets: 'ticket',
};

/** A record's associations as v3 reads add them: `{ companies: { results: [{ id, type }] } }`. */
function associationsOf(
  account: HubSpotAccount,
  def: ObjectTypeDef,
  record: HubSpotRecord,
  toTypes: string[],
): Record<string, { results: { id: string; type: string }[] }> {
  const out: Record<string, { results: { id: string; type: string }[] }> = {};
  for (const name of toTypes) {
    const to = account.schema.resolve(name);
    const from = SINGULAR[def.name] ?? def.name;
    const target = SINGULAR[to.name] ?? to.name;
    const hasPrimary = account.associations
      .typesOf(def.objectTypeId, to.objectTypeId)
      .some((t) => t.label === 'Primary');
    const results: { id: string; type: string }[] = [];
    for (const edge of account.associations.list(def.objectTypeId, record.id, to.objectTypeId)) {
      for (const type of edge.associationTypes) {
        const base = `${from}_to_${target}`;
        const name =
          type.label === 'Primary'
            ? base
            : type.label === null
              ? hasPrimary
                ? `${base}_unlabeled`
                : base
              : undefined;
        if (name) results.push({ id: edge.toObjectId, type: name });
      }
    }
    if (results.length > 0) out[to.name] = { results };
  }
  return out;
}

/** Presents a record as a read answers it, with the associations asked for. */
export function presentRead(
  account: HubSpotAccount,
  def: ObjectTypeDef,
  record: HubSpotRecord,
  params: URLSearchParams,
): PresentedRecord {
  const presented = presentRecord(def, record, propertiesParam(params));
  const toTypes = propertiesParam(params, 'associations');
  if (toTypes) {
    const associations = associationsOf(account, def, record, toTypes);
    if (Object.keys(associations).length > 0) presented.associations = associations;
  }
  return presented;
}

/** `GET …/{type}/{id}` with `properties`, `idProperty`, `archived`, `associations`. */
export function getOne(
  account: HubSpotAccount,
  def: ObjectTypeDef,
  id: string,
  params: URLSearchParams,
): Response {
  const idProperty = params.get('idProperty') ?? undefined;
  const archived = params.get('archived') === 'true';
  const record = archived
    ? account.store.list(def, { archived: true }).find((r) => r.id === id)
    : requireRecord(account, def, id, idProperty);
  if (!record) throw objectNotFound();
  return Response.json(presentRead(account, def, record, params));
}

/** A `limit` query value within 1..max, or a 400. */
export function readLimit(raw: string | null, fallback: number, max: number): number {
  if (raw === null || raw === '') return fallback;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw validationError(`limit must be an integer from 1 to ${max}, not ${raw}`);
  }
  return limit;
}

/** `GET …/{type}` with `limit` (≤ 100), `after`, `properties`, `archived`, `associations`. */
export function listRecords(account: HubSpotAccount, def: ObjectTypeDef, url: URL): Response {
  const params = url.searchParams;
  const limit = readLimit(params.get('limit'), LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT);
  const afterRaw = params.get('after');
  if (afterRaw !== null && !/^\d+$/.test(afterRaw)) throw validationError(`Invalid after value: ${afterRaw}`);
  const after = afterRaw === null ? 0 : Number(afterRaw);
  const all = account.store.list(def, { archived: params.get('archived') === 'true' });
  const start = all.findIndex((record) => Number(record.id) >= after);
  const page = start === -1 ? [] : all.slice(start, start + limit);
  const body: Record<string, unknown> = {
    results: page.map((record) => presentRead(account, def, record, params)),
  };
  const next = start === -1 ? undefined : all[start + limit];
  if (next) {
    const link = new URL(url);
    link.searchParams.set('after', next.id);
    body.paging = { next: { after: next.id, link: link.toString() } };
  }
  return Response.json(body);
}

/** Associations a create asked for, checked. */
export type PlannedAssociation = { to: string; toId: string; typeId: number };

/**
 * Checks a create's `associations` (each type id names its target type, and the target must exist): the edges to
 * add once the record exists, or the 400 that refuses the whole create.
 */
export function planAssociations(
  account: HubSpotAccount,
  def: ObjectTypeDef,
  raw: unknown,
): { ok: true; planned: PlannedAssociation[] } | { ok: false; error: HubSpotError } {
  const planned: PlannedAssociation[] = [];
  if (raw === undefined || raw === null) return { ok: true, planned };
  const fail = (message: string) => ({ ok: false as const, error: validationError(message) });
  if (!Array.isArray(raw)) return fail('associations must be an array');
  for (const entry of raw as { to?: { id?: unknown }; types?: unknown }[]) {
    const toId = String(entry?.to?.id ?? '');
    const types = Array.isArray(entry?.types) ? (entry.types as { associationTypeId?: unknown }[]) : [];
    if (toId === '' || types.length === 0) return fail('each association needs to.id and types');
    for (const type of types) {
      const typeId = Number(type?.associationTypeId);
      const found = account.associations.typeFrom(def.objectTypeId, typeId);
      if (!found) return fail(`${typeId} is not a valid association type id for ${def.objectTypeId}`);
      const toDef = account.schema.resolve(found.to);
      if (!account.store.get(toDef, toId)) {
        return fail(`One or more associated objects (${toDef.name} ${toId}) were not found`);
      }
      planned.push({ to: found.to, toId, typeId });
    }
  }
  return { ok: true, planned };
}

/** Adds planned associations from a record just created. */
export function applyAssociations(
  account: HubSpotAccount,
  def: ObjectTypeDef,
  recordId: string,
  planned: PlannedAssociation[],
): void {
  for (const { to, toId, typeId } of planned) {
    account.associations.associate(def.objectTypeId, recordId, to, toId, [typeId]);
  }
}

function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw validationError('Invalid input JSON: the body must be an object');
  }
  return body as Record<string, unknown>;
}

/** `POST …/{type}`: 201 with the record; 400 for bad properties, 409 for a taken unique value. */
export function createOne(account: HubSpotAccount, def: ObjectTypeDef, body: unknown): Response {
  const input = bodyObject(body);
  const checked = checkProperties(def, input.properties, account.portalId);
  if (!checked.ok) throw checked.error;
  const clash = uniqueConflict(account, def, checked.properties);
  if (clash) throw clash;
  const associations = planAssociations(account, def, input.associations);
  if (!associations.ok) throw associations.error;
  const record = account.store.create(def, checked.properties);
  applyAssociations(account, def, record.id, associations.planned);
  return Response.json(presentRecord(def, record, Object.keys(checked.properties)), { status: 201 });
}

/** `PATCH …/{type}/{id}` (with `idProperty`): 200 with the record, 404 when there is none. */
export function updateOne(
  account: HubSpotAccount,
  def: ObjectTypeDef,
  id: string,
  params: URLSearchParams,
  body: unknown,
): Response {
  const input = bodyObject(body);
  const record = requireRecord(account, def, id, params.get('idProperty') ?? undefined);
  const checked = checkProperties(def, input.properties, account.portalId);
  if (!checked.ok) throw checked.error;
  const clash = uniqueConflict(account, def, checked.properties, record.id);
  if (clash) throw clash;
  account.store.update(def, record, checked.properties);
  return Response.json(presentRecord(def, record, Object.keys(checked.properties)));
}

/** `DELETE …/{type}/{id}`: 204 whether or not the record was there. */
export function archiveOne(account: HubSpotAccount, def: ObjectTypeDef, id: string): Response {
  account.store.archive(def, id);
  return new Response(null, { status: 204 });
}
