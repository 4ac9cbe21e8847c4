// The v2 record shapes and the checks on a create/update body. Writable fields per entity are those of the v2
// request models in pipedrive/client-nodejs (`src/versions/v2/models/add-person-request.ts`,
// `add-organization-request.ts`, `add-deal-request.ts`, `add-activity-request.ts`); persons carry `emails` and
// `phones` as arrays of `{ value, primary, label }` (`add-person-request-emails-inner.ts`). Read shapes follow the
// item models (`organization-item.ts`, `activity-item.ts`: `id`, `owner_id`, `add_time`, `update_time`,
// `is_deleted`, `custom_fields` keyed by 40-character hashes). Timestamps are RFC 3339 in UTC without fractions, as
// the API's examples show ("2025-01-01T10:20:00Z" in `persons-api.ts`). Refusing unknown body keys with a 400 and
// the required fields (person/organization `name`, deal `title`) are this emulator's reading (guessed wording).

import { badRequest } from './errors.ts';
import type { PipedriveEntity } from './fields.ts';

/** A stored v2 record: its wire shape. */
export type PipedriveRecord = Record<string, unknown> & {
  id: number;
  add_time: string;
  update_time: string;
  is_deleted: boolean;
  custom_fields: Record<string, unknown>;
};

type Check = 'string' | 'int' | 'number' | 'boolean' | 'ids' | 'contacts' | 'object' | 'time';

const COMMON: Record<string, Check> = {
  owner_id: 'int',
  visible_to: 'int',
  add_time: 'time',
  update_time: 'time',
};

/** Writable fields per entity and how each is checked. */
export const WRITABLE: Record<PipedriveEntity, Record<string, Check>> = {
  person: {
    ...COMMON,
    name: 'string',
    org_id: 'int',
    emails: 'contacts',
    phones: 'contacts',
    label_ids: 'ids',
    marketing_status: 'string',
  },
  organization: { ...COMMON, name: 'string', address: 'object', label_ids: 'ids' },
  deal: {
    ...COMMON,
    title: 'string',
    person_id: 'int',
    org_id: 'int',
    pipeline_id: 'int',
    stage_id: 'int',
    value: 'number',
    currency: 'string',
    status: 'string',
    probability: 'number',
    lost_reason: 'string',
    close_time: 'string',
    expected_close_date: 'string',
    label_ids: 'ids',
  },
  activity: {
    ...COMMON,
    subject: 'string',
    type: 'string',
    deal_id: 'int',
    lead_id: 'string',
    person_id: 'int',
    org_id: 'int',
    project_id: 'int',
    due_date: 'string',
    due_time: 'string',
    duration: 'string',
    busy: 'boolean',
    done: 'boolean',
    note: 'string',
    public_description: 'string',
    priority: 'int',
    location: 'object',
  },
};

/** Defaults of a new record per entity (besides id, times, custom fields). */
const DEFAULTS: Record<PipedriveEntity, Record<string, unknown>> = {
  person: {
    name: null,
    first_name: null,
    last_name: null,
    owner_id: 1,
    org_id: null,
    emails: [],
    phones: [],
    visible_to: 3,
    label_ids: [],
    picture_id: null,
  },
  organization: { name: null, owner_id: 1, visible_to: 3, label_ids: [], address: null },
  deal: {
    title: null,
    owner_id: 1,
    creator_user_id: 1,
    person_id: null,
    org_id: null,
    pipeline_id: 1,
    stage_id: 1,
    value: 0,
    currency: 'USD',
    status: 'open',
    probability: null,
    lost_reason: null,
    visible_to: 3,
    close_time: null,
    won_time: null,
    lost_time: null,
    expected_close_date: null,
    label_ids: [],
  },
  activity: {
    subject: null,
    type: 'task',
    owner_id: 1,
    creator_user_id: 1,
    deal_id: null,
    lead_id: null,
    person_id: null,
    org_id: null,
    project_id: null,
    due_date: null,
    due_time: null,
    duration: null,
    busy: false,
    done: false,
    marked_as_done_time: null,
    note: null,
    public_description: null,
    priority: null,
    location: null,
  },
};

const REQUIRED: Partial<Record<PipedriveEntity, string>> = {
  person: 'name',
  organization: 'name',
  deal: 'title',
};

/** A timestamp as the v2 API writes it: `2026-01-05T12:00:00Z`. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function fits(check: Check, value: unknown): boolean {
  switch (check) {
    case 'string':
      return typeof value === 'string';
    case 'int':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'ids':
      return Array.isArray(value) && value.every((id) => typeof id === 'number' && Number.isInteger(id));
    case 'time':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value));
    case 'object':
      return typeof value === 'object' && !Array.isArray(value);
    case 'contacts':
      return (
        Array.isArray(value) &&
        value.every(
          (item) =>
            typeof item === 'object' &&
            item !== null &&
            typeof item.value === 'string' &&
            (item.primary === undefined || typeof item.primary === 'boolean') &&
            (item.label === undefined || typeof item.label === 'string'),
        )
      );
  }
}

/**
 * The standard fields of a write body, checked (custom fields are left to the field registry). `create` requires the
 * entity's name field. Throws a 400 naming the first field that does not fit.
 */
export function checkBody(
  entity: PipedriveEntity,
  body: unknown,
  mode: 'create' | 'update',
): { values: Record<string, unknown>; customFields: unknown } {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest('The body must be a JSON object');
  const values: Record<string, unknown> = {};
  let customFields: unknown;
  for (const [key, value] of Object.entries(body)) {
    if (key === 'custom_fields') {
      customFields = value;
      continue;
    }
    const check = WRITABLE[entity][key];
    if (!check) throw badRequest(`Unknown parameter: ${key}`);
    if (value !== null && !fits(check, value)) throw badRequest(`Invalid value for parameter: ${key}`);
    values[key] = value;
  }
  const required = REQUIRED[entity];
  if (required && mode === 'create' && (typeof values[required] !== 'string' || values[required] === '')) {
    throw badRequest(`${required} is required`);
  }
  if (required && mode === 'update' && values[required] === '')
    throw badRequest(`${required} cannot be empty`);
  return { values, customFields };
}

/** Contact entries with `primary` and `label` filled in: the first is primary unless one says so. */
function normalizeContacts(list: { value: string; primary?: boolean; label?: string }[]) {
  const anyPrimary = list.some((item) => item.primary === true);
  return list.map((item, index) => ({
    value: item.value,
    primary: anyPrimary ? item.primary === true : index === 0,
    label: item.label ?? 'work',
  }));
}

/** Applies checked values to a record (a new one from the defaults when `base` is undefined). */
export function applyValues(
  entity: PipedriveEntity,
  base: PipedriveRecord | undefined,
  values: Record<string, unknown>,
  stamp: { id: number; now: string; customKeys: string[] },
): PipedriveRecord {
  const record = (
    base
      ? structuredClone(base)
      : {
          id: stamp.id,
          ...structuredClone(DEFAULTS[entity]),
          add_time: stamp.now,
          update_time: stamp.now,
          is_deleted: false,
          custom_fields: Object.fromEntries(stamp.customKeys.map((key) => [key, null])),
        }
  ) as PipedriveRecord;
  for (const [key, value] of Object.entries(values)) {
    record[key] =
      (key === 'emails' || key === 'phones') && Array.isArray(value) ? normalizeContacts(value) : value;
  }
  if (entity === 'person' && typeof values.name === 'string') {
    const [first, ...rest] = values.name.trim().split(/\s+/);
    record.first_name = first ?? null;
    record.last_name = rest.length > 0 ? rest.join(' ') : null;
  }
  if (values.update_time === undefined) record.update_time = stamp.now;
  return record;
}

/** The fields whose values differ between two versions of a record (custom fields compared one by one). */
export function changedFields(before: PipedriveRecord, after: PipedriveRecord): Record<string, unknown> {
  const previous: Record<string, unknown> = {};
  for (const key of Object.keys(after)) {
    if (key === 'update_time' || key === 'custom_fields') continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) previous[key] = before[key] ?? null;
  }
  const custom: Record<string, unknown> = {};
  for (const key of Object.keys(after.custom_fields)) {
    if (JSON.stringify(before.custom_fields[key]) !== JSON.stringify(after.custom_fields[key])) {
      custom[key] = before.custom_fields[key] ?? null;
    }
  }
  if (Object.keys(custom).length > 0) previous.custom_fields = custom;
  return previous;
}
