import { describe, expect, it } from 'vitest';
import { createFieldRegistry } from './fields.ts';
import { createPipedriveStore } from './store.ts';
import type { ChangeEvent } from './webhooks.ts';

function setup() {
  let at = Date.UTC(2026, 0, 5, 12);
  const changes: ChangeEvent[] = [];
  const fields = createFieldRegistry(() => 'b'.repeat(40));
  const ext = fields.define('person', { name: 'External id', type: 'varchar' });
  const store = createPipedriveStore({
    fields,
    now: () => at,
    uuid: () => '00000000-0000-4000-a000-000000000001',
    announce: (change) => changes.push(change),
    userId: 1,
  });
  return { store, changes, ext: ext.field_code, tick: () => (at += 1000) };
}

describe('createPipedriveStore', () => {
  it('creates, updates and deletes, announcing each with its source and changed fields', () => {
    const { store, changes, ext, tick } = setup();
    const person = store.create('person', { name: 'Ada', custom_fields: { [ext]: 'x-1' } }, 'api');
    expect(person).toMatchObject({ id: 1, custom_fields: { [ext]: 'x-1' } });
    tick();
    const updated = store.update('person', 1, { name: 'Ada L' }, 'app');
    expect(updated?.update_time).toBe('2026-01-05T12:00:01Z');
    expect(store.update('person', 99, { name: 'x' }, 'api')).toBeUndefined();
    expect(store.remove('person', 1, 'api')).toBe(true);
    expect(store.remove('person', 1, 'api')).toBe(false);
    expect(store.get('person', 1)).toBeUndefined();
    expect(store.all('person')).toEqual([]);
    expect(changes.map((c) => [c.action, c.source])).toEqual([
      ['create', 'api'],
      ['change', 'app'],
      ['delete', 'api'],
    ]);
    expect(changes[1]!.previous).toEqual({ name: 'Ada', last_name: null });
    expect(changes[2]!.data).toBeNull();
  });

  it('refuses a custom value of the wrong type', () => {
    const { store, ext } = setup();
    expect(() => store.create('person', { name: 'Ada', custom_fields: { [ext]: 5 } }, 'api')).toThrow(
      /varchar/,
    );
    expect(store.all('person')).toEqual([]);
  });

  it('keeps v1 notes and leads, each linked to something', () => {
    const { store } = setup();
    expect(store.createNote({ content: 'hi', person_id: 3 }, 'api')).toMatchObject({
      id: 1,
      person_id: 3,
      add_time: '2026-01-05 12:00:00',
    });
    expect(() => store.createNote({ content: 'hi' }, 'api')).toThrow(/required/);
    expect(() => store.createNote({ person_id: 3 }, 'api')).toThrow(/content/);
    expect(store.createLead({ title: 'L', organization_id: 2 }, 'api')).toMatchObject({
      organization_id: 2,
      is_archived: false,
    });
    expect(() => store.createLead({ title: 'L' }, 'api')).toThrow(/person_id or an organization_id/);
    expect(store.notes()).toHaveLength(1);
    expect(store.leads()).toHaveLength(1);
  });
});
