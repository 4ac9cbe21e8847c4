import { describe, expect, it } from 'vitest';
import { applyValues, changedFields, checkBody, rfc3339 } from './records.ts';

const stamp = { id: 7, now: '2026-01-05T12:00:00Z', customKeys: ['a'.repeat(40)] };

describe('records', () => {
  it('writes RFC 3339 without fractions', () => {
    expect(rfc3339(Date.UTC(2026, 0, 5, 12, 0, 0, 123))).toBe('2026-01-05T12:00:00Z');
  });

  it('builds a v2 person: contacts with primary and label, names split, every custom key present', () => {
    const { values } = checkBody(
      'person',
      { name: 'Ada King Lovelace', emails: [{ value: 'a@x.example' }], org_id: 3 },
      'create',
    );
    const person = applyValues('person', undefined, values, stamp);
    expect(person).toMatchObject({
      id: 7,
      name: 'Ada King Lovelace',
      first_name: 'Ada',
      last_name: 'King Lovelace',
      emails: [{ value: 'a@x.example', primary: true, label: 'work' }],
      phones: [],
      org_id: 3,
      owner_id: 1,
      add_time: stamp.now,
      update_time: stamp.now,
      is_deleted: false,
      custom_fields: { ['a'.repeat(40)]: null },
    });
  });

  it('refuses a missing name, an unknown key and a value of the wrong type with a 400', () => {
    expect(() => checkBody('person', { emails: [] }, 'create')).toThrow(/name is required/);
    expect(() => checkBody('deal', { name: 'x' }, 'create')).toThrow(/Unknown parameter: name/);
    expect(() => checkBody('person', { name: 'x', org_id: '3' }, 'create')).toThrow(/org_id/);
    expect(() => checkBody('person', { name: 'x', emails: ['a@x.example'] }, 'create')).toThrow(/emails/);
    expect(() => checkBody('person', [], 'create')).toThrow(/JSON object/);
    expect(() => checkBody('organization', { name: '' }, 'update')).toThrow(/empty/);
    expect(checkBody('activity', {}, 'create').values).toEqual({});
  });

  it('lists only the changed fields, custom ones one by one', () => {
    const before = applyValues('organization', undefined, { name: 'Acme' }, stamp);
    const after = applyValues(
      'organization',
      before,
      { name: 'Acme Inc', owner_id: 1 },
      { ...stamp, now: 'later' },
    );
    after.custom_fields['a'.repeat(40)] = 'x';
    expect(changedFields(before, after)).toEqual({ name: 'Acme', custom_fields: { ['a'.repeat(40)]: null } });
  });
});
