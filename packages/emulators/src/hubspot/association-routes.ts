// The associations API, v4 and date-versioned (2026-03 associations spec, HubSpot-public-api-spec-collection
// `PublicApiSpecs/CRM/Associations/Rollouts/130902/{v4,2026-03}/associations.json`):
// - `POST /crm/v4/associations/{from}/{to}/batch/create` (`/crm/associations/2026-03/…`): `{ inputs: [{ from: { id },
//   to: { id }, types: [AssociationSpec] }] }` → 201 `LabelsBetweenObjectPair`s (207 with per-input errors);
// - `…/batch/associate/default`: `{ inputs: [{ from, to }] }` → 200 `PublicDefaultAssociation`s;
// - `…/batch/read`: `{ inputs: [{ id }] }`, at most 1 000 (wire notes) → `{ from: { id }, to: [{ toObjectId,
//   associationTypes }] }`; `toObjectId` is a NUMBER on the wire although the spec says string (wire notes);
//   ids without associations come back as 207 errors;
// - `…/batch/archive`: `{ inputs: [{ from: { id }, to: [{ id }] }] }` → 204;
// - `PUT /crm/v4/objects/{from}/{fromId}/associations/default/{to}/{toId}` → 200, both directions;
// - `GET /crm/v4/objects/{type}/{id}/associations/{toType}`, `PUT`/`DELETE …/{toType}/{toId}` (labeled, 201 / 204);
// - `GET /crm/v4/associations/{from}/{to}/labels` → `{ results: [{ category, typeId, label }] }`, and `POST` with
//   `{ label, name }` to create a USER_DEFINED label (v4 associations schema spec, `labels` paths).

import type { HubSpotAccount } from './account.ts';
import { readInputs } from './batch.ts';
import { type BatchItemError, batchResponse, itemError } from './batch-envelope.ts';
import { objectNotFound, validationError } from './errors.ts';
import type { ObjectTypeDef } from './schema.ts';

const idOf = (value: unknown) => {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : '';
};
const wireId = (id: string) => (/^\d+$/.test(id) && id.length < 16 ? Number(id) : id);

function exists(account: HubSpotAccount, def: ObjectTypeDef, id: string): boolean {
  return /^\d+$/.test(id) && account.store.get(def, id) !== undefined;
}

function missingObject(def: ObjectTypeDef, id: string): BatchItemError {
  return itemError('OBJECT_NOT_FOUND', `No ${def.label} with ID ${id} exists`, { ids: [id] });
}

function defaultResults(
  account: HubSpotAccount,
  from: ObjectTypeDef,
  fromId: string,
  to: ObjectTypeDef,
  toId: string,
) {
  const forward = account.associations.defaultType(from.objectTypeId, to.objectTypeId);
  const back = account.associations.defaultType(to.objectTypeId, from.objectTypeId);
  account.associations.associate(from.objectTypeId, fromId, to.objectTypeId, toId, [forward.typeId]);
  const spec = (type: typeof forward) => ({
    associationCategory: type.category,
    associationTypeId: type.typeId,
  });
  return [
    { from: { id: fromId }, to: { id: toId }, associationSpec: spec(forward) },
    { from: { id: toId }, to: { id: fromId }, associationSpec: spec(back) },
  ];
}

/** `POST …/batch/create`. */
export function associationsBatchCreate(
  account: HubSpotAccount,
  from: ObjectTypeDef,
  to: ObjectTypeDef,
  body: unknown,
): Response {
  const startedAt = account.now();
  const inputs = readInputs(body, account.batchLimit);
  const results: unknown[] = [];
  const errors: BatchItemError[] = [];
  for (const input of inputs) {
    const fromId = idOf(input.from);
    const toId = idOf(input.to);
    const types = Array.isArray(input.types) ? (input.types as { associationTypeId?: unknown }[]) : [];
    if (types.length === 0)
      throw validationError('Each input needs types: [{ associationCategory, associationTypeId }]');
    if (!exists(account, from, fromId)) {
      errors.push(missingObject(from, fromId));
      continue;
    }
    if (!exists(account, to, toId)) {
      errors.push(missingObject(to, toId));
      continue;
    }
    const typeIds = types.map((type) => Number(type?.associationTypeId));
    const unknown = typeIds.filter(
      (typeId) => !account.associations.findType(from.objectTypeId, to.objectTypeId, typeId),
    );
    if (unknown.length > 0) {
      errors.push(
        itemError(
          'VALIDATION_ERROR',
          `Unknown association type ${unknown.join(', ')} from ${from.objectTypeId} to ${to.objectTypeId}`,
          {
            ids: [fromId],
          },
        ),
      );
      continue;
    }
    account.associations.associate(from.objectTypeId, fromId, to.objectTypeId, toId, typeIds);
    const labels = typeIds
      .map((typeId) => account.associations.findType(from.objectTypeId, to.objectTypeId, typeId)?.label)
      .filter((label): label is string => typeof label === 'string');
    results.push({
      fromObjectTypeId: from.objectTypeId,
      fromObjectId: wireId(fromId),
      toObjectTypeId: to.objectTypeId,
      toObjectId: wireId(toId),
      labels,
    });
  }
  return batchResponse({ okStatus: 201, results, errors, startedAt, completedAt: account.now() });
}

/** `POST …/batch/associate/default`. */
export function associationsBatchDefault(
  account: HubSpotAccount,
  from: ObjectTypeDef,
  to: ObjectTypeDef,
  body: unknown,
): Response {
  const startedAt = account.now();
  const inputs = readInputs(body, account.batchLimit);
  const results: unknown[] = [];
  const errors: BatchItemError[] = [];
  for (const input of inputs) {
    const fromId = idOf(input.from);
    const toId = idOf(input.to);
    if (!exists(account, from, fromId)) errors.push(missingObject(from, fromId));
    else if (!exists(account, to, toId)) errors.push(missingObject(to, toId));
    else results.push(...defaultResults(account, from, fromId, to, toId));
  }
  return batchResponse({ okStatus: 200, results, errors, startedAt, completedAt: account.now() });
}

/** `POST …/batch/read`. */
export function associationsBatchRead(
  account: HubSpotAccount,
  from: ObjectTypeDef,
  to: ObjectTypeDef,
  body: unknown,
): Response {
  const startedAt = account.now();
  const inputs = readInputs(body, account.associationReadLimit);
  const results: unknown[] = [];
  const errors: BatchItemError[] = [];
  for (const input of inputs) {
    const fromId = idOf(input);
    const edges = account.associations
      .list(from.objectTypeId, fromId, to.objectTypeId)
      .filter((edge) => account.store.get(to, edge.toObjectId));
    if (!exists(account, from, fromId) || edges.length === 0) {
      errors.push(
        itemError(
          'OBJECT_NOT_FOUND',
          `No ${to.name} is associated with ${from.label.toLowerCase()} ${fromId}.`,
          { fromObjectId: [fromId] },
          'crm.associations.NO_ASSOCIATIONS_FOUND',
        ),
      );
      continue;
    }
    results.push({
      from: { id: fromId },
      to: edges.map((edge) => ({
        toObjectId: wireId(edge.toObjectId),
        associationTypes: edge.associationTypes,
      })),
    });
  }
  return batchResponse({ okStatus: 200, results, errors, startedAt, completedAt: account.now() });
}

/** `POST …/batch/archive`: removes every type between the pairs. */
export function associationsBatchArchive(
  account: HubSpotAccount,
  from: ObjectTypeDef,
  to: ObjectTypeDef,
  body: unknown,
): Response {
  const inputs = readInputs(body, account.batchLimit);
  for (const input of inputs) {
    const fromId = idOf(input.from);
    const targets = Array.isArray(input.to) ? input.to : [];
    for (const target of targets)
      account.associations.remove(from.objectTypeId, fromId, to.objectTypeId, idOf(target));
  }
  return new Response(null, { status: 204 });
}

/** `PUT …/objects/{from}/{fromId}/associations/default/{to}/{toId}`. */
export function associateDefault(
  account: HubSpotAccount,
  from: ObjectTypeDef,
  fromId: string,
  to: ObjectTypeDef,
  toId: string,
): Response {
  const startedAt = account.now();
  if (!exists(account, from, fromId) || !exists(account, to, toId)) throw objectNotFound();
  const results = defaultResults(account, from, fromId, to, toId);
  return batchResponse({ okStatus: 200, results, startedAt, completedAt: account.now() });
}

/** `GET …/objects/{type}/{id}/associations/{toType}`. */
export function listAssociations(
  account: HubSpotAccount,
  from: ObjectTypeDef,
  fromId: string,
  to: ObjectTypeDef,
): Response {
  const edges = account.associations
    .list(from.objectTypeId, fromId, to.objectTypeId)
    .filter((edge) => account.store.get(to, edge.toObjectId));
  return Response.json({
    results: edges.map((edge) => ({
      toObjectId: wireId(edge.toObjectId),
      associationTypes: edge.associationTypes,
    })),
  });
}

/** `PUT …/objects/{type}/{id}/associations/{toType}/{toId}` with `[AssociationSpec]`: 201 with the labels. */
export function associateLabeled(
  account: HubSpotAccount,
  from: ObjectTypeDef,
  fromId: string,
  to: ObjectTypeDef,
  toId: string,
  body: unknown,
): Response {
  if (!Array.isArray(body) || body.length === 0)
    throw validationError('The body must be an array of association specs');
  if (!exists(account, from, fromId) || !exists(account, to, toId)) throw objectNotFound();
  const typeIds = body.map((spec: { associationTypeId?: unknown }) => Number(spec?.associationTypeId));
  for (const typeId of typeIds) {
    if (!account.associations.findType(from.objectTypeId, to.objectTypeId, typeId)) {
      throw validationError(
        `Unknown association type ${typeId} from ${from.objectTypeId} to ${to.objectTypeId}`,
      );
    }
  }
  account.associations.associate(from.objectTypeId, fromId, to.objectTypeId, toId, typeIds);
  const labels = typeIds
    .map((typeId) => account.associations.findType(from.objectTypeId, to.objectTypeId, typeId)?.label)
    .filter((label): label is string => typeof label === 'string');
  return Response.json(
    {
      fromObjectTypeId: from.objectTypeId,
      fromObjectId: wireId(fromId),
      toObjectTypeId: to.objectTypeId,
      toObjectId: wireId(toId),
      labels,
    },
    { status: 201 },
  );
}

/** `DELETE …/objects/{type}/{id}/associations/{toType}/{toId}`: 204. */
export function removeAssociation(
  account: HubSpotAccount,
  from: ObjectTypeDef,
  fromId: string,
  to: ObjectTypeDef,
  toId: string,
): Response {
  account.associations.remove(from.objectTypeId, fromId, to.objectTypeId, toId);
  return new Response(null, { status: 204 });
}

/** `GET …/associations/{from}/{to}/labels`: the association types of the pair. */
export function listLabels(account: HubSpotAccount, from: ObjectTypeDef, to: ObjectTypeDef): Response {
  account.associations.defaultType(from.objectTypeId, to.objectTypeId);
  return Response.json({ results: account.associations.typesOf(from.objectTypeId, to.objectTypeId) });
}

/** `POST …/associations/{from}/{to}/labels` with `{ label, name }`: creates a USER_DEFINED label (both ways). */
export function createLabel(
  account: HubSpotAccount,
  from: ObjectTypeDef,
  to: ObjectTypeDef,
  body: unknown,
): Response {
  const label = (body as { label?: unknown } | null)?.label;
  const name = (body as { name?: unknown } | null)?.name;
  if (typeof label !== 'string' || label.trim() === '' || typeof name !== 'string' || name.trim() === '') {
    throw validationError('A label needs a label and a name');
  }
  const typeId = account.associations.defineLabel(from.objectTypeId, to.objectTypeId, label);
  const forward = account.associations.findType(from.objectTypeId, to.objectTypeId, typeId)!;
  const inverse = account.associations
    .typesOf(to.objectTypeId, from.objectTypeId)
    .filter((type) => type.label === label && type.category === 'USER_DEFINED');
  return Response.json({ results: [forward, ...inverse.filter((type) => type.typeId !== typeId)] });
}
