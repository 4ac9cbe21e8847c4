// The v2 record schemas against the shapes Pipedrive really answers (nulls where a value is unset, fields this
// package does not name, custom_fields keyed by hash) and the create schemas against what a caller may send.
import { describe, expect, it } from 'vitest';
import {
  activityCreateSchema,
  customFieldsSchema,
  dealCreateSchema,
  organizationCreateSchema,
  personCreateSchema,
  pipedriveActivitySchema,
  pipedriveDealSchema,
  pipedriveOrganizationSchema,
  pipedrivePersonSchema,
} from './records.ts';

const HASH = 'a'.repeat(40);

// A v2 person as `GET /api/v2/persons/{id}` answers it (client-nodejs PersonItem), with fields the schema does not
// name (picture_id, im, postal_address, notes, birthday, job_title, marketing_status) and unset ones as null.
const person = {
  id: 12,
  name: 'Ada Lovelace',
  first_name: 'Ada',
  last_name: 'Lovelace',
  owner_id: 3,
  org_id: null,
  emails: [
    { value: 'ada@example.com', primary: true, label: 'work' },
    { value: 'ada@home.example', primary: false, label: null },
  ],
  phones: [],
  label_ids: [],
  visible_to: 3,
  is_deleted: false,
  add_time: '2026-03-01T10:00:00Z',
  update_time: null,
  picture_id: null,
  im: null,
  postal_address: { value: null, country: null },
  notes: null,
  birthday: null,
  job_title: 'Analyst',
  marketing_status: 'no_consent',
  custom_fields: { [HASH]: 'ext-1', ['b'.repeat(40)]: null, ['c'.repeat(40)]: [21, 22] },
};

describe('pipedrivePersonSchema', () => {
  it('accepts a real v2 person with nulls and extra fields, and keeps the extras', () => {
    const parsed = pipedrivePersonSchema.safeParse(person);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toMatchObject({ job_title: 'Analyst', marketing_status: 'no_consent', org_id: null });
    expect(parsed.data?.custom_fields).toEqual(person.custom_fields);
  });

  it('accepts a person of only an id (everything else optional), and null custom_fields and contacts', () => {
    expect(pipedrivePersonSchema.safeParse({ id: 1 }).success).toBe(true);
    expect(
      pipedrivePersonSchema.safeParse({
        id: 1,
        custom_fields: null,
        emails: null,
        phones: null,
        label_ids: null,
      }).success,
    ).toBe(true);
  });

  it.each([
    ['no id', { name: 'Ada' }, 'id'],
    ['an id as text', { id: '12' }, 'id'],
    ['a fractional id', { id: 1.5 }, 'id'],
    ['an owner_id as text', { id: 1, owner_id: '3' }, 'owner_id'],
    ['an e-mail without its value', { id: 1, emails: [{ primary: true }] }, 'emails'],
    ['e-mails as one string', { id: 1, emails: 'ada@example.com' }, 'emails'],
    ['custom_fields as a list', { id: 1, custom_fields: ['ext-1'] }, 'custom_fields'],
    ['label_ids of text', { id: 1, label_ids: ['x'] }, 'label_ids'],
    ['is_deleted as 0', { id: 1, is_deleted: 0 }, 'is_deleted'],
  ])('refuses %s', (_, value, path) => {
    const parsed = pipedrivePersonSchema.safeParse(value);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path[0]).toBe(path);
  });

  it('refuses what is not an object at all', () => {
    for (const value of [null, undefined, 12, 'person', [person]]) {
      expect(pipedrivePersonSchema.safeParse(value).success).toBe(false);
    }
  });
});

describe('customFieldsSchema', () => {
  it('takes any value under any key, null or nothing, and refuses a non-record', () => {
    expect(customFieldsSchema.safeParse({ [HASH]: { value: 5, currency: 'EUR' } }).success).toBe(true);
    expect(customFieldsSchema.safeParse(null).success).toBe(true);
    expect(customFieldsSchema.safeParse(undefined).success).toBe(true);
    expect(customFieldsSchema.safeParse('x').success).toBe(false);
  });
});

describe('pipedriveOrganizationSchema', () => {
  it('accepts a v2 organization with an address object carrying more than its value, or null', () => {
    const org = {
      id: 5,
      name: 'Acme',
      owner_id: 3,
      label_ids: [1],
      visible_to: 3,
      address: { value: 'Main St 1, Tallinn', country: 'Estonia', locality: 'Tallinn', postal_code: null },
      is_deleted: false,
      add_time: '2026-03-01T10:00:00Z',
      update_time: '2026-03-02T10:00:00Z',
      custom_fields: {},
      website: null,
    };
    const parsed = pipedriveOrganizationSchema.safeParse(org);
    expect(parsed.success).toBe(true);
    expect(parsed.data?.address).toMatchObject({ country: 'Estonia', postal_code: null });
    expect(pipedriveOrganizationSchema.safeParse({ id: 5, address: null }).success).toBe(true);
    expect(pipedriveOrganizationSchema.safeParse({ id: 5, address: { value: null } }).success).toBe(true);
  });

  it('refuses an address given as text and a name given as a number', () => {
    expect(pipedriveOrganizationSchema.safeParse({ id: 5, address: 'Main St 1' }).success).toBe(false);
    expect(pipedriveOrganizationSchema.safeParse({ id: 5, name: 5 }).success).toBe(false);
  });
});

describe('pipedriveDealSchema', () => {
  it('accepts a v2 deal with nulls and fields it does not name', () => {
    const deal = {
      id: 9,
      title: 'Big one',
      owner_id: 3,
      person_id: null,
      org_id: 5,
      pipeline_id: 1,
      stage_id: 2,
      value: 1000.5,
      currency: 'EUR',
      status: 'open',
      probability: null,
      expected_close_date: null,
      is_deleted: false,
      add_time: '2026-03-01T10:00:00Z',
      update_time: '2026-03-01T10:00:00Z',
      stage_change_time: null,
      lost_reason: null,
      won_time: null,
      origin: 'API',
      custom_fields: null,
    };
    const parsed = pipedriveDealSchema.safeParse(deal);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toMatchObject({ origin: 'API', lost_reason: null });
  });

  it('refuses a value given as text (v1 answered numbers as strings; v2 does not)', () => {
    expect(pipedriveDealSchema.safeParse({ id: 9, value: '1000' }).success).toBe(false);
    expect(pipedriveDealSchema.safeParse({ id: 9, stage_id: 2.5 }).success).toBe(false);
  });
});

describe('pipedriveActivitySchema', () => {
  it('accepts a v2 activity: lead_id is a UUID string, times as text, nulls', () => {
    const activity = {
      id: 4,
      subject: 'Call',
      type: 'call',
      owner_id: 3,
      deal_id: null,
      person_id: 12,
      org_id: null,
      lead_id: '5d2f1c0e-1111-4a2b-9c3d-0123456789ab',
      due_date: '2026-03-02',
      due_time: '10:00',
      duration: '00:30',
      done: null,
      note: null,
      is_deleted: false,
      add_time: '2026-03-01T10:00:00Z',
      update_time: '2026-03-01T10:00:00Z',
      participants: [{ person_id: 12, primary: true }],
      busy: true,
    };
    const parsed = pipedriveActivitySchema.safeParse(activity);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toMatchObject({ busy: true, participants: [{ person_id: 12, primary: true }] });
  });

  it('refuses a numeric lead_id and done given as text', () => {
    expect(pipedriveActivitySchema.safeParse({ id: 4, lead_id: 7 }).success).toBe(false);
    expect(pipedriveActivitySchema.safeParse({ id: 4, done: 'yes' }).success).toBe(false);
  });
});

const issuePath = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.error?.issues[0]?.path.map(String).join('.');

describe('create schemas', () => {
  it('takes a person with contacts, ids, labels and custom values by name', () => {
    const parsed = personCreateSchema.safeParse({
      name: 'Ada',
      owner_id: 3,
      org_id: null,
      emails: [{ value: 'ada@example.com', primary: true, label: 'work' }],
      phones: [{ value: '+372 5555 5555' }],
      label_ids: [1, 2],
      visible_to: 3,
      custom: { externalId: 'ext-1', tier: 'Gold' },
    });
    expect(parsed.success).toBe(true);
  });

  it('drops keys it does not know, so a caller cannot slip an id or custom_fields past the encoding', () => {
    const parsed = personCreateSchema.safeParse({ name: 'Ada', id: 99, custom_fields: { [HASH]: 'raw' } });
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual({ name: 'Ada' });
  });

  it.each([
    ['an empty name', personCreateSchema, { name: '' }, 'name'],
    ['a name over 500 characters', personCreateSchema, { name: 'x'.repeat(501) }, 'name'],
    ['an owner_id of 0', personCreateSchema, { name: 'A', owner_id: 0 }, 'owner_id'],
    [
      'an e-mail with an empty value',
      personCreateSchema,
      { name: 'A', emails: [{ value: '' }] },
      'emails.0.value',
    ],
    [
      '101 phones',
      personCreateSchema,
      { name: 'A', phones: Array.from({ length: 101 }, () => ({ value: '1' })) },
      'phones',
    ],
    [
      'a custom name of 201 characters',
      personCreateSchema,
      { name: 'A', custom: { ['k'.repeat(201)]: 1 } },
      `custom.${'k'.repeat(201)}`,
    ],
    ['an organization without a name', organizationCreateSchema, {}, 'name'],
    ['a deal without a title', dealCreateSchema, { value: 5 }, 'title'],
    ['a lower-case currency', dealCreateSchema, { title: 'D', currency: 'eur' }, 'currency'],
    ['an unknown status', dealCreateSchema, { title: 'D', status: 'deleted' }, 'status'],
    ['an infinite value', dealCreateSchema, { title: 'D', value: Number.POSITIVE_INFINITY }, 'value'],
    [
      'a close date with a time',
      dealCreateSchema,
      { title: 'D', expected_close_date: '2026-03-01T00:00' },
      'expected_close_date',
    ],
    ['an activity due_time of 9am', activityCreateSchema, { subject: 'S', due_time: '9am' }, 'due_time'],
    ['an activity duration of 30', activityCreateSchema, { subject: 'S', duration: '30' }, 'duration'],
    [
      'an activity due_date of 01.03.2026',
      activityCreateSchema,
      { subject: 'S', due_date: '01.03.2026' },
      'due_date',
    ],
  ])('refuses %s, naming the field', (_, schema, value, path) => {
    const parsed = schema.safeParse(value);
    expect(parsed.success).toBe(false);
    expect(issuePath(parsed)).toBe(path);
  });

  it('activities take no custom values (v2 has no activity custom fields): `custom` is dropped', () => {
    const parsed = activityCreateSchema.safeParse({ subject: 'Call', custom: { x: 1 } });
    expect(parsed.success && parsed.data).toEqual({ subject: 'Call' });
  });

  it('lets nullable ids and dates be cleared with null', () => {
    expect(
      dealCreateSchema.safeParse({ title: 'D', person_id: null, expected_close_date: null }).success,
    ).toBe(true);
    expect(activityCreateSchema.safeParse({ subject: 'S', due_date: null, due_time: null }).success).toBe(
      true,
    );
  });
});
