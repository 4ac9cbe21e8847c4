// Batch routes of the objects API: `…/{type}/batch/read`, `/create`, `/update`, `/upsert`, `/archive` (2026-03
// objects spec). At most 100 inputs (wire notes; more is a 400 and nothing is written). Statuses: read, update and
// upsert 200, create 201, archive 204; 207 when some inputs failed. Batch create answers 207 only when EVERY input
// carries an `objectWriteTraceId` (multi-status is opt-in: HubSpot changelog "multi-status responses for batch create"
// and the wire notes); otherwise the first bad input fails the whole batch with its own 400/409 and nothing is
// created. Upsert needs a unique `idProperty` ("Unable to perform update/upsert by non-unique 0-1 property", see
// account.ts) and marks each result `new: true | false` (`SimplePublicUpsertObject`). A read of ids that don't exist
// is a 207 whose error reads "Could not get some CONTACT objects, they may be deleted or not exist. Check that ids
// are valid." with `context.ids` (the message HubSpot answers; hubspot-api-php #619 shows the 207). Duplicate ids
// in an update or upsert are a 400 ("Duplicate IDs found in batch input", as HubSpot words it).

import { checkIdProperty, claimUnique, findRecord, type HubSpotAccount, uniqueConflict } from './account.ts';
import { type BatchItemError, batchResponse, itemError, itemErrorOf } from './batch-envelope.ts';
import { type HubSpotError, validationError } from './errors.ts';
import { applyAssociations, type PlannedAssociation, planAssociations } from './objects.ts';
import { presentRecord } from './present.ts';
import { checkProperties } from './properties.ts';
import type { ObjectTypeDef } from './schema.ts';

type Input = Record<string, unknown>;

/** The `inputs` of a batch body: an array of objects, at most `limit` of them; else a 400. */
export function readInputs(body: unknown, limit: number): Input[] {
  const inputs = (body as { inputs?: unknown } | null)?.inputs;
  if (typeof body !== 'object' || body === null || !Array.isArray(inputs)) {
    throw validationError('Invalid input JSON: inputs must be an array');
  }
  if (inputs.length > limit) {
    throw validationError(`Too many inputs: ${inputs.length}. A batch holds at most ${limit}.`, {
      context: { limit: [String(limit)] },
    });
  }
  for (const input of inputs) {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw validationError('Invalid input JSON: each input must be an object');
    }
  }
  return inputs as Input[];
}

const idOf = (input: Input) =>
  typeof input.id === 'string' || typeof input.id === 'number' ? String(input.id) : '';

function refuseDuplicates(inputs: Input[]): void {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const input of inputs) {
    const id = idOf(input);
    if (seen.has(id)) duplicates.add(id);
    seen.add(id);
  }
  if (duplicates.size > 0) {
    throw validationError(
      `Duplicate IDs found in batch input: [${[...duplicates].join(', ')}]. IDs must be unique`,
    );
  }
}

function notFound(def: ObjectTypeDef, ids: string[]): BatchItemError {
  return itemError(
    'OBJECT_NOT_FOUND',
    `Could not get some ${def.label} objects, they may be deleted or not exist. Check that ids are valid.`,
    { ids },
  );
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}

/** `POST …/batch/read`: `{ inputs: [{ id }], properties, idProperty? }`, `?archived=true` for archived ones. */
export function batchRead(
  account: HubSpotAccount,
  def: ObjectTypeDef,
  body: unknown,
  params: URLSearchParams,
): Response {
  const startedAt = account.now();
  const inputs = readInputs(body, account.batchLimit);
  const request = body as { idProperty?: unknown; properties?: unknown };
  const idProperty =
    request.idProperty === undefined || request.idProperty === null
      ? undefined
      : checkIdProperty(account, def, request.idProperty);
  const archived = params.get('archived') === 'true';
  const properties = stringList(request.properties);
  const results: unknown[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  for (const input of inputs) {
    const id = idOf(input);
    const record = findRecord(account, def, id, idProperty, { archived });
    if (!record) {
      missing.push(id);
      continue;
    }
    if (seen.has(record.id)) continue;
    seen.add(record.id);
    results.push(presentRecord(def, record, properties));
  }
  return batchResponse({
    okStatus: 200,
    results,
    errors: missing.length > 0 ? [notFound(def, missing)] : [],
    startedAt,
    completedAt: account.now(),
  });
}

/** `POST …/batch/create`: `{ inputs: [{ properties, associations?, objectWriteTraceId? }] }`. */
export function batchCreate(account: HubSpotAccount, def: ObjectTypeDef, body: unknown): Response {
  const startedAt = account.now();
  const inputs = readInputs(body, account.batchLimit);
  const traced = inputs.length > 0 && inputs.every((input) => typeof input.objectWriteTraceId === 'string');
  const pending = new Map<string, string>();
  const accepted: { input: Input; properties: Record<string, string>; planned: PlannedAssociation[] }[] = [];
  const errors: BatchItemError[] = [];
  inputs.forEach((input, index) => {
    let failure: HubSpotError | undefined;
    const checked = checkProperties(def, input.properties, account.portalId);
    const associations = planAssociations(account, def, input.associations);
    if (!checked.ok) failure = checked.error;
    else if (!associations.ok) failure = associations.error;
    else failure = uniqueConflict(account, def, checked.properties, undefined, pending);
    if (failure) {
      if (!traced) throw failure;
      errors.push(itemErrorOf(failure, { objectWriteTraceId: [String(input.objectWriteTraceId)] }));
      return;
    }
    if (checked.ok && associations.ok) {
      claimUnique(def, checked.properties, `#${index}`, pending);
      accepted.push({ input, properties: checked.properties, planned: associations.planned });
    }
  });
  const results = accepted.map(({ input, properties, planned }) => {
    const record = account.store.create(def, properties);
    applyAssociations(account, def, record.id, planned);
    const presented = presentRecord(def, record, Object.keys(properties));
    return traced ? { ...presented, objectWriteTraceId: input.objectWriteTraceId } : presented;
  });
  return batchResponse({ okStatus: 201, results, errors, startedAt, completedAt: account.now() });
}

/** `POST …/batch/update`: `{ inputs: [{ id, idProperty?, properties }] }`; unknown ids are a 207. */
export function batchUpdate(account: HubSpotAccount, def: ObjectTypeDef, body: unknown): Response {
  const startedAt = account.now();
  const inputs = readInputs(body, account.batchLimit);
  refuseDuplicates(inputs);
  const missing: string[] = [];
  const planned: {
    record: ReturnType<typeof findRecord> & object;
    properties: Record<string, string>;
    input: Input;
  }[] = [];
  const pending = new Map<string, string>();
  for (const input of inputs) {
    const idProperty = typeof input.idProperty === 'string' ? input.idProperty : undefined;
    if (idProperty !== undefined && idProperty !== 'hs_object_id') checkIdProperty(account, def, idProperty);
    const checked = checkProperties(def, input.properties, account.portalId);
    if (!checked.ok) throw checked.error;
    const record = findRecord(account, def, idOf(input), idProperty);
    if (!record) {
      missing.push(idOf(input));
      continue;
    }
    const clash = uniqueConflict(account, def, checked.properties, record.id, pending);
    if (clash) throw clash;
    claimUnique(def, checked.properties, record.id, pending);
    planned.push({ record, properties: checked.properties, input });
  }
  const results = planned.map(({ record, properties, input }) => {
    account.store.update(def, record, properties);
    const presented = presentRecord(def, record, Object.keys(properties));
    return typeof input.objectWriteTraceId === 'string'
      ? { ...presented, objectWriteTraceId: input.objectWriteTraceId }
      : presented;
  });
  return batchResponse({
    okStatus: 200,
    results,
    errors: missing.length > 0 ? [notFound(def, missing)] : [],
    startedAt,
    completedAt: account.now(),
  });
}

/** `POST …/batch/upsert`: `{ inputs: [{ id, idProperty, properties }] }`, each result marked `new`. */
export function batchUpsert(account: HubSpotAccount, def: ObjectTypeDef, body: unknown): Response {
  const startedAt = account.now();
  const inputs = readInputs(body, account.batchLimit);
  const plans = inputs.map((input) => {
    const idProperty = checkIdProperty(account, def, input.idProperty);
    const checked = checkProperties(def, input.properties, account.portalId);
    if (!checked.ok) throw checked.error;
    const id = idOf(input);
    if (id === '') throw validationError('Each upsert input needs an id: the value of its idProperty');
    // The id is the unique property's value; checking it as that property also normalizes an e-mail.
    const key = checkProperties(def, { [idProperty]: id }, account.portalId);
    if (!key.ok) throw key.error;
    return { input, idProperty, value: key.properties[idProperty]!, properties: checked.properties };
  });
  refuseDuplicates(plans.map((plan) => ({ id: plan.value })));
  const pending = new Map<string, string>();
  const resolved = plans.map((plan) => {
    const existing = account.store.findBy(def, plan.idProperty, plan.value);
    const properties = { ...plan.properties, [plan.idProperty]: plan.value };
    const clash = uniqueConflict(account, def, properties, existing?.id ?? '', pending);
    if (clash) throw clash;
    claimUnique(def, properties, existing?.id ?? '', pending);
    return { ...plan, existing, properties };
  });
  const results = resolved.map(({ input, existing, properties }) => {
    const record = existing
      ? account.store.update(def, existing, properties)
      : account.store.create(def, properties);
    const presented = { ...presentRecord(def, record, Object.keys(properties)), new: !existing };
    return typeof input.objectWriteTraceId === 'string'
      ? { ...presented, objectWriteTraceId: input.objectWriteTraceId }
      : presented;
  });
  return batchResponse({ okStatus: 200, results, startedAt, completedAt: account.now() });
}

/** `POST …/batch/archive`: `{ inputs: [{ id }] }`, 204 whatever was there. */
export function batchArchive(account: HubSpotAccount, def: ObjectTypeDef, body: unknown): Response {
  const inputs = readInputs(body, account.batchLimit);
  for (const input of inputs) account.store.archive(def, idOf(input));
  return new Response(null, { status: 204 });
}
