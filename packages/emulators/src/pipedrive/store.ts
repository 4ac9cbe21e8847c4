// The records of one emulated company: persons, organizations, deals and activities (v2 shapes, see records.ts),
// and the v1-only notes and leads. Every write through here announces its webhook deliveries with the change's
// source (`api` for writes through the routes, `app` for `emulator.appChange`), as Pipedrive's webhooks v2 do
// (wire notes). Deleting marks `is_deleted` and hides the record from reads (the v2 item models carry
// `is_deleted`; answering 404 for a deleted id afterwards is a guess). Notes follow the v1 `note` shape
// (`content`, `person_id`, `org_id`, `deal_id`, `lead_id`, `user_id`, `add_time`/`update_time` as
// "YYYY-MM-DD HH:MM:SS", `active_flag`), leads the v1 `lead` shape (`id` a UUID, `title`, `person_id` or
// `organization_id` required, `is_archived`, `source_name`) of pipedrive/client-nodejs `src/versions/v1/models/`.

import { badRequest } from './errors.ts';
import type { FieldRegistry, PipedriveEntity } from './fields.ts';
import { applyValues, changedFields, checkBody, type PipedriveRecord, rfc3339 } from './records.ts';
import type { ChangeEvent } from './webhooks.ts';

/** Who made a change: a request through the API, or a user in the app. */
export type ChangeSource = 'api' | 'app';

/** A stored v1 note or lead. */
export type V1Record = Record<string, unknown> & { id: number | string };

/** The records of one company. */
export interface PipedriveStore {
  create(entity: PipedriveEntity, body: unknown, source: ChangeSource): PipedriveRecord;
  /** The updated record, or undefined when there is none with that id. */
  update(
    entity: PipedriveEntity,
    id: number,
    body: unknown,
    source: ChangeSource,
  ): PipedriveRecord | undefined;
  remove(entity: PipedriveEntity, id: number, source: ChangeSource): boolean;
  get(entity: PipedriveEntity, id: number): PipedriveRecord | undefined;
  /** Live records, in id order. */
  all(entity: PipedriveEntity): PipedriveRecord[];
  createNote(body: unknown, source: ChangeSource): V1Record;
  /** Deletes a note; false when there is none with that id. */
  removeNote(id: number, source: ChangeSource): boolean;
  notes(): V1Record[];
  createLead(body: unknown, source: ChangeSource): V1Record;
  leads(): V1Record[];
  clear(): void;
}

/** Options of {@link createPipedriveStore}. */
export interface PipedriveStoreOptions {
  fields: FieldRegistry;
  now: () => number;
  uuid: () => string;
  announce: (change: ChangeEvent) => void;
  userId: number;
}

const v1Time = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const optionalId = (value: unknown, name: string) => {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw badRequest(`${name} must be an integer id`);
  return value;
};

/** Creates an empty store. */
export function createPipedriveStore(options: PipedriveStoreOptions): PipedriveStore {
  const { fields, now, announce } = options;
  const entities: PipedriveEntity[] = ['person', 'organization', 'deal', 'activity'];
  let records = new Map<PipedriveEntity, Map<number, PipedriveRecord>>();
  let nextIds = new Map<PipedriveEntity, number>();
  let notes: V1Record[] = [];
  let leads: V1Record[] = [];
  let nextNoteId = 1;
  const clear = () => {
    records = new Map(entities.map((entity) => [entity, new Map()]));
    nextIds = new Map(entities.map((entity) => [entity, 1]));
    notes = [];
    leads = [];
    nextNoteId = 1;
  };
  clear();
  const live = (entity: PipedriveEntity, id: number) => {
    const record = records.get(entity)!.get(id);
    return record && !record.is_deleted ? record : undefined;
  };
  const checked = (entity: PipedriveEntity, body: unknown, mode: 'create' | 'update') => {
    const { values, customFields } = checkBody(entity, body, mode);
    return { values, custom: fields.checkValues(entity, customFields) };
  };

  return {
    create(entity, body, source) {
      const { values, custom } = checked(entity, body, 'create');
      const id = nextIds.get(entity)!;
      nextIds.set(entity, id + 1);
      const customKeys = [...fields.custom(entity).keys()];
      const record = applyValues(entity, undefined, values, { id, now: rfc3339(now()), customKeys });
      Object.assign(record.custom_fields, custom);
      records.get(entity)!.set(id, record);
      announce({
        action: 'create',
        entity,
        entityId: id,
        source,
        data: structuredClone(record),
        previous: null,
      });
      return structuredClone(record);
    },
    update(entity, id, body, source) {
      const before = live(entity, id);
      if (!before) return undefined;
      const { values, custom } = checked(entity, body, 'update');
      const customKeys = [...fields.custom(entity).keys()];
      const after = applyValues(entity, before, values, { id, now: rfc3339(now()), customKeys });
      Object.assign(after.custom_fields, custom);
      records.get(entity)!.set(id, after);
      const previous = changedFields(before, after);
      announce({ action: 'change', entity, entityId: id, source, data: structuredClone(after), previous });
      return structuredClone(after);
    },
    remove(entity, id, source) {
      const before = live(entity, id);
      if (!before) return false;
      records.get(entity)!.set(id, { ...before, is_deleted: true, update_time: rfc3339(now()) });
      announce({
        action: 'delete',
        entity,
        entityId: id,
        source,
        data: null,
        previous: structuredClone(before),
      });
      return true;
    },
    get(entity, id) {
      const record = live(entity, id);
      return record && structuredClone(record);
    },
    all(entity) {
      return [...records.get(entity)!.values()]
        .filter((record) => !record.is_deleted)
        .map((r) => structuredClone(r));
    },
    createNote(body, source) {
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw badRequest('The body must be a JSON object');
      const input = body as Record<string, unknown>;
      if (typeof input.content !== 'string' || input.content === '') throw badRequest('content is required');
      const links = {
        person_id: optionalId(input.person_id, 'person_id'),
        org_id: optionalId(input.org_id, 'org_id'),
        deal_id: optionalId(input.deal_id, 'deal_id'),
        lead_id: input.lead_id === undefined || input.lead_id === null ? null : String(input.lead_id),
      };
      if (Object.values(links).every((link) => link === null)) {
        throw badRequest('One of deal_id, person_id, org_id or lead_id is required');
      }
      const time = v1Time(now());
      const note: V1Record = {
        id: nextNoteId++,
        content: input.content,
        ...links,
        user_id: options.userId,
        add_time: time,
        update_time: time,
        active_flag: true,
        pinned_to_person_flag: false,
        pinned_to_organization_flag: false,
        pinned_to_deal_flag: false,
      };
      notes.push(note);
      announce({
        action: 'create',
        entity: 'note',
        entityId: note.id,
        source,
        data: structuredClone(note),
        previous: null,
      });
      return structuredClone(note);
    },
    removeNote(id, source) {
      const note = notes.find((item) => item.id === id);
      if (!note) return false;
      notes = notes.filter((item) => item !== note);
      announce({
        action: 'delete',
        entity: 'note',
        entityId: id,
        source,
        data: null,
        previous: structuredClone(note),
      });
      return true;
    },
    notes: () => notes.map((note) => structuredClone(note)),
    createLead(body, source) {
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw badRequest('The body must be a JSON object');
      const input = body as Record<string, unknown>;
      if (typeof input.title !== 'string' || input.title === '') throw badRequest('title is required');
      const personId = optionalId(input.person_id, 'person_id');
      const organizationId = optionalId(input.organization_id, 'organization_id');
      if (personId === null && organizationId === null) {
        throw badRequest('A lead must be linked to a person_id or an organization_id');
      }
      const time = new Date(now()).toISOString();
      const lead: V1Record = {
        id: options.uuid(),
        title: input.title,
        owner_id: optionalId(input.owner_id, 'owner_id') ?? options.userId,
        creator_id: options.userId,
        label_ids: Array.isArray(input.label_ids) ? input.label_ids : [],
        person_id: personId,
        organization_id: organizationId,
        source_name: 'API',
        is_archived: false,
        was_seen: false,
        value: input.value ?? null,
        expected_close_date: input.expected_close_date ?? null,
        next_activity_id: null,
        add_time: time,
        update_time: time,
        visible_to: '3',
      };
      leads.push(lead);
      announce({
        action: 'create',
        entity: 'lead',
        entityId: lead.id,
        source,
        data: structuredClone(lead),
        previous: null,
      });
      return structuredClone(lead);
    },
    leads: () => leads.map((lead) => structuredClone(lead)),
    clear,
  };
}
